import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { JobRepository } from '../jobs/job.repository.ts';
import { createWorker } from '../jobs/worker.ts';
import { FakeClock, MINUTE } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { mailJob } from './mail.job.ts';
import { createMailer } from './mailer.ts';
import { MAIL_JOB, MailOutbox, type OutgoingMail } from './outbox.ts';

const ctx = { shopName: 'Balkonzon', privacyEmail: 'privacy@balkonzon.nl', baseUrl: 'https://privacy.balkonzon.nl' };
const SANNE = 'sanne.deboer@example.nl';
const LINK = 'https://privacy.balkonzon.nl/r/verify/c2VjcmV0LXRva2VuLWZvci1zYW5uZQ';

const verifyMail = (to: string, extra: Partial<OutgoingMail<'verify'>> = {}): OutgoingMail<'verify'> => ({
  to,
  template: 'verify',
  lang: 'nl',
  data: { type: 'access', link: LINK, expiresAt: '2026-11-03T09:00:00.000Z' },
  ...extra,
});

for (const dialect of DIALECTS) {
  describe(`mail outbox on ${dialect}`, { skip: skipFor(dialect) }, () => {
    const stores: TestStore[] = [];
    after(async () => {
      for (const s of stores) await s.drop();
    });

    async function setup(secret = 'outbox-test-secret') {
      const store = await createTestStore(dialect);
      stores.push(store);
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const outbox = new MailOutbox({
        db: store.db,
        jobs,
        dialect: store.dialect,
        secret,
        clock,
        from: 'Balkonzon <privacy@balkonzon.nl>',
        ctx,
      });
      const worker = createWorker({
        jobs,
        definitions: [mailJob({ outbox, mailer: createMailer() })],
        clock,
        logger: silentLogger(),
      });
      const raw = async () => JSON.stringify(await store.db.selectFrom('mail_outbox').selectAll().execute());
      return { store, clock, jobs, outbox, worker, raw };
    }

    it('stores the message encrypted and queues one mail.send job with only its id', async () => {
      const { store, outbox, raw } = await setup();
      const id = await outbox.enqueue(verifyMail(SANNE, { requestId: 'req-1' }));
      assert.ok(id);
      const stored = await raw();
      for (const secret of [SANNE, 'sanne', LINK, 'c2VjcmV0LXRva2VuLWZvci1zYW5uZQ', 'Bevestig']) {
        assert.ok(!stored.includes(secret), `${secret} is not stored in the clear`);
      }
      const jobs = await store.db.selectFrom('jobs').selectAll().execute();
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]?.name, MAIL_JOB);
      assert.deepEqual(JSON.parse(jobs[0]!.payload), { id });
      assert.equal(jobs[0]?.dedupe_key, `mail:${id}`);
      assert.equal(jobs[0]?.max_attempts, 8);
    });

    it('stores and sends a message only once for the same dedupe key', async () => {
      const { store, outbox, worker } = await setup();
      const first = await outbox.enqueue(verifyMail(SANNE, { dedupeKey: 'verify:req-1' }));
      const second = await outbox.enqueue(verifyMail(SANNE, { dedupeKey: 'verify:req-1' }));
      assert.ok(first);
      assert.equal(second, undefined);
      assert.equal((await store.db.selectFrom('mail_outbox').selectAll().execute()).length, 1);
      assert.equal((await store.db.selectFrom('jobs').selectAll().execute()).length, 1);
      assert.equal(await worker.tick(), 1);
      assert.equal((await outbox.messages()).length, 1);
    });

    it('commits a message with the transaction it was stored in, and drops it with a rollback', async () => {
      const { store, outbox } = await setup();
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await outbox.enqueue(verifyMail(SANNE, { requestId: 'rolled-back' }), trx);
          throw new Error('the request change failed');
        }),
        /request change failed/,
      );
      assert.equal((await store.db.selectFrom('mail_outbox').selectAll().execute()).length, 0);
      assert.equal((await store.db.selectFrom('jobs').selectAll().execute()).length, 0);
      const id = await store.db.transaction().execute((trx) => outbox.enqueue(verifyMail(SANNE), trx));
      assert.ok(id);
      assert.equal((await store.db.selectFrom('jobs').selectAll().execute()).length, 1);
    });

    it('keeps a message in dev mode after "sending" it, readable in the mailbox, newest first', async () => {
      const { outbox, worker, clock } = await setup();
      const a = await outbox.enqueue(verifyMail(SANNE, { requestId: 'req-1' }));
      const b = await outbox.enqueue({ to: SANNE, template: 'no-data', lang: 'en', data: { type: 'access' } });
      clock.advance(MINUTE);
      assert.equal(await worker.tick(), 2);
      const messages = await outbox.messages();
      assert.deepEqual(
        messages.map((m) => m.id),
        [b, a],
      );
      const verify = messages[1]!;
      assert.equal(verify.to, SANNE);
      assert.equal(verify.status, 'sent');
      assert.equal(verify.sentAt, clock.now().toISOString());
      assert.equal(verify.requestId, 'req-1');
      assert.equal(verify.template, 'verify');
      assert.deepEqual(verify.links, [LINK]);
      assert.match(verify.html, /Verzoek bevestigen/);
      assert.equal(messages[0]?.subject, 'We do not process any data about you');
    });

    it('writes the same verification mail to a known and an unknown address', async () => {
      const { outbox } = await setup();
      await outbox.enqueue(verifyMail(SANNE));
      await outbox.enqueue(verifyMail('nobody-we-know@example.org'));
      const [x, y] = await outbox.messages();
      assert.ok(x && y);
      assert.notEqual(x.to, y.to);
      assert.equal(x.subject, y.subject);
      assert.equal(x.text, y.text);
      assert.equal(x.html, y.html);
    });

    it('purges the sent and failed messages of a request and leaves a queued one to be sent', async () => {
      const { outbox, worker } = await setup();
      await outbox.enqueue(verifyMail(SANNE, { requestId: 'req-9' }));
      await worker.tick();
      const queued = await outbox.enqueue({
        to: SANNE,
        template: 'erased',
        lang: 'nl',
        requestId: 'req-9',
        data: { erased: [], retained: [], pendingProcessors: [] },
      });
      await outbox.enqueue(verifyMail(SANNE, { requestId: 'other' }));
      assert.equal(await outbox.purgeRequest('req-9'), 1);
      const left = await outbox.messages();
      assert.deepEqual(left.map((m) => m.requestId).sort(), ['other', 'req-9']);
      assert.equal(left.find((m) => m.requestId === 'req-9')?.id, queued);
    });

    it('fails a message for good, without retrying, when its envelope cannot be decrypted', async () => {
      const { store, jobs, outbox, clock } = await setup('first-secret');
      const id = (await outbox.enqueue(verifyMail(SANNE)))!;
      const other = new MailOutbox({
        db: store.db,
        jobs,
        dialect: store.dialect,
        secret: 'another-secret',
        clock,
        from: 'x@example.nl',
        ctx,
      });
      const worker = createWorker({
        jobs,
        definitions: [mailJob({ outbox: other, mailer: createMailer() })],
        clock,
        logger: silentLogger(),
      });
      assert.equal(await worker.tick(), 1);
      const row = await store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'failed');
      assert.match(row.last_error ?? '', /MAIL_UNREADABLE/);
      assert.equal((await jobs.counts()).queued, 0);
    });
  });
}
