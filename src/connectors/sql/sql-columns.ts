import type { SystemPlan } from '../../datamap/plan.ts';
import { readColumns, type SqlDatabase } from './sql-database.ts';
import type { SqlText } from './sql-text.ts';

/**
 * What the engine needs to know of a system's columns beyond the data map, read once from the catalog:
 * which identity columns compare case-insensitively (MySQL may then narrow an exact match by the index),
 * and which references join a number to text (WooCommerce's session key holds a user's id as text).
 * Such a join compares both sides as text: PostgreSQL refuses `integer = varchar`, and MySQL would
 * compare them as numbers, so that a guest's session key "1abc" would be user 1's.
 */
export interface ColumnTraits {
  caseInsensitive(table: string, column: string): boolean;
  /** Whether the two columns hold one kind of value (both numbers, both text), or it is not known. */
  sameKind(left: Pick<Side, 'table' | 'column'>, right: Pick<Side, 'table' | 'column'>): boolean;
}

/** `left = right`, each side as text when the two columns are not of one kind. */
export function equal(q: SqlText, traits: ColumnTraits, left: Side, right: Side): string {
  return traits.sameKind(left, right)
    ? `${left.expression} = ${right.expression}`
    : `${q.asText(left.expression)} = ${q.asText(right.expression)}`;
}

export interface Side {
  /** The expression, e.g. `p."ID"`. */
  expression: string;
  table: string;
  column: string;
}

const kindOf = (type: string | undefined) =>
  type === undefined
    ? 'unknown'
    : /int|numeric|decimal|double|real|float|serial/.test(type)
      ? 'number'
      : /char|text|string|uuid/.test(type)
        ? 'text'
        : 'other';

export const PLAIN_TRAITS: ColumnTraits = {
  caseInsensitive: () => false,
  sameKind: () => true,
};

/** Reads the traits of the plan's tables (nothing on SQLite); a catalog that cannot be read gives plain ones. */
export async function readColumnTraits(database: SqlDatabase, plan: SystemPlan): Promise<ColumnTraits> {
  const tables = plan.collections.flatMap((c) => [c.table, ...(c.meta ? [c.meta.table] : [])]);
  const columns = await readColumns(database, tables).catch(() => []);
  if (columns.length === 0) return PLAIN_TRAITS;
  const byName = new Map(columns.map((c) => [`${c.table}.${c.column}`, c]));
  const kind = (side: Pick<Side, 'table' | 'column'>) => kindOf(byName.get(`${side.table}.${side.column}`)?.type);
  return {
    caseInsensitive: (table, column) => byName.get(`${table}.${column}`)?.collation?.endsWith('_ci') ?? false,
    sameKind: (left, right) => {
      const [a, b] = [kind(left), kind(right)];
      return a === b || a === 'unknown' || b === 'unknown';
    },
  };
}
