import {
  chmodSync,
  closeSync,
  copyFileSync,
  createWriteStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import SqliteDatabase from 'better-sqlite3';
import yauzl from 'yauzl';
import yazl from 'yazl';
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
 * pg_dump, whose command the manifest carries. The zip is streamed to `out` through a temporary file that is
 * synced and renamed into place when complete: a hub of gigabytes needs no more memory than a small one, and
 * a zip64 archive holds one larger than 4 GiB.
 */
export async function createBackup(input: BackupInput & { out: string }): Promise<{ manifest: BackupManifest }> {
  let migrations: string[] = [];
  let counts: Record<string, number> = {};
  let hub: BackupManifest['hub'];
  let snapshot: string | undefined;
  if (input.database.dialect === 'sqlite') {
    if (input.database.file === ':memory:' || !existsSync(input.database.file))
      throw new InzageError('CONFIG_INVALID', `no hub database at ${input.database.file}: nothing to back up`);
    snapshot = join(tmpdir(), `inzage-backup-${process.pid}-${Date.now()}.db`);
    const live = new SqliteDatabase(input.database.file, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      // All remaining pages in one step: one read transaction, so a server writing meanwhile neither
      // restarts the copy (as small steps would, again and again) nor tears it.
      await live.backup(snapshot, { progress: () => 0x7fffffff });
    } finally {
      live.close();
    }
    hub = { dialect: 'sqlite', file: 'hub.db' };
  } else {
    hub = { dialect: 'postgres', included: false, command: pgDumpCommand(input.database.url) };
  }
  const temporary = join(dirname(input.out), `.${basename(input.out)}.${process.pid}.tmp`);
  try {
    if (snapshot) ({ migrations, counts } = describeSqlite(snapshot));
    const configFiles = listFiles(input.configDir);
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
    const zip = new yazl.ZipFile();
    const options = { mtime: input.now, compressionLevel: 6 };
    // Files are read as the zip is written, a chunk at a time.
    if (snapshot) zip.addFile(snapshot, 'hub.db', options);
    for (const path of configFiles) zip.addFile(join(input.configDir, path), `config/${path}`, options);
    if (input.secret !== undefined) zip.addBuffer(Buffer.from(`${input.secret}\n`), 'secret.key', options);
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', options);
    zip.end();
    // Owner-only from the first byte: the hub holds personal data (and the secret, when asked for).
    await pipeline(zip.outputStream, createWriteStream(temporary, { mode: 0o600 }));
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, input.out);
    chmodSync(input.out, 0o600);
    return { manifest };
  } finally {
    rmSync(temporary, { force: true });
    if (snapshot) rmSync(snapshot, { force: true });
  }
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
 * know) and one that is not a backup, before unpacking anything. Files are unpacked a chunk at a time into a
 * folder beside the hub and moved into place once all are there: a failed restore leaves nothing half done.
 * Checking what was restored is the caller's next step.
 */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<Restored> {
  if (target.database.dialect !== 'sqlite' || target.database.file === ':memory:')
    throw new InzageError(
      'CONFIG_INVALID',
      'the hub is on PostgreSQL: restore its database with pg_restore (docs/deploy.md), then run `inzage restore` against a SQLite hub only for SQLite backups',
    );
  const hubFile = target.database.file;
  const secretFile = join(target.dataDir, 'secret.key');
  const inTheWay = [hubFile, secretFile].filter((f) => existsSync(f) && statSync(f).size > 0);
  if (inTheWay.length && !target.force)
    throw new InzageError(
      'CONFLICT',
      `${inTheWay.join(' and ')} already exist${inTheWay.length === 1 ? 's' : ''}: restore into an empty data folder, or pass --force to overwrite`,
    );
  const zip = await openBackup(file);
  try {
    const entries = await damagedIfFails(async () => {
      const found = new Map<string, yauzl.Entry>();
      for await (const entry of zip.eachEntry()) found.set(entry.fileName, entry);
      return found;
    });
    const manifestEntry = entries.get('manifest.json');
    const manifest =
      manifestEntry && manifestEntry.uncompressedSize <= MANIFEST_LIMIT
        ? readManifest(await damagedIfFails(async () => buffer(await zip.openReadStreamPromise(manifestEntry))))
        : undefined;
    if (!manifest) throw new InzageError('VALIDATION_FAILED', `not an Inzage backup (no ${BACKUP_FORMAT} manifest)`);
    const unknown = manifest.migrations.filter((m) => !(m in KNOWN_MIGRATIONS));
    if (unknown.length)
      throw new InzageError(
        'CONFLICT',
        `the backup was made by a newer Inzage (${manifest.inzageVersion}): migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} unknown here; restore it with that version or newer`,
      );
    if (manifest.hub.dialect !== 'sqlite' || !entries.has('hub.db'))
      throw new InzageError(
        'CONFLICT',
        'this backup holds no hub database (the hub was on PostgreSQL: restore its pg_dump with pg_restore)',
      );
    // Only the files a backup holds; yauzl refuses names that reach outside the folder (`config/../x`).
    const wanted = [...entries.values()].filter(
      (e) => e.fileName === 'hub.db' || e.fileName === 'secret.key' || /^config\/[^/].*[^/]$/.test(e.fileName),
    );
    mkdirSync(dirname(hubFile), { recursive: true });
    // Beside the hub, so that the hub moves into place by a rename (on the same file system).
    const staging = mkdtempSync(join(dirname(hubFile), '.inzage-restore-'));
    try {
      for (const entry of wanted) {
        const path = join(staging, entry.fileName);
        mkdirSync(dirname(path), { recursive: true });
        await damagedIfFails(async () =>
          pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path, { mode: 0o600 })),
        );
      }
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${hubFile}${suffix}`, { force: true });
      renameSync(join(staging, 'hub.db'), hubFile);
      for (const { fileName } of wanted) {
        if (!fileName.startsWith('config/')) continue;
        const path = join(target.configDir, fileName.slice('config/'.length));
        mkdirSync(dirname(path), { recursive: true });
        copyFileSync(join(staging, fileName), path);
      }
      let written: string | undefined;
      if (entries.has('secret.key')) {
        copyFileSync(join(staging, 'secret.key'), secretFile);
        chmodSync(secretFile, 0o600);
        written = secretFile;
      }
      return { manifest, hubFile, configDir: target.configDir, secretFile: written };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    zip.close();
  }
}

/** The manifest is read into memory; it is small, and a larger one is not a backup's. */
const MANIFEST_LIMIT = 1 << 20;

async function openBackup(file: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: true });
  } catch (err) {
    throw new InzageError('VALIDATION_FAILED', 'not an Inzage backup (not a zip file)', { cause: err });
  }
}

/** A zip whose directory or data cannot be read (a bad checksum, a name outside the folder) is no backup. */
async function damagedIfFails<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InzageError) throw err;
    throw new InzageError('VALIDATION_FAILED', `not an Inzage backup (a damaged zip: ${(err as Error).message})`, {
      cause: err,
    });
  }
}

async function buffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function readManifest(raw: Uint8Array): BackupManifest | undefined {
  let manifest: Partial<BackupManifest> | undefined;
  try {
    manifest = raw.length ? (JSON.parse(Buffer.from(raw).toString('utf8')) as Partial<BackupManifest>) : undefined;
  } catch {
    manifest = undefined;
  }
  if (manifest?.format !== BACKUP_FORMAT || !Array.isArray(manifest.migrations) || !manifest.counts) return undefined;
  return manifest as BackupManifest;
}
