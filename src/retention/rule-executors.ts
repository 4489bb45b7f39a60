import type { Executor } from '../executor/executor.ts';
import type { Policy, RetentionRule, Term } from '../policy/policy.schema.ts';
import type { RetentionExecutorId } from '../policy/retention-executors.ts';
import { subtractTerm } from '../policy/term.ts';
import type { HubRetentionRepository } from './hub-retention.repository.ts';
import type { SealedArchive } from './sealed-archive.ts';

/** What one executor removes (plan) or removed (run) for one rule. */
export interface ExecutorCount {
  executor: RetentionExecutorId;
  /** Where and what, in words without personal data: "shop.orders: ip_address". */
  what: string;
  records: number;
  /** Where the records are, when they are in one collection of a system (the hub's archive is `hub`). */
  system?: string;
  collection?: string;
}

type Part = Omit<ExecutorCount, 'executor'>;

/** Where sealed records live, as a place in the counts. */
export const SEALED_ARCHIVE = { system: 'hub', collection: 'sealed_records' } as const;

export interface RuleExecutorDeps {
  executor: Executor;
  archive: SealedArchive;
  hub: HubRetentionRepository;
  policy: () => Policy;
  /** The policy categories the hub's Google Analytics ids serve (its analytics systems' processors'). */
  analyticsCategories: ReadonlyArray<string>;
}

/**
 * One executor of the registry (src/policy/retention-executors.ts), done: the parts of a rule it
 * handles here, each counted or removed. The profile sweep erases people in batches and is the
 * retention service's own (see retention.service.ts); every other executor is here.
 */
interface RuleExecutor {
  /**
   * Counts (dryRun) or removes what is past the rule's term at `at`, per part it reaches with this data
   * map; nothing when none of the rule's data is where this executor works.
   */
  execute(rule: RetentionRule, at: Date, dryRun: boolean): Promise<Part[]>;
}

export type RuleExecutors = Record<Exclude<RetentionExecutorId, 'profile-sweep'>, RuleExecutor>;

export function ruleExecutors(deps: RuleExecutorDeps): RuleExecutors {
  const cutoff = (rule: RetentionRule, at: Date) => subtractTerm(at, rule.term as Term);
  return {
    'legal-hold-expiry': {
      execute: async (rule, at, dryRun) => {
        const holds = [rule.legalHold!];
        const shop = await deps.executor.destroyExpiredHolds(at, dryRun, holds);
        const sealed = await deps.archive.destroyExpired(at, dryRun, holds);
        return [
          ...shop.map((h) => ({ what: `${h.system}.${h.collection}`, records: h.records, ...place(h) })),
          { what: `sealed archive (${rule.legalHold})`, records: sealed, ...SEALED_ARCHIVE },
        ];
      },
    },
    'collected-fields': {
      execute: async (rule, at, dryRun) =>
        (await deps.executor.clearCollected(rule.categories, cutoff(rule, at), dryRun)).map((c) => ({
          what: `${c.system}.${c.collection}: ${c.fields.join(', ')}`,
          records: c.records,
          ...place(c),
        })),
    },
    'analytics-ids': {
      execute: async (rule, at, dryRun) =>
        governsAnalyticsIds(rule, deps)
          ? [
              {
                what: 'Google Analytics ids in the hub',
                records: await deps.hub.analyticsIdsNotSeenSince(cutoff(rule, at), dryRun),
              },
            ]
          : [],
    },
    'request-register': {
      execute: async (rule, at, dryRun) => [
        {
          what: 'register of requests in the hub',
          records: await deps.hub.requestsHandledBefore(cutoff(rule, at), dryRun),
        },
      ],
    },
    'contact-consent-proof': {
      execute: async (rule, at, dryRun) => [
        {
          what: 'contact-consent proof in the hub',
          records: await deps.hub.consentsWithdrawnBefore(cutoff(rule, at), dryRun),
        },
      ],
    },
    'cookie-consent-proof': {
      execute: async (rule, at, dryRun) => {
        const lapsedBefore = cutoff(rule, at);
        // A choice lapses when the visitor chooses again, or when it is no longer valid by itself.
        const expiredBefore = subtractTerm(lapsedBefore, deps.policy().cookies.consentValidFor);
        return [
          {
            what: 'cookie-consent proof in the hub',
            records: await deps.hub.cookieChoicesLapsedBefore(lapsedBefore, expiredBefore, dryRun),
          },
        ];
      },
    },
  };
}

const place = (c: { system: string; collection: string }) => ({ system: c.system, collection: c.collection });

/**
 * The hub's Analytics ids follow the `collected` rule with the longest term among those over the
 * categories Analytics receives: the ids exist to reach what Analytics holds, which it keeps that long.
 */
function governsAnalyticsIds(rule: RetentionRule, deps: RuleExecutorDeps): boolean {
  const wanted = new Set(deps.analyticsCategories);
  const candidates = deps
    .policy()
    .retention.rules.filter((r) => r.from === 'collected' && r.term && r.categories.some((c) => wanted.has(c)));
  const days = (r: RetentionRule) => (r.term?.years ?? 0) * 366 + (r.term?.months ?? 0) * 31 + (r.term?.days ?? 0);
  const longest = candidates.sort((a, b) => days(b) - days(a))[0];
  return longest?.id === rule.id;
}
