import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Who was told that their profile is about to reach the end of its term, so nobody is told twice.
  // By keyed hash only; forgotten with the person.
  await db.schema
    .createTable('retention_reminders')
    .addColumn('subject_ref', 'text', (c) => c.primaryKey())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retention_reminders').execute();
}
