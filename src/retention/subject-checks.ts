import type { Kysely, Transaction } from 'kysely';
import { subjectRef } from '../requests/intake.service.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** People in chunks of 500, each as keyed reference → address: the hub knows people only by reference. */
export function* chunksByRef(secret: string, emails: ReadonlyArray<string>): Generator<Map<string, string>> {
  for (let i = 0; i < emails.length; i += 500)
    yield new Map(emails.slice(i, i + 500).map((e) => [subjectRef(secret, e), e]));
}

/** What the hub knows about people by keyed reference, as retention asks it: in chunks, never one by one. */
export class SubjectChecks {
  constructor(private readonly db: Kysely<Database>) {}

  /** Of these references, those the shop reported active on or after `since`. */
  async activeSince(refs: string[], since: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('subject_activity')
      .select('subject_ref')
      .where('subject_ref', 'in', refs)
      .where('last_at', '>=', since.toISOString())
      .execute();
    return rows.map((r) => r.subject_ref);
  }

  /** Of these references, those whose processing is restricted (not touched without the officer). */
  async restricted(refs: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('subject_flags')
      .select('subject_ref')
      .where('subject_ref', 'in', refs)
      .where('restricted', '=', 1)
      .execute();
    return rows.map((r) => r.subject_ref);
  }

  /** Of these references, those with a request still open. */
  async withOpenRequest(refs: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('requests')
      .select('subject_ref')
      .where('subject_ref', 'in', refs)
      .where('status', 'not in', ['completed', 'rejected', 'expired'])
      .execute();
    return rows.flatMap((r) => (r.subject_ref ? [r.subject_ref] : []));
  }

  /** Of these references, those reminded after `since`. */
  async remindedSince(refs: string[], since: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('retention_reminders')
      .select('subject_ref')
      .where('subject_ref', 'in', refs)
      .where('sent_at', '>', since)
      .execute();
    return rows.map((r) => r.subject_ref);
  }

  async markReminded(db: Db, ref: string, at: Date): Promise<void> {
    await db
      .insertInto('retention_reminders')
      .values({ subject_ref: ref, sent_at: at.toISOString() })
      .onConflict((oc) => oc.column('subject_ref').doUpdateSet({ sent_at: at.toISOString() }))
      .execute();
  }
}
