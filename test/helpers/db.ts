import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Dialect, migrateToLatest, openStore, type Store } from '../../src/store/database.ts';

export const POSTGRES_URL = process.env.INZAGE_TEST_POSTGRES_URL;

/** Both dialects; PostgreSQL only when INZAGE_TEST_POSTGRES_URL is set. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export const POSTGRES_SKIP = 'INZAGE_TEST_POSTGRES_URL is not set: PostgreSQL tests are skipped';

let announced = false;
/** `skip` option for node:test: a reason when the dialect cannot run here, false otherwise. */
export function skipFor(dialect: Dialect): string | false {
  if (dialect === 'postgres' && !POSTGRES_URL) {
    if (!announced) {
      announced = true;
      process.stderr.write(`# ${POSTGRES_SKIP}\n`);
    }
    return POSTGRES_SKIP;
  }
  return false;
}

let processDatabase: Promise<string> | undefined;

/**
 * A PostgreSQL database of this test process's own, made on first use and dropped when the process
 * ends. Kysely's introspection reads the catalog of every schema in a database; another process
 * dropping its schema at that moment fails it ("schema … does not exist"), so processes keep apart.
 */
export function testPostgresUrl(): Promise<string> {
  if (!POSTGRES_URL) return Promise.reject(new Error(POSTGRES_SKIP));
  processDatabase ??= (async () => {
    const name = `inzage_test_${process.pid}_${randomBytes(3).toString('hex')}`;
    await withPgClient((c) => c.query(`create database ${name}`));
    let dropped = false;
    process.on('beforeExit', () => {
      if (dropped) return;
      dropped = true;
      void withPgClient((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
    });
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return processDatabase;
}

export interface TestStore extends Store {
  /** Drops what the test created (the PostgreSQL schema). */
  drop(): Promise<void>;
  /** A second, separate connection pool on the same data, as another process would have (PostgreSQL). */
  openAnother(): Store;
  /** The SQLite file of a `shared` store. */
  file?: string;
}

/**
 * A fresh, migrated store: an in-memory SQLite database, or a PostgreSQL schema of its own. With
 * `shared`, SQLite lives in a file of its own, so that `openAnother` works there too (as a second
 * process on the same file would).
 */
export async function createTestStore(
  dialect: Dialect,
  options: { poolSize?: number; shared?: boolean } = {},
): Promise<TestStore> {
  if (dialect === 'sqlite' && options.shared) {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-store-'));
    const file = join(dir, 'inzage.db');
    const store = openStore({ dialect: 'sqlite', file });
    await migrateToLatest(store);
    return {
      ...store,
      drop: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
      openAnother: () => openStore({ dialect: 'sqlite', file }),
      file,
    };
  }
  if (dialect === 'sqlite') {
    const store = openStore({ dialect: 'sqlite', file: ':memory:' });
    await migrateToLatest(store);
    return {
      ...store,
      drop: () => store.close(),
      openAnother: () => {
        throw new Error('an in-memory SQLite database cannot be shared');
      },
    };
  }
  const url = await testPostgresUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withPgClient((c) => c.query(`create schema ${schema}`), url);
  const store = openStore({ dialect: 'postgres', url }, { schema, poolSize: options.poolSize });
  await migrateToLatest(store);
  return {
    ...store,
    openAnother: () => openStore({ dialect: 'postgres', url }, { schema, poolSize: 4 }),
    drop: async () => {
      await store.close();
      await withPgClient((c) => c.query(`drop schema ${schema} cascade`), url);
    },
  };
}

export async function withPgClient<T>(fn: (c: pg.Client) => Promise<T>, url = POSTGRES_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
