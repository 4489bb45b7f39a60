import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { ManualTask } from '../../connectors/connector.ts';
import type { AnalyticsSubject } from '../../connectors/google-analytics/google-analytics.api.ts';
import type { ConsentRecord } from '../../consent/contact-consent.types.ts';
import type { Executor } from '../../executor/executor.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { SealedArchive } from '../../retention/sealed-archive.ts';
import { AnalyticsIds } from '../analytics-ids.ts';
import type { DataLabels } from '../data-labels.ts';
import type { RequestDeps } from '../intake.service.ts';
import { ProcessorNotices } from '../processor-notices.ts';
import type { NoticeAction } from '../processor-notify.ts';
import { ProcessorOutages } from '../processor-outage.ts';
import type { Db, DsrRequest } from '../request.repository.ts';
import type { RequestResult, RequestStatus } from '../request.types.ts';
import type { RequestExports } from '../request-exports.ts';
import { RequestStatusPages } from '../status-page.ts';
import { SubjectFlagRules } from '../subject-flags.ts';
import { VerificationMailLedger } from '../verification-mails.ts';

export interface HandlingDeps extends RequestDeps {
  /** The person's consent history, for the export. */
  consentHistoryFor?: (email: string) => Promise<ConsentRecord[]>;
  /** The data map's words for collections and fields, for what the person reads; the defaults without. */
  labels?: DataLabels;
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
  /** The export packages' owner. */
  exports: RequestExports;
  /** The sealed archive, for what is sealed about a person (counts and dates, never contents). */
  archive?: Pick<SealedArchive, 'summary' | 'subjectRef'>;
  /** Records an objection to direct marketing with the person's consent proof (Art. 21(3)). */
  recordMarketingObjection?: (db: Db, email: string, purposes: ReadonlyArray<string>) => Promise<void>;
}

/**
 * The messages after which a request still takes days, and so carry a link to its status page: an
 * objection awaiting the decision, a correction awaiting the officer's check, an erasure or a correction
 * that processors reached by hand still follow, an access answer whose processors' parts come later.
 */
function takesDays(template: string, data: Record<string, unknown>): boolean {
  const some = (x: unknown) => Array.isArray(x) && x.length > 0;
  switch (template) {
    case 'objection-received':
    case 'rectification-received':
      return true;
    case 'erased':
    case 'rectified':
      return some(data.pendingProcessors);
    case 'access-ready':
      return some((data.answer as { pending?: unknown } | undefined)?.pending) || some(data.unavailable);
    case 'no-data':
      return some(data.pending) || some(data.unavailable);
    default:
      return false;
  }
}

/**
 * A run that finds, in its final transaction, that its request moved on meanwhile (the officer rejected
 * it, another run finished it): the transaction rolls back — no e-mail, no export, nothing forgotten —
 * and the run ends quietly.
 */
export class StaleRun extends Error {
  constructor(id: string) {
    super(`request ${id} changed while it was being handled; this run records nothing`);
    this.name = 'StaleRun';
  }
}

/**
 * What every right's module shares: the services it is handed and the small steps they all take
 * (mail the person, finish or wait on tasks, forget the identity). The rules of each right live in
 * its own module (rights/access.ts, …); this holds none.
 */
export class RightsContext {
  readonly notices: ProcessorNotices;
  readonly analyticsIds: AnalyticsIds;
  readonly outages: ProcessorOutages;
  readonly flags: SubjectFlagRules;
  readonly #ledger = new VerificationMailLedger();

  constructor(readonly deps: HandlingDeps) {
    this.notices = deps.notices ?? new ProcessorNotices(deps.requests.db, deps.clock);
    this.analyticsIds =
      deps.analyticsIds ?? new AnalyticsIds({ db: deps.requests.db, secret: deps.secret, clock: deps.clock });
    this.flags = new SubjectFlagRules(deps.requests);
    this.outages = new ProcessorOutages({
      requests: deps.requests,
      jobs: deps.jobs,
      clock: deps.clock,
      notices: this.notices,
      processorSystems: () => this.executor().processorSystems(),
      manualTaskFor: (system, action) => this.executor().manualTaskFor(system, action),
    });
  }

  get requests() {
    return this.deps.requests;
  }

  executor(): Executor {
    if (!this.deps.executor) throw new Error('no data map is configured: the request waits for the officer');
    return this.deps.executor;
  }

  /** Who the engine is asked about: the address, and the Analytics ids the shop reported for the person. */
  async subject(request: DsrRequest): Promise<AnalyticsSubject> {
    const analytics = request.subjectRef ? await this.analyticsIds.idsFor(request.subjectRef) : undefined;
    return { email: request.email!, ...(analytics ? { analytics } : {}) };
  }

  closing(outcome: string) {
    return { completed_at: this.deps.clock.now().toISOString(), outcome };
  }

  /** An e-mail to the person (or to `to`), in the request's transaction, once per request and template. */
  async mail(
    trx: Db,
    request: DsrRequest,
    template: string,
    data: Record<string, unknown>,
    options: { to?: string; dedupe?: string } = {},
  ): Promise<void> {
    const to = options.to ?? request.email;
    if (!to) return;
    const status = takesDays(template, data) ? await this.statusLink(trx, request) : undefined;
    await this.deps.mail.enqueue(
      {
        to,
        template,
        lang: request.language,
        data: status ? { ...data, status } : data,
        requestId: request.id,
        dedupeKey: `request:${request.id}:${options.dedupe ?? template}`,
      },
      trx,
    );
  }

  /** A fresh link to the request's status page, with its reference and by when it is done. */
  async statusLink(trx: Db, request: DsrRequest): Promise<{ link: string; reference: string; dueAt: string }> {
    const pages = new RequestStatusPages({
      requests: this.deps.requests,
      baseUrl: this.deps.baseUrl,
      now: () => this.deps.clock.now(),
    });
    return { ...(await pages.issue(trx, request.id)), dueAt: request.dueAt };
  }

  processorName(id: string): string {
    return this.deps.policy().processors.find((p) => p.id === id)?.name ?? id;
  }

  /**
   * Systems an earlier run of this request already told about `action`, or handed to the officer as a
   * manual task (recorded with that run's tasks): they are not asked twice.
   */
  async alreadyTold(requestId: string, action: NoticeAction): Promise<Set<string>> {
    const notices = await this.notices.forRequest(requestId);
    return new Set(
      notices
        .filter((n) => n.action === action && ['done', 'retained', 'nothing-found', 'manual'].includes(n.status))
        .map((n) => n.system),
    );
  }

  /**
   * The first statement of a right's final transaction: the request must still be `in_progress`, and it
   * stays held until the transaction ends (see RequestRepository.holdIfStatus); otherwise StaleRun.
   */
  async guard(trx: Db, request: DsrRequest): Promise<void> {
    if (!(await this.deps.requests.holdIfStatus(trx, request.id, 'in_progress'))) throw new StaleRun(request.id);
  }

  /**
   * One person's final steps one at a time (an access answer and an erasure of the same person, say): the
   * address's lock row that intake takes, held until the transaction ends.
   */
  async lockPerson(trx: Db, request: DsrRequest): Promise<void> {
    if (request.subjectRef) await this.#ledger.lock(trx, request.subjectRef, this.deps.clock.now());
  }

  /**
   * Creates the manual tasks and completes the request, or leaves it waiting on them; returns the
   * status it moved to (undefined when another run got there first).
   */
  async finish(
    trx: Db,
    request: DsrRequest,
    tasks: ManualTask[],
    result: RequestResult,
    outcome: string,
  ): Promise<RequestStatus | undefined> {
    const { requests } = this.deps;
    await requests.insertTasks(trx, request.id, tasks, this.deps.clock.now());
    // Tasks of earlier steps count too (an access part a processor could not give, an earlier run's tasks).
    const open = (await requests.tasks({ requestId: request.id, open: true }, trx)).length;
    const next: RequestStatus = open > 0 ? 'waiting_on_tasks' : 'completed';
    const set = {
      result: JSON.stringify({ ...result, tasks: open }),
      outcome,
      ...(next === 'completed' ? this.closing(outcome) : {}),
    };
    if (!(await requests.transition(trx, request.id, ['in_progress'], next, set))) return undefined;
    await requests.event(trx, request.id, next, { tasks: open });
    return next;
  }

  /** Whether this system is one that Google Analytics ids erase. */
  isAnalytics(system: string): boolean {
    return (this.deps.analyticsSystems ?? []).includes(system);
  }

  /** Forgets the person's Analytics ids unless an open task of an Analytics system still needs them. */
  async forgetAnalyticsIdsUnlessNeeded(db: Db, request: DsrRequest): Promise<void> {
    if (!request.subjectRef || !['erasure', 'closure'].includes(request.type)) return;
    if (await this.deps.requests.hasOpenTask(db, request.id, this.deps.analyticsSystems ?? [])) return;
    await this.analyticsIds.forget(db, [request.subjectRef]);
  }

  async get(id: string): Promise<DsrRequest> {
    const request = await this.deps.requests.get(id);
    if (!request) throw notFound(`no request ${id}`);
    return request;
  }

  async open(id: string, statuses: ReadonlyArray<RequestStatus>): Promise<DsrRequest> {
    const request = await this.get(id);
    if (!statuses.includes(request.status))
      throw conflict(`request ${id} is ${request.status}; this needs ${statuses.join(' or ')}`);
    return request;
  }
}

/** The systems that failed in a run, with whether trying again can help. */
export const failedIn = (
  systems: ReadonlyArray<{ system: string; status: string; error?: string; retryable?: boolean }>,
) =>
  systems
    .filter((s) => s.status === 'failed')
    .map((s) => ({ system: s.system, error: s.error, retryable: s.retryable }));

export const unique = <T>(xs: T[]) => [...new Set(xs)];
