import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';

export const isPostgres = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Inserts many rows with one parameter: the rows as JSON, unpacked by the database
 * (`json_each` on SQLite, `json_to_recordset` on PostgreSQL). Thousands of bound values
 * cost more to build and bind than the insert itself; every column here is text.
 */
export function insertJsonRows(
  db: Kysely<any>,
  table: string,
  columns: ReadonlyArray<string>,
  rows: ReadonlyArray<Record<string, string | null>>,
  onConflict: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const json = JSON.stringify(rows);
  if (isPostgres(db)) {
    const types = sql.raw(columns.map((c) => `"${c}" text`).join(', '));
    return sql`insert into ${sql.table(table)} (${cols}) select ${cols} from json_to_recordset(${json}::json) as x(${types}) ${onConflict}`;
  }
  const values = sql.join(columns.map((c) => sql`value ->> ${c}`));
  return sql`insert into ${sql.table(table)} (${cols}) select ${values} from json_each(${json}) where true ${onConflict}`;
}
