import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import { parseDatabaseUrl } from '../../config/config.ts';

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

/** A shop database reached through the data map, counting the queries it sends. */
export interface SqlDatabase {
  readonly db: Kysely<any>;
  readonly dialect: SqlDialect;
  /** Queries sent so far; the engine reports how many a request took. */
  queries(): number;
  close(): Promise<void>;
}

/** Opens a system's database; a SQLite file must already exist (a typo must not create an empty shop). */
export function openSqlDatabase(url: string, options: { schema?: string } = {}): SqlDatabase {
  let count = 0;
  const log = () => {
    count++;
  };
  if (/^mysql:\/\/|^mariadb:\/\//.test(url)) {
    const pool = createMysqlPool({ uri: url.replace(/^mariadb:/, 'mysql:'), connectionLimit: 4, dateStrings: true });
    const db = new Kysely<any>({ dialect: new MysqlDialect({ pool }), log });
    return { db, dialect: 'mysql', queries: () => count, close: () => db.destroy() };
  }
  const target = parseDatabaseUrl(url);
  if (!target) throw new Error(`unsupported database URL scheme: ${url.split(':')[0]}`);
  if (target.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 4,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    pool.on('error', () => {});
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log });
    return { db, dialect: 'postgres', queries: () => count, close: () => db.destroy() };
  }
  if (target.file !== ':memory:' && !existsSync(target.file))
    throw new Error(`database file not found: ${target.file}`);
  const sqlite = new SqliteDatabase(target.file, { fileMustExist: target.file !== ':memory:' });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }), log });
  return { db, dialect: 'sqlite', queries: () => count, close: () => db.destroy() };
}
