import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Set (and committed) just before a message is handed to the SMTP server, cleared when the server
  // refused it. A queued message that still has it was being handed over when its worker died: it may
  // have gone out, so it is not sent a second time (at most once; see src/notify/mail.job.ts).
  await db.schema.alterTable('mail_outbox').addColumn('handed_over_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('handed_over_at').execute();
}
