import type { CollectionPlan, SystemPlan } from '../../datamap/plan.ts';
import { type ColumnTraits, equal } from './sql-columns.ts';
import type { SqlDatabase } from './sql-database.ts';
import { identitySources, rowFilter } from './sql-identity.ts';
import { SqlText } from './sql-text.ts';

type Part = (q: SqlText) => string;

/**
 * Everyone with a value in a field of these categories, found inside the database: per collection that
 * holds such a field (a column or a meta key), its own identity columns and keys and those of every
 * ancestor reached through its references (an order line is its order's person, and the order's
 * account's). One `union` statement, streamed: only distinct addresses travel.
 */
export async function subjectsWithCategories(
  database: SqlDatabase,
  plan: SystemPlan,
  traits: ColumnTraits,
  categories: ReadonlyArray<string>,
): Promise<string[]> {
  const wanted = new Set(categories);
  const byName = new Map(plan.collections.map((c) => [c.name, c]));
  const selects: Part[] = [];
  for (const c of plan.collections) {
    const held = heldCondition(c, wanted);
    if (!held) continue;
    // Walk up the references; each step joins the parent under the next alias.
    const walk = (node: CollectionPlan, alias: number, joins: Part[], filters: Part[], seen: Set<string>) => {
      const a = `t${alias}`;
      const nodeFilters = [...filters, (q: SqlText) => rowFilter(q, node, a)];
      for (const source of identitySources(node, a)) {
        selects.push((q) => {
          const e = source.e(q);
          const from = ` from ${q.id(c.table)} t0${joins.map((j) => j(q)).join('')}${source.join(q)}`;
          const where = [held(q), ...nodeFilters.map((f) => f(q)), `${e} like '%@%'`, `${e} not like 'hmac:%'`];
          return `select ${e} as e${from} where ${where.filter(Boolean).join(' and ')}`;
        });
      }
      const next = `t${alias + 1}`;
      for (const ref of node.references) {
        const parent = byName.get(ref.parent);
        if (!parent || seen.has(parent.name)) continue;
        const join: Part = (q) => {
          const on = equal(
            q,
            traits,
            { expression: `${next}.${q.id(ref.parentColumn)}`, table: parent.table, column: ref.parentColumn },
            { expression: `${a}.${q.id(ref.column)}`, table: node.table, column: ref.column },
          );
          return ` join ${q.id(parent.table)} ${next} on ${on}`;
        };
        walk(parent, alias + 1, [...joins, join], nodeFilters, new Set([...seen, parent.name]));
      }
      const meta = node.meta;
      for (const ref of meta?.references ?? []) {
        const parent = byName.get(ref.parent);
        if (!parent || !meta || seen.has(parent.name)) continue;
        const link = `${a}r`;
        const join: Part = (q) =>
          ` join ${q.id(meta.table)} ${link} on ${link}.${q.id(meta.owner)} = ${a}.${q.id(node.primaryKey)} and ${link}.${q.id(meta.key)} = ${q.param(ref.key)}` +
          ` join ${q.id(parent.table)} ${next} on ${q.asText(`${next}.${q.id(ref.parentColumn)}`)} = ${link}.${q.id(meta.value)}`;
        walk(parent, alias + 1, [...joins, join], nodeFilters, new Set([...seen, parent.name]));
      }
    };
    walk(c, 0, [], [], new Set([c.name]));
  }
  if (selects.length === 0) return [];
  const q = new SqlText(database.dialect);
  const text = selects.map((s) => s(q)).join(' union ');
  const found: string[] = [];
  await database.each(text, q.params, (row) => {
    found.push(String(row.e));
  });
  return found;
}

/** The condition that a row of `t0` holds a field of these categories, or undefined when none can. */
function heldCondition(c: CollectionPlan, wanted: ReadonlySet<string>): Part | undefined {
  const columns = Object.entries(c.fields)
    .filter(([, f]) => f.category && wanted.has(f.category))
    .map(([column]) => column);
  const meta = c.meta;
  const keys = Object.entries(meta?.fields ?? {})
    .filter(([, f]) => f.category && wanted.has(f.category))
    .map(([key]) => key);
  if (columns.length === 0 && keys.length === 0) return undefined;
  return (q) => {
    const held = columns.map((column) => `t0.${q.id(column)} is not null`);
    if (meta && keys.length) {
      const list = keys.map((k) => q.param(k)).join(', ');
      held.push(
        `exists (select 1 from ${q.id(meta.table)} h where h.${q.id(meta.owner)} = t0.${q.id(c.primaryKey)} and h.${q.id(meta.key)} in (${list}) and h.${q.id(meta.value)} is not null)`,
      );
    }
    return `(${held.join(' or ')})`;
  };
}
