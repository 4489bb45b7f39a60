import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // An erasure spans two stores: the shop's database and the hub. Before the shop is changed, the hub
  // writes what the erasure is about to do there (the rows' keys per collection, which of them are sealed,
  // until when and why); a run resumed after a crash reads it back, so that it records exactly what an
  // uninterrupted run would. Deleted when the erasure is recorded (keys of erased rows are not kept).
  await db.schema
    .createTable('erasure_journal')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('collections', 'text', (c) => c.notNull())
    .addColumn('written_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('erasure_journal_pk', ['request_id', 'system'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('erasure_journal').execute();
}
