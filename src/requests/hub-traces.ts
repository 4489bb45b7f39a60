import type { Kysely, Transaction } from 'kysely';
import { forgetAuditSubjects } from '../audit/audit-trail.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What the hub itself keeps about a person, by keyed reference: the activity index, contact-consent
 * proof and withdrawal links, retention reminder marks, the count of verification e-mails sent to them,
 * and the link to their audit pseudonym. Kept after the person is erased they would
 * still single someone out, so an erasure by request and one by retention both end here. (Restriction
 * flags and Analytics ids have rules of their own and are forgotten by their owners.)
 */
export async function forgetHubTraces(db: Db, refs: ReadonlyArray<string>): Promise<void> {
  for (let i = 0; i < refs.length; i += 500) {
    const chunk = refs.slice(i, i + 500);
    await db.deleteFrom('subject_activity').where('subject_ref', 'in', chunk).execute();
    await db.deleteFrom('contact_consents').where('subject_ref', 'in', chunk).execute();
    await db.deleteFrom('consent_tokens').where('subject_ref', 'in', chunk).execute();
    await db.deleteFrom('retention_reminders').where('subject_ref', 'in', chunk).execute();
    // The per-address count of verification e-mails (intake's limit): an hour's worth, but not past an erasure.
    await db.deleteFrom('verification_mails').where('subject_ref', 'in', chunk).execute();
    await forgetAuditSubjects(db, chunk);
  }
}
