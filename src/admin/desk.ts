import type { ManualTask } from '../connectors/connector.ts';
import type { ContactConsentService } from '../consent/contact-consent.service.ts';
import type { CurrentConsents } from '../consent/contact-consent.types.ts';
import type { Executor, ProcessorHolding } from '../executor/executor.ts';
import { type Clock, DAY } from '../lib/clock.ts';
import { notFound } from '../lib/errors.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { DsrRequest, RequestRepository } from '../requests/request.repository.ts';
import type { RequestStatus } from '../requests/request.types.ts';
import type { RequestExports } from '../requests/request-exports.ts';
import type { RetentionPlan, RetentionRunSummary } from '../retention/retention.service.ts';
import type { SealedArchive, SealedRecord } from '../retention/sealed-archive.ts';
import type { RequestEventTable, TaskTable } from '../store/schema.ts';
import type { DeskRepository, RequestFilter, TaskFilter } from './desk.repository.ts';

/** How close a deadline is: overdue, due within seven days, or in time. */
export type Urgency = 'overdue' | 'soon' | 'ok';

/** The window in which a deadline "stands out" on the dashboard. */
export const DUE_SOON_DAYS = 7;

export function urgencyOf(dueAt: string, now: Date): { urgency: Urgency; days: number } {
  const ms = Date.parse(dueAt) - now.getTime();
  // Whole days left, rounded up: due later today is "0 days", yesterday "-1".
  const days = Math.ceil(ms / DAY);
  if (ms < 0) return { urgency: 'overdue', days: Math.floor(ms / DAY) };
  return { urgency: days <= DUE_SOON_DAYS ? 'soon' : 'ok', days };
}

export interface DeskRequest extends DsrRequest {
  urgency: Urgency;
  /** Days until the due date; negative when overdue. */
  daysLeft: number;
}

export interface DeskTask extends TaskTable {
  urgency: Urgency;
  daysLeft: number;
}

export interface RetentionView {
  /** No data map: nothing to sweep. */
  available: boolean;
  mode?: 'auto' | 'approve';
  /** When the daily job is due next (the start of the next UTC day, or now when today's has not run). */
  nextRunAt?: string;
  lastRun?: { id: string; at: string; summary: RetentionRunSummary };
  /** In approve mode: the plan waiting for the officer. */
  waiting?: { id: string; at: string; summary: RetentionPlan; approved: boolean };
}

export interface MonthCount {
  /** `YYYY-MM` */
  month: string;
  count: number;
}

export interface Dashboard {
  now: string;
  requests: DeskRequest[];
  tasks: DeskTask[];
  retention: RetentionView;
  perMonth: MonthCount[];
}

/** A decision the officer can take on a request in its current status (mirrors the handling service's guards). */
export type Decision = 'approve' | 'reject' | 'extend' | 'verify-identity' | 'lift';

const DECIDABLE: Record<Exclude<Decision, 'lift'>, ReadonlyArray<RequestStatus>> = {
  approve: ['awaiting_decision'],
  reject: ['awaiting_verification', 'awaiting_identity', 'verified', 'in_progress', 'awaiting_decision'],
  extend: ['awaiting_identity', 'verified', 'in_progress', 'awaiting_decision', 'waiting_on_tasks'],
  'verify-identity': ['awaiting_identity'],
};

/** One processor told about a correction, erasure or restriction (GDPR Art. 19). */
export interface ProcessorNoticeRow {
  system: string;
  processor: string;
  action: string;
  status: string;
  at: string | null;
  answer: string | null;
}

export interface RequestView {
  request: DeskRequest;
  events: Array<RequestEventTable & { parsed: Record<string, unknown> }>;
  tasks: TaskTable[];
  exportPackage?: {
    available: boolean;
    fileName: string;
    expiresAt: string;
    downloads: number;
    destroyedAt: string | null;
  };
  decisions: Decision[];
  /** The person's processing is restricted now (so "lift" makes sense). */
  restricted: boolean;
  notices: ProcessorNoticeRow[];
}

export interface CustomerView {
  /** The keyed hash the audit trail records instead of the address. */
  subjectRef: string;
  /** Whether the engine is configured (a data map); without one nothing can be found. */
  engine: boolean;
  collections: Array<{ system: string; collection: string; count: number; categories: string[] }>;
  processors: ProcessorHolding[];
  manualTasks: ManualTask[];
  /** Systems that did not answer (a processor that is down): the picture is incomplete without them. */
  unreachable: string[];
  flags: { restricted: boolean; objection: boolean };
  consents: CurrentConsents;
  contactAllowed: boolean;
  openRequests: DeskRequest[];
  /** Officer only: how many sealed records exist (never their contents). Undefined for staff. */
  sealed?: number;
}

export interface DeskDeps {
  desk: DeskRepository;
  requests: RequestRepository;
  contactConsents: ContactConsentService;
  archive: SealedArchive;
  /** The export packages' owner: the officer sees and opens a request's package through it. */
  exports: RequestExports;
  clock: Clock;
  secret: string;
  executor?: Executor;
  /** The retention rule's mode; undefined without a retention service. */
  retentionMode?: () => 'auto' | 'approve';
  /** Lists processor notices for a request, when that register exists; otherwise they come from the result. */
  processorNotices?: (requestId: string) => Promise<ProcessorNoticeRow[]>;
}

/** The read side of the officer's desk: what the pages show, computed from the store and the engine. */
export class Desk {
  constructor(private readonly deps: DeskDeps) {}

  #withUrgency<T extends { dueAt?: string; due_at?: string }>(row: T, now: Date) {
    const { urgency, days } = urgencyOf((row.dueAt ?? row.due_at)!, now);
    return { ...row, urgency, daysLeft: days };
  }

  async dashboard(): Promise<Dashboard> {
    const now = this.deps.clock.now();
    const requests = (await this.deps.desk.openRequestsByDue()).map((r) => this.#withUrgency(r, now));
    const tasks = (await this.deps.requests.tasks({ open: true })).map((t) => this.#withUrgency(t, now));
    return {
      now: now.toISOString(),
      requests,
      tasks,
      retention: await this.retention(now),
      perMonth: await this.perMonth(now),
    };
  }

  /** The register, filtered and paged, each row with its urgency; `total` counts every match. */
  async listRequests(filter: RequestFilter): Promise<{ rows: DeskRequest[]; total: number }> {
    const now = this.deps.clock.now();
    const [rows, total] = await Promise.all([
      this.deps.desk.listRequests(filter),
      this.deps.desk.countRequests(filter),
    ]);
    return { rows: rows.map((r) => this.#withUrgency(r, now)), total };
  }

  /** Processor tasks, filtered and paged, each with its urgency. */
  async listTasks(filter: TaskFilter): Promise<{ rows: DeskTask[]; total: number }> {
    const now = this.deps.clock.now();
    const [rows, total] = await Promise.all([this.deps.desk.listTasks(filter), this.deps.desk.countTasks(filter)]);
    return { rows: rows.map((t) => this.#withUrgency(t, now)), total };
  }

  /** Requests received in each of the last twelve calendar months, this month last. */
  async perMonth(now: Date): Promise<MonthCount[]> {
    const months: string[] = [];
    for (let i = 11; i >= 0; i--) {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
      months.push(d.toISOString().slice(0, 7));
    }
    const counts = await this.deps.desk.requestsPerMonth(`${months[0]}-01T00:00:00.000Z`);
    return months.map((month) => ({ month, count: counts.get(month) ?? 0 }));
  }

  async retention(now: Date): Promise<RetentionView> {
    if (!this.deps.retentionMode) return { available: false };
    const { waiting, lastRun } = await this.deps.desk.retentionState();
    const period = Math.floor(now.getTime() / DAY);
    const today = await this.deps.desk.jobByKey(`retention.daily:${period}`);
    const nextRunAt = today && today.status !== 'done' ? now : new Date((period + 1) * DAY);
    return {
      available: true,
      mode: this.deps.retentionMode(),
      nextRunAt: nextRunAt.toISOString(),
      lastRun: lastRun && { id: lastRun.id, at: lastRun.at, summary: JSON.parse(lastRun.summary) },
      waiting: waiting && {
        id: waiting.id,
        at: waiting.at,
        summary: JSON.parse(waiting.summary),
        approved: !!(await this.deps.desk.jobByKey(approvalKey(waiting.id))),
      },
    };
  }

  async request(id: string): Promise<RequestView> {
    const request = await this.deps.requests.get(id);
    if (!request) throw notFound(`no request ${id}`);
    const now = this.deps.clock.now();
    const events = (await this.deps.requests.events(id)).map((e) => ({
      ...e,
      parsed: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {},
    }));
    const tasks = await this.deps.requests.tasks({ requestId: id });
    const file = (await this.deps.exports.parts(id))[0];
    const flags = request.subjectRef ? await this.deps.requests.flags(request.subjectRef) : undefined;
    const restricted = flags?.restricted === 1;
    const decisions = (Object.keys(DECIDABLE) as Array<keyof typeof DECIDABLE>).filter(
      (d) => DECIDABLE[d].includes(request.status) && !(d === 'extend' && request.extendedAt),
    ) as Decision[];
    if (restricted) decisions.push('lift');
    return {
      request: this.#withUrgency(request, now),
      events,
      tasks,
      exportPackage: file && {
        available: !!file.ciphertext && file.expires_at > now.toISOString(),
        fileName: file.file_name,
        expiresAt: file.expires_at,
        downloads: file.downloads,
        destroyedAt: file.destroyed_at,
      },
      decisions,
      restricted,
      notices: await this.#notices(request, tasks),
    };
  }

  /** The Art. 19 register's rows; for requests handled before it existed, what the result and tasks say. */
  async #notices(request: DsrRequest, tasks: TaskTable[]): Promise<ProcessorNoticeRow[]> {
    const recorded = (await this.deps.processorNotices?.(request.id)) ?? [];
    return recorded.length > 0 ? recorded : noticesFromResult(request, tasks);
  }

  /**
   * What is held about a person and where, through the engine, with their flags, consent and open
   * requests. `officer` adds the number of sealed records; staff never learn that a sealed archive exists.
   */
  async lookup(email: string, role: 'officer' | 'staff'): Promise<CustomerView> {
    const ref = subjectRef(this.deps.secret, email);
    const found = this.deps.executor ? await this.deps.executor.find({ email }) : undefined;
    const flags = await this.deps.requests.flags(ref);
    const now = this.deps.clock.now();
    return {
      subjectRef: ref,
      engine: !!this.deps.executor,
      collections: found?.collections ?? [],
      processors: found?.processors ?? [],
      manualTasks: found?.manualTasks ?? [],
      unreachable: (found?.failed ?? []).map((f) => f.system),
      flags: { restricted: flags?.restricted === 1, objection: flags?.objection === 1 },
      consents: await this.deps.contactConsents.current(email),
      contactAllowed: await this.deps.contactConsents.contactAllowed(email),
      openRequests: (await this.deps.desk.openRequestsFor(ref)).map((r) => this.#withUrgency(r, now)),
      sealed: role === 'officer' ? await this.sealedCount(email) : undefined,
    };
  }

  /** The export package as the person downloads it, for the officer (who is audited); undefined once destroyed. */
  async exportPackage(requestId: string): Promise<{ fileName: string; zip: Buffer } | undefined> {
    return this.deps.exports.open(requestId);
  }

  /** How many of the person's records are sealed (a count, never contents). */
  async sealedCount(email: string): Promise<number> {
    return this.deps.archive.count(this.deps.archive.subjectRef(email));
  }

  /** The person's sealed records, decrypted. The caller audits the reason first. */
  async openArchive(email: string): Promise<SealedRecord[]> {
    return this.deps.archive.open(this.deps.archive.subjectRef(email));
  }
}

/**
 * Why the sealed archive may be opened: the legal grounds the policy's retention rests on. The audit trail
 * records one of these and a case reference, never free text (it cannot be erased, so it must not name anyone).
 */
export const ARCHIVE_REASONS = ['belastingcontrole', 'rechtsvordering', 'autoriteit', 'anders'] as const;
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number];

/** The idempotency key of the job that runs an approved retention plan: a second click queues nothing. */
export const approvalKey = (planId: string) => `retention.approved:${planId}`;

/**
 * Until the processor-notice register exists, what each system did for the request (from its result)
 * and what each processor without an API was asked by hand (its tasks).
 */
export function noticesFromResult(request: DsrRequest, tasks: TaskTable[]): ProcessorNoticeRow[] {
  const action = request.type === 'rectification' ? 'rectify' : request.type === 'restriction' ? 'restrict' : 'erase';
  const fromSystems = (request.result.systems ?? []).map((s) => ({
    system: s.system,
    processor: s.system,
    action,
    status: s.status,
    at: request.completedAt,
    answer: null,
  }));
  const fromTasks = tasks.map((t) => ({
    system: t.system,
    processor: t.processor,
    action: t.action,
    status: t.status === 'done' ? 'done' : 'open',
    at: t.done_at ?? t.created_at,
    answer: t.note,
  }));
  return [...fromSystems, ...fromTasks];
}
