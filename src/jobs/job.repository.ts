import { type Kysely, sql } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { ProcessIdentity } from '../lib/process-identity.ts';
import type { Dialect } from '../store/database.ts';
import type { Database, JobTable } from '../store/schema.ts';
import type { JobWakeup } from './wakeup.ts';

export type JobRow = JobTable;

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /**
   * An idempotency key: a second enqueue with a key that a queued, running or done job
   * holds is a no-op (e.g. "retention:2026-11-26" runs once that day). A job that failed
   * for good gives its key up, so that it can be queued again.
   */
  dedupeKey?: string;
}

export interface JobCounts {
  queued: number;
  running: number;
  done: number;
  failed: number;
}

/** The job queue table. Claims are leases: a job whose worker dies is claimed again when its lease ends. */
export class JobRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    /** Tells workers at once of a job that is due now; without it they find it at their next poll. */
    readonly wakeup?: JobWakeup,
  ) {}

  /** Queues a job; pass a transaction as `db` so that the job commits with the change that caused it. */
  async enqueue(
    name: string,
    payload: unknown,
    options: EnqueueOptions = {},
    db: Kysely<Database> = this.db,
  ): Promise<string | undefined> {
    const now = this.clock.now().toISOString();
    const id = newId();
    const runAt = options.runAt ?? this.clock.now();
    const result = await db
      .insertInto('jobs')
      .values({
        id,
        name,
        payload: JSON.stringify(payload ?? null),
        status: 'queued',
        attempts: 0,
        max_attempts: options.maxAttempts ?? 5,
        run_at: runAt.toISOString(),
        locked_by: null,
        locked_until: null,
        last_error: null,
        dedupe_key: options.dedupeKey ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return undefined;
    if (this.wakeup && runAt.getTime() <= this.clock.now().getTime()) await this.wakeup.queued(db);
    return id;
  }

  /**
   * Claims up to `limit` due jobs for `workerId`. One statement: on PostgreSQL the
   * inner select skips rows another worker has locked, so two workers never get the
   * same job; on SQLite the single writer makes the statement atomic by itself.
   */
  async claim(workerId: string, limit: number, leaseMs: number): Promise<JobRow[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const result = await sql<JobRow>`
      update jobs
         set status = 'running', locked_by = ${workerId}, locked_until = ${until},
             attempts = attempts + 1, updated_at = ${nowIso}
       where id in (
         select id from jobs
          where (status = 'queued' and run_at <= ${nowIso})
             or (status = 'running' and locked_until < ${nowIso})
          order by run_at
          limit ${limit}
          ${lock})
      returning *`.execute(this.db);
    return result.rows;
  }

  /** Extends the lease of a running job; false when another worker has taken it over. */
  async extendLease(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    const until = new Date(this.clock.now().getTime() + leaseMs).toISOString();
    const r = await this.db
      .updateTable('jobs')
      .set({ locked_until: until })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Marks a job done, only if this worker still holds it (a fence against a lease that ran out). */
  async complete(id: string, workerId: string): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, locked_until: null, updated_at: this.nowIso() })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Records a failure: retried at `retryAt`, or failed for good when that is undefined. */
  async fail(id: string, workerId: string, error: string, retryAt: Date | undefined): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({
        status: retryAt ? 'queued' : 'failed',
        run_at: retryAt ? retryAt.toISOString() : sql<string>`run_at`,
        locked_by: null,
        locked_until: null,
        last_error: error.slice(0, 2000),
        // A job that failed for good frees its key so that it can be queued again.
        dedupe_key: retryAt ? sql<string | null>`dedupe_key` : null,
        updated_at: this.nowIso(),
      })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async get(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The `id` in the payload of every queued or running job of this name (jobs about one record each). */
  async activePayloadIds(name: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', name)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    const ids = rows.map((j) => (JSON.parse(j.payload) as { id?: string } | null)?.id);
    return new Set(ids.filter((id): id is string => typeof id === 'string'));
  }

  async counts(): Promise<JobCounts> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts: JobCounts = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async heartbeat(worker: {
    id: string;
    startedAt: string;
    pid: number;
    host: string;
    /** Null or absent when unknown: the worker is then judged by its lease alone. */
    pidNs?: string | null;
  }): Promise<void> {
    const now = this.nowIso();
    await this.db
      .insertInto('workers')
      .values({
        id: worker.id,
        started_at: worker.startedAt,
        heartbeat_at: now,
        pid: worker.pid,
        host: worker.host,
        pid_ns: worker.pidNs ?? null,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now }))
      .execute();
  }

  /**
   * Jobs held by workers whose process is certainly gone (killed, crashed) go back to the queue at once,
   * instead of after their lease: a restarted service takes its predecessor's work over. Only workers in
   * this process's pid space (same host and pid namespace) can be judged by their pid; any other keeps its
   * jobs until the lease runs out. Returns how many jobs were released.
   */
  async releaseDeadWorkersJobs(
    me: ProcessIdentity,
    gone: (worker: ProcessIdentity) => boolean,
    self: string,
  ): Promise<number> {
    const workers = await this.db
      .selectFrom('workers')
      .select(['id', 'pid', 'host', 'pid_ns'])
      .where('host', '=', me.host)
      .execute();
    const dead = workers
      .filter((w) => w.id !== self && gone({ host: w.host, pid: Number(w.pid), pidNs: w.pid_ns }))
      .map((w) => w.id);
    if (dead.length === 0) return 0;
    const r = await this.db
      .updateTable('jobs')
      .set({ status: 'queued', locked_by: null, locked_until: null, run_at: this.nowIso(), updated_at: this.nowIso() })
      .where('status', '=', 'running')
      .where('locked_by', 'in', dead)
      .executeTakeFirst();
    await this.db.deleteFrom('workers').where('id', 'in', dead).execute();
    return Number(r.numUpdatedRows);
  }

  async removeWorker(id: string): Promise<void> {
    await this.db.deleteFrom('workers').where('id', '=', id).execute();
  }

  /** The newest heartbeat of any worker, or undefined when none has ever beaten. */
  async lastHeartbeat(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('workers')
      .select((eb) => eb.fn.max('heartbeat_at').as('at'))
      .executeTakeFirst();
    return row?.at ? new Date(row.at) : undefined;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }
}
