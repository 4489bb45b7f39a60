import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Value } from '../connectors/connector.ts';
import { SealedArchive } from '../retention/sealed-archive.ts';
import { migrateToLatest, openStore, type Store } from './database.ts';

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

/** The hub connection's `synchronous` level, as a request's statement would see it. */
async function levelOf(store: Store): Promise<number> {
  return Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous);
}

/** An invoice under the fiscal hold, to seal. */
const invoice = (recordKey: string, data: Record<string, Value>) => ({
  system: 'shop',
  collection: 'invoices',
  recordKey,
  hold: 'fiscal',
  holdUntil: '2033-12-31T23:00:00.000Z',
  data,
});

describe('a SQLite hub, durably', () => {
  it('syncs every commit while a seal runs, also when two overlap, and returns to its normal setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-durably-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    try {
      const level = () => levelOf(store);
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
      await archive.seal(archive.subjectRef('a@example.nl'), [invoice('1', { n: 1 })]);
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
      const level = () => levelOf(store);
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

  it('seals straight on the connection as the Kysely path does: one synced transaction, a stored key kept, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-durably-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    try {
      await migrateToLatest(store);
      const clock = { now: () => new Date('2026-12-06T12:00:00Z') };
      const level = () => levelOf(store);
      const seen: number[] = [];
      const synced = store.syncedTransaction!;
      const direct: typeof synced = (fn) =>
        synced((connection) => {
          seen.push(connection.pragma('synchronous', { simple: true }) as number);
          assert.equal(connection.inTransaction, true);
          return fn(connection);
        });
      const secret = 'x'.repeat(40);
      const straight = new SealedArchive(store.db, secret, clock, (fn) => store.durably(fn), direct);
      const throughKysely = new SealedArchive(store.db, secret, clock, (fn) => store.durably(fn));
      const record = (recordKey: string, n: number) => invoice(recordKey, { n });
      const ref = straight.subjectRef('a@example.nl');
      // Sealed first through Kysely: the straight seal must find the stored key and add to it.
      assert.equal(await throughKysely.seal(ref, [record('1', 1)]), 1);
      assert.equal(await straight.seal(ref, [record('1', 9), record('2', 2)]), 1, 'a sealed record is left as it is');
      const other = straight.subjectRef('b@example.nl');
      assert.equal(await straight.sealMany([{ subjectRef: other, records: [record('3', 3)] }]), 1);
      assert.deepEqual(seen, [FULL, FULL]);
      assert.equal(await level(), NORMAL);
      // Both people's records open under their one key each, whichever path sealed them.
      const opened = (await throughKysely.open(ref)).map((r) => [r.recordKey, r.data.n]);
      assert.deepEqual(opened.sort(), [
        ['1', 1],
        ['2', 2],
      ]);
      assert.deepEqual(
        (await straight.open(other)).map((r) => r.data.n),
        [3],
      );
      const keys = await sql<{ n: number }>`select count(*) as n from archive_keys`.execute(store.db);
      assert.equal(Number(keys.rows[0]?.n), 2);

      // A throw inside rolls the whole seal back (no key without its records) and the setting is restored.
      const failing = new SealedArchive(store.db, secret, clock, undefined, (fn) =>
        synced((connection) => {
          fn(connection);
          throw new Error('disk full');
        }),
      );
      await assert.rejects(failing.seal(failing.subjectRef('c@example.nl'), [record('4', 4)]), /disk full/);
      const after = await sql<{ n: number }>`select count(*) as n from archive_keys`.execute(store.db);
      assert.equal(Number(after.rows[0]?.n), 2);
      assert.equal(await level(), NORMAL);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seals straight on the connection only between transactions, and keeps a sweep synced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-durably-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    try {
      await migrateToLatest(store);
      const level = () => levelOf(store);
      const clock = { now: () => new Date('2026-12-06T12:00:00Z') };
      const archive = new SealedArchive(store.db, 'x'.repeat(40), clock, undefined, store.syncedTransaction);
      const record = (recordKey: string) => invoice(recordKey, { recordKey });
      // Another request's transaction, open across an await: the seal waits for its commit (SQLite would
      // refuse the switch of synchronous inside it, and the seal must not join it).
      const order: string[] = [];
      const commit = gate();
      const began = gate();
      const other = store.db.transaction().execute(async (trx) => {
        await sql`insert into retention_reminders (subject_ref, sent_at) values ('r', 'now')`.execute(trx);
        began.open();
        await commit.wait;
        order.push('other committed');
      });
      await began.wait;
      const seal = archive.seal(archive.subjectRef('a@example.nl'), [record('1')]).then((n) => {
        order.push('sealed');
        return n;
      });
      await new Promise((r) => setImmediate(r));
      commit.open();
      await other;
      assert.equal(await seal, 1);
      assert.deepEqual(order, ['other committed', 'sealed']);
      assert.equal(await level(), NORMAL);

      // Inside a sweep, a seal leaves the sweep's commits synced: it does not switch back to NORMAL.
      await store.sweep(async () => {
        assert.equal(await level(), FULL);
        await archive.seal(archive.subjectRef('b@example.nl'), [record('2')]);
        assert.equal(await level(), FULL, 'still synced after a seal inside the sweep');
      });
      assert.equal(await level(), NORMAL);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
