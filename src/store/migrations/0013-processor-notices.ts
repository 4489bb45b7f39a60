import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // GDPR Art. 19: which processors were told about a request, when, and what they answered.
  // `answer` is in plain words without personal data (counts, statuses, the processor's own ids).
  await db.schema
    .createTable('processor_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('processor', 'text', (c) => c.notNull())
    // access | erase | rectify | restrict
    .addColumn('action', 'text', (c) => c.notNull())
    // done | retained | nothing-found | failed | manual
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    // HTTP requests the notice took
    .addColumn('requests', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('processor_notices_request')
    .on('processor_notices')
    .columns(['request_id', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('processor_notices').execute();
}
