import type { SystemErasure } from '../connectors/connector.ts';
import type { Executor } from '../executor/executor.ts';
import { failpoint } from '../lib/failpoints.ts';
import { newOrderedId } from '../lib/ids.ts';
import { collectGarbageIfGrown } from '../lib/memory.ts';
import { forgetAnalyticsIds } from '../requests/analytics-ids.ts';
import { forgetInHub, type HubForgetDeps } from '../requests/hub-traces.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import type { Store } from '../store/database.ts';
import { insertJsonRows } from '../store/json-insert.ts';
import type { JournaledRun, RetentionJournal } from './journal.ts';

type Db = RequestRepository['db'];

export interface SweepDeps {
  executor: Executor;
  journal: RetentionJournal;
  requests: RequestRepository;
  /** The export packages' owner: an erased person's exports are destroyed with them. */
  exports?: HubForgetDeps['exports'];
  secret: string;
  batchSize: number;
  /** The hub's store, told how many register rows each batch added (PostgreSQL keeps the table analyzed). */
  hub?: Pick<Store, 'grew'>;
  /**
   * Of a batch's people, those still to be erased now, just before the shop is touched: someone who placed
   * an order, gained a restriction hold or started a request since the batch was planned is kept.
   */
  recheck: (emails: ReadonlyArray<string>, at: Date) => Promise<Recheck>;
}

/** A batch re-checked: who is still past the term and free to erase, and how many were kept and why. */
export interface Recheck {
  erase: string[];
  kept: KeptAtErasure;
}

export interface KeptAtErasure {
  active: number;
  restricted: number;
  openRequest: number;
}

/**
 * The profile rule's sweep: people past the term erased in batches through the engine, each batch
 * journaled across the two stores it spans. Per batch: (0) its people are re-checked (someone active,
 * restricted or with an open request since the plan is kept); per system: (1) the batch's people and what
 * the system is about to erase go into the journal, (2) held records are sealed, (3) the system commits in
 * the shop; then (4) the hub records the batch in one transaction — a register entry per person found and
 * erased, the people forgotten in the hub, the batch marked done. A process killed after (1) leaves the
 * batch `intent`; the next run re-checks all its people (also those a system erased already), erases the rest again
 * (what committed finds nothing and keeps the journal's counts) and records it. Killed before (1), nothing
 * of the batch changed anywhere and the next plan finds its people again.
 */
export class JournaledSweep {
  constructor(private readonly deps: SweepDeps) {}

  /**
   * Finishes the batches a dead process began: re-checked, erased again where anything is left, then
   * recorded. Returns how many failed (whom the re-check kept is journaled with each batch).
   */
  async recordPending(run: JournaledRun): Promise<{ failed: number }> {
    let failed = 0;
    for (const batch of await this.deps.journal.pending(run.id)) {
      const told = { ...batch.systems };
      // A system that committed before the crash finds nothing of the batch now: its people are erased
      // there already, and the re-check cannot undo that.
      const now = await this.deps.executor.eraseMany(batch.emails, { dryRun: true, at: run.at, withSubjects: true });
      const committed = new Set(
        now.systems.filter((s) => s.status === 'nothing-found' && told[s.system]).map((s) => s.system),
      );
      // Everyone is re-checked, also who is erased there already: someone restricted or with a request
      // opened since the crash is kept, in the systems left and in the hub (their restriction hold and
      // their request stay), and counted as kept.
      const check = await this.deps.recheck(batch.emails, run.at);
      const emails = check.erase;
      const free = new Set(emails);
      const keptThere = new Set([...committed].flatMap((s) => told[s]?.subjects ?? []).filter((e) => !free.has(e)));
      for (const s of Object.keys(told)) if (!committed.has(s)) delete told[s];
      await this.deps.journal.intent(run.id, batch.seq, emails, told);
      if (emails.length === 0) {
        // Everyone of the batch is kept: nothing more to erase, nobody to register or forget.
        await this.#record(run, batch.seq, told, check.kept, keptThere);
        continue;
      }
      const report = await this.deps.executor.eraseMany(emails, {
        at: run.at,
        withSubjects: true,
        beforeCommit: (s) => this.#tell(run.id, batch.seq, emails, told, s),
      });
      if (report.status !== 'complete') {
        failed++;
        continue;
      }
      const systems = Object.fromEntries(
        report.systems.map((s) => [s.system, committed.has(s.system) ? told[s.system]! : s]),
      );
      await this.#record(run, batch.seq, systems, check.kept, keptThere);
    }
    return { failed };
  }

  /** Erases these people in batches; returns how many batches failed (their people stay for the next run). */
  async erase(
    run: JournaledRun,
    emails: ReadonlyArray<string>,
    onProgress?: (done: number, total: number) => void,
    size = this.deps.batchSize,
  ): Promise<{ failed: number }> {
    let seq = await this.deps.journal.nextSeq(run.id);
    let failed = 0;
    for (let i = 0; i < emails.length; i += size, seq++) {
      const check = await this.deps.recheck(emails.slice(i, i + size), run.at);
      const batch = check.erase;
      if (batch.length === 0) {
        await this.#record(run, seq, {}, check.kept);
        onProgress?.(Math.min(i + size, emails.length), emails.length);
        continue;
      }
      const told: Record<string, SystemErasure> = {};
      const report = await this.deps.executor.eraseMany(batch, {
        at: run.at,
        withSubjects: true,
        beforeCommit: (s) => this.#tell(run.id, seq, batch, told, s),
      });
      failpoint('retention.after-shop-commit');
      if (report.status !== 'complete') {
        // What committed stays erased; who is left is found again by the next plan.
        failed++;
        continue;
      }
      await this.#record(run, seq, Object.fromEntries(report.systems.map((s) => [s.system, s])), check.kept);
      failpoint('retention.after-hub-commit');
      collectGarbageIfGrown();
      onProgress?.(Math.min(i + size, emails.length), emails.length);
    }
    return { failed };
  }

  /** The batch's intent, with what this system is about to erase, before the system seals and commits. */
  async #tell(
    runId: string,
    seq: number,
    emails: ReadonlyArray<string>,
    told: Record<string, SystemErasure>,
    s: SystemErasure,
  ): Promise<void> {
    told[s.system] = s;
    await this.deps.journal.intent(runId, seq, emails, told);
    failpoint('retention.before-shop-commit');
  }

  /**
   * In the hub, in one transaction: an anonymous register entry per person found and erased (type, dates,
   * reason; no identity) — someone the batch planned but no system found (erased meanwhile by a request)
   * is not counted — the hub forgetting them as an erasure by request does (exports, links, restriction
   * holds and objections, traces, Analytics ids; their handled requests kept without identity), and the
   * batch marked done in the journal.
   */
  async #record(
    run: JournaledRun,
    seq: number,
    systems: Record<string, SystemErasure>,
    kept: KeptAtErasure,
    /** People a system erased before a crash whom the re-check now keeps: neither registered nor forgotten. */
    keptThere: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    // Whom the re-check kept counts with the batch, in its transaction: neither lost nor counted twice on a crash.
    const steps = { ...run.steps, keptAtErasure: addKept(keptOf(run), kept) };
    const erased = [...new Set(Object.values(systems).flatMap((s) => s.subjects ?? []))].filter(
      (e) => !keptThere.has(e),
    );
    const refs = erased.map((e) => subjectRef(this.deps.secret, e));
    const statuses = Object.values(systems).map((s) => ({ system: s.system, status: s.status }));
    const { requests } = this.deps;
    await requests.db.transaction().execute(async (trx) => {
      await forgetInHub({ requests, exports: this.deps.exports }, trx, refs);
      await forgetAnalyticsIds(trx, refs);
      // Art. 17 as for a request: the register keeps their handled requests, without who they were about.
      await requests.forgetIdentity(trx, await requests.idsOfSubjects(trx, refs, { handled: true }));
      await register(trx, erased.length, run.at, statuses);
      await this.deps.journal.done(trx, { id: run.id, count: erased.length }, seq, systems, steps);
    });
    run.steps = steps;
    // Every batch looks people up in the register by reference (above, and in the re-check).
    await this.deps.hub?.grew('requests', erased.length);
  }
}

const noneKept = (): KeptAtErasure => ({ active: 0, restricted: 0, openRequest: 0 });

/** Whom the run's re-checks kept so far (its journal's step). */
export const keptOf = (run: JournaledRun): KeptAtErasure => ({
  ...noneKept(),
  ...(run.steps.keptAtErasure as KeptAtErasure | undefined),
});

function addKept(into: KeptAtErasure, more: KeptAtErasure): KeptAtErasure {
  into.active += more.active;
  into.restricted += more.restricted;
  into.openRequest += more.openRequest;
  return into;
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
