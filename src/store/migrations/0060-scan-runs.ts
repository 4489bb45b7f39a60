import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // The daily cookie scan: one row per run with what it found (pages, findings: names of cookies and
  // hosts, no visitor's data), for the officer's dashboard.
  await db.schema
    .createTable('scan_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .addColumn('warnings', 'integer', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('failure', 'text')
    .execute();
  await db.schema.createIndex('scan_runs_started').on('scan_runs').column('started_at').execute();
  // Each error finding the officer was mailed about, once: kind, name, host and pass make it the same one.
  await db.schema
    .createTable('scan_errors_mailed')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('mailed_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scan_errors_mailed').execute();
  await db.schema.dropTable('scan_runs').execute();
}
