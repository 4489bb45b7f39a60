import type { AuditTrail } from '../audit/audit-trail.ts';
import type { ManualTask } from '../connectors/connector.ts';
import type { AnalyticsSubject } from '../connectors/google-analytics/google-analytics.api.ts';
import type { ConsentRecord } from '../consent/contact-consent.types.ts';
import type { AccessResult, Executor } from '../executor/executor.ts';
import { encrypt } from '../lib/crypto.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { extendedDeadline } from '../lib/legal-period.ts';
import { AnalyticsIds, type KnownAnalyticsIds } from './analytics-ids.ts';
import { buildExportPackage, exportFileName } from './export-package.ts';
import { forgetHubTraces } from './hub-traces.ts';
import { DOWNLOAD_VALID_MS, exportKey, MAX_DOWNLOADS, PROCESS_JOB, type RequestDeps } from './intake.service.ts';
import { ProcessorNotices } from './processor-notices.ts';
import {
  ACCESS_GIVE_UP_MS,
  accessNotices,
  CHANGE_GIVE_UP_MS,
  erasureNotices,
  type NoticeAction,
  processorIndex,
  rectificationNotices,
  restrictionNotices,
} from './processor-notify.ts';
import { dueIn, type FailedSystem, insertTasks, ProcessorOutages } from './processor-outage.ts';
import type { Db, DsrRequest } from './request.repository.ts';
import type { RequestResult, RequestStatus } from './request.types.ts';

export interface HandlingDeps extends RequestDeps {
  /** The person's consent history, for the export. */
  consentHistoryFor?: (email: string) => Promise<ConsentRecord[]>;
  /** The engine; absent when the config folder has no data map (requests then wait for the officer). */
  executor?: Executor;
  /** Art. 19 records; by default over the requests' database. */
  notices?: ProcessorNotices;
  /** Google Analytics ids the shop reported; by default over the requests' database. */
  analyticsIds?: AnalyticsIds;
  /**
   * The data map's systems erased by those ids (connector google-analytics): while one of them has an
   * open task the officer needs the ids, so they are kept until that task is done.
   */
  analyticsSystems?: ReadonlyArray<string>;
  /** Erasures go into the audit trail (`request.erased`), when given. */
  audit?: AuditTrail;
}

/**
 * What happens to a verified request, per right. Every step is written so that running it twice
 * (a worker that died and a job that was retried) does nothing twice: status changes are guarded by
 * the status they come from, and e-mails carry a dedupe key.
 *
 * One run at a time per request is the job queue's work, not a lock here: a request has one
 * `request.process` job queued or running at a time (the verification, the officer's decision and a
 * retry each enqueue the next one only when no run is going on, and housekeeping only when none is
 * queued or running), and a running job keeps its lease while its worker lives (extended every third
 * of the lease). A second run starts only after a worker stopped extending for a whole lease, i.e.
 * it is dead or cut off from the database; even then processors are not changed twice in effect:
 * their connectors look up what is there before they delete (a second erasure finds nothing) and use
 * idempotency keys, and notices, tasks and e-mails are keyed per request.
 */
export class HandlingService {
  readonly notices: ProcessorNotices;
  readonly #analyticsIds: AnalyticsIds;
  readonly #outages: ProcessorOutages;

  constructor(private readonly deps: HandlingDeps) {
    this.notices = deps.notices ?? new ProcessorNotices(deps.requests.db, deps.clock);
    this.#analyticsIds =
      deps.analyticsIds ?? new AnalyticsIds({ db: deps.requests.db, secret: deps.secret, clock: deps.clock });
    this.#outages = new ProcessorOutages({
      requests: deps.requests,
      jobs: deps.jobs,
      clock: deps.clock,
      notices: this.notices,
      processorSystems: () => this.#executor().processorSystems(),
      manualTaskFor: (system, action) => this.#executor().manualTaskFor(system, action),
    });
  }

  /** Whether requests can be processed at all (there is a data map); without, they wait for the officer. */
  get canProcess(): boolean {
    return this.deps.executor !== undefined;
  }

  /**
   * Starts a request again whose run stopped for good (its job used up its tries, e.g. the hub's own
   * database was away): a `resumed` event and a new `request.process` job. Housekeeping calls it for
   * requests with no job queued or running.
   */
  async resume(id: string): Promise<void> {
    const { requests, jobs, clock } = this.deps;
    await requests.db.transaction().execute(async (trx) => {
      const request = await requests.get(id, trx);
      if (!request || !['verified', 'in_progress'].includes(request.status)) return;
      const key = `process:${id}:resume:${clock.now().toISOString().slice(0, 13)}`;
      if (await jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: key }, trx)) await requests.event(trx, id, 'resumed');
    });
  }

  /** The `request.process` job. */
  async process(id: string): Promise<void> {
    const { requests } = this.deps;
    const request = await requests.get(id);
    if (!request || !['verified', 'in_progress'].includes(request.status)) return;
    await requests.transition(requests.db, id, ['verified'], 'in_progress');
    switch (request.type) {
      case 'access':
      case 'portability':
        await this.#deliverExport(request, true);
        return;
      case 'rectification':
        return (await this.#approved(id)) ? this.#rectify(request) : this.#awaitDecision(request);
      case 'objection':
        if (!(await this.#approved(id))) return this.#awaitDecision(request);
        // Upheld: the person gets a copy first, then processing stops for good. A retry (a processor
        // was down during the erasure) does not export again.
        if (!(await this.deps.requests.events(id)).some((e) => e.event === 'exported'))
          if (!(await this.#deliverExport(request, false))) return;
        return this.#erase(request);
      case 'restriction':
        return this.#restrict(request);
      case 'erasure':
      case 'closure':
        return this.#erase(request);
    }
  }

  /** The officer approves: a rectification is applied; an objection is upheld (export, then erasure). Runs as a job. */
  async approve(id: string): Promise<void> {
    await this.#open(id, ['awaiting_decision']);
    const { requests, jobs } = this.deps;
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.transition(trx, id, ['awaiting_decision'], 'verified')))
        throw conflict('request changed meanwhile');
      await requests.event(trx, id, 'approved');
      await jobs.enqueue('request.process', { id }, { dedupeKey: `process:${id}:approved` }, trx);
    });
  }

  async #approved(id: string): Promise<boolean> {
    return (await this.deps.requests.events(id)).some((e) => e.event === 'approved');
  }

  /** The officer rejects, with reasons that go to the person with their right to complain. */
  async reject(id: string, reason: string): Promise<void> {
    const request = await this.#open(id, [
      'awaiting_identity',
      'verified',
      'in_progress',
      'awaiting_decision',
      'awaiting_verification',
    ]);
    const { requests } = this.deps;
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.transition(trx, id, [request.status], 'rejected', this.#closing('rejected'))))
        throw conflict('request changed meanwhile');
      await requests.event(trx, id, 'rejected');
      if (request.subjectRef && request.type === 'objection') await requests.clearFlags(trx, request.subjectRef);
      await this.#mail(trx, request, request.type === 'objection' ? 'objection-rejected' : 'rejected', {
        type: request.type,
        reason,
      });
      await requests.update(trx, id, { details: JSON.stringify({ ...request.details, decisionReason: reason }) });
    });
  }

  /** Art. 12(3): up to two more months, with reasons sent to the person. */
  async extend(id: string, reason: string): Promise<string> {
    const request = await this.#open(id, [
      'awaiting_identity',
      'verified',
      'in_progress',
      'awaiting_decision',
      'waiting_on_tasks',
    ]);
    const { requests, clock } = this.deps;
    const dueAt = extendedDeadline(request, clock.now(), { reason, calendar: this.deps.holidays });
    await requests.db.transaction().execute(async (trx) => {
      await requests.update(trx, id, {
        due_at: dueAt,
        legal_due_at: dueAt,
        extended_at: clock.now().toISOString(),
        details: JSON.stringify({ ...request.details, extensionReason: reason }),
      });
      await requests.event(trx, id, 'extended', { dueAt });
      await this.#mail(trx, request, 'extended', { type: request.type, reason, dueAt });
    });
    return dueAt;
  }

  /** The officer has checked the identity of someone who asked for delivery elsewhere. */
  async verifyIdentity(id: string): Promise<void> {
    const { requests, jobs } = this.deps;
    await this.#open(id, ['awaiting_identity']);
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.transition(trx, id, ['awaiting_identity'], 'verified')))
        throw conflict('request changed meanwhile');
      await requests.event(trx, id, 'identity_verified');
      await jobs.enqueue('request.process', { id }, { dedupeKey: `process:${id}:identity` }, trx);
    });
  }

  /** Lifts a restriction (by the officer, or because the person asked). */
  async lift(id: string): Promise<void> {
    const request = await this.#get(id);
    if (!request.subjectRef) throw conflict('this request no longer knows whom it was about');
    const { requests } = this.deps;
    await requests.db.transaction().execute(async (trx) => {
      await requests.clearFlags(trx, request.subjectRef!);
      await requests.event(trx, id, 'restriction_lifted');
      await this.#mail(trx, request, 'restriction-lifted', {});
    });
  }

  /** A manual task is done; the request completes when its last task is. */
  async completeTask(taskId: string, note?: string): Promise<DsrRequest> {
    const { requests } = this.deps;
    const task = await requests.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
    if (!task) throw notFound(`no task ${taskId}`);
    await requests.db
      .updateTable('tasks')
      .set({ status: 'done', done_at: requests.now(), note: note ?? null })
      .where('id', '=', taskId)
      .where('status', '=', 'open')
      .execute();
    await requests.event(requests.db, task.request_id, 'task_done', { processor: task.processor, action: task.action });
    const open = await requests.tasks({ requestId: task.request_id, open: true });
    const request = await this.#get(task.request_id);
    if (this.#isAnalytics(task.system)) await this.#forgetAnalyticsIdsUnlessNeeded(requests.db, request);
    if (open.length === 0 && request.status === 'waiting_on_tasks') {
      await requests.db.transaction().execute(async (trx) => {
        if (await requests.transition(trx, request.id, ['waiting_on_tasks'], 'completed', this.#closing('completed'))) {
          await requests.event(trx, request.id, 'completed');
          await this.#mail(trx, request, 'completed', { type: request.type });
          await this.#forgetIdentity(trx, request);
        }
      });
    }
    return this.#get(task.request_id);
  }

  /** Builds and sends the export; false when a processor is down and a later try was scheduled instead. */
  async #deliverExport(request: DsrRequest, completes: boolean): Promise<boolean> {
    const { requests, clock } = this.deps;
    const executor = this.#executor();
    const result = await executor.find(await this.#subject(request));
    const kinds = processorIndex(executor.processorSystems());
    const notices = accessNotices(result, kinds);
    const lateTasks: ManualTask[] = [];
    // A processor that stayed down (or refused) is left out: the export says so, and the officer gets
    // that part by hand. The shop's own database is never left out: the export waits for it.
    const outage = await this.#outages.handle(
      request,
      'access',
      result.failed ?? [],
      notices,
      lateTasks,
      ACCESS_GIVE_UP_MS,
    );
    if (outage.retry) return false;
    const unavailable = outage.handedOver.map((system) => this.#processorName(kinds.get(system)!.processor));
    const shown: AccessResult = { ...result, manualTasks: [...result.manualTasks, ...lateTasks] };
    const consents = (await this.deps.consentHistoryFor?.(request.email!)) ?? [];
    const now = clock.now();
    const processors = result.processors.map((p) => p.name);
    await requests.db.transaction().execute(async (trx) => {
      await this.notices.record(trx, request.id, notices);
      if (result.records.length === 0 && consents.length === 0) {
        await this.#mail(trx, request, 'no-data', {
          type: request.type,
          ...(unavailable.length ? { unavailable } : {}),
        });
      } else {
        const zip = buildExportPackage(shown, this.deps.policy(), {
          lang: request.language,
          generatedAt: now,
          consents,
        });
        const expiresAt = new Date(now.getTime() + DOWNLOAD_VALID_MS).toISOString();
        await trx
          .insertInto('request_exports')
          .values({
            request_id: request.id,
            file_name: exportFileName(now),
            ciphertext: encrypt(exportKey(this.deps.secret), Buffer.from(zip), `export:${request.id}`),
            created_at: now.toISOString(),
            expires_at: expiresAt,
            downloads: 0,
            max_downloads: MAX_DOWNLOADS,
            destroyed_at: null,
          })
          .onConflict((oc) => oc.column('request_id').doNothing())
          .execute();
        const token = await requests.issueToken(trx, request.id, 'download', expiresAt, MAX_DOWNLOADS);
        await this.#mail(trx, request, 'access-ready', {
          type: request.type,
          link: `${this.deps.baseUrl}/requests/download/${token}`,
          expiresAt,
          maxDownloads: MAX_DOWNLOADS,
          records: result.records.length,
          processors,
          ...(unavailable.length ? { unavailable } : {}),
        });
      }
      await requests.event(trx, request.id, 'exported', {
        records: result.records.length,
        ...(unavailable.length ? { without: outage.handedOver } : {}),
      });
      await insertTasks(trx, request.id, lateTasks, this.deps.clock.now());
      const summary: RequestResult = { records: result.records.length, processors };
      if (!completes) return;
      if (lateTasks.length > 0) {
        if (
          await requests.transition(trx, request.id, ['in_progress'], 'waiting_on_tasks', {
            result: JSON.stringify({ ...summary, tasks: lateTasks.length }),
            outcome: 'exported',
          })
        )
          await requests.event(trx, request.id, 'waiting_on_tasks', { tasks: lateTasks.length });
      } else if (
        await requests.transition(trx, request.id, ['in_progress'], 'completed', {
          ...this.#closing(result.records.length ? 'exported' : 'no data'),
          result: JSON.stringify(summary),
        })
      ) {
        await requests.event(trx, request.id, 'completed');
      }
    });
    return true;
  }

  /**
   * Systems an earlier run of this request already told about `action`, or handed to the officer as a
   * manual task (recorded with that run's tasks): they are not asked twice.
   */
  async #alreadyTold(requestId: string, action: NoticeAction): Promise<Set<string>> {
    const notices = await this.notices.forRequest(requestId);
    return new Set(
      notices
        .filter((n) => n.action === action && ['done', 'retained', 'nothing-found', 'manual'].includes(n.status))
        .map((n) => n.system),
    );
  }

  async #awaitDecision(request: DsrRequest): Promise<void> {
    const { requests } = this.deps;
    await requests.db.transaction().execute(async (trx) => {
      if (request.type === 'objection' && request.subjectRef) {
        // The policy: processing stops at once, pending the decision.
        await requests.setFlags(trx, request.subjectRef, { restricted: true, objection: true }, request.id);
        await this.#mail(trx, request, 'objection-received', {});
      }
      if (await requests.transition(trx, request.id, ['in_progress'], 'awaiting_decision')) {
        await requests.event(trx, request.id, 'awaiting_decision');
      }
    });
  }

  async #restrict(request: DsrRequest): Promise<void> {
    const { requests } = this.deps;
    // The restriction holds at once in the hub (the shop reads it); telling the processors may take longer.
    await requests.db.transaction().execute(async (trx) => {
      await requests.setFlags(trx, request.subjectRef!, { restricted: true, objection: false }, request.id);
      await this.#mail(trx, request, 'restricted', {});
    });
    const executor = this.deps.executor;
    if (!executor) {
      await requests.db
        .transaction()
        .execute((trx) => this.#finish(trx, request, [], { processors: [] }, 'restricted'));
      return;
    }
    const skip = await this.#alreadyTold(request.id, 'restrict');
    const report = await executor.restrict(await this.#subject(request), { skip });
    const notices = restrictionNotices(report.systems, processorIndex(executor.processorSystems()));
    const tasks = [...report.manualTasks];
    const outage = await this.#outages.handle(
      request,
      'restrict',
      failedIn(report.systems),
      notices,
      tasks,
      CHANGE_GIVE_UP_MS,
    );
    if (outage.retry) return;
    await requests.db.transaction().execute(async (trx) => {
      await this.notices.record(trx, request.id, notices);
      await this.#finish(trx, request, tasks, { processors: unique(tasks.map((t) => t.processor)) }, 'restricted');
    });
  }

  async #rectify(request: DsrRequest): Promise<void> {
    const { requests } = this.deps;
    const corrections = request.details.corrections ?? {};
    const executor = this.#executor();
    const skip = await this.#alreadyTold(request.id, 'rectify');
    const report = await executor.rectify(await this.#subject(request), { values: corrections }, { skip });
    const notices = rectificationNotices(report.systems, processorIndex(executor.processorSystems()));
    const tasks = [...report.manualTasks];
    const outage = await this.#outages.handle(
      request,
      'rectify',
      failedIn(report.systems),
      notices,
      tasks,
      CHANGE_GIVE_UP_MS,
    );
    if (outage.retry) return;
    const fields = Object.keys(corrections);
    await requests.db.transaction().execute(async (trx) => {
      await this.notices.record(trx, request.id, notices);
      await this.#mail(trx, request, 'rectified', { fields });
      await this.#finish(
        trx,
        request,
        tasks,
        { systems: report.systems.map((s) => ({ system: s.system, status: s.status })) },
        'rectified',
      );
    });
  }

  async #erase(request: DsrRequest): Promise<void> {
    const { requests, clock } = this.deps;
    const executor = this.#executor();
    const kinds = processorIndex(executor.processorSystems());
    const skip = await this.#alreadyTold(request.id, 'erase');
    const report = await executor.erase(await this.#subject(request), { skip });
    const notices = erasureNotices(report.systems, kinds);
    const collections = report.systems.flatMap((s) => s.collections);
    // Added to what earlier runs did (kept at once, without identity): a run after a worker died, or after
    // a processor was down, finds less and must still tell the person everything that was done.
    const erased = mergeCounts(
      request.result.erased ?? [],
      collections
        .filter((c) => c.deleted + c.anonymised > 0)
        .map((c) => ({ what: `${c.system}.${c.collection}`, count: c.deleted + c.anonymised })),
    );
    // Everything kept: sealed in our archive until a date, or kept by a processor (with a date when it says one).
    const retained = mergeRetained(
      request.result.retained ?? [],
      collections
        .filter((c) => c.sealed > 0 || (c.retained ?? 0) > 0)
        .map((c) => ({
          what: `${c.system}.${c.collection}`,
          ...(c.retainedUntil ? { until: c.retainedUntil } : {}),
          why: c.reason ?? '',
          count: c.sealed + (c.retained ?? 0),
        })),
    );
    await requests.update(requests.db, request.id, {
      result: JSON.stringify({ ...request.result, erased, retained }),
    });
    request.result = { ...request.result, erased, retained };
    const tasks = [...report.manualTasks];
    // A processor that is down is tried again later; the others are not told twice.
    const outage = await this.#outages.handle(
      request,
      'erase',
      failedIn(report.systems),
      notices,
      tasks,
      CHANGE_GIVE_UP_MS,
    );
    if (outage.retry) return;
    const earlierTasks = (await requests.tasks({ requestId: request.id })).filter((t) => t.status === 'open');
    const pending = [
      ...tasks.map((t) => ({ system: t.system, processor: t.processor, dueAt: dueIn(clock.now(), t.dueInDays) })),
      ...earlierTasks.map((t) => ({ system: t.system, processor: t.processor, dueAt: t.due_at })),
    ]
      .filter((t) => kinds.has(t.system))
      .filter((t, i, all) => all.findIndex((o) => o.processor === t.processor) === i)
      .map((t) => ({ name: this.#processorName(t.processor), dueAt: t.dueAt }));
    await requests.db.transaction().execute(async (trx) => {
      await this.notices.record(trx, request.id, notices);
      if (request.subjectRef) {
        await requests.clearFlags(trx, request.subjectRef);
        await forgetHubTraces(trx, [request.subjectRef]);
      }
      await this.#mail(trx, request, 'erased', { erased, retained, pendingProcessors: pending });
      const result = {
        systems: report.systems.map((s) => ({ system: s.system, status: s.status })),
        erased,
        retained,
        records: erased.reduce((n, c) => n + c.count, 0),
      };
      const next = await this.#finish(trx, request, tasks, result, 'erased');
      // The officer needs the Analytics ids for an Analytics task still open; otherwise they go now.
      await this.#forgetAnalyticsIdsUnlessNeeded(trx, request);
      if (next) await this.#auditErasure(trx, request, erased, retained, next);
    });
  }

  /** `request.erased` in the audit trail: counts per system and what is kept; ids only, never the address. */
  async #auditErasure(
    trx: Db,
    request: DsrRequest,
    erased: ReadonlyArray<{ what: string; count: number }>,
    retained: ReadonlyArray<{ what: string; count?: number }>,
    status: RequestStatus,
  ): Promise<void> {
    if (!this.deps.audit) return;
    const systems: Record<string, number> = {};
    for (const e of erased) {
      const system = e.what.split('.')[0]!;
      systems[system] = (systems[system] ?? 0) + e.count;
    }
    await this.deps.audit.record(
      {
        actor: 'system',
        action: 'request.erased',
        target: `request:${request.id}`,
        ...(request.subjectRef ? { subjectRef: request.subjectRef } : {}),
        details: {
          type: request.type,
          status,
          systems,
          retained: retained.reduce((n, r) => n + (r.count ?? 0), 0),
        },
      },
      trx,
    );
  }

  /**
   * Creates the manual tasks and completes the request, or leaves it waiting on them; returns the
   * status it moved to (undefined when another run got there first).
   */
  async #finish(
    trx: Db,
    request: DsrRequest,
    tasks: ManualTask[],
    result: RequestResult,
    outcome: string,
  ): Promise<RequestStatus | undefined> {
    const { requests } = this.deps;
    await insertTasks(trx, request.id, tasks, this.deps.clock.now());
    // Tasks of earlier steps count too (an access part a processor could not give, an earlier run's tasks).
    const open = await trx
      .selectFrom('tasks')
      .select('id')
      .where('request_id', '=', request.id)
      .where('status', '=', 'open')
      .execute();
    const next: RequestStatus = open.length > 0 ? 'waiting_on_tasks' : 'completed';
    const set = {
      result: JSON.stringify({ ...result, tasks: open.length }),
      outcome,
      ...(next === 'completed' ? this.#closing(outcome) : {}),
    };
    if (!(await requests.transition(trx, request.id, ['in_progress'], next, set))) return undefined;
    await requests.event(trx, request.id, next, { tasks: open.length });
    if (next === 'completed') await this.#forgetIdentity(trx, request);
    return next;
  }

  /** After an erasure or account closure the register keeps no identity: not the address, the name, or a hash. */
  async #forgetIdentity(trx: Db, request: DsrRequest): Promise<void> {
    if (request.type !== 'erasure' && request.type !== 'closure' && request.type !== 'objection') return;
    if (request.type === 'objection' && request.status === 'rejected') return;
    // At the latest now: with the reference gone, nothing could find the Analytics ids again.
    if (request.subjectRef) await this.#analyticsIds.forget(trx, [request.subjectRef]);
    await this.deps.requests.update(trx, request.id, {
      email: null,
      subject_ref: null,
      name: null,
      message: null,
      details: null,
    });
    await this.deps.requests.deleteTokens(trx, request.id);
  }

  /** Forgets the person's Analytics ids unless an open task of an Analytics system still needs them. */
  async #forgetAnalyticsIdsUnlessNeeded(db: Db, request: DsrRequest): Promise<void> {
    if (!request.subjectRef || !['erasure', 'closure', 'objection'].includes(request.type)) return;
    const analytics = this.deps.analyticsSystems ?? [];
    if (analytics.length > 0) {
      const open = await db
        .selectFrom('tasks')
        .select('id')
        .where('request_id', '=', request.id)
        .where('status', '=', 'open')
        .where('system', 'in', [...analytics])
        .executeTakeFirst();
      if (open) return;
    }
    await this.#analyticsIds.forget(db, [request.subjectRef]);
  }

  #isAnalytics(system: string): boolean {
    return (this.deps.analyticsSystems ?? []).includes(system);
  }

  /**
   * The Analytics ids the officer needs for an open task of an Analytics system (to delete the visitor
   * by hand); undefined for any other task, or once the ids are gone.
   */
  async analyticsIdsForTask(taskId: string): Promise<KnownAnalyticsIds | undefined> {
    const { requests } = this.deps;
    const task = await requests.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
    if (task?.status !== 'open' || !this.#isAnalytics(task.system)) return undefined;
    const request = await requests.get(task.request_id);
    if (!request?.subjectRef) return undefined;
    return this.#analyticsIds.idsFor(request.subjectRef);
  }

  /** Who the engine is asked about: the address, and the Analytics ids the shop reported for the person. */
  async #subject(request: DsrRequest): Promise<AnalyticsSubject> {
    const analytics = request.subjectRef ? await this.#analyticsIds.idsFor(request.subjectRef) : undefined;
    return { email: request.email!, ...(analytics ? { analytics } : {}) };
  }

  #closing(outcome: string) {
    return { completed_at: this.deps.clock.now().toISOString(), outcome };
  }

  async #mail(trx: Db, request: DsrRequest, template: string, data: Record<string, unknown>): Promise<void> {
    if (!request.email) return;
    await this.deps.mail.enqueue(
      {
        to: request.email,
        template,
        lang: request.language,
        data,
        requestId: request.id,
        dedupeKey: `request:${request.id}:${template}`,
      },
      trx,
    );
  }

  #executor(): Executor {
    if (!this.deps.executor) throw new Error('no data map is configured: the request waits for the officer');
    return this.deps.executor;
  }

  #processorName(id: string): string {
    return this.deps.policy().processors.find((p) => p.id === id)?.name ?? id;
  }

  async #get(id: string): Promise<DsrRequest> {
    const request = await this.deps.requests.get(id);
    if (!request) throw notFound(`no request ${id}`);
    return request;
  }

  async #open(id: string, statuses: RequestStatus[]): Promise<DsrRequest> {
    const request = await this.#get(id);
    if (!statuses.includes(request.status))
      throw conflict(`request ${id} is ${request.status}; this needs ${statuses.join(' or ')}`);
    return request;
  }
}

/** The systems that failed in a run, with whether trying again can help. */
const failedIn = (systems: ReadonlyArray<{ system: string; status: string; error?: string; retryable?: boolean }>) =>
  systems
    .filter((s) => s.status === 'failed')
    .map((s): FailedSystem => ({ system: s.system, error: s.error, retryable: s.retryable }));

const unique = <T>(xs: T[]) => [...new Set(xs)];

/** Counts per collection, summed over runs. */
function mergeCounts(earlier: Array<{ what: string; count: number }>, now: Array<{ what: string; count: number }>) {
  const merged = earlier.map((e) => ({ ...e }));
  for (const n of now) {
    const e = merged.find((m) => m.what === n.what);
    if (e) e.count += n.count;
    else merged.push({ ...n });
  }
  return merged;
}

/** What is kept, per collection, over runs; counts add up. */
function mergeRetained<T extends { what: string; count?: number }>(earlier: T[], now: T[]): T[] {
  const merged = earlier.map((e) => ({ ...e }));
  for (const n of now) {
    const e = merged.find((m) => m.what === n.what);
    if (e) e.count = (e.count ?? 0) + (n.count ?? 0);
    else merged.push({ ...n });
  }
  return merged;
}
