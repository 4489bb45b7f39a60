import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Art. 21: an objection names the purposes it is about. `objected` holds the purposes under an
  // objection not yet decided (processing restricted meanwhile), `stopped` those for which processing
  // stopped for good (direct marketing at once; legitimate interests once upheld), both JSON arrays.
  // Art. 18(3): a restriction is lifted only after the person was told; `lifts_at` is when it ends.
  await db.schema.alterTable('subject_flags').addColumn('objected', 'text').execute();
  await db.schema.alterTable('subject_flags').addColumn('stopped', 'text').execute();
  await db.schema.alterTable('subject_flags').addColumn('lifts_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['objected', 'stopped', 'lifts_at'])
    await db.schema.alterTable('subject_flags').dropColumn(c).execute();
}
