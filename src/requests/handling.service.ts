import type { KnownAnalyticsIds } from './analytics-ids.ts';
import { OfficerDecisions } from './decisions.ts';
import { fieldWord } from './export-fields.ts';
import { PROCESS_JOB } from './intake.service.ts';
import { ManualTasks, type ProcessorAnswer } from './manual-tasks.ts';
import type { ProcessorNotices } from './processor-notices.ts';
import type { DsrRequest } from './request.repository.ts';
import type { RequestType } from './request.types.ts';
import { answerAccess } from './rights/access.ts';
import { type HandlingDeps, RightsContext, StaleRun } from './rights/context.ts';
import { erase } from './rights/erasure.ts';
import { object } from './rights/objection.ts';
import { rectify } from './rights/rectification.ts';
import { restrict } from './rights/restriction.ts';

export type { HandlingDeps } from './rights/context.ts';

/** One module per right; each takes a verified request that is being handled. */
const RIGHTS: Record<RequestType, (ctx: RightsContext, request: DsrRequest) => Promise<void>> = {
  access: answerAccess,
  portability: answerAccess,
  rectification: async (ctx, request) => {
    // A correction is checked by the officer first.
    if (!(await ctx.requests.events(request.id)).some((e) => e.event === 'approved'))
      return awaitDecision(ctx, request);
    return rectify(ctx, request);
  },
  restriction: restrict,
  objection: object,
  erasure: erase,
  closure: erase,
};

/**
 * A correction waits for the officer's check. The person hears that nothing is corrected yet, what they
 * asked, by when it is done, and where to follow it (the e-mail carries the status link).
 */
async function awaitDecision(ctx: RightsContext, request: DsrRequest): Promise<void> {
  const { requests } = ctx.deps;
  await requests.db.transaction().execute(async (trx) => {
    if (await requests.transition(trx, request.id, ['in_progress'], 'awaiting_decision')) {
      await requests.event(trx, request.id, 'awaiting_decision');
      const fields = Object.keys(request.details.corrections ?? {}).map(
        (role) => fieldWord(role, request.language) ?? role.replace(/_/g, ' '),
      );
      await ctx.mail(trx, request, 'rectification-received', { fields, dueAt: request.dueAt });
    }
  });
}

/**
 * What happens to a verified request: a small dispatcher over the rights (rights/*.ts), the officer's
 * decisions (decisions.ts) and manual tasks (manual-tasks.ts). Every step is written so that running it
 * twice (a worker that died and a job that was retried) does nothing twice: status changes are guarded
 * by the status they come from (request-status.ts), and e-mails carry a dedupe key.
 *
 * One run at a time per request is the job queue's work, not a lock here: a request has one
 * `request.process` job queued or running at a time (the verification, the officer's decision and a
 * retry each enqueue the next one only when no run is going on, and housekeeping only when none is
 * queued or running), and a running job keeps its lease while its worker lives. A second run starts only
 * after a worker stopped extending for a whole lease; even then processors are not changed twice in
 * effect: connectors look up what is there before they delete, notices, tasks and e-mails are keyed per
 * request, and an erasure's counts come from its journal (rights/erasure.ts).
 */
export class HandlingService {
  readonly #ctx: RightsContext;
  readonly #decisions: OfficerDecisions;
  readonly #tasks: ManualTasks;

  constructor(deps: HandlingDeps) {
    this.#ctx = new RightsContext(deps);
    this.#decisions = new OfficerDecisions(this.#ctx);
    this.#tasks = new ManualTasks(this.#ctx);
  }

  get notices(): ProcessorNotices {
    return this.#ctx.notices;
  }

  /** Whether requests can be processed at all (there is a data map); without, they wait for the officer. */
  get canProcess(): boolean {
    return this.#ctx.deps.executor !== undefined;
  }

  /** The `request.process` job. */
  async process(id: string): Promise<void> {
    const { requests } = this.#ctx.deps;
    const request = await requests.get(id);
    if (!request || !['verified', 'in_progress'].includes(request.status)) return;
    await requests.transition(requests.db, id, ['verified'], 'in_progress');
    request.status = 'in_progress';
    try {
      await RIGHTS[request.type](this.#ctx, request);
    } catch (err) {
      // The officer decided, or another run finished, meanwhile: this run's final step rolled back.
      if (!(err instanceof StaleRun)) throw err;
    }
  }

  /**
   * Starts a request again whose run stopped for good (its job used up its tries, e.g. the hub's own
   * database was away): a `resumed` event and a new `request.process` job.
   */
  async resume(id: string): Promise<void> {
    const { requests, jobs, clock } = this.#ctx.deps;
    await requests.db.transaction().execute(async (trx) => {
      const request = await requests.get(id, trx);
      if (!request || !['verified', 'in_progress'].includes(request.status)) return;
      const key = `process:${id}:resume:${clock.now().toISOString().slice(0, 13)}`;
      if (await jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: key }, trx)) await requests.event(trx, id, 'resumed');
    });
  }

  approve(id: string): Promise<void> {
    return this.#decisions.approve(id);
  }

  reject(id: string, reason: string): Promise<void> {
    return this.#decisions.reject(id, reason);
  }

  extend(id: string, reason: string): Promise<string> {
    return this.#decisions.extend(id, reason);
  }

  verifyIdentity(id: string): Promise<void> {
    return this.#decisions.verifyIdentity(id);
  }

  /** Announces the end of a restriction; it takes effect after the policy's notice (returns when). */
  lift(id: string): Promise<string> {
    return this.#decisions.lift(id);
  }

  /** A manual task is done; for an access task, with what the processor gave. */
  completeTask(taskId: string, note?: string, answer?: ProcessorAnswer): Promise<DsrRequest> {
    return this.#tasks.complete(taskId, { note, answer });
  }

  analyticsIdsForTask(taskId: string): Promise<KnownAnalyticsIds | undefined> {
    return this.#tasks.analyticsIdsFor(taskId);
  }

  /** Housekeeping: announced lifts of restrictions whose day has come take effect (Art. 18(3)). */
  liftDueRestrictions(): Promise<string[]> {
    return this.#ctx.flags.liftDue(this.#ctx.deps.clock.now().toISOString());
  }

  /** What the shop must respect for a person now (GET /api/v1/subjects/status). */
  subjectStatus(subjectRef: string) {
    return this.#ctx.flags.status(subjectRef, this.#ctx.deps.clock.now().toISOString());
  }
}
