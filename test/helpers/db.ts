import { randomBytes } from 'node:crypto';
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

export interface TestStore extends Store {
  /** Drops what the test created (the PostgreSQL schema). */
  drop(): Promise<void>;
  /** A second, separate connection pool on the same data, as another process would have (PostgreSQL). */
  openAnother(): Store;
}

/** A fresh, migrated store: an in-memory SQLite database, or a PostgreSQL schema of its own. */
export async function createTestStore(dialect: Dialect, options: { poolSize?: number } = {}): Promise<TestStore> {
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
  if (!POSTGRES_URL) throw new Error(POSTGRES_SKIP);
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withPgClient((c) => c.query(`create schema ${schema}`));
  const store = openStore({ dialect: 'postgres', url: POSTGRES_URL }, { schema, poolSize: options.poolSize });
  await migrateToLatest(store);
  return {
    ...store,
    openAnother: () => openStore({ dialect: 'postgres', url: POSTGRES_URL }, { schema, poolSize: 4 }),
    drop: async () => {
      await store.close();
      await withPgClient((c) => c.query(`drop schema ${schema} cascade`));
    },
  };
}

async function withPgClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
