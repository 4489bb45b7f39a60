import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DatabaseTarget } from '../config/config.ts';
import { redactUrl } from '../config/places.ts';
import { InzageError } from '../lib/errors.ts';
import { migrations as KNOWN_MIGRATIONS } from '../store/migrations/index.ts';

export const BACKUP_FORMAT = 'inzage-backup/1';

/** Tables whose row counts a backup records and a restore compares: what an auditor would ask about. */
export const COUNTED_TABLES = [
  'audit_log',
  'sealed_records',
  'archive_keys',
  'requests',
  'admin_users',
  'cookie_consents',
  'contact_consents',
  'retention_runs',
  'policy_versions',
] as const;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  inzageVersion: string;
  createdAt: string;
  hub: { dialect: 'sqlite'; file: 'hub.db' } | { dialect: 'postgres'; included: false; command: string };
  /** Migrations applied in the snapshot, in order; the last is the schema's version. */
  migrations: string[];
  counts: Record<string, number>;
  configFiles: string[];
  includesSecret: boolean;
}

export interface BackupInput {
  database: DatabaseTarget;
  configDir: string;
  /** The secret's text, when `--include-secret` asked for it. */
  secret?: string;
  inzageVersion: string;
  now: Date;
}

/** The pg_dump line for a PostgreSQL hub (the password stays out: pg_dump reads it from PGPASSWORD or ~/.pgpass). */
export const pgDumpCommand = (url: string) => `pg_dump --format=custom --file=inzage-hub.dump '${redactUrl(url)}'`;

/**
 * A backup: a consistent snapshot of a SQLite hub taken with SQLite's online backup (the server may keep
 * writing), the config folder, and a manifest; the secret only when given. A PostgreSQL hub is left to
 * pg_dump, whose command the manifest carries. Returns the zip's bytes and its manifest.
 */
export async function createBackup(input: BackupInput): Promise<{ zip: Uint8Array; manifest: BackupManifest }> {
  const files: Record<string, Uint8Array> = {};
  let migrations: string[] = [];
  let counts: Record<string, number> = {};
  let hub: BackupManifest['hub'];
  if (input.database.dialect === 'sqlite') {
    if (input.database.file === ':memory:' || !existsSync(input.database.file))
      throw new InzageError('CONFIG_INVALID', `no hub database at ${input.database.file}: nothing to back up`);
    const snapshot = join(tmpdir(), `inzage-backup-${process.pid}-${Date.now()}.db`);
    const live = new SqliteDatabase(input.database.file, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      // All remaining pages in one step: one read transaction, so a server writing meanwhile neither
      // restarts the copy (as small steps would, again and again) nor tears it.
      await live.backup(snapshot, { progress: () => 0x7fffffff });
    } finally {
      live.close();
    }
    try {
      ({ migrations, counts } = describeSqlite(snapshot));
      files['hub.db'] = readFileSync(snapshot);
    } finally {
      rmSync(snapshot, { force: true });
    }
    hub = { dialect: 'sqlite', file: 'hub.db' };
  } else {
    hub = { dialect: 'postgres', included: false, command: pgDumpCommand(input.database.url) };
  }
  const configFiles = listFiles(input.configDir);
  for (const path of configFiles) files[`config/${path}`] = readFileSync(join(input.configDir, path));
  if (input.secret !== undefined) files['secret.key'] = strToU8(`${input.secret}\n`);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    inzageVersion: input.inzageVersion,
    createdAt: input.now.toISOString(),
    hub,
    migrations,
    counts,
    configFiles,
    includesSecret: input.secret !== undefined,
  };
  files['manifest.json'] = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
  return { zip: zipSync(files, { level: 6 }), manifest };
}

/** Migrations and row counts of a SQLite hub file, read with a connection of its own. */
export function describeSqlite(file: string): { migrations: string[]; counts: Record<string, number> } {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set(
      (db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>).map(
        (t) => t.name,
      ),
    );
    const migrations = tables.has('kysely_migration')
      ? (db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map(
          (r) => r.name,
        )
      : [];
    const counts: Record<string, number> = {};
    for (const t of COUNTED_TABLES)
      if (tables.has(t)) counts[t] = (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
    return { migrations, counts };
  } finally {
    db.close();
  }
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size < 20 * 1024 * 1024)
        out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export interface RestoreTarget {
  dataDir: string;
  database: DatabaseTarget;
  /** Where the backup's config folder goes. */
  configDir: string;
  force: boolean;
}

export interface Restored {
  manifest: BackupManifest;
  hubFile: string;
  configDir: string;
  secretFile: string | undefined;
}

/**
 * Unpacks a backup into an empty data folder (or over one with `force`): the hub file, the config folder and
 * the secret when the backup has it. Refuses a backup made by a newer Inzage (a migration this one does not
 * know) and one that is not a backup. Checking what was restored is the caller's next step.
 */
export function restoreBackup(zip: Uint8Array, target: RestoreTarget): Restored {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (err) {
    throw new InzageError('VALIDATION_FAILED', 'not an Inzage backup (not a zip file)', { cause: err });
  }
  const manifest = readManifest(files);
  const unknown = manifest.migrations.filter((m) => !(m in KNOWN_MIGRATIONS));
  if (unknown.length)
    throw new InzageError(
      'CONFLICT',
      `the backup was made by a newer Inzage (${manifest.inzageVersion}): migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} unknown here; restore it with that version or newer`,
    );
  if (target.database.dialect !== 'sqlite' || target.database.file === ':memory:')
    throw new InzageError(
      'CONFIG_INVALID',
      'the hub is on PostgreSQL: restore its database with pg_restore (docs/deploy.md), then run `inzage restore` against a SQLite hub only for SQLite backups',
    );
  const hub = files['hub.db'];
  if (manifest.hub.dialect !== 'sqlite' || !hub)
    throw new InzageError(
      'CONFLICT',
      'this backup holds no hub database (the hub was on PostgreSQL: restore its pg_dump with pg_restore)',
    );
  const hubFile = target.database.file;
  const secretFile = join(target.dataDir, 'secret.key');
  const inTheWay = [hubFile, secretFile].filter((f) => existsSync(f) && statSync(f).size > 0);
  if (inTheWay.length && !target.force)
    throw new InzageError(
      'CONFLICT',
      `${inTheWay.join(' and ')} already exist${inTheWay.length === 1 ? 's' : ''}: restore into an empty data folder, or pass --force to overwrite`,
    );
  mkdirSync(dirname(hubFile), { recursive: true });
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${hubFile}${suffix}`, { force: true });
  writeFileSync(hubFile, hub);
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.startsWith('config/')) continue;
    const rel = name.slice('config/'.length);
    if (rel.split('/').some((part) => part === '..' || part === '')) continue; // nothing outside the folder
    const path = join(target.configDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  let written: string | undefined;
  const secret = files['secret.key'];
  if (secret) {
    writeFileSync(secretFile, secret, { mode: 0o600 });
    chmodSync(secretFile, 0o600);
    written = secretFile;
  }
  return { manifest, hubFile, configDir: target.configDir, secretFile: written };
}

function readManifest(files: Record<string, Uint8Array>): BackupManifest {
  const raw = files['manifest.json'];
  let manifest: Partial<BackupManifest> | undefined;
  try {
    manifest = raw ? (JSON.parse(strFromU8(raw)) as Partial<BackupManifest>) : undefined;
  } catch {
    manifest = undefined;
  }
  if (manifest?.format !== BACKUP_FORMAT || !Array.isArray(manifest.migrations) || !manifest.counts)
    throw new InzageError('VALIDATION_FAILED', `not an Inzage backup (no ${BACKUP_FORMAT} manifest)`);
  return manifest as BackupManifest;
}
