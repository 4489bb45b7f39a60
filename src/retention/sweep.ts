import type { SystemErasure } from '../connectors/connector.ts';
import type { Executor } from '../executor/executor.ts';
import { failpoint } from '../lib/failpoints.ts';
import { newOrderedId } from '../lib/ids.ts';
import { collectGarbageIfGrown } from '../lib/memory.ts';
import { forgetAnalyticsIds } from '../requests/analytics-ids.ts';
import { forgetHubTraces } from '../requests/hub-traces.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import { insertJsonRows } from '../store/json-insert.ts';
import type { JournaledRun, RetentionJournal } from './journal.ts';

type Db = RequestRepository['db'];

export interface SweepDeps {
  executor: Executor;
  journal: RetentionJournal;
  requests: RequestRepository;
  secret: string;
  batchSize: number;
}

/**
 * The profile rule's sweep: people past the term erased in batches through the engine, each batch
 * journaled across the two stores it spans. Per batch and system: (1) held records are sealed, (2) the
 * batch's people and what the system is about to erase go into the journal, (3) the system commits in the
 * shop; then (4) the hub records the batch in one transaction — register entries, the people's traces
 * forgotten, the batch marked done. A process killed between (3) and (4) leaves the batch `intent`; the
 * next run erases it again (nothing is left, so nothing changes) and records it with the journal's counts.
 * Killed before (2), nothing of the batch changed in the shop (a seal is never made twice) and the next
 * plan finds its people again.
 */
export class JournaledSweep {
  constructor(private readonly deps: SweepDeps) {}

  /** Finishes the batches a dead process began: erased again where anything is left, then recorded. */
  async recordPending(run: JournaledRun): Promise<number> {
    let failed = 0;
    for (const batch of await this.deps.journal.pending(run.id)) {
      const told = { ...batch.systems };
      const report = await this.deps.executor.eraseMany(batch.emails, {
        at: run.at,
        beforeCommit: (s) => this.#tell(run.id, batch.seq, batch.emails, told, s),
      });
      if (report.status !== 'complete') {
        failed++;
        continue;
      }
      // A system that committed before the crash finds nothing now: what it told the journal then stands.
      const systems = Object.fromEntries(
        report.systems.map((s) => [s.system, s.status === 'nothing-found' && told[s.system] ? told[s.system]! : s]),
      );
      await this.#record(run, batch.seq, batch.emails, systems);
    }
    return failed;
  }

  /** Erases these people in batches; returns how many batches failed (their people stay for the next run). */
  async erase(
    run: JournaledRun,
    emails: ReadonlyArray<string>,
    onProgress?: (done: number, total: number) => void,
    size = this.deps.batchSize,
  ): Promise<number> {
    let seq = await this.deps.journal.nextSeq(run.id);
    let failed = 0;
    for (let i = 0; i < emails.length; i += size, seq++) {
      const batch = emails.slice(i, i + size);
      const told: Record<string, SystemErasure> = {};
      const report = await this.deps.executor.eraseMany(batch, {
        at: run.at,
        beforeCommit: (s) => this.#tell(run.id, seq, batch, told, s),
      });
      failpoint('retention.after-shop-commit');
      if (report.status !== 'complete') {
        // What committed stays erased; who is left is found again by the next plan.
        failed++;
        continue;
      }
      await this.#record(run, seq, batch, Object.fromEntries(report.systems.map((s) => [s.system, s])));
      failpoint('retention.after-hub-commit');
      collectGarbageIfGrown();
      onProgress?.(Math.min(i + size, emails.length), emails.length);
    }
    return failed;
  }

  /** The batch's intent, with what this system is about to erase, before the system commits. */
  async #tell(
    runId: string,
    seq: number,
    emails: ReadonlyArray<string>,
    told: Record<string, SystemErasure>,
    s: SystemErasure,
  ): Promise<void> {
    told[s.system] = s;
    await this.deps.journal.intent(runId, seq, emails, told);
  }

  /**
   * In the hub, in one transaction: an anonymous register entry per person erased (type, dates, reason;
   * no identity), forgetting what the hub itself kept about them — the activity index, consent proof,
   * withdrawal links, reminders, Analytics ids — and the batch marked done in the journal.
   */
  async #record(
    run: JournaledRun,
    seq: number,
    emails: ReadonlyArray<string>,
    systems: Record<string, SystemErasure>,
  ): Promise<void> {
    const refs = emails.map((e) => subjectRef(this.deps.secret, e));
    const statuses = Object.values(systems).map((s) => ({ system: s.system, status: s.status }));
    await this.deps.requests.db.transaction().execute(async (trx) => {
      await forgetHubTraces(trx, refs);
      await forgetAnalyticsIds(trx, refs);
      await register(trx, emails.length, run.at, statuses);
      await this.deps.journal.done(trx, { id: run.id, count: emails.length }, seq, systems);
    });
  }
}

/** One anonymous register entry per person erased: type, dates, reason; no identity. */
async function register(db: Db, count: number, at: Date, systems: Array<{ system: string; status: string }>) {
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
