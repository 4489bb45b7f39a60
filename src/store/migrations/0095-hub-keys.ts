import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Keys that must outlive a change of INZAGE_SECRET (the pseudonyms that link a person's rows), each
  // AES-256-GCM-wrapped under a key derived from the secret; a rotation rewraps them. A row `rotation`
  // marks a rotation begun and not finished: nothing starts on the hub until it is run to its end.
  await db.schema
    .createTable('hub_keys')
    .addColumn('purpose', 'text', (c) => c.primaryKey())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hub_keys').execute();
}
