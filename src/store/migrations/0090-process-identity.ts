import { type Kysely, sql } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // A pid means something only inside its pid namespace (containers): who holds a job or a retention run is
  // host + pid + namespace. Null for rows from before, and where the namespace cannot be read: such a holder
  // is judged by its heartbeat or lease alone, never by its pid.
  await db.schema.alterTable('workers').addColumn('pid_ns', 'text').execute();
  await db.schema.alterTable('retention_journal').addColumn('owner_pid_ns', 'text').execute();
  // One retention run at a time, across every process on this database: a second `running` row is refused
  // by the database itself, not by a check two processes could both pass.
  await sql`create unique index retention_journal_one_running on retention_journal (status) where status = 'running'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index retention_journal_one_running`.execute(db);
  await db.schema.alterTable('retention_journal').dropColumn('owner_pid_ns').execute();
  await db.schema.alterTable('workers').dropColumn('pid_ns').execute();
}
