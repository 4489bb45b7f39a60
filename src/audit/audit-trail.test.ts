import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, SECOND } from '../lib/clock.ts';
import { AuditTrail, forgetAuditSubjects } from './audit-trail.ts';

for (const dialect of DIALECTS) {
  describe(`audit trail on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    let clock: FakeClock;
    let trail: AuditTrail;
    before(async () => {
      store = await createTestStore(dialect);
    });
    after(async () => {
      await store?.drop();
    });
    beforeEach(async () => {
      await store.db.deleteFrom('audit_log').execute();
      await store.db
        .updateTable('audit_head')
        .set({ seq: 0, hash: '0'.repeat(64) })
        .execute();
      clock = new FakeClock();
      trail = new AuditTrail({ db: store.db, clock, dialect });
    });

    const recordFive = async () => {
      for (let i = 1; i <= 5; i++) {
        await trail.record({
          actor: 'user:u1',
          action: 'request.approve',
          target: `request:r${i}`,
          subjectRef: `ref${i}`,
          details: { count: i, reason: 'tax audit' },
        });
        clock.advance(SECOND);
      }
    };

    it('chains entries in order and verifies an untouched chain', async () => {
      await recordFive();
      assert.deepEqual(await trail.verify(), { ok: true, entries: 5 });
      const newest = await trail.list({ limit: 2 });
      assert.deepEqual(
        newest.map((e) => e.seq),
        [5, 4],
      );
      assert.equal(newest[0]!.prevHash, newest[1]!.hash);
      assert.deepEqual(newest[0]!.details, { count: 5, reason: 'tax audit' });
      assert.equal((await trail.list({ subjectRef: 'ref3' }))[0]!.target, 'request:r3');
    });

    it('names a changed entry as the first broken one', async () => {
      await recordFive();
      await sql`update audit_log set details = ${'{"count":99,"reason":"tax audit"}'} where seq = 3`.execute(store.db);
      const result = await trail.verify();
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.firstBroken.seq, 3);
      assert.match(!result.ok ? result.firstBroken.reason : '', /changed/);
    });

    it('names the entry after a changed one whose hash was recomputed, because the link breaks', async () => {
      await recordFive();
      await sql`update audit_log set actor = 'system', hash = ${'f'.repeat(64)} where seq = 2`.execute(store.db);
      const result = await trail.verify();
      assert.equal(!result.ok && result.firstBroken.seq, 2);
      // Even with a correct-looking hash for entry 2, entry 3 no longer links to it.
      const [row2] = await store.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).execute();
      const { entryHash } = await import('./audit-trail.ts');
      await sql`update audit_log set hash = ${entryHash(row2!.prev_hash, row2!)} where seq = 2`.execute(store.db);
      const again = await trail.verify();
      assert.equal(!again.ok && again.firstBroken.seq, 3);
      assert.match(!again.ok ? again.firstBroken.reason : '', /does not link/);
    });

    it('names a removed entry in the middle, and a removed last entry', async () => {
      await recordFive();
      await sql`delete from audit_log where seq = 2`.execute(store.db);
      const middle = await trail.verify();
      assert.equal(!middle.ok && middle.firstBroken.seq, 2);
      assert.match(!middle.ok ? middle.firstBroken.reason : '', /missing/);

      await sql`delete from audit_log`.execute(store.db);
      await store.db
        .updateTable('audit_head')
        .set({ seq: 0, hash: '0'.repeat(64) })
        .execute();
      await recordFive();
      await sql`delete from audit_log where seq = 5`.execute(store.db);
      const tail = await trail.verify();
      assert.equal(!tail.ok && tail.firstBroken.seq, 5);
      assert.equal(tail.entries, 4);
    });

    it('names a reordered entry (two entries swapped their places)', async () => {
      await recordFive();
      await sql`update audit_log set seq = 100 where seq = 2`.execute(store.db);
      await sql`update audit_log set seq = 2 where seq = 3`.execute(store.db);
      await sql`update audit_log set seq = 3 where seq = 100`.execute(store.db);
      const result = await trail.verify();
      assert.equal(!result.ok && result.firstBroken.seq, 2);
    });

    it('names rows forged before the first entry (seq 0 and -5), and a row forged past the head', async () => {
      await recordFive();
      const [first] = await store.db.selectFrom('audit_log').selectAll().where('seq', '=', 1).execute();
      for (const seq of [0, -5]) {
        await store.db
          .insertInto('audit_log')
          .values({ ...first!, seq, actor: 'system', action: 'policy.publish' })
          .execute();
      }
      const result = await trail.verify();
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.firstBroken.seq, -5);
      assert.match(!result.ok ? result.firstBroken.reason : '', /entry -5 is not part of the chain/);

      await sql`delete from audit_log where seq <= 0`.execute(store.db);
      assert.deepEqual(await trail.verify(), { ok: true, entries: 5 });
      await store.db
        .insertInto('audit_log')
        .values({ ...first!, seq: 9, actor: 'system', action: 'policy.publish' })
        .execute();
      const past = await trail.verify();
      assert.equal(!past.ok && past.firstBroken.seq, 9);
      assert.match(!past.ok ? past.firstBroken.reason : '', /past the chain's head/);
    });

    it('verifies as intact every time while entries are appended at the same moment', async () => {
      await recordFive();
      for (let round = 0; round < 10; round++) {
        const [results] = await Promise.all([
          Promise.all(Array.from({ length: 5 }, () => trail.verify())),
          Promise.all(
            Array.from({ length: 5 }, (_, i) =>
              trail.record({ actor: 'system', action: 'retention.run', details: { round, i } }),
            ),
          ),
        ]);
        for (const r of results) assert.equal(r.ok, true, !r.ok ? r.firstBroken.reason : '');
      }
      assert.deepEqual(await trail.verify(), { ok: true, entries: 55 });
    });

    it("records inside the caller's transaction: kept with it, and gone when it rolls back", async () => {
      await store.db.transaction().execute(async (trx) => {
        await trail.record({ actor: 'system', action: 'archive.open', target: 'sealed:1' }, trx);
      });
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trail.record({ actor: 'system', action: 'archive.open', target: 'sealed:2' }, trx);
          throw new Error('the decision failed');
        }),
        /the decision failed/,
      );
      assert.deepEqual(
        (await trail.list()).map((e) => e.target),
        ['sealed:1'],
      );
      assert.deepEqual(await trail.verify(), { ok: true, entries: 1 });
    });

    it('refuses an e-mail address anywhere in an entry, and an actor of another shape', async () => {
      await assert.rejects(
        trail.record({ actor: 'user:u1', action: 'customer.lookup', details: { query: 'sanne@example.nl' } }),
        /e-mail/,
      );
      await assert.rejects(trail.record({ actor: 'sanne@example.nl', action: 'login' }), /actor/);
      assert.equal((await trail.list()).length, 0);
    });

    it('keeps one chain when 50 entries are written at once from two connection pools', async () => {
      // Two pools on one database, as two processes would have: a PostgreSQL schema, or a SQLite file
      // written from a second thread (better-sqlite3 waits for a lock synchronously, so a second pool in
      // the same thread would wait for itself).
      const shared = await createTestStore(dialect, { shared: true });
      const first = new AuditTrail({ db: shared.db, clock, dialect });
      const other = dialect === 'postgres' ? shared.openAnother() : undefined;
      try {
        const mine = (n: number) =>
          Array.from({ length: n }, (_, i) =>
            first.record({ actor: 'system', action: 'retention.run', details: { i } }),
          );
        if (other) {
          const second = new AuditTrail({ db: other.db, clock, dialect });
          await Promise.all([
            ...mine(25),
            ...Array.from({ length: 25 }, (_, i) =>
              second.record({ actor: 'system', action: 'retention.run', details: { i } }),
            ),
          ]);
        } else {
          const script = new URL('../../test/fixtures/workers/audit-writer.ts', import.meta.url).href;
          // A TypeScript entry for the thread: tsx registered in it first (Node 20 does not carry --import over).
          const thread = new Worker(
            `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`,
            { eval: true, workerData: { file: shared.file!, count: 25 } },
          );
          const done = once(thread, 'exit');
          for (const write of mine(25)) await write;
          const [code] = await done;
          assert.equal(code, 0);
        }
        assert.deepEqual(await first.verify(), { ok: true, entries: 50 });
        const seqs = (await first.list({ limit: 100 })).map((e) => e.seq).sort((a, b) => a - b);
        assert.deepEqual(
          seqs,
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
      } finally {
        await other?.close();
        await shared.drop();
      }
    });

    it('names a person by a random pseudonym that only its table maps back, and forgets that at erasure', async () => {
      const ref = 'a'.repeat(64);
      await trail.record({ actor: 'system', action: 'request.erased', subjectRef: ref });
      await trail.record({ actor: 'cli', action: 'customer.lookup', subjectRef: ref });
      const rows = await store.db.selectFrom('audit_log').select('subject_ref').execute();
      const stored = rows.map((r) => r.subject_ref).filter(Boolean);
      assert.equal(new Set(stored).size, 1, 'one pseudonym per person');
      assert.ok(!stored.includes(ref), 'never the keyed reference itself');
      assert.equal((await trail.list({ subjectRef: ref })).length, 2);
      await forgetAuditSubjects(store.db, [ref]);
      assert.deepEqual(await trail.list({ subjectRef: ref }), [], 'nothing maps the reference to the entries');
      assert.equal((await trail.verify()).ok, true, 'the chain is whole');
    });

    it('keeps one chain when many entries are written at once on one store', async () => {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          trail.record({ actor: 'system', action: 'retention.run', details: { i } }),
        ),
      );
      assert.deepEqual(await trail.verify(), { ok: true, entries: 30 });
    });
  });
}
