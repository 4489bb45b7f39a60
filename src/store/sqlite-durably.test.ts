import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { SealedArchive } from '../retention/sealed-archive.ts';
import { migrateToLatest, openStore } from './database.ts';

const FULL = 2;
const NORMAL = 1;

/** A promise and its resolve, made before the code that waits on it runs (durably may start it later). */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

describe('a SQLite hub, durably', () => {
  it('syncs every commit while a seal runs, also when two overlap, and returns to its normal setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-durably-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    try {
      const level = async () =>
        Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous);
      assert.equal(await level(), NORMAL);
      const release = gate();
      const first = store.durably(async () => {
        assert.equal(await level(), FULL);
        await release.wait;
        assert.equal(await level(), FULL, 'still synced after the other caller finished');
      });
      await store.durably(async () => assert.equal(await level(), FULL));
      release.open();
      await first;
      assert.equal(await level(), NORMAL);

      // A seal that began before a sweep and ends while it still runs leaves the sweep's commits synced.
      const endSeal = gate();
      const seal = store.durably(() => endSeal.wait);
      const endSweep = gate();
      const sweep = store.sweep(async () => {
        await endSweep.wait;
        assert.equal(await level(), FULL, 'the sweep is still synced after the seal beside it ended');
      });
      endSeal.open();
      await seal;
      endSweep.open();
      await sweep;
      assert.equal(await level(), NORMAL);

      // The archive seals through it: a key and its records under one synced commit.
      await migrateToLatest(store);
      const seen: number[] = [];
      const archive = new SealedArchive(store.db, 'x'.repeat(40), { now: () => new Date() }, (fn) =>
        store.durably(async () => {
          seen.push(await level());
          return fn();
        }),
      );
      await archive.seal(archive.subjectRef('a@example.nl'), [
        {
          system: 'shop',
          collection: 'invoices',
          recordKey: '1',
          hold: 'fiscal',
          holdUntil: '2033-12-31T23:00:00.000Z',
          data: { n: 1 },
        },
      ]);
      assert.deepEqual(seen, [FULL]);
      assert.equal(await level(), NORMAL);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('switches between transactions: a seal while another request holds a transaction open waits for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-durably-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    try {
      await migrateToLatest(store);
      const level = async () =>
        Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous);
      // Another request's transaction, open across an await (as a handler's is).
      const commit = gate();
      const began = gate();
      const other = store.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        began.open();
        await commit.wait;
      });
      await began.wait;
      const seal = store.durably(async () => level());
      // SQLite refuses to change the safety level inside a transaction; the seal waits for it to end.
      commit.open();
      await other;
      assert.equal(await seal, FULL);
      assert.equal(await level(), NORMAL);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
