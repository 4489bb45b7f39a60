import type { Executor } from '../executor/executor.ts';
import type { RetentionPlan, RetentionService } from '../retention/retention.service.ts';
import type { DeskRepository } from './desk.repository.ts';

/** What would be erased in one collection if the plan ran now (a dry run: nothing is changed). */
export interface CollectionToErase {
  system: string;
  collection: string;
  found: number;
  deleted: number;
  anonymised: number;
  /** Kept sealed in the archive under a legal hold, then erased in the shop. */
  sealed: number;
}

/** The waiting plan as the officer reviews it before approving: who, and what of theirs. */
export interface RetentionReview {
  planId: string;
  /** When the plan was made (by the daily job). */
  plannedAt: string;
  /** The plan as it stands now: people may have become active, or passed the term, since. */
  plan: RetentionPlan;
  /** The people who would be erased now, sorted. Shown to the officer only, and audited. */
  emails: string[];
  /**
   * The keyed digest of exactly these people (RetentionService.peopleDigest): the page carries it, and an
   * approval is refused when the plan at the click is another set than the one shown.
   */
  people: string;
  /** Counts per kind of data; undefined when there are too many people to count on a page. */
  perCollection?: CollectionToErase[];
  /** No retention run has ever been done: this is the backlog of all the years before, not a day's work. */
  firstSweep: boolean;
}

/** Above this many people the page does not count per collection (`inzage retention plan` does). */
export const COUNT_LIMIT = 20_000;
/** A first sweep above this many people is a project, not a routine: the pages say so. */
export const LARGE_FIRST_SWEEP = 50;

export interface RetentionReviewDeps {
  desk: DeskRepository;
  retention: Pick<RetentionService, 'plan' | 'peopleDigest'>;
  executor: Pick<Executor, 'eraseMany'>;
}

/**
 * The waiting plan, planned again now with the addresses, and a dry run of its erasure in batches to count
 * what would go per collection. Undefined when no plan waits.
 */
export async function reviewRetention(deps: RetentionReviewDeps): Promise<RetentionReview | undefined> {
  const { waiting, lastRun } = await deps.desk.retentionState();
  if (!waiting) return undefined;
  const { emails, ...plan } = await deps.retention.plan();
  let perCollection: CollectionToErase[] | undefined;
  if (emails.length <= COUNT_LIMIT) {
    const totals = new Map<string, CollectionToErase>();
    for (let i = 0; i < emails.length; i += 2000) {
      const report = await deps.executor.eraseMany(emails.slice(i, i + 2000), { dryRun: true });
      for (const c of report.systems.flatMap((s) => s.collections)) {
        const key = `${c.system}.${c.collection}`;
        const t = totals.get(key) ?? {
          system: c.system,
          collection: c.collection,
          found: 0,
          deleted: 0,
          anonymised: 0,
          sealed: 0,
        };
        t.found += c.found;
        t.deleted += c.deleted;
        t.anonymised += c.anonymised;
        t.sealed += c.sealed;
        totals.set(key, t);
      }
    }
    perCollection = [...totals.values()].filter((c) => c.found > 0);
  }
  return {
    planId: waiting.id,
    plannedAt: waiting.at,
    plan,
    emails,
    people: deps.retention.peopleDigest(emails),
    perCollection,
    firstSweep: !lastRun,
  };
}

/** Whether the dashboard must not offer this plan as routine: a first sweep of many people. */
export const isLargeFirstSweep = (toErase: number, hasRunBefore: boolean): boolean =>
  !hasRunBefore && toErase > LARGE_FIRST_SWEEP;
