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
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SqliteDatabase from 'better-sqlite3';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { DatabaseTarget } from '../config/config.ts';
import { redactUrl } from '../config/places.ts';
import { InzageError } from '../lib/errors.ts';
import { pidExists } from '../lib/process-identity.ts';
import { crc32 } from '../lib/zip.ts';
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
 * synced and renamed into place when complete: a hub of gigabytes needs no more memory than a small one, a
 * zip64 archive holds one larger than 4 GiB, and a backup that fails leaves no zip under that name.
 */
export async function createBackup(input: BackupInput & { out: string }): Promise<{ manifest: BackupManifest }> {
  const folder = dirname(resolve(input.out));
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new InzageError('NOT_FOUND', `--out: the folder ${folder} does not exist`, { field: 'out' });
  sweepLeftovers(folder, `.${basename(input.out)}.`, '.tmp');
  let migrations: string[] = [];
  let counts: Record<string, number> = {};
  let hub: BackupManifest['hub'];
  // The snapshot holds personal data: in a folder of its own that only this user can enter (mkdtemp: 0700),
  // removed whole afterwards (with the -wal and -shm files SQLite leaves beside it).
  let snapshotDir: string | undefined;
  let snapshot: string | undefined;
  const temporary = join(folder, `.${basename(input.out)}.${process.pid}.tmp`);
  try {
    if (input.database.dialect === 'sqlite') {
      if (input.database.file === ':memory:' || !existsSync(input.database.file))
        throw new InzageError('CONFIG_INVALID', `no hub database at ${input.database.file}: nothing to back up`);
      snapshotDir = mkdtempSync(join(tmpdir(), 'inzage-backup-'));
      snapshot = join(snapshotDir, 'hub.db');
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
      ({ migrations, counts } = describeSqlite(snapshot));
    } else {
      hub = { dialect: 'postgres', included: false, command: pgDumpCommand(input.database.url) };
    }
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
    // yazl reports a file it cannot read (or one that changed size while read) on the zip itself: it ends the
    // output with that error, so that the pipeline below fails instead of waiting for ever.
    zip.on('error', (err: Error) => (zip.outputStream as Readable).destroy(err));
    const options = { mtime: input.now, compressionLevel: 6 };
    // Files are read as the zip is written, a chunk at a time.
    if (snapshot) zip.addFile(snapshot, 'hub.db', options);
    for (const path of configFiles) zip.addFile(join(input.configDir, path), `config/${path}`, options);
    if (input.secret !== undefined) zip.addBuffer(Buffer.from(`${input.secret}\n`), 'secret.key', options);
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', options);
    zip.end();
    // Owner-only from the first byte (the hub holds personal data, the secret when asked for), and never
    // through a file that someone else put there first.
    await pipeline(zip.outputStream, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
    syncFile(temporary);
    renameSync(temporary, input.out);
    chmodSync(input.out, 0o600);
    syncFolder(folder);
    return { manifest };
  } finally {
    rmSync(temporary, { force: true });
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The rename itself on disk too. Some file systems cannot sync a folder; the file is synced all the same. */
function syncFolder(path: string): void {
  try {
    syncFile(path);
  } catch {
    // EISDIR/EINVAL where folders cannot be synced.
  }
}

/**
 * Removes what a killed backup or restore left in `folder` (a temporary zip, a staging folder holding the hub
 * and perhaps the secret): names `<prefix><pid>…<suffix>` whose process no longer runs.
 */
function sweepLeftovers(folder: string, prefix: string, suffix: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const pid = Number(name.slice(prefix.length).split(/[.-]/)[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pidExists(pid)) continue;
    rmSync(join(folder, name), { recursive: true, force: true });
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

/** What a restore checks on the unpacked hub before anything moves into place; it throws to refuse. */
export type RestoreCheck = (staged: {
  hubFile: string;
  secretFile: string | undefined;
  manifest: BackupManifest;
}) => Promise<void>;

/**
 * Unpacks a backup into an empty data folder (or over one with `force`): the hub file, the config folder and
 * the secret when the backup has it. Refuses a backup made by a newer Inzage (a migration this one does not
 * know), one that is not a backup and one whose data does not match its checksums, before anything is
 * unpacked or moved. Files are unpacked a chunk at a time into a folder beside the hub; `check` then looks at
 * the unpacked hub (counts, migrations, the audit chain, the secret). Only when it passes does anything move:
 * each file is first copied beside its place, then all are renamed into place, the hub last — what was
 * there stays until then.
 */
export async function restoreBackup(file: string, target: RestoreTarget, check?: RestoreCheck): Promise<Restored> {
  if (target.database.dialect !== 'sqlite' || target.database.file === ':memory:')
    throw new InzageError(
      'CONFIG_INVALID',
      'the hub is on PostgreSQL: restore its database with pg_restore (docs/deploy.md), then run `inzage restore` against a SQLite hub only for SQLite backups',
    );
  const hubFile = resolve(target.database.file);
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
      for await (const entry of zip.eachEntry()) {
        if (found.has(entry.fileName))
          throw new InzageError('VALIDATION_FAILED', `not an Inzage backup (two entries named ${entry.fileName})`);
        found.set(entry.fileName, entry);
      }
      return found;
    });
    const manifestEntry = entries.get('manifest.json');
    const manifest =
      manifestEntry && manifestEntry.uncompressedSize <= MANIFEST_LIMIT
        ? readManifest(await readEntry(zip, manifestEntry))
        : undefined;
    if (!manifest) throw new InzageError('VALIDATION_FAILED', `not an Inzage backup (no ${BACKUP_FORMAT} manifest)`);
    const unknown = manifest.migrations.filter((m) => !Object.hasOwn(KNOWN_MIGRATIONS, m));
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
    const folder = dirname(hubFile);
    mkdirSync(folder, { recursive: true });
    sweepLeftovers(folder, '.inzage-restore-', '');
    // Beside the hub, so that the hub moves into place by a rename (on the same file system); 0700.
    const staging = mkdtempSync(join(folder, `.inzage-restore-${process.pid}-`));
    // Each file copied beside its place, and where it goes: renamed there once all are copied.
    const moves: Array<[string, string]> = [];
    try {
      for (const entry of wanted) {
        const path = join(staging, entry.fileName);
        mkdirSync(dirname(path), { recursive: true });
        await throughChecked(zip, entry, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      }
      const stagedHub = join(staging, 'hub.db');
      const stagedSecret = entries.has('secret.key') ? join(staging, 'secret.key') : undefined;
      await check?.({ hubFile: stagedHub, secretFile: stagedSecret, manifest });
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(`${stagedHub}${suffix}`) && statSync(`${stagedHub}${suffix}`).size > 0)
          throw new Error(`the checked hub left a ${suffix} file with data in it; nothing was restored`);
      }
      // Every file first beside its place (a failure here leaves what was there as it was), then renamed.
      const besidePlace = (from: string, to: string, mode?: number) => {
        mkdirSync(dirname(to), { recursive: true });
        const temporary = `${to}.inzage-restore-${process.pid}.tmp`;
        moves.push([temporary, to]);
        copyFileSync(from, temporary);
        if (mode !== undefined) chmodSync(temporary, mode);
      };
      for (const { fileName } of wanted)
        if (fileName.startsWith('config/'))
          besidePlace(join(staging, fileName), join(target.configDir, fileName.slice('config/'.length)));
      if (stagedSecret) besidePlace(stagedSecret, secretFile, 0o600);
      for (const [from, to] of moves) renameSync(from, to);
      // The hub last: the old hub's write-ahead log goes with it (it belongs to the file being replaced).
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${hubFile}${suffix}`, { force: true });
      renameSync(stagedHub, hubFile);
      syncFolder(folder);
      return { manifest, hubFile, configDir: target.configDir, secretFile: stagedSecret ? secretFile : undefined };
    } finally {
      for (const [temporary] of moves) rmSync(temporary, { force: true });
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

/** A zip whose directory cannot be read (a name outside the folder, a broken entry) is no backup. */
async function damagedIfFails<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw damaged(err);
  }
}

/**
 * What went wrong reading an entry: the backup is damaged, unless the file system failed (a full disk, a
 * folder that cannot be written), which is said as it is.
 */
function damaged(err: unknown): Error {
  if (err instanceof InzageError) return err;
  if ((err as NodeJS.ErrnoException).syscall) return err as Error;
  return new InzageError('VALIDATION_FAILED', `not an Inzage backup (a damaged zip: ${(err as Error).message})`, {
    cause: err,
  });
}

/**
 * An entry's bytes through `sink`, checked against the CRC-32 the zip recorded for it: yauzl does not check
 * it, and a flipped byte inside the hub would otherwise restore without a word.
 */
async function throughChecked(zip: yauzl.ZipFile, entry: yauzl.Entry, sink: NodeJS.WritableStream): Promise<void> {
  let crc = 0;
  const source = await damagedIfFails(() => zip.openReadStreamPromise(entry));
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          crc = crc32(chunk, crc);
          yield chunk;
        }
      },
      sink,
    );
  } catch (err) {
    throw damaged(err);
  }
  if (crc !== entry.crc32 >>> 0)
    throw new InzageError('VALIDATION_FAILED', `not an Inzage backup (${entry.fileName} does not match its checksum)`);
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await throughChecked(
    zip,
    entry,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
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
