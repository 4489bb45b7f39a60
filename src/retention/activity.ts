import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Database } from '../store/schema.ts';

/** Events the shop reports; `account.closed` is the policy's "I no longer want your services". */
export const ACCOUNT_CLOSED = 'account.closed';

/**
 * The activity index: per person (by keyed hash), the newest contact moment or transaction the shop
 * reported. Retention counts the two years from the newest of this and the shop's own activity fields.
 */
export class ActivityIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Records an activity; an older event than the one known changes nothing. */
  async record(subjectRef: string, type: string, at: string): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db
      .insertInto('subject_activity')
      .values({ subject_ref: subjectRef, last_at: at, last_type: type, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('subject_ref')
          .doUpdateSet({ last_at: at, last_type: type, updated_at: now })
          .where('subject_activity.last_at', '<', at),
      )
      .execute();
  }

  async last(subjectRef: string): Promise<{ at: string; type: string } | undefined> {
    const row = await this.db
      .selectFrom('subject_activity')
      .selectAll()
      .where('subject_ref', '=', subjectRef)
      .executeTakeFirst();
    return row ? { at: row.last_at, type: row.last_type } : undefined;
  }

  async forget(subjectRef: string): Promise<void> {
    await this.db.deleteFrom('subject_activity').where('subject_ref', '=', subjectRef).execute();
  }
}
