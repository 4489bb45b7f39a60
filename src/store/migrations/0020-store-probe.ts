import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Where /healthz writes (and deletes at once) a row the size of a few pages, to learn that the store can
  // still be written: a read-only file or a full disk answers `select 1` as if nothing were wrong.
  await db.schema
    .createTable('store_probe')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('written_at', 'text', (c) => c.notNull())
    .addColumn('filler', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('store_probe').execute();
}
