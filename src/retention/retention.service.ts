import type { AuditTrail } from '../audit/audit-trail.ts';
import type { Executor } from '../executor/executor.ts';
import { type Clock, DAY } from '../lib/clock.ts';
import { newId, newOrderedId } from '../lib/ids.ts';
import { collectGarbageIfGrown } from '../lib/memory.ts';
import type { OutgoingMail } from '../notify/outbox.ts';
import type { Policy, RetentionRule } from '../policy/policy.schema.ts';
import { subtractTerm } from '../policy/term.ts';
import { forgetAnalyticsIds } from '../requests/analytics-ids.ts';
import { forgetHubTraces } from '../requests/hub-traces.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import type { Store } from '../store/database.ts';
import { insertJsonRows } from '../store/json-insert.ts';
import type { SealedArchive } from './sealed-archive.ts';

export interface RetentionDeps {
  executor: Executor;
  archive: SealedArchive;
  requests: RequestRepository;
  policy: () => Policy;
  clock: Clock;
  secret: string;
  /** People per set of statements; 500 unless a test wants small batches. */
  batchSize?: number;
  /** For the policy's optional reminder before the term ends; no reminders without it. */
  mail?: { enqueue(mail: OutgoingMail<'retention-reminder'>, db?: Db): Promise<string | undefined> };
  /** Each run is recorded in the audit trail, in counts. */
  audit?: AuditTrail;
  /** The hub's store, so that a run's batches are written as one sweep there too (sealed records, register). */
  hub?: Pick<Store, 'sweep'>;
}

type Db = RequestRepository['db'];

export interface ReminderSummary {
  at: string;
  /** People whose term ends within the reminder window. */
  due: number;
  reminded: number;
  /** Told already in this stretch of inactivity, restricted, or active by the shop's report. */
  skipped: number;
}

/** A reminder counts for one stretch of inactivity: after a renewed term the next one is years away. */
const REMINDED_WITHIN = 365 * DAY;

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
}

/** How many people one set of statements erases. */
export const BATCH = 2000;

/**
 * The policy's "at most two years after the last contact moment or transaction", enforced: who is
 * past the term (newest activity in any system, or reported by the shop, or a request), erased by the
 * same engine and legal holds as a request; and what has outlived its legal hold, destroyed.
 */
export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  /** The retention rule that governs the client profile: the one with `whileClient` and a term. */
  profileRule(): RetentionRule {
    const rule = this.deps.policy().retention.rules.find((r) => r.whileClient && r.term && r.from === 'last-activity');
    if (!rule)
      throw new Error(
        'the policy has no retention rule for the client profile (whileClient, a term, from last-activity)',
      );
    return rule;
  }

  async plan(at = this.deps.clock.now()): Promise<RetentionPlan & { emails: string[] }> {
    const rule = this.profileRule();
    const cutoff = subtractTerm(at, rule.term!);
    const { emails: candidates, known } = await this.deps.executor.pastTerm(cutoff);

    // Keep whoever the shop reported active since, whoever is restricted, and whoever has an open request.
    // In chunks: a map of every candidate's keyed hash would cost more memory than the rest of the plan.
    const db = this.deps.requests.db;
    const emails: string[] = [];
    let recent = 0;
    let restricted = 0;
    let open = 0;
    for (const refs of this.#chunksByRef(candidates)) {
      const chunk = [...refs.keys()];
      const kept = new Set<string>();
      const mark = (found: ReadonlyArray<string | null>, count: () => void) => {
        for (const ref of found) {
          if (ref && !kept.has(ref)) {
            kept.add(ref);
            count();
          }
        }
      };
      mark(await this.#activeSince(chunk, cutoff), () => recent++);
      mark(await this.#restricted(chunk), () => restricted++);
      mark(
        (
          await db
            .selectFrom('requests')
            .select('subject_ref')
            .where('subject_ref', 'in', chunk)
            .where('status', 'not in', ['completed', 'rejected', 'expired'])
            .execute()
        ).map((r) => r.subject_ref),
        () => open++,
      );
      for (const [ref, email] of refs) if (!kept.has(ref)) emails.push(email);
    }
    emails.sort();
    return {
      at: at.toISOString(),
      cutoff: cutoff.toISOString(),
      rule: rule.id,
      mode: rule.mode,
      people: {
        known,
        pastTerm: candidates.length - recent,
        restricted,
        openRequest: open,
        toErase: emails.length,
      },
      expiredHolds: await this.deps.executor.destroyExpiredHolds(at, true),
      sealedToDestroy: await this.deps.archive.destroyExpired(at, true),
      emails,
    };
  }

  /**
   * Runs the plan: people in batches (one transaction per system and batch), an anonymous register
   * entry per person erased, then what has outlived its hold. A run stopped midway and started again
   * finds only the people not yet erased.
   */
  async run(
    at = this.deps.clock.now(),
    onProgress?: (done: number, total: number) => void,
    planned?: RetentionPlan & { emails: string[] },
    actor: 'system' | 'cli' | `user:${string}` = 'system',
  ): Promise<RetentionRunSummary> {
    const started = performance.now();
    const { emails, ...plan } = planned ?? (await this.plan(at));
    const perCollection = new Map<string, RetentionRunSummary['perCollection'][number]>();
    let erased = 0;
    let failedBatches = 0;
    const size = this.deps.batchSize ?? BATCH;
    const eraseBatches = async () => {
      for (let i = 0; i < emails.length; i += size) {
        const batch = emails.slice(i, i + size);
        const report = await this.deps.executor.eraseMany(batch, { at });
        if (report.status !== 'complete') {
          failedBatches++;
          continue;
        }
        for (const c of report.systems.flatMap((s) => s.collections)) {
          const key = `${c.system}.${c.collection}`;
          const t = perCollection.get(key) ?? {
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
          perCollection.set(key, t);
        }
        await this.#recordErased(
          batch,
          at,
          report.systems.map((s) => ({ system: s.system, status: s.status })),
        );
        erased += batch.length;
        collectGarbageIfGrown();
        onProgress?.(Math.min(i + size, emails.length), emails.length);
      }
    };
    const hubSweep = this.deps.hub ? this.deps.hub.sweep.bind(this.deps.hub) : (fn: () => Promise<void>) => fn();
    await hubSweep(() => this.deps.executor.sweep(eraseBatches));
    const expiredHolds = await this.deps.executor.destroyExpiredHolds(at, false);
    const sealedToDestroy = await this.deps.archive.destroyExpired(at, false);
    const summary: RetentionRunSummary = {
      ...plan,
      expiredHolds,
      sealedToDestroy,
      erased,
      perCollection: [...perCollection.values()],
      failedBatches,
      notSwept: this.deps.executor.notSwept(),
      seconds: (performance.now() - started) / 1000,
    };
    await this.deps.audit?.record({
      actor,
      action: 'retention.run',
      details: {
        at: summary.at,
        rule: summary.rule,
        erased,
        sealed: summary.perCollection.reduce((n, c) => n + c.sealed, 0),
        destroyed: expiredHolds.reduce((n, h) => n + h.records, 0) + sealedToDestroy,
        failedBatches,
      },
    });
    return summary;
  }

  /** Records a plan or a run, in counts only. A new plan supersedes one still waiting. */
  async record(kind: 'plan' | 'run', summary: RetentionPlan | RetentionRunSummary): Promise<string> {
    const db = this.deps.requests.db;
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

  /**
   * The policy's optional reminder (`reminderDaysBefore`): people whose term ends within that many
   * days get one e-mail inviting them to log in or order. Nobody is told twice for the same stretch
   * of inactivity; restricted people are not mailed at all.
   */
  async remind(at = this.deps.clock.now(), options: { dryRun?: boolean } = {}): Promise<ReminderSummary> {
    const rule = this.profileRule();
    const summary: ReminderSummary = { at: at.toISOString(), due: 0, reminded: 0, skipped: 0 };
    const days = rule.reminderDaysBefore;
    if (!days || !this.deps.mail) return summary;
    const cutoff = subtractTerm(at, rule.term!);
    const soon = new Date(cutoff.getTime() + days * DAY);
    const past = new Set((await this.deps.executor.pastTerm(cutoff)).emails);
    const due = (await this.deps.executor.pastTerm(soon)).emails.filter((e) => !past.has(e)).sort();
    summary.due = due.length;
    const db = this.deps.requests.db;
    const shopUrl = this.deps.policy().controller.website;
    for (const refs of this.#chunksByRef(due)) {
      const chunk = [...refs.keys()];
      const skip = new Set([
        ...(await this.#activeSince(chunk, soon)),
        ...(await this.#restricted(chunk)),
        ...(
          await db
            .selectFrom('retention_reminders')
            .select('subject_ref')
            .where('subject_ref', 'in', chunk)
            .where('sent_at', '>', new Date(at.getTime() - REMINDED_WITHIN).toISOString())
            .execute()
        ).map((r) => r.subject_ref),
      ]);
      for (const [ref, email] of refs) {
        if (skip.has(ref)) {
          summary.skipped++;
          continue;
        }
        summary.reminded++;
        if (options.dryRun) continue;
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('retention_reminders')
            .values({ subject_ref: ref, sent_at: at.toISOString() })
            .onConflict((oc) => oc.column('subject_ref').doUpdateSet({ sent_at: at.toISOString() }))
            .execute();
          await this.deps.mail!.enqueue(
            {
              to: email,
              template: 'retention-reminder',
              lang: 'nl',
              data: { withinDays: days, term: rule.term!, shopUrl },
              dedupeKey: `retention-reminder:${ref}:${at.toISOString().slice(0, 10)}`,
            },
            trx,
          );
        });
      }
    }
    return summary;
  }

  /** People in chunks of 500, each as keyed reference → address: the hub knows people only by reference. */
  *#chunksByRef(emails: ReadonlyArray<string>): Generator<Map<string, string>> {
    for (let i = 0; i < emails.length; i += 500)
      yield new Map(emails.slice(i, i + 500).map((e) => [subjectRef(this.deps.secret, e), e]));
  }

  /** Of these references, those the shop reported active on or after `since`. */
  async #activeSince(refs: string[], since: Date): Promise<string[]> {
    const rows = await this.deps.requests.db
      .selectFrom('subject_activity')
      .select('subject_ref')
      .where('subject_ref', 'in', refs)
      .where('last_at', '>=', since.toISOString())
      .execute();
    return rows.map((r) => r.subject_ref);
  }

  /** Of these references, those whose processing is restricted (not touched without the officer). */
  async #restricted(refs: string[]): Promise<string[]> {
    const rows = await this.deps.requests.db
      .selectFrom('subject_flags')
      .select('subject_ref')
      .where('subject_ref', 'in', refs)
      .where('restricted', '=', 1)
      .execute();
    return rows.map((r) => r.subject_ref);
  }

  /** The daily job: runs by itself in `auto` mode; in `approve` mode the plan waits for the officer. */
  async daily(): Promise<void> {
    await this.remind();
    if (this.profileRule().mode === 'approve') {
      const { emails: _, ...plan } = await this.plan();
      await this.record('plan', plan);
      return;
    }
    await this.record('run', await this.run());
  }

  /**
   * In the hub, in one transaction: an anonymous register entry per person erased (type, dates,
   * reason; no identity), and forgetting what the hub itself kept about them — the activity index,
   * consent proof, withdrawal links, reminders. Keyed hashes only, but kept after the person is gone
   * they would still single someone out.
   */
  async #recordErased(
    emails: ReadonlyArray<string>,
    at: Date,
    systems: Array<{ system: string; status: string }>,
  ): Promise<void> {
    const refs = emails.map((e) => subjectRef(this.deps.secret, e));
    await this.deps.requests.db.transaction().execute(async (trx) => {
      await forgetHubTraces(trx, refs);
      await forgetAnalyticsIds(trx, refs);
      await this.#register(trx, emails.length, at, systems);
    });
  }

  /** One anonymous register entry per person erased: type, dates, reason; no identity. */
  async #register(db: Db, count: number, at: Date, systems: Array<{ system: string; status: string }>): Promise<void> {
    const iso = at.toISOString();
    const result = JSON.stringify({ systems, reason: 'retention' });
    const rows = Array.from({ length: count }, () => ({
      id: newOrderedId(),
      type: 'erasure',
      status: 'completed',
      language: 'nl',
      email: null,
      subject_ref: null,
      name: null,
      message: null,
      details: null,
      received_at: iso,
      verified_at: null,
      due_at: iso,
      legal_due_at: iso,
      extended_at: null,
      completed_at: iso,
      outcome: 'retention',
      result,
      updated_at: iso,
    }));
    if (rows.length === 0) return;
    await insertJsonRows(db, 'requests', Object.keys(rows[0]!), rows).execute(db);
  }
}
