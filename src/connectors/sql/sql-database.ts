import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type mysqlTypes from 'mysql2';
import type pgTypes from 'pg';
import { parseDatabaseUrl } from '../../config/config.ts';
import { lazily } from '../../lib/lazy-require.ts';
import { keepTransactionErrors } from '../../store/dialects.ts';
import { sqliteSweep } from '../../store/sqlite-sweep.ts';
import { withStatementCache } from '../../store/statement-cache.ts';

// Only the driver of the shop's own database is loaded.
const mysqlDriver = lazily<typeof mysqlTypes>('mysql2');
const postgresDriver = lazily<typeof pgTypes>('pg');

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';
export type Row = Record<string, unknown>;

/** Runs statements: outside a transaction, or inside the one it was handed. */
export interface SqlRunner {
  run(text: string, params: ReadonlyArray<unknown>): Promise<Row[]>;
}

/** Rows one at a time, for results too large to hold (retention's scan of everyone). */
export interface SqlStreamer {
  each(text: string, params: ReadonlyArray<unknown>, row: (r: Row) => void): Promise<void>;
}

/** A shop database reached through the data map, counting the statements it sends. */
export interface SqlDatabase extends SqlRunner, SqlStreamer {
  readonly dialect: SqlDialect;
  /** Kysely over the same connection, for introspection (`datamap check`) and tests. */
  readonly db: Kysely<any>;
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Runs many transactions as one sweep. On SQLite the write-ahead log is copied back into the
   * database once, at the end, instead of after every transaction (which rewrote the same index
   * pages again and again); elsewhere it just runs `fn`.
   */
  sweep<T>(fn: () => Promise<T>): Promise<T>;
  /** Statements sent so far; the engine reports how many a request took. */
  queries(): number;
  close(): Promise<void>;
}

/** Opens a system's database; a SQLite file must already exist (a typo must not create an empty shop). */
export function openSqlDatabase(url: string, options: { schema?: string } = {}): SqlDatabase {
  if (/^mysql:\/\/|^mariadb:\/\//.test(url)) {
    const pool = mysqlDriver().createPool({
      uri: url.replace(/^mariadb:/, 'mysql:'),
      connectionLimit: 4,
      dateStrings: true,
    });
    return kyselyDatabase('mysql', new Kysely<any>({ dialect: keepTransactionErrors(new MysqlDialect({ pool })) }));
  }
  const target = parseDatabaseUrl(url);
  if (!target) throw new Error(`unsupported database URL scheme: ${url.split(':')[0]}`);
  if (target.dialect === 'postgres') {
    const pool = new (postgresDriver().Pool)({
      connectionString: target.url,
      max: 4,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return kyselyDatabase(
      'postgres',
      new Kysely<any>({ dialect: keepTransactionErrors(new PostgresDialect({ pool })) }),
    );
  }
  if (target.file !== ':memory:' && !existsSync(target.file))
    throw new Error(`database file not found: ${target.file}`);
  return sqliteDatabase(new SqliteDatabase(target.file, { fileMustExist: target.file !== ':memory:' }));
}

function kyselyDatabase(dialect: SqlDialect, db: Kysely<any>): SqlDatabase {
  let count = 0;
  const runner = (executor: Kysely<any>): SqlRunner => ({
    run: async (text, params) => {
      count++;
      return (await executor.executeQuery<Row>(CompiledQuery.raw(text, [...params]))).rows;
    },
  });
  const base = runner(db);
  return {
    dialect,
    db,
    ...base,
    each: async (text, params, row) => {
      if (dialect !== 'postgres') {
        // MySQL hands the rows over at once; fine for the sizes those shops reach here.
        for (const r of await base.run(text, params)) row(r);
        return;
      }
      // A few thousand rows in memory at a time, through a cursor. PostgreSQL plans a cursor's query
      // without parallel workers, so the result is first made into a temporary table (which may use them:
      // retention's grouping of a million people took 27 s through a cursor, 18 s this way).
      count++;
      await db.transaction().execute(async (trx) => {
        await trx.executeQuery(
          CompiledQuery.raw(`create temp table inzage_rows on commit drop as ${text}`, [...params]),
        );
        await trx.executeQuery(CompiledQuery.raw('declare inzage_rows no scroll cursor for select * from inzage_rows'));
        for (;;) {
          const { rows } = await trx.executeQuery<Row>(CompiledQuery.raw('fetch forward 5000 from inzage_rows'));
          if (rows.length === 0) break;
          for (const r of rows) row(r);
        }
      });
    },
    transaction: (fn) => db.transaction().execute((trx) => fn(runner(trx))),
    sweep: (fn) => fn(),
    queries: () => count,
    close: () => db.destroy(),
  };
}

/**
 * SQLite through better-sqlite3 directly, with prepared statements kept: going through Kysely's
 * async driver costs 10–15 µs a statement, as much as the engine's statements take to run.
 * A transaction holds a lock so that statements of other callers wait until it ends.
 */
function sqliteDatabase(raw: SqliteDatabase.Database): SqlDatabase {
  raw.pragma('journal_mode = WAL');
  // Each commit on disk when it returns: the hub records an erasure as done (and the person is told) right
  // after the shop's commit, so a power loss must not bring the erased rows back. Said outright, since the
  // driver's SQLite opens a file that is already in WAL mode at NORMAL (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1),
  // which syncs only at checkpoints: a shop's own application has usually put its file in WAL mode.
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  // Retention's scan of everyone sorts a million rows: on disk, not in the process's memory.
  raw.pragma('temp_store = FILE');
  const cached = withStatementCache(raw);
  const db = new Kysely<any>({
    dialect: keepTransactionErrors(new SqliteDialect({ database: cached }), () => raw.open && raw.inTransaction),
  });
  let count = 0;
  let lock: Promise<void> = Promise.resolve();
  const exec = (text: string, params: ReadonlyArray<unknown>): Row[] => {
    count++;
    const stmt = cached.prepare(text) as unknown as SqliteDatabase.Statement;
    if (stmt.reader) return stmt.all(...params) as Row[];
    stmt.run(...params);
    return [];
  };
  return {
    dialect: 'sqlite',
    db,
    run: async (text, params) => {
      await lock;
      return exec(text, params);
    },
    each: async (text, params, row) => {
      await lock;
      count++;
      const stmt = cached.prepare(text) as unknown as SqliteDatabase.Statement;
      for (const r of stmt.iterate(...params)) row(r as Row);
    },
    sweep: (fn) =>
      sqliteSweep(
        raw,
        fn,
        async () => {
          await lock;
        },
        // Between the shop's transactions: `begin immediate` runs under the same lock.
        async (change) => {
          await lock;
          change();
        },
      ),
    transaction: async (fn) => {
      const previous = lock;
      let release!: () => void;
      lock = new Promise((r) => {
        release = r;
      });
      await previous;
      try {
        exec('begin immediate', []);
        try {
          const result = await fn({ run: async (text, params) => exec(text, params) });
          exec('commit', []);
          return result;
        } catch (err) {
          // SQLite may have ended the transaction itself (SQLITE_FULL, SQLITE_IOERR): then there is nothing
          // to roll back, and a failing rollback must not hide why it ended.
          if (raw.inTransaction) exec('rollback', []);
          throw err;
        }
      } finally {
        release();
      }
    },
    queries: () => count,
    close: () => db.destroy(),
  };
}

/** A column as the database's catalog describes it. */
export interface ColumnInfo {
  table: string;
  column: string;
  /** The catalog's data type, e.g. `bigint`, `character varying`, `longtext`. */
  type: string;
  /** MySQL/MariaDB: the column's collation, e.g. `utf8mb4_unicode_520_ci`. */
  collation?: string;
}

/**
 * The columns of these tables in the system's own schema (PostgreSQL: the search path's, MySQL: the
 * connection's database), read from information_schema through Kysely, outside the count of statements
 * a request takes. SQLite has no such catalog and needs none (its comparisons follow column affinity).
 */
export async function readColumns(database: SqlDatabase, tables: ReadonlyArray<string>): Promise<ColumnInfo[]> {
  if (database.dialect === 'sqlite' || tables.length === 0) return [];
  const own =
    database.dialect === 'mysql'
      ? sql<boolean>`table_schema = database()`
      : sql<boolean>`table_schema = current_schema()`;
  const rows = await database.db
    .selectFrom('information_schema.columns')
    .select(['table_name as t', 'column_name as c', 'data_type as d', 'collation_name as k'])
    .where(own)
    .where('table_name', 'in', [...new Set(tables)])
    .execute();
  return rows.map((r) => ({
    table: String(r.t),
    column: String(r.c),
    type: String(r.d).toLowerCase(),
    ...(typeof r.k === 'string' ? { collation: r.k } : {}),
  }));
}
