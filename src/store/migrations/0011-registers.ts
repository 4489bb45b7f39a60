import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Disclosures to authorities (the policy's "Medewerking aan fiscaal en strafrechtelijk onderzoek").
  // The person is described in words or by a request or a keyed reference, never by an address in clear.
  await db.schema
    .createTable('disclosures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('disclosed_on', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('disclosed', 'text', (c) => c.notNull())
    .addColumn('about', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('subject_ref', 'text')
    .addColumn('resisted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resistance', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disclosures_date').on('disclosures').columns(['disclosed_on']).execute();

  // Personal data breaches (GDPR Art. 33(5)): facts, effects and remedial action, whether notified or not.
  await db.schema
    .createTable('breaches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('discovered_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('people_count', 'integer')
    .addColumn('records_count', 'integer')
    .addColumn('consequences', 'text', (c) => c.notNull())
    .addColumn('measures', 'text', (c) => c.notNull())
    .addColumn('authority_notified_at', 'text')
    .addColumn('authority_reference', 'text')
    .addColumn('authority_reason', 'text')
    .addColumn('subjects_notified_at', 'text')
    .addColumn('subjects_how', 'text')
    .addColumn('subjects_reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('breaches_status').on('breaches').columns(['status', 'discovered_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('breaches').execute();
  await db.schema.dropTable('disclosures').execute();
}
