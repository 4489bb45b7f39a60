import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per address (its subjectRef) that made a request lately: the row intake locks first, so that
  // two posts for one address at once are taken one after the other, and the verification e-mails sent
  // to that address in the last hour (JSON array of {at, request}), which bound how many it gets.
  await db.schema
    .createTable('verification_mails')
    .addColumn('subject_ref', 'text', (c) => c.primaryKey())
    .addColumn('sends', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('verification_mails_updated_at').on('verification_mails').column('updated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('verification_mails').execute();
}
