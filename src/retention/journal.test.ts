import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, MINUTE } from '../lib/clock.ts';
import { type ProcessIdentity, thisProcess } from '../lib/process-identity.ts';
import { RetentionJournal } from './journal.ts';

const SECRET = 'journal-test-secret-0123456789abcdef0123456789';

for (const dialect of DIALECTS) {
  describe(`the retention journal on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    const clock = new FakeClock('2026-11-26T12:00:00.000Z');
    let journal: RetentionJournal;
    before(async () => {
      store = await createTestStore(dialect);
      journal = new RetentionJournal({ db: store.db, secret: SECRET, clock });
    });
    after(async () => {
      await store?.drop();
    });

    const owner = (value: string, heartbeat = clock.now().toISOString()) =>
      store.db.updateTable('retention_journal').set({ owner: value, heartbeat_at: heartbeat }).execute();

    it('refuses a second run while the first one’s process lives, and takes over a dead one’s run', async () => {
      const run = await journal.begin({
        at: new Date('2026-11-26T12:00:00.000Z'),
        actor: 'cli',
        options: { sweep: true, rules: 'all' },
        plan: { people: 3 },
      });
      await assert.rejects(() => journal.unfinished(), /a retention run is in progress/, 'this very process');
      // A process on this host that is gone (no such pid).
      await owner(`${hostname()}:2147483646`);
      const taken = await journal.unfinished<{ people: number }>();
      assert.equal(taken?.id, run.id);
      assert.equal(taken?.resumed, true);
      assert.deepEqual(taken?.plan, { people: 3 });
      assert.equal(taken?.at.toISOString(), '2026-11-26T12:00:00.000Z', 'with its own moment');
      // On another host: alive while it beats, taken over after ten quiet minutes.
      await owner('elders:123');
      await assert.rejects(() => journal.unfinished(), /in progress/);
      await owner('elders:123', new Date(clock.now().getTime() - 11 * MINUTE).toISOString());
      assert.equal((await journal.unfinished())?.id, run.id);
      await journal.release(run.id);
    });

    it('keeps a batch’s people encrypted until the hub records it, and only its counts after', async () => {
      const run = (await journal.unfinished())!;
      const erased = {
        shop: { system: 'shop', status: 'erased' as const, collections: [], queries: 0 },
      };
      await journal.intent(run.id, 0, ['a@example.com', 'b@example.com'], erased);
      const raw = await store.db.selectFrom('retention_journal_batches').selectAll().executeTakeFirstOrThrow();
      assert.doesNotMatch(raw.people ?? '', /example\.com/, 'no address in clear');
      assert.deepEqual(await journal.pending(run.id), [
        { seq: 0, emails: ['a@example.com', 'b@example.com'], systems: erased },
      ]);
      await store.db.transaction().execute((trx) => journal.done(trx, { id: run.id, count: 2 }, 0, erased));
      assert.deepEqual(await journal.pending(run.id), []);
      assert.deepEqual(await journal.recorded(run.id), [{ count: 2, systems: erased }]);
      assert.equal(
        (await store.db.selectFrom('retention_journal_batches').select('people').executeTakeFirstOrThrow()).people,
        null,
      );
      assert.equal(await journal.nextSeq(run.id), 1);
      await store.db.transaction().execute((trx) => journal.finish(trx, run.id));
      assert.equal(await journal.unfinished(), undefined);
      assert.deepEqual(await store.db.selectFrom('retention_journal_batches').selectAll().execute(), []);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`one retention run at a time, judged by host, pid and pid namespace, on ${dialect}`, {
    skip: skipFor(dialect),
  }, () => {
    let store: TestStore;
    const clock = new FakeClock('2026-11-26T12:00:00.000Z');
    const me = thisProcess();
    const journalOf = (who: ProcessIdentity = me) =>
      new RetentionJournal({ db: store.db, secret: SECRET, clock, me: who });
    const begin = (journal: RetentionJournal) =>
      journal.begin({ at: clock.now(), actor: 'cli', options: { sweep: true, rules: 'all' }, plan: {} });
    const hold = (owner: string, pidNs: string | null, heartbeat = clock.now().toISOString()) =>
      store.db
        .updateTable('retention_journal')
        .set({ owner, owner_pid_ns: pidNs, heartbeat_at: heartbeat })
        .where('status', '=', 'running')
        .execute();
    const quiet = () => new Date(clock.now().getTime() - 11 * MINUTE).toISOString();
    before(async () => {
      store = await createTestStore(dialect);
    });
    after(async () => {
      await store?.drop();
    });

    it('refuses a second run in the database itself, even when both processes found none running', async () => {
      const first = await begin(journalOf());
      // The second process checked before the first began (both saw no run): its begin is refused.
      const other = journalOf({ host: 'elders', pid: 7, pidNs: 'pid:[4026530002]' });
      await assert.rejects(() => begin(other), /a retention run is in progress/);
      const running = await store.db
        .selectFrom('retention_journal')
        .select('id')
        .where('status', '=', 'running')
        .execute();
      assert.deepEqual(
        running.map((r) => r.id),
        [first.id],
      );
      await store.db.transaction().execute((trx) => journalOf().finish(trx, first.id));
      const next = await begin(other);
      assert.ok(next.id, 'once the first is recorded, a new run begins');
      await store.db.transaction().execute((trx) => other.finish(trx, next.id));
    });

    it('never declares a run dead for a pid that is missing here when it was taken in another pid namespace', async () => {
      const run = await begin(journalOf());
      // Same hostname, another container (its own pid namespace): its pid 2147483646 means nothing here.
      await hold(`${me.host}:2147483646`, 'pid:[4026530001]');
      await assert.rejects(() => journalOf().unfinished(), /in progress/, 'alive while it beats');
      // A holder whose namespace was not recorded (a row from before, or /proc unreadable) likewise.
      await hold(`${me.host}:2147483646`, null);
      await assert.rejects(() => journalOf().unfinished(), /in progress/);
      // Both are taken over once their heartbeat has been quiet for ten minutes.
      await hold(`${me.host}:2147483646`, 'pid:[4026530001]', quiet());
      assert.equal((await journalOf().unfinished())?.id, run.id);
      // In this very namespace a missing pid is certain: taken over at once.
      await hold(`${me.host}:2147483646`, me.pidNs);
      assert.equal((await journalOf().unfinished())?.id, run.id);
      const row = await store.db.selectFrom('retention_journal').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.owner, `${me.host}:${me.pid}`);
      assert.equal(row.owner_pid_ns, me.pidNs, 'the new owner is recorded with its namespace');
      await store.db.transaction().execute((trx) => journalOf().finish(trx, run.id));
    });

    it('lets only one of two processes take over a dead run, and fences the one that lost it', async () => {
      const stalled = journalOf({ host: 'elders', pid: 9, pidNs: 'pid:[4026530003]' });
      const run = await begin(stalled);
      await hold('elders:9', 'pid:[4026530003]', quiet());
      const a = journalOf({ host: 'a', pid: 1, pidNs: 'pid:[4026530004]' });
      const b = journalOf({ host: 'b', pid: 1, pidNs: 'pid:[4026530005]' });
      const results = await Promise.allSettled([a.unfinished(), b.unfinished()]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], 'exactly one takes it');
      const winner = results[0]!.status === 'fulfilled' ? a : b;
      // The stalled process wakes up: its batch is not recorded, and it cannot free the run.
      const systems = {};
      await assert.rejects(
        () => store.db.transaction().execute((trx) => stalled.done(trx, { id: run.id, count: 1 }, 0, systems)),
        /taken over/,
      );
      await stalled.release(run.id);
      assert.notEqual(
        (await store.db.selectFrom('retention_journal').select('owner').executeTakeFirstOrThrow()).owner,
        '',
      );
      await store.db.transaction().execute((trx) => winner.done(trx, { id: run.id, count: 1 }, 0, systems));
      assert.deepEqual(await winner.recorded(run.id), [{ count: 1, systems }]);
      // Nor can it overwrite the new owner's steps, or delete the journal under it.
      const winnersRun = { ...run, steps: { 'r/x': [{ what: 'mine', records: 1 }] } };
      await winner.step(winnersRun, 'r/x', [{ what: 'mine', records: 1 }]);
      await assert.rejects(
        () => stalled.step({ ...run, steps: {} }, 'r/x', [{ what: 'stale', records: 9 }]),
        /taken over/,
      );
      const journalRow = () => store.db.selectFrom('retention_journal').selectAll().executeTakeFirst();
      assert.deepEqual(JSON.parse((await journalRow())!.steps), winnersRun.steps, 'the steps are the owner’s');
      await assert.rejects(() => store.db.transaction().execute((trx) => stalled.finish(trx, run.id)), /taken over/);
      assert.equal((await journalRow())?.status, 'running', 'the journal stays with its owner');
      assert.deepEqual(await winner.recorded(run.id), [{ count: 1, systems }], 'and its batches');
      await store.db.transaction().execute((trx) => winner.finish(trx, run.id));
      assert.equal(await journalRow(), undefined);
    });
  });
}
