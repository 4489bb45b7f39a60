import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { hashToken, newOrderedId, newToken } from '../lib/ids.ts';
import type { Database, RequestTable, TaskTable } from '../store/schema.ts';
import type { RequestDetails, RequestResult, RequestStatus, RequestType } from './request.types.ts';

export type Db = Kysely<Database> | Transaction<Database>;

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

  async insert(db: Db, row: Omit<RequestTable, 'updated_at'>): Promise<void> {
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
    if (options.open) q = q.where('status', 'not in', ['completed', 'rejected', 'expired']);
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
      .where('status', 'not in', ['completed', 'rejected', 'expired'])
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  /** Moves a request on, only from the statuses given: a second worker or a double click changes nothing. */
  async transition(
    db: Db,
    id: string,
    from: ReadonlyArray<RequestStatus>,
    to: RequestStatus,
    set: Partial<Omit<RequestTable, 'id' | 'status'>> = {},
  ): Promise<boolean> {
    const r = await db
      .updateTable('requests')
      .set({ ...set, status: to, updated_at: this.now() })
      .where('id', '=', id)
      .where('status', 'in', from as RequestStatus[])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async update(db: Db, id: string, set: Partial<Omit<RequestTable, 'id'>>): Promise<void> {
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
  async issueToken(db: Db, requestId: string, purpose: 'verify' | 'download', expiresAt: string, maxUses: number) {
    const token = newToken();
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
      })
      .execute();
    return token;
  }

  async findToken(token: string, purpose: 'verify' | 'download') {
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

  async deleteTokens(db: Db, requestId: string): Promise<void> {
    await db.deleteFrom('request_tokens').where('request_id', '=', requestId).execute();
  }

  async tasks(options: { requestId?: string; open?: boolean } = {}): Promise<TaskTable[]> {
    let q = this.db.selectFrom('tasks').selectAll().orderBy('due_at');
    if (options.requestId) q = q.where('request_id', '=', options.requestId);
    if (options.open) q = q.where('status', '=', 'open');
    return q.execute();
  }

  async setFlags(db: Db, subjectRef: string, flags: { restricted: boolean; objection: boolean }, requestId: string) {
    const values = {
      subject_ref: subjectRef,
      restricted: flags.restricted ? 1 : 0,
      objection: flags.objection ? 1 : 0,
      request_id: requestId,
      updated_at: this.now(),
    };
    await db
      .insertInto('subject_flags')
      .values(values)
      .onConflict((oc) =>
        oc.column('subject_ref').doUpdateSet({
          restricted: values.restricted,
          objection: values.objection,
          request_id: requestId,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }

  async flags(subjectRef: string) {
    return this.db.selectFrom('subject_flags').selectAll().where('subject_ref', '=', subjectRef).executeTakeFirst();
  }

  async clearFlags(db: Db, subjectRef: string): Promise<void> {
    await db.deleteFrom('subject_flags').where('subject_ref', '=', subjectRef).execute();
  }
}
