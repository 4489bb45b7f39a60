import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Proof of each cookie choice a visitor made. Append-only; no cookie, no full IP, no full user agent.
  await db.schema
    .createTable('cookie_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consent_id', 'text', (c) => c.notNull())
    // JSON: category id → boolean, keys sorted.
    .addColumn('choices', 'text', (c) => c.notNull())
    .addColumn('policy_version', 'text', (c) => c.notNull())
    .addColumn('banner_version', 'text')
    .addColumn('gpc', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip_truncated', 'text')
    .addColumn('ua_family', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cookie_consents_visitor')
    .on('cookie_consents')
    .columns(['consent_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('cookie_consents_version')
    .on('cookie_consents')
    .columns(['policy_version', 'consent_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cookie_consents').execute();
}
