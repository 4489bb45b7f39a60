import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // A retention run in progress: what it planned and which steps it began, so that a run killed midway
  // is finished by the next one and recorded as one run. Counts only; a finished run's journal is deleted
  // in the transaction that records it in retention_runs.
  await db.schema
    .createTable('retention_journal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('retention_journal_status_idx').on('retention_journal').column('status').execute();
  // One batch of a run's sweep: written before the shop's commit with the people in it (encrypted),
  // then what each system erased, then marked done with the hub's records in one transaction.
  await db.schema
    .createTable('retention_journal_batches')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('people', 'text')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('systems', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('retention_journal_batches_pk', ['run_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retention_journal_batches').execute();
  await db.schema.dropTable('retention_journal').execute();
}
