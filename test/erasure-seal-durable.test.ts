import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { SANNE } from '../src/demo/demo-shop.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { createTestStore, type TestStore } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';

/**
 * An erasure seals the held records (invoices, AWR art. 52) and then erases the originals in the shop: the
 * sealed copy must be on disk first, or a power cut between the two loses both. On a SQLite hub that means
 * the seal's commit is synced (`synchronous = FULL`, the store's `durably`), in the executor the server
 * builds, not only in an archive built by hand.
 */
describe('an erasure through the server’s executor, on a SQLite hub', () => {
  let shop: TestShop;
  let store: TestStore;
  let t: TestApp;
  after(async () => {
    await t?.close();
    await store?.drop();
    await shop?.drop();
  });

  it('seals the held records with the hub syncing that commit to disk', async () => {
    shop = await createTestShop('sqlite', 30);
    store = await createTestStore('sqlite');
    const levels: number[] = [];
    const durably = <T>(fn: () => Promise<T>): Promise<T> =>
      store.durably(async () => {
        const rows = (await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows;
        levels.push(Number(rows[0]?.synchronous));
        return fn();
      });
    // A SQLite hub seals straight on its connection (syncedTransaction), synced as durably's commits are.
    const synced = store.syncedTransaction!;
    const syncedTransaction: typeof synced = (fn) =>
      synced((connection) => {
        levels.push(Number(connection.pragma('synchronous', { simple: true })));
        return fn(connection);
      });
    t = await buildTestApp('sqlite', { dataMap: shop.dataMap, store: { ...store, durably, syncedTransaction } });
    await t.services.executor!.erase({ email: SANNE.email });
    const sealed = await sql<{ n: number }>`select count(*) as n from sealed_records`.execute(store.db);
    assert.ok(Number(sealed.rows[0]?.n) > 0, 'the person had held records, now sealed');
    assert.ok(levels.length >= 1, 'the seal ran through the store’s durably or its synced transaction');
    assert.deepEqual(new Set(levels), new Set([2]), 'synchronous = FULL while sealing');
  });
});
