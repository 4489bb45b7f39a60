import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, MINUTE } from '../lib/clock.ts';
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
