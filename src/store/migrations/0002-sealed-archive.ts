import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // One data key per person, wrapped with a key derived from INZAGE_SECRET; deleting it destroys the copies.
  await db.schema
    .createTable('archive_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_ref', 'text', (c) => c.notNull().unique())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sealed_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull().references('archive_keys.id').onDelete('cascade'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('hold', 'text', (c) => c.notNull())
    .addColumn('hold_until', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sealed_records_place')
    .on('sealed_records')
    .columns(['system', 'collection', 'record_key'])
    .unique()
    .execute();
  await db.schema.createIndex('sealed_records_hold_until').on('sealed_records').column('hold_until').execute();
  await db.schema.createIndex('sealed_records_key').on('sealed_records').column('key_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sealed_records').execute();
  await db.schema.dropTable('archive_keys').execute();
}
