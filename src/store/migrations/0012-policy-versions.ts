import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Every published policy: its text as published, when it took effect and when the next replaced it,
  // what changed against the one before, and how far the change notification got.
  await db.schema
    .createTable('policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('superseded_at', 'text')
    .addColumn('diff', 'text')
    .addColumn('material', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_status', 'text', (c) => c.notNull())
    .addColumn('notify_affected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_started_at', 'text')
    .addColumn('notify_finished_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_versions').execute();
}
