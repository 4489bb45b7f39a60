import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Filled in by the consent capability.
  void db;
}

export async function down(_db: Kysely<any>): Promise<void> {}
