import type { Executor } from '../executor/executor.ts';
import type { LocalizedText, Policy, RetentionRule } from '../policy/policy.schema.ts';
import { executorsFor } from '../policy/retention-executors.ts';
import type { JournaledRun, RetentionJournal, RunOptions } from './journal.ts';
import { type ExecutorCount, type RuleExecutors, SEALED_ARCHIVE } from './rule-executors.ts';

/** One retention rule of the policy, and what its executors remove now (plan) or removed (run). */
export interface RuleOutcome {
  rule: string;
  title: LocalizedText;
  mode: 'auto' | 'approve';
  executors: ExecutorCount[];
  /** What of the rule Inzage does not enforce, and why (processors keep their own terms; no executor). */
  notEnforced?: string;
}

export interface RuleOutcomesDeps {
  executor: Pick<Executor, 'processorSystems'>;
  policy: () => Policy;
  executors: RuleExecutors;
  journal: RetentionJournal;
}

/** Every rule of the policy's retention with what its executors (src/policy/retention-executors.ts) remove. */
export class RuleOutcomes {
  constructor(private readonly deps: RuleOutcomesDeps) {}

  /**
   * Every rule of the policy with what its executors remove. With a journaled run each step first records
   * what it counts, then acts: a run resumed after a crash reports the count the first attempt saw.
   */
  async outcomes(at: Date, options: RunOptions, erased: number, run?: JournaledRun): Promise<RuleOutcome[]> {
    const outcomes: RuleOutcome[] = [];
    for (const rule of this.deps.policy().retention.rules) {
      if (options.rules === 'auto' && rule.mode !== 'auto') continue;
      const specs = executorsFor(rule);
      const counts: ExecutorCount[] = [];
      for (const spec of specs) {
        if (spec.id === 'profile-sweep') {
          if (options.sweep)
            counts.push({ executor: spec.id, what: 'people past the term, in every database', records: erased });
          continue;
        }
        const id = spec.id;
        const key = `${rule.id}/${id}`;
        const act = (dryRun: boolean) => this.deps.executors[id].execute(rule, at, dryRun);
        const journaled = run?.steps[key] as Array<Omit<ExecutorCount, 'executor'>> | undefined;
        const parts = journaled ?? (await act(true));
        if (run && !journaled) await this.deps.journal.step(run, key, parts);
        if (run) await act(false);
        counts.push(...parts.map((p) => ({ executor: id, ...p })));
      }
      const notEnforced = this.#notEnforced(rule, specs.length, counts.length);
      outcomes.push({
        rule: rule.id,
        title: rule.title,
        mode: rule.mode,
        executors: counts,
        ...(notEnforced ? { notEnforced } : {}),
      });
    }
    return outcomes;
  }

  /** In words: what of a rule no executor reaches — processors, which keep their own terms — or all of it. */
  #notEnforced(rule: RetentionRule, specs: number, counted: number): string | undefined {
    if (specs === 0)
      return 'no executor of Inzage covers a term counted this way: only words (see `inzage policy lint`)';
    if (counted === 0)
      return 'none of its data is where an executor works (a database field of its categories with a collection date, or the hub)';
    const processors = new Set(this.deps.executor.processorSystems().map((s) => s.processor));
    const names = this.deps
      .policy()
      .processors.filter((p) => processors.has(p.id) && p.categories.some((c) => rule.categories.includes(c)))
      .map((p) => p.name);
    return names.length ? `processors keep their own terms: ${names.join(', ')}` : undefined;
  }
}

/** The legal holds' part of the rules, in the plan's older fields: records in the databases, and sealed. */
export function holdsIn(rules: RuleOutcome[]): {
  expiredHolds: Array<{ system: string; collection: string; records: number }>;
  sealedToDestroy: number;
} {
  const parts = rules.flatMap((r) => r.executors.filter((e) => e.executor === 'legal-hold-expiry'));
  const sealed = (p: ExecutorCount) => p.system === SEALED_ARCHIVE.system;
  return {
    expiredHolds: parts
      .filter((p) => !sealed(p))
      .map((p) => ({ system: p.system ?? '', collection: p.collection ?? '', records: p.records })),
    sealedToDestroy: parts.filter(sealed).reduce((n, p) => n + p.records, 0),
  };
}
