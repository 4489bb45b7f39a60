import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Database, RequestExportTable } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** SQL for export packages (`request_exports`): one row per part of a request's answer. */
export class ExportRepository {
  constructor(
    readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Stores a part once: a second call for the same request and part keeps the first and returns its id. */
  async insert(
    db: Db,
    row: Omit<RequestExportTable, 'id' | 'downloads' | 'destroyed_at' | 'created_at'>,
  ): Promise<RequestExportTable> {
    await db
      .insertInto('request_exports')
      .values({ ...row, id: newId(), downloads: 0, destroyed_at: null, created_at: this.clock.now().toISOString() })
      .onConflict((oc) => oc.columns(['request_id', 'part']).doNothing())
      .execute();
    return (await this.part(db, row.request_id, row.part))!;
  }

  async part(db: Db, requestId: string, part: number): Promise<RequestExportTable | undefined> {
    return db
      .selectFrom('request_exports')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('part', '=', part)
      .executeTakeFirst();
  }

  async get(id: string, db: Db = this.db): Promise<RequestExportTable | undefined> {
    return db.selectFrom('request_exports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async ofRequest(requestId: string, db: Db = this.db): Promise<RequestExportTable[]> {
    return db.selectFrom('request_exports').selectAll().where('request_id', '=', requestId).orderBy('part').execute();
  }

  async nextPart(db: Db, requestId: string): Promise<number> {
    const row = await db
      .selectFrom('request_exports')
      .select((eb) => eb.fn.max('part').as('last'))
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    return Number(row?.last ?? 0) + 1;
  }

  async countDownload(db: Db, id: string): Promise<number> {
    await db
      .updateTable('request_exports')
      .set((eb) => ({ downloads: eb('downloads', '+', 1) }))
      .where('id', '=', id)
      .execute();
    return (await this.get(id, db))?.downloads ?? 0;
  }

  /** Destroys the contents of these parts; returns the ids that still had contents. */
  async destroy(db: Db, where: { ids?: ReadonlyArray<string>; requestIds?: ReadonlyArray<string> }): Promise<string[]> {
    const ids = where.ids ? [...where.ids] : undefined;
    const requestIds = where.requestIds ? [...where.requestIds] : undefined;
    if ((ids && ids.length === 0) || (requestIds && requestIds.length === 0)) return [];
    let q = db.selectFrom('request_exports').select('id').where('ciphertext', 'is not', null);
    if (ids) q = q.where('id', 'in', ids);
    if (requestIds) q = q.where('request_id', 'in', requestIds);
    const live = (await q.execute()).map((r) => r.id);
    if (live.length === 0) return [];
    await db
      .updateTable('request_exports')
      .set({ ciphertext: null, destroyed_at: this.clock.now().toISOString() })
      .where('id', 'in', live)
      .where('ciphertext', 'is not', null)
      .execute();
    return live;
  }

  /** Parts whose time ran out and that still have contents. */
  async expired(now: string): Promise<Array<{ id: string; request_id: string }>> {
    return this.db
      .selectFrom('request_exports')
      .select(['id', 'request_id'])
      .where('ciphertext', 'is not', null)
      .where('expires_at', '<=', now)
      .execute();
  }
}
