import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Outgoing e-mail. The message itself (address, subject, bodies, links) is one encrypted
  // envelope; only metadata lies here in the open, and the envelope is emptied once sent over SMTP.
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text')
    .addColumn('template', 'text', (c) => c.notNull())
    // A request processed twice must not mail twice.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_request').on('mail_outbox').column('request_id').execute();
  await db.schema.createIndex('mail_outbox_created').on('mail_outbox').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').execute();
}
