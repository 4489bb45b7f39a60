import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // How a request reached the shop when it did not come through the portal or the API: `email`, `post`,
  // `phone` or `in-person` (entered by the officer with the day it arrived), `shop` (the shop reported an
  // account closure). Empty for requests made online. Not personal data: it stays in the register.
  await db.schema.alterTable('requests').addColumn('channel', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('requests').dropColumn('channel').execute();
}
