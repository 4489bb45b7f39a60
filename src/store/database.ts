import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type MigrationResultSet, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pgTypes from 'pg';
import type { DatabaseTarget } from '../config/config.ts';
import { lazily } from '../lib/lazy-require.ts';
import { keepTransactionErrors } from './dialects.ts';
import { migrations } from './migrations/index.ts';
import { statisticsKeeper } from './postgres-statistics.ts';
import type { Database } from './schema.ts';
import { sqliteDurably, sqliteSweep, syncedTransaction } from './sqlite-sweep.ts';
import { withStatementCache } from './statement-cache.ts';

// A SQLite hub never loads the PostgreSQL driver.
const postgresDriver = lazily<typeof pgTypes>('pg');

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** PostgreSQL schema the store lives in, when not the default. */
  readonly schema?: string;
  /** Runs many transactions as one sweep (a retention run): on SQLite the log is copied back rarely. */
  sweep<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` with every commit synced to disk. The hub's SQLite commits without a sync (`synchronous =
   * NORMAL`: a process crash loses nothing, a power cut the last commits); a sealed copy of records the shop
   * is about to erase must survive a power cut too. PostgreSQL syncs every commit anyway.
   */
  durably<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * A bulk job (a retention run) tells the store it added `rows` rows to `table`. PostgreSQL analyzes the
   * table each time the rows this process added have doubled (src/store/postgres-statistics.ts), so that
   * lookups in it keep their index when autovacuum is off or behind; SQLite needs nothing (its statements
   * are shaped so that its planner keeps the index without statistics).
   */
  grew(table: keyof Database & string, rows: number): Promise<void>;
  /**
   * SQLite only: `fn` run at once on the connection itself, between Kysely's transactions, as one transaction
   * whose commit is synced as `durably`'s are. For the few statements of an erasure's seal: through Kysely's
   * asynchronous layers (the connection's lock twice for the switch of `synchronous`, a transaction, statements
   * compiled per call) they took twice as long as the same statements prepared. A throw rolls it back.
   */
  readonly syncedTransaction?: <T>(fn: (connection: SqliteDatabase.Database) => T) => Promise<T>;
  /**
   * PostgreSQL: `LISTEN` on `channel` on a connection of its own (connected again after a loss), calling
   * `onPayload` per notification; resolves once listening, with what stops it.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: the schema to work in (tests use one per run to stay apart). */
  schema?: string;
  /** PostgreSQL: pool size. */
  poolSize?: number;
}

/** Opens the hub's store on SQLite or PostgreSQL. */
export function openStore(target: DatabaseTarget, options: OpenOptions = {}): Store {
  if (target.dialect === 'postgres') {
    const connection = {
      connectionString: target.url,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    };
    const pool = new (postgresDriver().Pool)({ ...connection, max: options.poolSize ?? 10 });
    // A client that loses its connection must not crash the process: idle ones report to the pool,
    // checked-out ones to themselves (their query fails with its own error; the pool drops them).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: keepTransactionErrors(new PostgresDialect({ pool })) });
    return {
      db,
      dialect: 'postgres',
      schema: options.schema,
      sweep: (fn) => fn(),
      durably: (fn) => fn(),
      grew: statisticsKeeper(async (table) => {
        await sql`analyze ${sql.table(table)}`.execute(db);
      }),
      listen: (channel, onPayload) => listenOn(connection, channel, onPayload),
      close: () => db.destroy(),
    };
  }
  if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
  const sqlite = new SqliteDatabase(target.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes (serve and a separate worker) may share one file.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({
    dialect: keepTransactionErrors(
      new SqliteDialect({ database: withStatementCache(sqlite) }),
      () => sqlite.open && sqlite.inTransaction,
    ),
  });
  // Kysely holds its one SQLite connection for a whole transaction: through it, a setting changes between them.
  const between = async (change: () => void) => {
    await db.connection().execute(async () => change());
  };
  return {
    db,
    dialect: 'sqlite',
    sweep: (fn) => sqliteSweep(sqlite, fn, undefined, between),
    durably: sqliteDurably(sqlite, between),
    grew: async () => {},
    syncedTransaction: (fn) => db.connection().execute(async () => syncedTransaction(sqlite, fn)),
    close: () => db.destroy(),
  };
}

/** A `LISTEN` that outlives a dropped connection: it connects again a second later, for as long as it runs. */
async function listenOn(
  config: pgTypes.ClientConfig,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pgTypes.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const again = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1000);
    retry.unref();
  };
  const connect = async () => {
    const c = new (postgresDriver().Client)(config);
    c.on('error', () => {});
    c.on('notification', (n) => {
      if (n.channel === channel) onPayload(n.payload ?? '');
    });
    c.on('end', () => {
      if (client === c) client = undefined;
      again();
    });
    try {
      await c.connect();
      await c.query(`listen "${channel.replaceAll('"', '""')}"`);
      if (stopped) await c.end();
      else client = c;
    } catch {
      void c.end().catch(() => {});
      again();
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

function migrator(store: Pick<Store, 'db' | 'schema'>): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its own tables across all schemas unless told which one is ours.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

/** Brings the schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(store: Pick<Store, 'db' | 'schema'>): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migrator(store).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(store: Pick<Store, 'db' | 'schema'>): Promise<string[]> {
  const all = await migrator(store).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export async function ping(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Bigger than a few pages: writing it needs room a full store no longer has. */
const PROBE_FILLER = 'x'.repeat(12_000);

/**
 * Writes a row of a few pages and deletes it in one committed transaction: throws when the store cannot
 * be written (a read-only file or database, a full disk), which `select 1` does not notice.
 */
export async function probeWrite(db: Kysely<Database>, at: string): Promise<void> {
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('store_probe').values({ id, written_at: at, filler: PROBE_FILLER }).execute();
    await trx.deleteFrom('store_probe').where('id', '=', id).execute();
  });
}

/** A store error in words, with its code (`SQLITE_FULL`, PostgreSQL's SQLSTATE) when it has one. */
export function describeStoreError(err: unknown): string {
  const e = err as { message?: string; code?: string };
  const message = e?.message ?? String(err);
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
