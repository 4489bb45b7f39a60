import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Shopify's compliance webhooks as they arrive: one row per delivery id (X-Shopify-Webhook-Id, not
  // personal data), so that a delivery repeated is handled once. The body waits here, encrypted, until the
  // job has made a request or task of it; then it is cleared.
  await db.schema
    .createTable('shopify_webhooks')
    .addColumn('webhook_id', 'text', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('shop_domain', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('handled_at', 'text')
    .addColumn('payload', 'text')
    .execute();
  await db.schema.createIndex('shopify_webhooks_received').on('shopify_webhooks').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shopify_webhooks').execute();
}
