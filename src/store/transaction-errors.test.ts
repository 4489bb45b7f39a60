import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { createTestStore, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { openSqlDatabase } from '../connectors/sql/sql-database.ts';
import { migrateToLatest, openStore, type Store } from './database.ts';

/** Caps the database at a few pages more than it has: the next large write finds the "disk" full. */
async function fillUp(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
  await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + 2}`).execute(db);
}

const bigJob = (i: number) => ({
  id: `job-${i}`,
  name: 'filler',
  payload: 'x'.repeat(3000),
  status: 'queued' as const,
  attempts: 0,
  max_attempts: 1,
  run_at: '2026-11-01T09:00:00.000Z',
  created_at: '2026-11-01T09:00:00.000Z',
  updated_at: '2026-11-01T09:00:00.000Z',
});

const errorOf = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  assert.fail('expected an error');
};

describe('a transaction that fails on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-txn-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a full disk as SQLITE_FULL, not as the rollback SQLite made needless', async () => {
    const store: Store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    after(() => store.close());
    await migrateToLatest(store);
    await fillUp(store.db);
    const err = await errorOf(() =>
      store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 50; i++) await trx.insertInto('jobs').values(bigJob(i)).execute();
      }),
    );
    assert.equal(err.code, 'SQLITE_FULL', err.message);
    assert.match(err.message, /database or disk is full/);
    assert.doesNotMatch(err.message, /cannot rollback/);
    // Nothing of the failed transaction stayed, and the store goes on answering.
    const jobs = await store.db.selectFrom('jobs').select('id').execute();
    assert.deepEqual(jobs, []);
  });

  it("reports it the same in a shop's SQLite database, through the engine's own transactions", async () => {
    new SqliteDatabase(join(dir, 'shop.db')).close();
    const shop = openSqlDatabase(join(dir, 'shop.db'));
    after(() => shop.close());
    await shop.run('create table notes (id integer primary key, body text)', []);
    await fillUp(shop.db);
    const err = await errorOf(() =>
      shop.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) await tx.run('insert into notes (body) values (?)', ['x'.repeat(3000)]);
      }),
    );
    assert.equal(err.code, 'SQLITE_FULL', err.message);
    assert.deepEqual(await shop.run('select count(*) as n from notes', []), [{ n: 0 }]);
  });
});

describe('a transaction that fails on postgres', { skip: skipFor('postgres') }, () => {
  let store: TestStore;
  after(() => store?.drop());

  it('reports why its connection ended, not that the rollback could not be sent over it', async () => {
    store = await createTestStore('postgres');
    const err = await errorOf(() =>
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('jobs').values(bigJob(1)).execute();
        await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
      }),
    );
    // A rollback over the dead connection would fail with "Client has encountered a connection error
    // and is not queryable"; and the connection's end used to crash the process (an unhandled 'error').
    assert.equal(err.code, '57P01', err.message);
    assert.match(err.message, /terminating connection due to administrator command/);
    assert.deepEqual(await store.db.selectFrom('jobs').select('id').execute(), [], 'and the store answers on');
  });
});
