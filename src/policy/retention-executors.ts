import type { RetentionRule } from './policy.schema.ts';

/**
 * Which of a policy's retention rules Inzage enforces, and with what: the registry the linter checks
 * coverage against and the retention run executes (src/retention/rule-executors.ts implements each id).
 * A rule is matched by its shape — where its term counts from, a legal hold — not by its id, so that a
 * shop's own rule ids and categories work. A rule no executor covers is only words: the linter warns.
 */
export interface RetentionExecutorSpec {
  id: RetentionExecutorId;
  /** What it removes, in a few words (the plan and the linter say it). */
  does: string;
  covers(rule: RetentionRule): boolean;
}

const hasTerm = (r: RetentionRule) => !!r.term && Object.values(r.term).some((n) => (n ?? 0) > 0);

export const RETENTION_EXECUTORS = [
  {
    id: 'profile-sweep',
    does: 'erases everyone past the term in every database of the data map (the retention run)',
    covers: (r) => r.whileClient && hasTerm(r) && r.from === 'last-activity',
  },
  {
    id: 'legal-hold-expiry',
    does: 'deletes held records in the databases and their sealed copies in the archive when the hold ends',
    covers: (r) => !!r.legalHold && hasTerm(r),
  },
  {
    id: 'collected-fields',
    does: "clears the fields of the rule's categories in the databases, counted from when they were collected",
    covers: (r) => r.from === 'collected' && hasTerm(r),
  },
  {
    id: 'analytics-ids',
    does: 'deletes the Google Analytics ids the hub keeps per person once the shop has not reported them for the term',
    covers: (r) => r.from === 'collected' && hasTerm(r),
  },
  {
    id: 'request-register',
    does: 'deletes handled requests from the register, with their timeline, tasks and processor notices',
    covers: (r) => r.from === 'completed' && hasTerm(r),
  },
  {
    id: 'contact-consent-proof',
    does: "deletes the proof of a person's contact consent for a purpose the term after they withdrew it",
    covers: (r) => r.from === 'withdrawn' && hasTerm(r),
  },
  {
    id: 'cookie-consent-proof',
    does: "deletes the banner's proof of a cookie choice the term after it lapsed (replaced, or past consentValidFor)",
    covers: (r) => r.from === 'withdrawn' && hasTerm(r),
  },
] as const satisfies ReadonlyArray<{ id: string; does: string; covers(rule: RetentionRule): boolean }>;

export type RetentionExecutorId = (typeof RETENTION_EXECUTORS)[number]['id'];

/** The executors that cover a rule; none means the rule is not enforced by Inzage. */
export function executorsFor(rule: RetentionRule): ReadonlyArray<RetentionExecutorSpec> {
  return RETENTION_EXECUTORS.filter((e) => e.covers(rule));
}
