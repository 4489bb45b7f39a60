import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // Identity, kept only while needed; cleared when an erasure or closure completes.
    .addColumn('email', 'text')
    .addColumn('subject_ref', 'text')
    .addColumn('name', 'text')
    .addColumn('message', 'text')
    .addColumn('details', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('legal_due_at', 'text', (c) => c.notNull())
    .addColumn('extended_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('result', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('requests_subject_ref').on('requests').columns(['subject_ref', 'type']).execute();
  await db.schema.createIndex('requests_status_due').on('requests').columns(['status', 'due_at']).execute();

  await db.schema
    .createTable('request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('request_events_request').on('request_events').columns(['request_id', 'at']).execute();

  // Links in e-mails: only a hash of the token is kept.
  await db.schema
    .createTable('request_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_uses', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('request_exports')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_downloads', 'integer', (c) => c.notNull())
    .addColumn('destroyed_at', 'text')
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('processor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('tasks_request').on('tasks').columns(['request_id', 'status']).execute();
  await db.schema.createIndex('tasks_place').on('tasks').columns(['request_id', 'system', 'action']).unique().execute();

  await db.schema
    .createTable('subject_flags')
    .addColumn('subject_ref', 'text', (c) => c.primaryKey())
    .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('objection', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('request_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'api_keys',
    'subject_flags',
    'tasks',
    'request_exports',
    'request_tokens',
    'request_events',
    'requests',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
