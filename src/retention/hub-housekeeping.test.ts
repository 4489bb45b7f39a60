import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { hubHousekeeping } from './hub-housekeeping.ts';
import { HubRetentionRepository } from './hub-retention.repository.ts';

const NOW = '2026-11-01T12:00:00.000Z';
const daysAgo = (n: number, ms = 0) => new Date(Date.parse(NOW) - n * 24 * 3600 * 1000 - ms).toISOString();

for (const dialect of DIALECTS) {
  describe(`the hub's own working data, each with its short term, on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    const clock = new FakeClock(NOW);
    const destroyed: string[] = [];
    const run = (dryRun = false) =>
      hubHousekeeping(
        {
          hub: new HubRetentionRepository(store.db),
          clock,
          destroyExport: async (id) => {
            destroyed.push(id);
          },
        },
        clock.now(),
        dryRun,
      );
    before(async () => {
      store = await createTestStore(dialect);
    });
    after(async () => {
      await store?.drop();
    });

    it('deletes links 30 days after they ran out, finished jobs after 30 (failed after 90), and empties old mail', async () => {
      const db = store.db;
      const token = (hash: string, expires: string) => ({
        hash,
        request_id: 'r1',
        purpose: 'verify',
        expires_at: expires,
        uses: 0,
        max_uses: 1,
        created_at: expires,
      });
      await db
        .insertInto('request_tokens')
        .values([token('verlopen-lang', daysAgo(30, 1)), token('verlopen-kort', daysAgo(29))])
        .execute();
      const job = (status: 'done' | 'failed' | 'queued', updated: string) => ({
        id: newId(),
        name: 'mail.send',
        payload: '{}',
        status,
        attempts: 1,
        max_attempts: 3,
        run_at: updated,
        locked_by: null,
        locked_until: null,
        last_error: null,
        dedupe_key: null,
        created_at: updated,
        updated_at: updated,
      });
      const jobs = [
        job('done', daysAgo(31)),
        job('done', daysAgo(29)),
        job('failed', daysAgo(31)),
        job('failed', daysAgo(91)),
        job('queued', daysAgo(200)),
      ];
      await db.insertInto('jobs').values(jobs).execute();
      const mail = (status: 'sent' | 'queued', at: string) => ({
        id: newId(),
        request_id: null,
        template: 'verify',
        dedupe_key: null,
        envelope: 'sealed',
        status,
        attempts: 1,
        created_at: at,
        sent_at: status === 'sent' ? at : null,
        last_error: null,
      });
      const mails = [mail('sent', daysAgo(31)), mail('sent', daysAgo(29)), mail('queued', daysAgo(40))];
      await db.insertInto('mail_outbox').values(mails).execute();
      await db
        .insertInto('request_exports')
        .values({
          id: 'x-export',
          request_id: 'r-export',
          part: 1,
          source: null,
          file_name: 'inzage.zip',
          ciphertext: 'sealed',
          created_at: daysAgo(15),
          expires_at: daysAgo(1),
          downloads: 0,
          max_downloads: 5,
          destroyed_at: null,
        })
        .execute();

      const counted = Object.fromEntries((await run(true)).map((c) => [c.executor, c.records]));
      assert.deepEqual(counted, { exports: 1, links: 1, jobs: 2, mailBodies: 1 });
      assert.deepEqual(destroyed, [], 'a dry run removes nothing');

      await run();
      assert.deepEqual(
        (await db.selectFrom('request_tokens').select('hash').execute()).map((r) => r.hash),
        ['verlopen-kort'],
      );
      const leftJobs = new Set((await db.selectFrom('jobs').select('id').execute()).map((r) => r.id));
      assert.deepEqual(
        jobs.map((j) => leftJobs.has(j.id)),
        [false, true, true, false, true],
        'done 31 days ago and failed 91 days ago go; the rest stay, a queued job always',
      );
      const envelopes = await db.selectFrom('mail_outbox').select(['id', 'envelope']).execute();
      const envelope = new Map(envelopes.map((m) => [m.id, m.envelope]));
      assert.deepEqual(
        mails.map((m) => envelope.get(m.id)),
        ['', 'sealed', 'sealed'],
        'the body of a message sent 31 days ago is gone; a queued one is never touched',
      );
      assert.deepEqual(destroyed, ['x-export']);
      assert.deepEqual(
        (await run(true)).filter((c) => c.executor !== 'exports').map((c) => c.records),
        [0, 0, 0],
        'nothing left to remove',
      );
    });
  });
}
