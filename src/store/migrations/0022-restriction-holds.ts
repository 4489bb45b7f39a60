import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // A person's processing can be restricted on more than one ground at once (a restriction request, and
  // an objection pending its decision, GDPR Art. 18(1)): JSON `[{request, ground, liftsAt?}]`, one hold per
  // request; the person is restricted while any hold lasts, and deciding one ground ends only its own.
  await db.schema.alterTable('subject_flags').addColumn('holds', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subject_flags').dropColumn('holds').execute();
}
