import { HOUR, MINUTE } from '../lib/clock.ts';
import type { Db } from './request.repository.ts';

/**
 * What one address may cost its owner: verification e-mails. Posting a request never fails because of
 * what others posted for the same address; instead the e-mails it triggers are spaced out, so that no
 * stranger can flood a person's inbox through Inzage, nor lock the person out of their own request.
 */

/** Verification e-mails one address gets in any hour, at most (new links and links sent again). */
export const VERIFICATION_MAILS_PER_HOUR = 5;
/** A request posted again while it waits for its click gets its link again at most this often. */
export const RESEND_AFTER_MS = 15 * MINUTE;

/** One verification e-mail: when it goes out (possibly later than now) and for which request. */
export interface VerificationSend {
  at: string;
  request: string;
}

/**
 * When the next verification e-mail to an address may go out: now, unless that would make more than
 * `VERIFICATION_MAILS_PER_HOUR` in some hour; then the moment the oldest of the last ones is an hour old.
 * Never before a send already planned, so planned sends keep their order.
 */
export function nextSendAt(sends: ReadonlyArray<VerificationSend>, now: Date): Date {
  const times = sends.map((s) => new Date(s.at).getTime()).sort((a, b) => a - b);
  const earliest = Math.max(now.getTime(), times.at(-1) ?? 0);
  const bound = times.at(-VERIFICATION_MAILS_PER_HOUR);
  return new Date(
    times.length < VERIFICATION_MAILS_PER_HOUR || bound === undefined ? earliest : Math.max(earliest, bound + HOUR),
  );
}

/** Whether a request's link may be sent again now: its last one is 15 minutes old, and the hour has room. */
export function mayResend(sends: ReadonlyArray<VerificationSend>, requestId: string, now: Date): boolean {
  const last = Math.max(0, ...sends.filter((s) => s.request === requestId).map((s) => new Date(s.at).getTime()));
  return last <= now.getTime() - RESEND_AFTER_MS && nextSendAt(sends, now).getTime() <= now.getTime();
}

/**
 * The `verification_mails` table: one row per address (by subjectRef) that asked lately. Intake locks
 * the row first (`lock`), inside its transaction, so that posts for one address at once, on one server
 * or several, are taken one after the other: the check for an open request and the count of e-mails
 * hold under concurrency on SQLite and PostgreSQL alike.
 */
export class VerificationMailLedger {
  /**
   * Takes the address's lock for the rest of the transaction (a write, so that SQLite takes its write lock
   * before anything is read), and returns its sends of the last hour and those still to come.
   */
  async lock(db: Db, subjectRef: string, now: Date): Promise<VerificationSend[]> {
    const row = await db
      .insertInto('verification_mails')
      .values({ subject_ref: subjectRef, sends: '[]', updated_at: now.toISOString() })
      .onConflict((oc) => oc.column('subject_ref').doUpdateSet({ updated_at: now.toISOString() }))
      .returning('sends')
      .executeTakeFirstOrThrow();
    const hourAgo = now.getTime() - HOUR;
    return (JSON.parse(row.sends) as VerificationSend[]).filter((s) => new Date(s.at).getTime() > hourAgo);
  }

  /** Stores the sends as they now are (call with the lock held). */
  async save(db: Db, subjectRef: string, sends: ReadonlyArray<VerificationSend>): Promise<void> {
    await db
      .updateTable('verification_mails')
      .set({ sends: JSON.stringify(sends) })
      .where('subject_ref', '=', subjectRef)
      .execute();
  }

  /** Forgets addresses with no e-mail in the last hour and none to come: nothing about them is needed. */
  async sweep(db: Db, now: Date): Promise<number> {
    const hourAgo = new Date(now.getTime() - HOUR).toISOString();
    const stale = await db
      .selectFrom('verification_mails')
      .select(['subject_ref', 'sends'])
      .where('updated_at', '<=', hourAgo)
      .execute();
    const gone = stale
      .filter((r) => (JSON.parse(r.sends) as VerificationSend[]).every((s) => s.at <= hourAgo))
      .map((r) => r.subject_ref);
    let deleted = 0;
    for (let i = 0; i < gone.length; i += 500) {
      const r = await db
        .deleteFrom('verification_mails')
        .where('subject_ref', 'in', gone.slice(i, i + 500))
        .where('updated_at', '<=', hourAgo)
        .executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
    return deleted;
  }
}
