import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // The newest contact moment or transaction the shop reported per person, by keyed hash only.
  await db.schema
    .createTable('subject_activity')
    .addColumn('subject_ref', 'text', (c) => c.primaryKey())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('last_type', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subject_activity').execute();
}
