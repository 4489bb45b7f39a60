import type { AuditTrail } from '../audit/audit-trail.ts';
import type { Executor } from '../executor/executor.ts';
import type { Clock } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import { validationFailed } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { OutgoingMail } from '../notify/outbox.ts';
import type { Policy, RetentionRule } from '../policy/policy.schema.ts';
import { subtractTerm } from '../policy/term.ts';
import type { HubForgetDeps } from '../requests/hub-traces.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import type { Store } from '../store/database.ts';
import { type HousekeepingCount, type HousekeepingDeps, hubHousekeeping } from './hub-housekeeping.ts';
import { HubRetentionRepository } from './hub-retention.repository.ts';
import { type ApprovedPeople, type JournaledRun, RetentionJournal, type RunOptions } from './journal.ts';
import { type ReminderSummary, sendReminders } from './reminders.ts';
import { ruleExecutors } from './rule-executors.ts';
import { holdsIn, type RuleOutcome, RuleOutcomes } from './rule-outcomes.ts';
import type { SealedArchive } from './sealed-archive.ts';
import { chunksByRef, SubjectChecks } from './subject-checks.ts';
import { JournaledSweep, type KeptAtErasure, keptOf, type Recheck } from './sweep.ts';

export type { ReminderSummary } from './reminders.ts';
export type { RuleOutcome } from './rule-outcomes.ts';

export interface RetentionDeps {
  executor: Executor;
  archive: SealedArchive;
  requests: RequestRepository;
  policy: () => Policy;
  clock: Clock;
  secret: string;
  /** People per set of statements; 2000 unless a test wants small batches. */
  batchSize?: number;
  /** For the policy's optional reminder before the term ends; no reminders without it. */
  mail?: {
    enqueue(mail: OutgoingMail<'retention-reminder'>, db?: RequestRepository['db']): Promise<string | undefined>;
  };
  /** Contact consent (src/consent): the reminder goes only to people who consented to later contact. */
  contactAllowed?: (email: string) => Promise<boolean>;
  /** Each run is recorded in the audit trail, in counts. */
  audit?: AuditTrail;
  /** The hub's store, so that a run's batches are written as one sweep there too (sealed records, register). */
  hub?: Pick<Store, 'sweep' | 'grew'>;
  /** The policy categories the hub's Google Analytics ids serve; none without an analytics system. */
  analyticsCategories?: ReadonlyArray<string>;
  /** The hub's own working data (links, jobs, mail bodies, exports): the plan lists what it would remove. */
  housekeeping?: HousekeepingDeps;
  /** The export packages' owner: a person the sweep erases loses their exports, as with an erasure request. */
  exports?: HubForgetDeps['exports'];
}

export interface RetentionPlan {
  at: string;
  /** People whose last contact or transaction is before this are past the term. */
  cutoff: string;
  rule: string;
  mode: 'auto' | 'approve';
  people: { known: number; pastTerm: number; restricted: number; openRequest: number; toErase: number };
  /** Records whose legal hold has ended, to be destroyed: in the shop's systems, and sealed in the archive. */
  expiredHolds: Array<{ system: string; collection: string; records: number }>;
  sealedToDestroy: number;
  /** Every rule of the policy's retention, with what each of its executors removes. */
  rules: RuleOutcome[];
  /** The hub's own working data past its short term (the daily `retention.housekeeping` removes it). */
  housekeeping?: HousekeepingCount[];
}

export interface RetentionRunSummary extends RetentionPlan {
  erased: number;
  perCollection: Array<{
    system: string;
    collection: string;
    found: number;
    deleted: number;
    anonymised: number;
    sealed: number;
  }>;
  failedBatches: number;
  /** Systems the sweep does not reach (processors): they keep their own retention terms. */
  notSwept: string[];
  seconds: number;
  /** True when this run finished one that a dead process had begun. */
  resumed: boolean;
  /** What the run was asked to do: its moment, whether it only planned, which parts, and its batch size. */
  options: RunSummaryOptions;
  /**
   * People the plan listed whom the run did not erase, because just before their batch they were no longer
   * free to go: active since (an order, a contact), restricted, or with a request open.
   */
  keptAtErasure: KeptAtErasure;
  /**
   * For a resumed run: what the interrupted run had done before it died (batches recorded, people erased,
   * batches left pending between the stores, rule steps begun). The totals above include it.
   */
  finishedFirst?: {
    batches: number;
    erased: number;
    pendingBatches: number;
    failedBatches: number;
    stepsBegun: string[];
  };
}

export interface RunSummaryOptions {
  at: string;
  dryRun: boolean;
  sweep: boolean;
  rules: 'all' | 'auto';
  batchSize: number;
}

type PeoplePlan = Pick<RetentionPlan, 'at' | 'cutoff' | 'rule' | 'mode' | 'people'> & { emails: string[] };

/** How many people one set of statements erases. */
export const BATCH = 2000;

/** Everything: the profile sweep and every rule's executors (the officer's run, auto mode). */
export const WHOLE_RUN: RunOptions = { sweep: true, rules: 'all' };

/**
 * The policy's retention terms, enforced. The profile rule ("at most two years after the last contact
 * moment or transaction"): who is past the term in every system is erased by the same engine and legal
 * holds as a request, in journaled batches. Every other rule by its executor (src/policy/retention-
 * executors.ts): held records destroyed when the hold ends, technical data cleared, the register of
 * requests and proof of consent deleted from the hub. A run killed midway is finished by the next one.
 */
export class RetentionService {
  readonly #journal: RetentionJournal;
  readonly #sweep: JournaledSweep;
  readonly #rules: RuleOutcomes;
  readonly #checks: SubjectChecks;

  constructor(private readonly deps: RetentionDeps) {
    const db = deps.requests.db;
    this.#journal = new RetentionJournal({ db, secret: deps.secret, clock: deps.clock });
    this.#sweep = new JournaledSweep({
      ...deps,
      journal: this.#journal,
      batchSize: deps.batchSize ?? BATCH,
      recheck: (emails, at) => this.#recheck(emails, at),
    });
    this.#rules = new RuleOutcomes({
      ...deps,
      journal: this.#journal,
      executors: ruleExecutors({
        ...deps,
        hub: new HubRetentionRepository(db),
        analyticsCategories: deps.analyticsCategories ?? [],
      }),
    });
    this.#checks = new SubjectChecks(db);
  }

  /** The retention rule that governs the client profile: the one with `whileClient` and a term. */
  profileRule(): RetentionRule {
    const rule = this.deps.policy().retention.rules.find((r) => r.whileClient && r.term && r.from === 'last-activity');
    if (!rule)
      throw new Error(
        'the policy has no retention rule for the client profile (whileClient, a term, from last-activity)',
      );
    return rule;
  }

  /**
   * One keyed digest of a set of people (order does not matter): what the officer approved in `approve`
   * mode is compared with whom the run would erase, without keeping the list.
   */
  peopleDigest(emails: ReadonlyArray<string>): string {
    const refs = emails.map((e) => subjectRef(this.deps.secret, e)).sort();
    return hmacHex(deriveKey(this.deps.secret, 'retention/approved-people'), refs.join('\n'));
  }

  /** Who would be erased, and what every rule of the policy would remove now: counts, and the addresses. */
  async plan(at = this.deps.clock.now()): Promise<RetentionPlan & { emails: string[] }> {
    return this.#planFor(await this.#people(at), at);
  }

  async #planFor(people: PeoplePlan, at: Date): Promise<RetentionPlan & { emails: string[] }> {
    const rules = await this.#rules.outcomes(at, { sweep: true, rules: 'all' }, people.people.toErase);
    const housekeeping = this.deps.housekeeping && (await hubHousekeeping(this.deps.housekeeping, at, true));
    return { ...people, ...holdsIn(rules), rules, ...(housekeeping ? { housekeeping } : {}) };
  }

  /** Who is past the term, and who of them is kept (active since by the shop's report, restricted, open request). */
  async #people(at: Date): Promise<PeoplePlan> {
    const rule = this.profileRule();
    const cutoff = subtractTerm(at, rule.term!);
    const { emails: candidates, known } = await this.deps.executor.pastTerm(cutoff);
    // In chunks: a map of every candidate's keyed hash would cost more memory than the rest of the plan.
    const emails: string[] = [];
    const kept = { recent: 0, restricted: 0, open: 0 };
    for (const refs of chunksByRef(this.deps.secret, candidates)) {
      const chunk = [...refs.keys()];
      const keep = new Set<string>();
      const mark = (found: ReadonlyArray<string>, reason: keyof typeof kept) => {
        for (const ref of found) {
          if (keep.has(ref)) continue;
          keep.add(ref);
          kept[reason]++;
        }
      };
      mark(await this.#checks.activeSince(chunk, cutoff), 'recent');
      mark(await this.#checks.restricted(chunk), 'restricted');
      mark(await this.#checks.withOpenRequest(chunk), 'open');
      for (const [ref, email] of refs) if (!keep.has(ref)) emails.push(email);
    }
    emails.sort();
    return {
      at: at.toISOString(),
      cutoff: cutoff.toISOString(),
      rule: rule.id,
      mode: rule.mode,
      people: {
        known,
        pastTerm: candidates.length - kept.recent,
        restricted: kept.restricted,
        openRequest: kept.open,
        toErase: emails.length,
      },
      emails,
    };
  }

  /**
   * Of a batch's people, who may still be erased now: GDPR Art. 5(1)(e) and the policy keep a client while
   * they are one, so someone who placed an order or made contact since the cutoff (in any system, or as the
   * shop reported it), whose processing is restricted (Art. 18: not erased without the officer), or who has
   * a request open (it is answered from their data, Art. 12) is kept. The plan asked the same; this asks
   * again just before the shop is touched, since a batch may run long after its plan (a resumed run).
   */
  async #recheck(emails: ReadonlyArray<string>, at: Date): Promise<Recheck> {
    const kept: KeptAtErasure = { active: 0, restricted: 0, openRequest: 0 };
    if (emails.length === 0) return { erase: [], kept };
    const cutoff = subtractTerm(at, this.profileRule().term!);
    const activeInShop = await this.deps.executor.activeAmong(emails, cutoff);
    const erase: string[] = [];
    for (const refs of chunksByRef(this.deps.secret, emails)) {
      const chunk = [...refs.keys()];
      const active = new Set(await this.#checks.activeSince(chunk, cutoff));
      const restricted = new Set(await this.#checks.restricted(chunk));
      const open = new Set(await this.#checks.withOpenRequest(chunk));
      for (const [ref, email] of refs) {
        if (restricted.has(ref)) kept.restricted++;
        else if (open.has(ref)) kept.openRequest++;
        else if (active.has(ref) || activeInShop.has(email)) kept.active++;
        else erase.push(email);
      }
    }
    return { erase, kept };
  }

  /**
   * Runs the retention: the profile sweep in journaled batches, then every rule's executors, then records
   * the run (register entries as it goes; the run itself and its audit entry at the end, together). A
   * run left unfinished by a process that died is finished instead, with its own moment and plan, so
   * that it reports and records what it would have without the crash.
   */
  async run(
    at = this.deps.clock.now(),
    onProgress?: (done: number, total: number) => void,
    planned?: PeoplePlan,
    actor: 'system' | 'cli' | `user:${string}` = 'system',
    options: RunOptions & {
      batchSize?: number;
      /** The officer's approval (approve mode): the run erases no one outside it, also when resumed. */
      approved?: ApprovedPeople;
      /**
       * Approve mode: a run left unfinished is resumed only to erase people an approval covers (those of its
       * own approval); one no approval covers has its begun batches recorded and erases no one more.
       */
      onlyApproved?: boolean;
    } = WHOLE_RUN,
  ): Promise<RetentionRunSummary> {
    const started = performance.now();
    this.refuseFuture(at);
    let run = await this.#journal.unfinished<Omit<PeoplePlan, 'emails'>>();
    let emails: string[] = [];
    if (!run) {
      const { emails: list, cutoff, rule, mode, people } = planned ?? (await this.#people(at));
      const scope = {
        sweep: options.sweep,
        rules: options.rules,
        batchSize: options.batchSize ?? this.deps.batchSize ?? BATCH,
      };
      const plan = { at: at.toISOString(), cutoff, rule, mode, people };
      run = await this.#journal.begin({
        at,
        actor,
        options: scope,
        plan,
        ...(options.approved ? { approved: options.approved } : {}),
      });
      emails = options.sweep ? list : [];
      if (options.approved) emails = within(emails, options.approved.emails);
    }
    const stopBeating = this.#journal.keepAlive(run.id);
    try {
      const finishedFirst = run.resumed ? await this.#finishedFirst(run) : undefined;
      let failedBatches = Number(run.steps.failedBatches ?? 0);
      // Whom the re-checks kept is journaled with each batch (run.steps.keptAtErasure).
      const count = (done: { failed: number }) => {
        failedBatches += done.failed;
      };
      if (run.resumed) {
        count(await this.#sweep.recordPending(run));
        // People past the term at the run's moment, as the interrupted run planned them: an approved run only
        // those the officer approved (whoever else is free to go now was never reviewed); in approve mode a run
        // no approval covers erases no one more (its people come in the next plan, for the officer).
        if (run.options.sweep && (run.approved || !options.onlyApproved)) {
          const planned = (await this.#people(run.at)).emails;
          emails = run.approved ? within(planned, run.approved.emails) : planned;
        }
      }
      const batchSize = run.options.batchSize ?? options.batchSize;
      const hubSweep = this.deps.hub ? this.deps.hub.sweep.bind(this.deps.hub) : (fn: () => Promise<void>) => fn();
      await hubSweep(() =>
        this.deps.executor.sweep(async () => {
          count(await this.#sweep.erase(run, emails, onProgress, batchSize));
        }),
      );
      if (failedBatches) await this.#journal.step(run, 'failedBatches', failedBatches);
      const batches = await this.#journal.recorded(run.id);
      const erased = batches.reduce((n, b) => n + b.count, 0);
      const rules = await this.#rules.outcomes(run.at, run.options, erased, run);
      const summary = {
        ...this.#summarise(run, batches, rules, failedBatches, started),
        keptAtErasure: keptOf(run),
        ...(finishedFirst ? { finishedFirst } : {}),
      };
      await this.#finish(run, summary);
      return summary;
    } catch (err) {
      await this.#journal.release(run.id);
      throw err;
    } finally {
      stopBeating();
    }
  }

  /**
   * Whether a run is left unfinished, and the digest of the approval it runs under (null: none); looks only.
   * The approved job resumes its own run instead of planning again.
   */
  unfinishedApproval(): Promise<{ digest: string | null } | undefined> {
    return this.#journal.unfinishedApproval();
  }

  /**
   * A run judges who is past the term by its moment: dated ahead, it would erase people before their term
   * ends (GDPR Art. 5(1)(e) allows keeping them until then; Art. 17 does not yet oblige the erasure). A plan
   * may look ahead; a run may not.
   */
  refuseFuture(at: Date | undefined): void {
    if (!at) return;
    const now = this.deps.clock.now();
    if (at.getTime() > now.getTime())
      throw validationFailed(
        `--at: ${at.toISOString()} is in the future (now ${now.toISOString()}); a retention run dated ahead would erase people before their term ends`,
        'at',
      );
  }

  /** What a dead process had done of this run before it died, as its journal tells (counts only). */
  async #finishedFirst(run: JournaledRun): Promise<NonNullable<RetentionRunSummary['finishedFirst']>> {
    const batches = await this.#journal.recorded(run.id);
    return {
      batches: batches.length,
      erased: batches.reduce((n, b) => n + b.count, 0),
      pendingBatches: (await this.#journal.pending(run.id)).length,
      failedBatches: Number(run.steps.failedBatches ?? 0),
      stepsBegun: Object.keys(run.steps)
        .filter((k) => k !== 'failedBatches' && k !== 'keptAtErasure')
        .sort(),
    };
  }

  /** The run in counts: the plan it began with, the batches the journal recorded, and every rule's outcome. */
  #summarise(
    run: JournaledRun,
    batches: Awaited<ReturnType<RetentionJournal['recorded']>>,
    rules: RuleOutcome[],
    failedBatches: number,
    started: number,
  ): Omit<RetentionRunSummary, 'keptAtErasure' | 'finishedFirst'> {
    const plan = run.plan as Omit<PeoplePlan, 'emails'>;
    const perCollection = new Map<string, RetentionRunSummary['perCollection'][number]>();
    for (const c of batches.flatMap((b) => Object.values(b.systems).flatMap((s) => s.collections))) {
      const key = `${c.system}.${c.collection}`;
      const t = perCollection.get(key) ?? { ...c, found: 0, deleted: 0, anonymised: 0, sealed: 0 };
      perCollection.set(key, {
        system: c.system,
        collection: c.collection,
        found: t.found + c.found,
        deleted: t.deleted + c.deleted,
        anonymised: t.anonymised + c.anonymised,
        sealed: t.sealed + c.sealed,
      });
    }
    return {
      ...plan,
      at: run.at.toISOString(),
      ...holdsIn(rules),
      rules,
      erased: batches.reduce((n, b) => n + b.count, 0),
      perCollection: [...perCollection.values()],
      failedBatches,
      notSwept: this.deps.executor.notSwept(),
      seconds: (performance.now() - started) / 1000,
      resumed: run.resumed,
      options: {
        at: run.at.toISOString(),
        dryRun: false,
        sweep: run.options.sweep,
        rules: run.options.rules,
        batchSize: run.options.batchSize ?? this.deps.batchSize ?? BATCH,
      },
    };
  }

  /** In the hub, in one transaction: the run recorded, its audit entry, and its journal closed. */
  async #finish(run: JournaledRun, summary: RetentionRunSummary): Promise<void> {
    await this.deps.requests.db.transaction().execute(async (trx) => {
      await this.deps.audit?.record(
        {
          actor: run.actor,
          action: 'retention.run',
          details: {
            at: summary.at,
            rule: summary.rule,
            erased: summary.erased,
            sealed: summary.perCollection.reduce((n, c) => n + c.sealed, 0),
            destroyed: summary.expiredHolds.reduce((n, h) => n + h.records, 0) + summary.sealedToDestroy,
            removed: Object.fromEntries(
              summary.rules.map((r) => [r.rule, r.executors.reduce((n, e) => n + e.records, 0)]),
            ),
            failedBatches: summary.failedBatches,
          },
        },
        trx,
      );
      await this.record('run', summary, trx);
      await this.#journal.finish(trx, run.id);
    });
  }

  /** Records a plan or a run, in counts only. A new plan supersedes one still waiting. */
  async record(
    kind: 'plan' | 'run',
    summary: RetentionPlan | RetentionRunSummary,
    db: RequestRepository['db'] = this.deps.requests.db,
  ): Promise<string> {
    const id = newId();
    await db.updateTable('retention_runs').set({ status: 'superseded' }).where('status', '=', 'waiting').execute();
    await db
      .insertInto('retention_runs')
      .values({
        id,
        kind,
        status: kind === 'plan' ? 'waiting' : 'done',
        at: summary.at,
        summary: JSON.stringify(summary),
        created_at: this.deps.clock.now().toISOString(),
      })
      .execute();
    return id;
  }

  /** The policy's optional reminder (`reminderDaysBefore`), to people who consented to later contact. */
  remind(at = this.deps.clock.now(), options: { dryRun?: boolean } = {}): Promise<ReminderSummary> {
    return sendReminders(this.deps, this.profileRule(), at, options);
  }

  /**
   * The daily job: the reminders, then every rule in `auto` mode. The profile sweep runs by itself in
   * `auto` mode; in `approve` mode its plan waits for the officer.
   */
  async daily(): Promise<void> {
    await this.remind();
    if (this.profileRule().mode === 'auto') {
      await this.run(undefined, undefined, undefined, 'system', { sweep: true, rules: 'auto' });
      return;
    }
    // The auto rules first, so that the plan left waiting shows what is left for the officer.
    const at = this.deps.clock.now();
    const people = await this.#people(at);
    await this.run(at, undefined, people, 'system', { sweep: false, rules: 'auto', onlyApproved: true });
    const { emails: _, ...plan } = await this.#planFor(people, at);
    await this.record('plan', plan);
  }
}

/** Of these people, those in the approved set (the order of `emails` kept). */
function within(emails: ReadonlyArray<string>, approved: ReadonlyArray<string>): string[] {
  const set = new Set(approved);
  return emails.filter((e) => set.has(e));
}
