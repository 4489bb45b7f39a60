import { type Kysely, sql } from 'kysely';
import { type DsrRequest, toRequest } from '../requests/request.repository.ts';
import { CLOSED_STATUSES, type RequestStatus, type RequestType } from '../requests/request.types.ts';
import type { Database, RetentionRunTable, TaskTable } from '../store/schema.ts';

const CLOSED = CLOSED_STATUSES as RequestStatus[];

export interface RequestFilter {
  /** Only requests still open (the default on the list page). */
  open?: boolean;
  /** Only requests in this status. */
  status?: RequestStatus;
  type?: RequestType;
  /** How it came in: a channel the officer entered (`post`, …), or `online` for none. */
  channel?: string;
  /** Only open requests past their due date at this moment (ISO). */
  overdueAt?: string;
  /** Received on or after / before these ISO times. */
  receivedFrom?: string;
  receivedBefore?: string;
  limit?: number;
  offset?: number;
}

export interface TaskFilter {
  status?: 'open' | 'done';
  /** The policy's processor id. */
  processor?: string;
  limit?: number;
  offset?: number;
}

/**
 * The queries behind the officer's desk. Reads only: every change goes through the handling and
 * retention services, so that the rules (allowed transitions, e-mails, the register) stay in one place.
 */
export class DeskRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Open requests, the one due first on top. */
  async openRequestsByDue(limit = 200): Promise<DsrRequest[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('status', 'not in', CLOSED)
      .orderBy('due_at')
      .orderBy('received_at')
      .limit(limit)
      .execute();
    return rows.map(toRequest);
  }

  /** The register, newest first; open requests by due date. */
  async listRequests(filter: RequestFilter = {}): Promise<DsrRequest[]> {
    let q = this.#requests(filter).selectAll();
    q = filter.open || filter.overdueAt ? q.orderBy('due_at') : q.orderBy('received_at', 'desc');
    const rows = await q
      .orderBy('id')
      .limit(filter.limit ?? 200)
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map(toRequest);
  }

  /** How many requests the filter matches (for paging). */
  async countRequests(filter: RequestFilter = {}): Promise<number> {
    const row = await this.#requests(filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  #requests(filter: RequestFilter) {
    let q = this.db.selectFrom('requests');
    if (filter.open || filter.overdueAt) q = q.where('status', 'not in', CLOSED);
    if (filter.overdueAt) q = q.where('due_at', '<', filter.overdueAt);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.type) q = q.where('type', '=', filter.type);
    if (filter.channel === 'online') q = q.where('channel', 'is', null);
    else if (filter.channel) q = q.where('channel', '=', filter.channel);
    if (filter.receivedFrom) q = q.where('received_at', '>=', filter.receivedFrom);
    if (filter.receivedBefore) q = q.where('received_at', '<', filter.receivedBefore);
    return q;
  }

  /** Tasks for the officer: open ones by due date, done ones newest first. */
  async listTasks(filter: TaskFilter = {}): Promise<TaskTable[]> {
    let q = this.#tasks(filter).selectAll();
    q = filter.status === 'done' ? q.orderBy('done_at', 'desc') : q.orderBy('status', 'desc').orderBy('due_at');
    return q
      .orderBy('id')
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0)
      .execute();
  }

  async countTasks(filter: TaskFilter = {}): Promise<number> {
    const row = await this.#tasks(filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The processors that have tasks (for the filter's choices). */
  async taskProcessors(): Promise<string[]> {
    const rows = await this.db.selectFrom('tasks').select('processor').distinct().orderBy('processor').execute();
    return rows.map((r) => r.processor);
  }

  #tasks(filter: TaskFilter) {
    let q = this.db.selectFrom('tasks');
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.processor) q = q.where('processor', '=', filter.processor);
    return q;
  }

  /** Open requests about one person (by the keyed hash of their address). */
  async openRequestsFor(subjectRef: string): Promise<DsrRequest[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('subject_ref', '=', subjectRef)
      .where('status', 'not in', CLOSED)
      .orderBy('due_at')
      .execute();
    return rows.map(toRequest);
  }

  /**
   * Requests received per calendar month (UTC) since `from` (an ISO month start). Retention's own
   * register entries (one per person erased by the sweep) are left out: they are not people's requests.
   */
  async requestsPerMonth(from: string): Promise<Map<string, number>> {
    const month = sql<string>`substr(received_at, 1, 7)`;
    const rows = await this.db
      .selectFrom('requests')
      .select([month.as('month'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('received_at', '>=', from)
      .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', '!=', 'retention')]))
      .groupBy(month)
      .execute();
    return new Map(rows.map((r) => [r.month, Number(r.n)]));
  }

  /** The newest retention plan waiting for the officer, and the newest run done. */
  async retentionState(): Promise<{ waiting?: RetentionRunTable; lastRun?: RetentionRunTable }> {
    const waiting = await this.db
      .selectFrom('retention_runs')
      .selectAll()
      .where('status', '=', 'waiting')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const lastRun = await this.db
      .selectFrom('retention_runs')
      .selectAll()
      .where('kind', '=', 'run')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return { waiting, lastRun };
  }

  /** Pass the transaction you are in: on SQLite a read outside it would wait for it forever. */
  async retentionRun(id: string, db: Kysely<Database> = this.db): Promise<RetentionRunTable | undefined> {
    return db.selectFrom('retention_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A job by its idempotency key: whether a scheduled or approved run is queued, running or done. */
  async jobByKey(
    dedupeKey: string,
    db: Kysely<Database> = this.db,
  ): Promise<{ status: string; run_at: string } | undefined> {
    return db.selectFrom('jobs').select(['status', 'run_at']).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  }
}
