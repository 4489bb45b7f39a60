import type { Kysely, Transaction } from 'kysely';
import { forgetAuditSubjects } from '../audit/audit-trail.ts';
import type { Database } from '../store/schema.ts';
import type { RequestRepository } from './request.repository.ts';
import type { RequestExports } from './request-exports.ts';

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

/** The owners of what the hub holds about a person beyond its traces: their requests and exports. */
export interface HubForgetDeps {
  requests: Pick<RequestRepository, 'idsOfSubjects' | 'deleteTokens' | 'clearFlags' | 'forgetIdentity'>;
  /** Absent only where no exports are made (a retention service built without them, in tests). */
  exports?: Pick<RequestExports, 'destroy'>;
}

/**
 * At an erasure (Art. 17), what the hub holds about these people goes, inside the caller's transaction:
 * every export of their requests (the links stop working with them), the links of their requests (but
 * those of `keepLinksOf`, the erasure request still being handled), their restriction holds and
 * objection flags (Art. 18/21: nothing is left to restrict), and their traces (`forgetHubTraces`). An
 * erasure by request and one by retention both end here.
 */
export async function forgetInHub(
  deps: HubForgetDeps,
  db: Db,
  refs: ReadonlyArray<string>,
  options: { keepLinksOf?: string } = {},
): Promise<void> {
  if (refs.length === 0) return;
  const theirs = await deps.requests.idsOfSubjects(db, refs);
  await deps.exports?.destroy(db, { requestIds: theirs }, 'erased');
  await deps.requests.deleteTokens(
    db,
    theirs.filter((id) => id !== options.keepLinksOf),
  );
  await deps.requests.clearFlags(db, refs);
  await forgetHubTraces(db, refs);
}
