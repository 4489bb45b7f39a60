import { sql } from 'kysely';
import type { SqlDatabase } from './sql-database.ts';

/** A table's indexes as the catalog describes them, and the text columns' lengths (for prefix indexes). */
export interface TableIndexes {
  table: string;
  /** Each index's columns, in their order in the index. */
  indexes: string[][];
  /** Per column: its data type, and for text columns the most characters it holds (null: unbounded). */
  columns: Map<string, { type: string; length: number | null }>;
}

/**
 * The indexes of these tables in the connection's database, read from MySQL/MariaDB's information_schema
 * through Kysely. Other dialects answer undefined: their lookups by a meta value compare lower(trim(value)),
 * which a plain index on the value does not serve, so there is nothing to recommend there.
 */
export async function readIndexes(
  database: SqlDatabase,
  tables: ReadonlyArray<string>,
): Promise<TableIndexes[] | undefined> {
  if (database.dialect !== 'mysql') return undefined;
  if (tables.length === 0) return [];
  const names = [...new Set(tables)];
  const own = sql<boolean>`table_schema = database()`;
  const parts = await database.db
    .selectFrom('information_schema.statistics')
    .select(['table_name as t', 'index_name as i', 'seq_in_index as n', 'column_name as c'])
    .where(own)
    .where('table_name', 'in', names)
    .execute();
  const columns = await database.db
    .selectFrom('information_schema.columns')
    .select(['table_name as t', 'column_name as c', 'data_type as d', 'character_maximum_length as l'])
    .where(own)
    .where('table_name', 'in', names)
    .execute();
  return names.map((table) => {
    const byIndex = new Map<string, Array<{ n: number; c: string }>>();
    for (const p of parts.filter((p) => String(p.t) === table)) {
      const list = byIndex.get(String(p.i)) ?? [];
      list.push({ n: Number(p.n), c: String(p.c) });
      byIndex.set(String(p.i), list);
    }
    return {
      table,
      indexes: [...byIndex.values()].map((list) => list.sort((a, b) => a.n - b.n).map((x) => x.c)),
      columns: new Map(
        columns
          .filter((c) => String(c.t) === table)
          .map((c) => [String(c.c), { type: String(c.d).toLowerCase(), length: c.l === null ? null : Number(c.l) }]),
      ),
    };
  });
}
