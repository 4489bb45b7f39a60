import type { Kysely } from 'kysely';
import type { JobRepository } from '../jobs/job.repository.ts';
import type { Clock } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import { newOrderedId } from '../lib/ids.ts';
import { scrubMessage } from '../lib/logger.ts';
import type { Dialect } from '../store/database.ts';
import type { Database, MailOutboxTable } from '../store/schema.ts';
import { type Lang, type MailContext, type MailData, type MailTemplate, renderMail } from './templates.ts';

/** The job that sends one message; its payload is `{ id }`. */
export const MAIL_JOB = 'mail.send';
export const MAIL_MAX_ATTEMPTS = 8;

/** What lies encrypted in `mail_outbox.envelope`. */
interface Envelope {
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

export interface OutgoingMail<T extends MailTemplate = MailTemplate> {
  to: string;
  template: T;
  lang: Lang;
  data: MailData[T];
  requestId?: string;
  /** A second message with the same key is not stored or sent (e.g. `verify:<requestId>`). */
  dedupeKey?: string;
  /** Not sent before this time: spreads a mass mailing (policy changes) over time. */
  sendAt?: Date;
}

/** A message as the dev mailbox shows it. After an SMTP delivery its envelope is gone: empty fields. */
export interface DevMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  template: string;
  requestId: string | null;
  status: MailOutboxTable['status'];
  createdAt: string;
  sentAt: string | null;
}

/** An envelope as decrypted for the dev mailbox, with the sealed text it came from. */
interface OpenedEnvelope {
  sealed: string;
  envelope: Envelope | undefined;
}

/** A message ready for the mailer, or why it is not. */
/** The mark of a message recorded as sent without the mail server's confirmation. */
export const UNCONFIRMED = 'unconfirmed: the worker stopped while handing it to the mail server';

export type LoadedMail =
  | { state: 'missing' }
  | { state: 'sent' | 'failed'; template: string }
  | { state: 'unreadable'; template: string }
  /** A worker died while handing it to the SMTP server: it may have gone out, and is not sent again. */
  | { state: 'handed-over'; template: string }
  | { state: 'queued'; template: string; from: string; to: string; subject: string; text: string; html: string };

export interface MailOutboxDeps {
  db: Kysely<Database>;
  /** The job queue on `db`; inside a transaction the outbox queues its job on the transaction instead. */
  jobs: JobRepository;
  dialect: Dialect;
  /** INZAGE_SECRET; the envelope key is derived from it for this purpose only. */
  secret: string;
  clock: Clock;
  /** The From header, e.g. `Balkonzon <privacy@balkonzon.nl>`. */
  from: string;
  /** What the templates say about the shop; a function so that a new policy version takes effect at once. */
  ctx: MailContext | (() => MailContext);
}

/**
 * Outgoing e-mail: stored encrypted, sent by the `mail.send` job. A message stored in the same
 * transaction as a request's change commits or vanishes with it, and is sent after the commit.
 */
export class MailOutbox {
  readonly #key: Buffer;
  /** The dev mailbox's decrypted messages, by id, for those it showed last. */
  #devOpened = new Map<string, OpenedEnvelope>();

  constructor(private readonly deps: MailOutboxDeps) {
    this.#key = deriveKey(deps.secret, 'mail-outbox');
  }

  /** The shop's words for the templates, as they are now. */
  context(): MailContext {
    return typeof this.deps.ctx === 'function' ? this.deps.ctx() : this.deps.ctx;
  }

  /** Renders, stores and queues a message; undefined when its dedupe key was used before. */
  async enqueue<T extends MailTemplate>(
    mail: OutgoingMail<T>,
    db: Kysely<Database> = this.deps.db,
  ): Promise<string | undefined> {
    const rendered = renderMail(mail.template, mail.lang, mail.data, this.context());
    const id = newOrderedId();
    const envelope: Envelope = { to: mail.to, ...rendered };
    const inserted = await db
      .insertInto('mail_outbox')
      .values({
        id,
        request_id: mail.requestId ?? null,
        template: mail.template,
        dedupe_key: mail.dedupeKey ?? null,
        envelope: this.seal(id, envelope),
        status: 'queued',
        handed_over_at: null,
        attempts: 0,
        created_at: this.deps.clock.now().toISOString(),
        sent_at: null,
        last_error: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
    // On SQLite a transaction holds the only connection: the job must go in through it, too.
    const runAt = mail.sendAt ? { runAt: mail.sendAt } : {};
    await this.deps.jobs.enqueue(
      MAIL_JOB,
      { id },
      { dedupeKey: `mail:${id}`, maxAttempts: MAIL_MAX_ATTEMPTS, ...runAt },
      db,
    );
    return id;
  }

  /** Every stored message, newest first, decrypted; for the dev mailbox. */
  async messages(options: { limit?: number } = {}): Promise<DevMessage[]> {
    const rows = await this.deps.db
      .selectFrom('mail_outbox')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit ?? 500)
      .execute();
    // The dev mailbox is polled (by a person's browser, by the benchmarks, every few milliseconds): what
    // was decrypted once is kept for the messages still shown, so that a poll costs one select.
    const kept = new Map<string, OpenedEnvelope>();
    const messages = rows.map((row) => {
      const seen = this.#devOpened.get(row.id);
      const opened = seen && seen.sealed === row.envelope ? seen : { sealed: row.envelope, envelope: this.open(row) };
      kept.set(row.id, opened);
      return this.toDevMessage(row, opened.envelope);
    });
    this.#devOpened = kept;
    return messages;
  }

  async message(id: string): Promise<DevMessage | undefined> {
    const row = await this.deps.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toDevMessage(row) : undefined;
  }

  /** The message to send for the `mail.send` job. */
  async load(id: string): Promise<LoadedMail> {
    const row = await this.deps.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return { state: 'missing' };
    if (row.status !== 'queued') return { state: row.status, template: row.template };
    if (row.handed_over_at) return { state: 'handed-over', template: row.template };
    const envelope = this.open(row);
    if (!envelope?.to) return { state: 'unreadable', template: row.template };
    const { to, subject, text, html } = envelope;
    return { state: 'queued', template: row.template, from: this.deps.from, to, subject, text, html };
  }

  /**
   * Marks the start of handing a message to the SMTP server, committed before it starts; false when
   * another worker got there first.
   */
  async markHandingOver(id: string): Promise<boolean> {
    const r = await this.deps.db
      .updateTable('mail_outbox')
      .set({ handed_over_at: this.deps.clock.now().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('handed_over_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * A message whose worker died while handing it over: recorded as sent, unconfirmed. It is not sent
   * again: the server may well have accepted it (at most once, so that nobody gets a message twice).
   */
  async markHandedOver(id: string, attempt: number, options: { strip: boolean }): Promise<void> {
    // One statement: a crash in between must not leave a plain `sent`.
    await this.deps.db
      .updateTable('mail_outbox')
      .set({
        status: 'sent',
        sent_at: this.deps.clock.now().toISOString(),
        attempts: attempt,
        last_error: UNCONFIRMED,
        ...(options.strip ? { envelope: '' } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Messages the officer should know about: recorded as sent without the server's confirmation (a worker
   * died while handing them over), or failed for good. Ids, templates and times only.
   */
  async needingAttention(): Promise<
    Array<{ id: string; requestId: string | null; template: string; status: string; at: string; why: string }>
  > {
    const rows = await this.deps.db
      .selectFrom('mail_outbox')
      .select(['id', 'request_id', 'template', 'status', 'created_at', 'sent_at', 'last_error'])
      .where((eb) => eb.or([eb('status', '=', 'failed'), eb('last_error', '=', UNCONFIRMED)]))
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      template: r.template,
      status: r.last_error === UNCONFIRMED ? 'unconfirmed' : r.status,
      at: r.sent_at ?? r.created_at,
      why: r.last_error ?? '',
    }));
  }

  /** Records a delivery; `strip` empties the envelope so that no address or text stays behind. */
  async markSent(id: string, attempt: number, options: { strip: boolean }): Promise<void> {
    await this.deps.db
      .updateTable('mail_outbox')
      .set({
        status: 'sent',
        sent_at: this.deps.clock.now().toISOString(),
        attempts: attempt,
        last_error: null,
        ...(options.strip ? { envelope: '' } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Records a failed attempt; `final` marks the message failed for good. */
  async markAttemptFailed(id: string, attempt: number, error: string, final: boolean): Promise<void> {
    await this.deps.db
      .updateTable('mail_outbox')
      .set({
        attempts: attempt,
        last_error: scrubMessage(error).slice(0, 1000),
        // The server refused it: nothing went out, so the next attempt may hand it over again.
        handed_over_at: null,
        ...(final ? { status: 'failed' as const } : {}),
      })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  }

  /**
   * Deletes a request's messages once they are sent or failed; one still queued stays, to be sent
   * (and, over SMTP, emptied). Returns how many were deleted.
   */
  async purgeRequest(requestId: string, db: Kysely<Database> = this.deps.db): Promise<number> {
    const r = await db
      .deleteFrom('mail_outbox')
      .where('request_id', '=', requestId)
      .where('status', '!=', 'queued')
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private seal(id: string, envelope: Envelope): string {
    return encrypt(this.#key, Buffer.from(JSON.stringify(envelope)), id);
  }

  private open(row: Pick<MailOutboxTable, 'id' | 'envelope'>): Envelope | undefined {
    if (!row.envelope) return undefined;
    try {
      return JSON.parse(decrypt(this.#key, row.envelope, row.id).toString('utf8')) as Envelope;
    } catch {
      return undefined;
    }
  }

  private toDevMessage(row: MailOutboxTable, e = this.open(row)): DevMessage {
    return {
      id: row.id,
      to: e?.to ?? '',
      subject: e?.subject ?? '',
      text: e?.text ?? '',
      html: e?.html ?? '',
      links: e?.links ?? [],
      template: row.template,
      requestId: row.request_id,
      status: row.status,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    };
  }
}
