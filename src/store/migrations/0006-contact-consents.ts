import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Proof of contact consent: append-only; a withdrawal is a new row, the newest row per purpose counts.
  // The person is named only by a keyed HMAC of the address, so an erasure can find and delete the rows.
  await db.schema
    .createTable('contact_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    // The exact text the person saw, and its version: what they agreed to, word for word.
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_version', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    // When the person chose; recorded_at is when the hub heard of it.
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_consents_subject')
    .on('contact_consents')
    .columns(['subject_ref', 'purpose', 'at'])
    .execute();

  // Links in withdrawal e-mails: only a hash of the token; the address encrypted, for recording the withdrawal.
  await db.schema
    .createTable('consent_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('purposes', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consent_tokens_subject')
    .on('consent_tokens')
    .columns(['subject_ref', 'created_at'])
    .execute();
  await db.schema.createIndex('consent_tokens_expires').on('consent_tokens').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consent_tokens').execute();
  await db.schema.dropTable('contact_consents').execute();
}
