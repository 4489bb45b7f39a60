import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // The language the back office speaks to this account: `nl` or `en`; empty means Dutch, the default.
  await db.schema.alterTable('admin_users').addColumn('language', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admin_users').dropColumn('language').execute();
}
