import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // The audit trail names a person by a random pseudonym, not by their keyed reference (an HMAC that
  // anyone with the secret and the address can recompute, so personal data while the key exists,
  // recital 26). This table is the only link from the reference to the pseudonym; an erasure deletes
  // the person's row, after which their entries refer to nobody and nothing can map them back.
  await db.schema
    .createTable('audit_pseudonyms')
    .addColumn('subject_ref', 'text', (c) => c.primaryKey())
    .addColumn('pseudonym', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_pseudonyms').execute();
}
