import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { newOrderedId } from '../lib/ids.ts';
import type { Database, ProcessorNoticeTable } from '../store/schema.ts';
import type { Db } from './request.repository.ts';

/** GDPR Art. 19: one processor told about one request — when, and what it answered (no personal data). */
export interface ProcessorNotice {
  system: string;
  processor: string;
  action: ProcessorNoticeTable['action'];
  status: ProcessorNoticeTable['status'];
  /** What the processor answered, in plain words: counts, statuses, its own object ids. */
  answer: string;
  /** HTTP requests it took (0 for a manual task). */
  requests: number;
  at: string;
}

export type NoticeInput = Omit<ProcessorNotice, 'at'> & { at?: string };

/** The `processor_notices` table: appended per attempt, so a processor that was down and later answered shows both. */
export class ProcessorNotices {
  constructor(
    readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Records notices; pass the transaction that records the request's outcome. */
  async record(db: Db, requestId: string, rows: ReadonlyArray<NoticeInput>): Promise<void> {
    if (rows.length === 0) return;
    const at = this.clock.now().toISOString();
    await db
      .insertInto('processor_notices')
      .values(
        rows.map((r) => ({
          id: newOrderedId(),
          request_id: requestId,
          system: r.system,
          processor: r.processor,
          action: r.action,
          status: r.status,
          answer: r.answer,
          requests: r.requests,
          at: r.at ?? at,
        })),
      )
      .execute();
  }

  /** Every notice of a request, oldest first. */
  async forRequest(requestId: string, db: Db = this.db): Promise<ProcessorNotice[]> {
    const rows = await db
      .selectFrom('processor_notices')
      .select(['system', 'processor', 'action', 'status', 'answer', 'requests', 'at'])
      .where('request_id', '=', requestId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, requests: Number(r.requests) }));
  }

  /** The processors told about each of these requests (the register's column), by request id. */
  async processorsTold(requestIds: ReadonlyArray<string>, db: Db = this.db): Promise<Map<string, string[]>> {
    const told = new Map<string, string[]>();
    if (requestIds.length === 0) return told;
    const rows = await db
      .selectFrom('processor_notices')
      .select(['request_id', 'processor'])
      .where('request_id', 'in', [...requestIds])
      .where('status', 'in', ['done', 'retained', 'nothing-found'])
      .distinct()
      .execute();
    for (const r of rows) told.set(r.request_id, [...(told.get(r.request_id) ?? []), r.processor]);
    return told;
  }
}
