import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/worker.ts';
import { failpoint } from '../lib/failpoints.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer } from './mailer.ts';
import { MAIL_JOB, MAIL_MAX_ATTEMPTS, type MailOutbox } from './outbox.ts';

export interface MailJobDeps {
  outbox: MailOutbox;
  mailer: Mailer;
  /** Defaults to the worker's logger for the job. */
  logger?: Logger;
}

const Payload = z.object({ id: z.string().min(1) });

/**
 * `mail.send`: delivers one stored message. A failure is thrown, so the queue retries with
 * exponential backoff; a message already sent is never sent again. Logs ids and template names only.
 */
export function mailJob(deps: MailJobDeps): JobDefinition<typeof Payload> {
  return defineJob({
    name: MAIL_JOB,
    payload: Payload,
    maxAttempts: MAIL_MAX_ATTEMPTS,
    perform: async ({ id }, ctx) => {
      const base = deps.logger?.child({ jobId: ctx.jobId }) ?? ctx.logger;
      const mail = await deps.outbox.load(id);
      if (mail.state === 'missing') {
        base.info({ mailId: id }, 'mail no longer in the outbox; nothing to send');
        return;
      }
      const log = base.child({ mailId: id, template: mail.template });
      if (mail.state === 'unreadable') {
        // Another secret, or a damaged row: no retry can help.
        await deps.outbox.markAttemptFailed(id, ctx.attempt, 'MAIL_UNREADABLE: the envelope cannot be decrypted', true);
        log.error('mail cannot be decrypted; failed');
        return;
      }
      if (mail.state === 'handed-over') {
        // Exact after a crash, at most once: the worker before us died between handing the message to the
        // server and recording it. The server may have taken it, so it is recorded as sent (unconfirmed)
        // rather than sent twice; the outbox row says so.
        await deps.outbox.markHandedOver(id, ctx.attempt, { strip: deps.mailer.kind === 'smtp' });
        log.warn('mail was being handed over when its worker stopped; recorded as sent, unconfirmed');
        return;
      }
      if (mail.state !== 'queued') {
        log.info({ state: mail.state }, 'mail already handled; not sent again');
        return;
      }
      if (!(await deps.outbox.markHandingOver(id))) return;
      try {
        await deps.mailer.send({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
      } catch (err) {
        // A transport error can quote the address; only its code and a scrubbed message go on.
        const e = err as Error & { code?: string; responseCode?: number };
        const message = `MAIL_SEND_FAILED: ${[e.code, e.responseCode].filter(Boolean).join(' ')} ${e.message ?? String(err)}`;
        await deps.outbox.markAttemptFailed(id, ctx.attempt, message, ctx.attempt >= MAIL_MAX_ATTEMPTS);
        throw new Error(message.slice(0, 500));
      }
      failpoint('mail.after-send');
      await deps.outbox.markSent(id, ctx.attempt, { strip: deps.mailer.kind === 'smtp' });
      log.info({ via: deps.mailer.kind }, 'mail sent');
    },
  });
}
