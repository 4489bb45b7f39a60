import { type Kysely, sql } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // An access answer can come in parts: the package at once, and a processor's part (reached by hand)
  // when the officer has it. One row per part; a download link names its part.
  await db.schema
    .createTable('request_exports_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    // Who the part is from, in words ("Mollie"); null for the main package.
    .addColumn('source', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_downloads', 'integer', (c) => c.notNull())
    .addColumn('destroyed_at', 'text')
    .addUniqueConstraint('request_exports_part_uq', ['request_id', 'part'])
    .execute();
  await sql`insert into request_exports_parts
    (id, request_id, part, source, file_name, ciphertext, created_at, expires_at, downloads, max_downloads, destroyed_at)
    select request_id, request_id, 1, null, file_name, ciphertext, created_at, expires_at, downloads, max_downloads, destroyed_at
    from request_exports`.execute(db);
  await db.schema.dropTable('request_exports').execute();
  await db.schema.alterTable('request_exports_parts').renameTo('request_exports').execute();
  await db.schema.createIndex('request_exports_expiry').on('request_exports').columns(['expires_at']).execute();
  // The part a download link opens (null: the request's first part, as links made before this migration).
  await db.schema.alterTable('request_tokens').addColumn('export_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_tokens').dropColumn('export_id').execute();
  await db.schema.dropIndex('request_exports_expiry').execute();
  await db.schema.alterTable('request_exports').renameTo('request_exports_parts').execute();
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
  await sql`insert into request_exports
    select request_id, file_name, ciphertext, created_at, expires_at, downloads, max_downloads, destroyed_at
    from request_exports_parts where part = 1`.execute(db);
  await db.schema.dropTable('request_exports_parts').execute();
}
