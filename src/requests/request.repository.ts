import type { Kysely, Transaction } from 'kysely';
import type { ManualTask } from '../connectors/connector.ts';
import { type Clock, DAY } from '../lib/clock.ts';
import { hashToken, newId, newOrderedId, newToken } from '../lib/ids.ts';
import type { Database, RequestTable, TaskTable } from '../store/schema.ts';
import {
  CLOSED_STATUSES,
  type RequestDetails,
  type RequestResult,
  type RequestStatus,
  type RequestType,
} from './request.types.ts';
import { assertMove } from './request-status.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** One ground on which a person's processing is restricted (GDPR Art. 18(1)), held by one request. */
export interface RestrictionHold {
  request: string;
  /** A restriction request (Art. 18(1)(a)-(c)), or an objection pending its decision (Art. 18(1)(d)). */
  ground: 'restriction' | 'objection';
  /** When an announced lift of this hold takes effect (Art. 18(3)); absent while none is announced. */
  liftsAt?: string;
}

/** What the shop must respect for a person (GET /api/v1/subjects/status), one row per person. */
export interface SubjectFlags {
  /** Art. 18: restricted while any hold lasts. */
  holds: RestrictionHold[];
  /** Purposes under an objection not yet decided. */
  objected: string[];
  /** Purposes whose processing stopped for good after an objection (Art. 21(3), or upheld under 21(1)). */
  stopped: string[];
  /** The request that last set them. */
  requestId: string | null;
}

/** A request as the domain sees it (JSON columns parsed). */
export interface DsrRequest {
  id: string;
  type: RequestType;
  status: RequestStatus;
  language: 'nl' | 'en';
  email: string | null;
  subjectRef: string | null;
  name: string | null;
  message: string | null;
  details: RequestDetails;
  receivedAt: string;
  verifiedAt: string | null;
  dueAt: string;
  legalDueAt: string;
  extendedAt: string | null;
  completedAt: string | null;
  outcome: string | null;
  result: RequestResult;
  /** How it reached the shop when not online: email, post, phone, in-person (the officer entered it), shop. */
  channel: string | null;
}

/** A row of `requests` as the domain sees it; the officer's desk reads the same rows. */
export const toRequest = (r: RequestTable): DsrRequest => ({
  id: r.id,
  type: r.type as RequestType,
  status: r.status as RequestStatus,
  language: r.language === 'en' ? 'en' : 'nl',
  email: r.email,
  subjectRef: r.subject_ref,
  name: r.name,
  message: r.message,
  details: r.details ? JSON.parse(r.details) : {},
  receivedAt: r.received_at,
  verifiedAt: r.verified_at,
  dueAt: r.due_at,
  legalDueAt: r.legal_due_at,
  extendedAt: r.extended_at,
  completedAt: r.completed_at,
  outcome: r.outcome,
  result: r.result ? JSON.parse(r.result) : {},
  channel: r.channel ?? null,
});

/** SQL for requests, their timeline, tokens, exports, tasks and flags. */
export class RequestRepository {
  constructor(
    readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  async insert(db: Db, row: Omit<RequestTable, 'updated_at' | 'channel'> & { channel?: string | null }): Promise<void> {
    await db
      .insertInto('requests')
      .values({ ...row, updated_at: this.now() })
      .execute();
  }

  async get(id: string, db: Db = this.db): Promise<DsrRequest | undefined> {
    const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async list(options: { open?: boolean; limit?: number } = {}): Promise<DsrRequest[]> {
    let q = this.db.selectFrom('requests').selectAll().orderBy('received_at', 'desc');
    if (options.open) q = q.where('status', 'not in', [...CLOSED_STATUSES]);
    const rows = await q.limit(options.limit ?? 500).execute();
    return rows.map(toRequest);
  }

  /**
   * An open request of this type for this person: a second one joins it. Read it while holding the
   * address's intake lock (`VerificationMailLedger.lock`): then two posts at once cannot both miss it.
   */
  async findOpen(db: Db, subjectRef: string, type: RequestType): Promise<DsrRequest | undefined> {
    const row = await db
      .selectFrom('requests')
      .selectAll()
      .where('subject_ref', '=', subjectRef)
      .where('type', '=', type)
      .where('status', 'not in', [...CLOSED_STATUSES])
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  /**
   * Moves a request on, only from the statuses given: a second worker or a double click changes nothing.
   * A move that the status table (request-status.ts) does not allow throws.
   */
  async transition(
    db: Db,
    id: string,
    from: ReadonlyArray<RequestStatus>,
    to: RequestStatus,
    set: Partial<Omit<RequestTable, 'id' | 'status'>> = {},
  ): Promise<boolean> {
    assertMove(from, to);
    const r = await db
      .updateTable('requests')
      .set({ ...set, status: to, updated_at: this.now() })
      .where('id', '=', id)
      .where('status', 'in', from as RequestStatus[])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Touches the request only while it has this status, and says whether it did: the first statement of a
   * right's final transaction, so that it holds the row (PostgreSQL) or the write lock (SQLite) until it
   * commits, and an officer's decision taken meanwhile is seen, not overwritten.
   */
  async holdIfStatus(db: Db, id: string, status: RequestStatus): Promise<boolean> {
    const r = await db
      .updateTable('requests')
      .set({ updated_at: this.now() })
      .where('id', '=', id)
      .where('status', '=', status)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Whether an erasure or closure of this person was recorded (carried out) at or after `since`. */
  async erasureRecordedSince(db: Db, subjectRef: string, since: string): Promise<boolean> {
    const row = await db
      .selectFrom('requests')
      .innerJoin('request_events', 'request_events.request_id', 'requests.id')
      .select('requests.id')
      .where('requests.subject_ref', '=', subjectRef)
      .where('requests.type', 'in', ['erasure', 'closure'])
      .where('request_events.event', 'in', ['waiting_on_tasks', 'completed'])
      .where('request_events.at', '>=', since)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Anything but the status, which only `transition` changes, along the table in request-status.ts. */
  async update(db: Db, id: string, set: Partial<Omit<RequestTable, 'id' | 'status'>>): Promise<void> {
    await db
      .updateTable('requests')
      .set({ ...set, updated_at: this.now() })
      .where('id', '=', id)
      .execute();
  }

  /** Records a step of the request's timeline. `detail` must never hold personal data. */
  async event(db: Db, requestId: string, event: string, detail?: Record<string, unknown>): Promise<void> {
    await db
      .insertInto('request_events')
      .values({
        id: newOrderedId(),
        request_id: requestId,
        at: this.now(),
        event,
        detail: detail ? JSON.stringify(detail) : null,
      })
      .execute();
  }

  async events(requestId: string) {
    return this.db
      .selectFrom('request_events')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** A fresh link token; only its hash is stored. */
  async issueToken(
    db: Db,
    requestId: string,
    purpose: 'verify' | 'download' | 'status',
    expiresAt: string,
    maxUses: number,
    exportId: string | null = null,
    token: string = newToken(),
  ) {
    await db
      .insertInto('request_tokens')
      .values({
        hash: hashToken(token),
        request_id: requestId,
        purpose,
        expires_at: expiresAt,
        uses: 0,
        max_uses: maxUses,
        created_at: this.now(),
        export_id: exportId,
      })
      .execute();
    return token;
  }

  async findToken(token: string, purpose: 'verify' | 'download' | 'status') {
    return this.db
      .selectFrom('request_tokens')
      .selectAll()
      .where('hash', '=', hashToken(token))
      .where('purpose', '=', purpose)
      .executeTakeFirst();
  }

  /** Uses a token once, if it still has uses left; false when another click got there first. */
  async useToken(db: Db, hash: string): Promise<boolean> {
    const r = await db
      .updateTable('request_tokens')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('hash', '=', hash)
      .whereRef('uses', '<', 'max_uses')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Deletes the request's verification and download links. Its status links stay: their page shows no
   * personal data, so the person can still see that an erasure completed; they go with the request.
   */
  async deleteTokens(db: Db, requestId: string | ReadonlyArray<string>): Promise<void> {
    const ids = typeof requestId === 'string' ? [requestId] : [...requestId];
    if (ids.length === 0) return;
    await db.deleteFrom('request_tokens').where('request_id', 'in', ids).where('purpose', '!=', 'status').execute();
  }

  /** Every request of a person, open or closed. */
  async idsOfSubject(db: Db, subjectRef: string): Promise<string[]> {
    return this.idsOfSubjects(db, [subjectRef]);
  }

  /** Every request of these people (by keyed reference), open or closed; `handled`: only those handled. */
  async idsOfSubjects(db: Db, refs: ReadonlyArray<string>, options: { handled?: boolean } = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < refs.length; i += 500) {
      // The status is filtered here, not in SQL: given `status in (…)`, SQLite's planner (without statistics)
      // walks the status index, that is every handled request in the register, which grows with every
      // erasure; a retention run of 1M customers made that quadratic. By reference it reads only their rows.
      const rows = await db
        .selectFrom('requests')
        .select(['id', 'status'])
        .where('subject_ref', 'in', refs.slice(i, i + 500))
        .execute();
      for (const r of rows) if (!options.handled || CLOSED_STATUSES.includes(r.status as RequestStatus)) ids.push(r.id);
    }
    return ids;
  }

  /** Clears who these requests were about: the register keeps type, dates and outcome only. */
  async forgetIdentity(db: Db, ids: ReadonlyArray<string>): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('requests')
      .set({ email: null, subject_ref: null, name: null, message: null, details: null, updated_at: this.now() })
      .where('id', 'in', [...ids])
      .execute();
    await this.forgetTaskAddresses(db, ids);
  }

  /** Forgets the postal address a task to post an answer carried (once posted, or with the person). */
  async forgetTaskAddresses(db: Db, requestIds: ReadonlyArray<string>, taskId?: string): Promise<void> {
    if (requestIds.length === 0) return;
    let q = db
      .updateTable('tasks')
      .set({ contact: '(adres vergeten)' })
      .where('request_id', 'in', [...requestIds])
      .where('action', '=', 'deliver');
    if (taskId) q = q.where('id', '=', taskId);
    await q.execute();
  }

  async deleteDownloadTokens(db: Db, ids: ReadonlyArray<string>): Promise<void> {
    if (ids.length === 0) return;
    await db
      .deleteFrom('request_tokens')
      .where('request_id', 'in', [...ids])
      .where('purpose', '=', 'download')
      .execute();
  }

  async tasks(options: { requestId?: string; open?: boolean } = {}, db: Db = this.db): Promise<TaskTable[]> {
    let q = db.selectFrom('tasks').selectAll().orderBy('due_at');
    if (options.requestId) q = q.where('request_id', '=', options.requestId);
    if (options.open) q = q.where('status', '=', 'open');
    return q.execute();
  }

  async task(id: string, db: Db = this.db): Promise<TaskTable | undefined> {
    return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Manual tasks, once per request, system and action. */
  async insertTasks(db: Db, requestId: string, tasks: ReadonlyArray<ManualTask>, now: Date): Promise<void> {
    for (const t of tasks) {
      await db
        .insertInto('tasks')
        .values({
          id: newId(),
          request_id: requestId,
          system: t.system,
          processor: t.processor,
          action: t.action,
          contact: t.contact,
          instructions: JSON.stringify(t.instructions),
          due_at: dueIn(now, t.dueInDays),
          status: 'open',
          created_at: now.toISOString(),
          done_at: null,
          note: null,
        })
        .onConflict((oc) => oc.columns(['request_id', 'system', 'action']).doNothing())
        .execute();
    }
  }

  /** Marks open tasks done; false when none was open any more (a second click). */
  async closeTasks(db: Db, ids: ReadonlyArray<string>, note: string | null): Promise<boolean> {
    if (ids.length === 0) return false;
    const r = await db
      .updateTable('tasks')
      .set({ status: 'done', done_at: this.now(), note })
      .where('id', 'in', [...ids])
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Whether the request has an open task (of one of these systems, when given). */
  async hasOpenTask(db: Db, requestId: string, systems?: ReadonlyArray<string>): Promise<boolean> {
    if (systems && systems.length === 0) return false;
    let q = db.selectFrom('tasks').select('id').where('request_id', '=', requestId).where('status', '=', 'open');
    if (systems) q = q.where('system', 'in', [...systems]);
    return (await q.executeTakeFirst()) !== undefined;
  }

  /** The erasure journal of a request: per database, what the erasure found there (see rights/erasure.ts). */
  async journalOf(requestId: string, db: Db = this.db): Promise<Map<string, string>> {
    const rows = await db.selectFrom('erasure_journal').selectAll().where('request_id', '=', requestId).execute();
    return new Map(rows.map((r) => [r.system, r.collections]));
  }

  async writeJournal(db: Db, requestId: string, entries: ReadonlyMap<string, string>): Promise<void> {
    for (const [system, collections] of entries) {
      await db
        .insertInto('erasure_journal')
        .values({ request_id: requestId, system, collections, written_at: this.now() })
        .onConflict((oc) => oc.columns(['request_id', 'system']).doUpdateSet({ collections, written_at: this.now() }))
        .execute();
    }
  }

  async deleteJournal(db: Db, requestId: string): Promise<void> {
    await db.deleteFrom('erasure_journal').where('request_id', '=', requestId).execute();
  }

  /**
   * Unverified requests received at or before `cutoff` whose link has run out. A request the officer
   * entered with an earlier day of arrival got its link today: a link still valid at `now` keeps it.
   */
  async unverifiedSince(cutoff: string, now: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('requests')
      .select('id')
      .where('status', '=', 'awaiting_verification')
      .where('received_at', '<=', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('request_tokens')
              .select('hash')
              .whereRef('request_tokens.request_id', '=', 'requests.id')
              .where('purpose', '=', 'verify')
              .where('expires_at', '>', now),
          ),
        ),
      )
      .execute();
    return rows.map((r) => r.id);
  }

  /** Requests being handled that nothing has touched since `quiet`. */
  async handledUntouchedSince(quiet: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('requests')
      .select('id')
      .where('status', 'in', ['verified', 'in_progress'])
      .where('updated_at', '<=', quiet)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Writes the person's flags whole (one row per person); `restricted` and `lifts_at` follow the holds. */
  async saveFlags(db: Db, subjectRef: string, flags: SubjectFlags): Promise<void> {
    const restricted = flags.holds.length > 0;
    // When every hold has an announced end, the last of them is when the restriction ends.
    const liftsAt =
      restricted && flags.holds.every((h) => h.liftsAt)
        ? flags.holds
            .map((h) => h.liftsAt!)
            .sort()
            .at(-1)!
        : null;
    const values = {
      subject_ref: subjectRef,
      restricted: restricted ? 1 : 0,
      objection: flags.objected.length + flags.stopped.length > 0 ? 1 : 0,
      objected: flags.objected.length ? JSON.stringify(flags.objected) : null,
      stopped: flags.stopped.length ? JSON.stringify(flags.stopped) : null,
      holds: flags.holds.length ? JSON.stringify(flags.holds) : null,
      lifts_at: liftsAt,
      request_id: flags.requestId,
      updated_at: this.now(),
    };
    const { subject_ref: _, ...update } = values;
    await db
      .insertInto('subject_flags')
      .values(values)
      .onConflict((oc) => oc.column('subject_ref').doUpdateSet(update))
      .execute();
  }

  /** The person's flags; none set when there is no row. */
  async flagsOf(subjectRef: string, db: Db = this.db): Promise<SubjectFlags> {
    const row = await db
      .selectFrom('subject_flags')
      .selectAll()
      .where('subject_ref', '=', subjectRef)
      .executeTakeFirst();
    // Rows from before holds were kept per request: one restriction hold by the request that set it.
    const holds: RestrictionHold[] = row?.holds
      ? (JSON.parse(row.holds) as RestrictionHold[])
      : row?.restricted === 1
        ? [{ request: row.request_id ?? '', ground: 'restriction', ...(row.lifts_at ? { liftsAt: row.lifts_at } : {}) }]
        : [];
    return {
      holds,
      objected: row?.objected ? (JSON.parse(row.objected) as string[]) : [],
      stopped: row?.stopped ? (JSON.parse(row.stopped) as string[]) : [],
      requestId: row?.request_id ?? null,
    };
  }

  /** People with an announced end of a restriction hold on or before `now` (Art. 18(3)). */
  async liftsDue(now: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('subject_flags')
      .select(['subject_ref', 'holds', 'lifts_at'])
      .where('restricted', '=', 1)
      .execute();
    return rows
      .filter((r) => {
        if (!r.holds) return r.lifts_at !== null && r.lifts_at <= now;
        return (JSON.parse(r.holds) as RestrictionHold[]).some((h) => h.liftsAt && h.liftsAt <= now);
      })
      .map((r) => r.subject_ref);
  }

  async flags(subjectRef: string) {
    return this.db.selectFrom('subject_flags').selectAll().where('subject_ref', '=', subjectRef).executeTakeFirst();
  }

  /** The people's restriction holds and objections go (their erasure: nothing is left to restrict). */
  async clearFlags(db: Db, subjectRef: string | ReadonlyArray<string>): Promise<void> {
    const refs = typeof subjectRef === 'string' ? [subjectRef] : subjectRef;
    for (let i = 0; i < refs.length; i += 500)
      await db
        .deleteFrom('subject_flags')
        .where('subject_ref', 'in', refs.slice(i, i + 500))
        .execute();
  }
}

export const dueIn = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();
