import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Google Analytics ids the shop reported per person, so that an erasure can ask Analytics to delete them.
  // The person by keyed hash only; the id encrypted (AES-256-GCM); `id_hash` a keyed HMAC of kind and
  // value, so the same id reported a thousand times is one row. Forgotten with the person.
  await db.schema
    .createTable('analytics_ids')
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    // clientId | userId
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_ids_pk', ['subject_ref', 'id_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analytics_ids').execute();
}
