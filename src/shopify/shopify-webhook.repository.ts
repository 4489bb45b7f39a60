import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Db } from '../requests/request.repository.ts';
import type { Database, ShopifyWebhookTable } from '../store/schema.ts';

/** SQL for the Shopify compliance webhooks delivered (table `shopify_webhooks`). */
export class ShopifyWebhookRepository {
  constructor(
    readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Stores a delivery; false when its id was delivered before (a repeat changes nothing). */
  async record(db: Db, row: Omit<ShopifyWebhookTable, 'handled_at'>): Promise<boolean> {
    const r = await db
      .insertInto('shopify_webhooks')
      .values({ ...row, handled_at: null })
      .onConflict((oc) => oc.column('webhook_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(webhookId: string, db: Db = this.db): Promise<ShopifyWebhookTable | undefined> {
    return db.selectFrom('shopify_webhooks').selectAll().where('webhook_id', '=', webhookId).executeTakeFirst();
  }

  /** Its request or task exists: the body, which names the customer, is dropped. */
  async markHandled(db: Db, webhookId: string): Promise<void> {
    await db
      .updateTable('shopify_webhooks')
      .set({ handled_at: this.clock.now().toISOString(), payload: null })
      .where('webhook_id', '=', webhookId)
      .execute();
  }

  /** Forgets handled deliveries received before `cutoff`: Shopify repeats a delivery within hours, not months. */
  async forgetHandledBefore(cutoff: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('shopify_webhooks')
      .where('handled_at', 'is not', null)
      .where('received_at', '<', cutoff.toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
