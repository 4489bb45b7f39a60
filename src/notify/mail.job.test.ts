import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { decodeBody, startSmtpServer } from '../../test/helpers/smtp.ts';
import { JobRepository } from '../jobs/job.repository.ts';
import { createWorker } from '../jobs/worker.ts';
import { FakeClock, HOUR } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { mailJob } from './mail.job.ts';
import { createMailer, type Mailer } from './mailer.ts';
import { MailOutbox } from './outbox.ts';

const ctx = { shopName: 'Balkonzon', privacyEmail: 'privacy@balkonzon.nl', baseUrl: 'https://privacy.balkonzon.nl' };
const SANNE = 'sanne.deboer@example.nl';
const LINK = 'https://privacy.balkonzon.nl/r/verify/c2VjcmV0LXRva2VuLWZvci1zYW5uZSBvdmVyIHNtdHA';

for (const dialect of DIALECTS) {
  describe(`sending mail over SMTP on ${dialect}`, { skip: skipFor(dialect) }, () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    async function setup(mailer: Mailer) {
      const store: TestStore = await createTestStore(dialect);
      cleanups.push(
        () => store.drop(),
        () => mailer.close(),
      );
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const outbox = new MailOutbox({
        db: store.db,
        jobs,
        dialect: store.dialect,
        secret: 'smtp-test-secret',
        clock,
        from: 'Balkonzon <privacy@balkonzon.nl>',
        ctx,
      });
      const lines: string[] = [];
      const logger = createLogger({
        level: 'debug',
        destination: new Writable({
          write(chunk, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      });
      const worker = createWorker({ jobs, definitions: [mailJob({ outbox, mailer, logger })], clock, logger });
      /** Every column of every row of the outbox and the job queue, as one text. */
      const stored = async () =>
        JSON.stringify([
          await store.db.selectFrom('mail_outbox').selectAll().execute(),
          await store.db.selectFrom('jobs').selectAll().execute(),
        ]);
      return { store, clock, jobs, outbox, worker, stored, logs: () => lines.join('') };
    }

    const enqueueVerify = (outbox: MailOutbox) =>
      outbox.enqueue({
        to: SANNE,
        template: 'verify',
        lang: 'nl',
        requestId: 'req-1',
        data: { type: 'access', link: LINK, expiresAt: '2026-11-03T09:00:00.000Z' },
      });

    it('does not send a message twice when its worker died while handing it over (at most once)', async () => {
      const smtp = await startSmtpServer();
      cleanups.push(smtp.close);
      const { worker, outbox, store } = await setup(createMailer(`smtp://127.0.0.1:${smtp.port}`));
      const id = (await enqueueVerify(outbox))!;
      // What a worker killed right after the server accepted the message leaves: the hand-over marked.
      assert.equal(await outbox.markHandingOver(id), true);
      assert.equal(await outbox.markHandingOver(id), false, 'a second worker cannot start it too');
      assert.equal(await worker.tick(), 1);
      assert.equal(smtp.received.length, 0, 'not sent again');
      const row = await store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'sent');
      assert.match(row.last_error ?? '', /unconfirmed/);
      assert.equal(row.envelope, '', 'nothing of it stays behind');
      // The officer can find it (`inzage mail attention`).
      assert.deepEqual(
        (await outbox.needingAttention()).map((m) => [m.id, m.status, m.template]),
        [[id, 'unconfirmed', 'verify']],
      );
    });

    it('hands a message over again after the server refused it', async () => {
      const smtp = await startSmtpServer();
      cleanups.push(smtp.close);
      const { worker, outbox, clock } = await setup(createMailer(`smtp://127.0.0.1:${smtp.port}`));
      await enqueueVerify(outbox);
      smtp.state.refuse = true;
      assert.equal(await worker.tick(), 1);
      smtp.state.refuse = false;
      clock.advance(HOUR);
      assert.equal(await worker.tick(), 1);
      assert.equal(smtp.received.length, 1);
    });

    it('delivers a message over SMTP and then empties its envelope, never storing the address in the clear', async () => {
      const smtp = await startSmtpServer();
      cleanups.push(smtp.close);
      const { worker, outbox, store, stored, logs } = await setup(createMailer(`smtp://127.0.0.1:${smtp.port}`));
      const id = (await enqueueVerify(outbox))!;
      assert.ok(!(await stored()).includes(SANNE));

      assert.equal(await worker.tick(), 1);
      assert.equal(smtp.received.length, 1);
      const [mail] = smtp.received;
      assert.deepEqual(mail?.rcptTo, [SANNE]);
      const body = decodeBody(mail!.raw);
      assert.match(mail!.raw, /^From: Balkonzon <privacy@balkonzon\.nl>$/m);
      assert.match(mail!.raw, new RegExp(`^To: ${SANNE.replaceAll('.', '\\.')}$`, 'm'));
      assert.match(mail!.raw, /^Subject: Bevestig uw verzoek om inzage$/m);
      assert.match(mail!.raw, /^Auto-Submitted: auto-generated$/m);
      assert.match(mail!.raw, /Content-Type: multipart\/alternative/);
      assert.match(mail!.raw, /Content-Type: text\/plain; charset=utf-8/);
      assert.match(mail!.raw, /Content-Type: text\/html; charset=utf-8/);
      assert.ok(body.includes(LINK), 'the link is in the body');
      assert.ok(body.includes('48 uur geldig'), 'the text is in the body');

      const row = await store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'sent');
      assert.equal(row.envelope, '');
      assert.equal(row.attempts, 1);
      assert.equal(row.template, 'verify');
      const after = await stored();
      assert.ok(!after.includes(SANNE) && !after.includes(LINK));
      assert.ok(!logs().includes(SANNE) && !logs().includes('Bevestig'), 'the log holds no address and no subject');
      assert.match(logs(), /mail sent/);

      assert.equal(await worker.tick(), 0);
      assert.equal(smtp.received.length, 1);
    });

    it('retries with backoff while the server refuses, and delivers once when it accepts again', async () => {
      const smtp = await startSmtpServer();
      cleanups.push(smtp.close);
      smtp.state.refuse = true;
      const { worker, outbox, jobs, store, clock, stored, logs } = await setup(
        createMailer(`smtp://127.0.0.1:${smtp.port}`),
      );
      const id = (await enqueueVerify(outbox))!;

      assert.equal(await worker.tick(), 1);
      assert.equal(smtp.received.length, 0);
      const job = (await store.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow())!;
      assert.equal(job.status, 'queued');
      assert.equal(job.attempts, 1);
      assert.ok(job.run_at > clock.now().toISOString(), 'the retry waits for its backoff');
      assert.match(job.last_error ?? '', /MAIL_SEND_FAILED/);
      const row = await store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 1);
      assert.match(row.last_error ?? '', /450/);
      assert.ok(!(await stored()).includes(SANNE), 'no error message stored the address');
      assert.ok(!logs().includes(SANNE), 'no log line holds the address');

      assert.equal(await worker.tick(), 0, 'nothing runs before the backoff is over');
      clock.advance(HOUR);
      assert.equal(await worker.tick(), 1);
      assert.equal(smtp.received.length, 0);

      smtp.state.refuse = false;
      clock.advance(HOUR);
      assert.equal(await worker.tick(), 1);
      assert.equal(smtp.received.length, 1);
      clock.advance(HOUR);
      assert.equal(await worker.tick(), 0);
      assert.equal(smtp.received.length, 1);
      assert.equal((await jobs.counts()).done, 1);
      const sent = await store.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(sent.status, 'sent');
      assert.equal(sent.attempts, 3);
      assert.equal(sent.last_error, null);
    });

    it('fails the attempt and schedules a retry when no server listens', async () => {
      const smtp = await startSmtpServer();
      const port = smtp.port;
      await smtp.close();
      const { worker, outbox, store, clock } = await setup(createMailer(`smtp://127.0.0.1:${port}`));
      await enqueueVerify(outbox);
      assert.equal(await worker.tick(), 1);
      const job = await store.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
      assert.equal(job.status, 'queued');
      assert.ok(job.run_at > clock.now().toISOString());
      assert.match(job.last_error ?? '', /ECONNREFUSED|ESOCKET/);
    });
  });
}

describe('the mailer', () => {
  it('is the dev mailer without an SMTP URL, and refuses a URL that is not SMTP', async () => {
    assert.equal(createMailer().kind, 'dev');
    assert.equal(createMailer('smtp://127.0.0.1:2525').kind, 'smtp');
    assert.throws(() => createMailer('http://example.nl'), /smtp:\/\//);
  });
});
