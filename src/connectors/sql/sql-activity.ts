import type { CollectionPlan, SystemPlan } from '../../datamap/plan.ts';
import type { ColumnTraits } from './sql-columns.ts';
import type { SqlDatabase } from './sql-database.ts';
import { identitySources, rowFilter } from './sql-identity.ts';
import { SqlText } from './sql-text.ts';
import { recordTime, timeInSelect } from './sql-time.ts';

/**
 * Retention's questions to a SQL system: who was last active when. A collection's activity is a column
 * with a time, or a meta key holding a Unix time (WooCommerce's `wc_last_active`); it counts for the
 * person the row names, and for the person of each parent row it belongs to (an order's date keeps its
 * account alive), through a column or a meta key. Every part is written when called, so that a
 * statement's parameters come in the order of its text.
 */

/** A time of a row of `t`: the join it needs (a meta key) and its expression. */
interface TimeSource {
  join: (q: SqlText) => string;
  at: (q: SqlText) => string;
}

function timeSources(c: CollectionPlan): TimeSource[] {
  const sources: TimeSource[] = c.activity.map((column) => ({ join: () => '', at: (q) => `t.${q.id(column)}` }));
  const meta = c.meta;
  if (!meta) return sources;
  for (const key of meta.activity) {
    sources.push({
      join: (q) =>
        ` join ${q.id(meta.table)} ta on ta.${q.id(meta.owner)} = t.${q.id(c.primaryKey)} and ta.${q.id(meta.key)} = ${q.param(key)}`,
      at: (q) => q.unixTime(`ta.${q.id(meta.value)}`),
    });
  }
  return sources;
}

/** How a row of `t` points at a row `p` of a parent: the join it needs (a meta key) and what is compared. */
interface ParentLink {
  parent: CollectionPlan;
  join: (q: SqlText) => string;
  /** `p`'s column as compared (as text with a meta key's value) and `t`'s value. */
  parentColumn: (q: SqlText) => string;
  value: (q: SqlText) => string;
}

function parentLinks(plan: SystemPlan, c: CollectionPlan, traits: ColumnTraits): ParentLink[] {
  const links: ParentLink[] = [];
  const parentOf = (name: string) => plan.collections.find((p) => p.name === name);
  for (const ref of c.references) {
    const parent = parentOf(ref.parent);
    if (!parent) continue;
    // A number compared with text: both as text (see sql-columns.ts).
    const same = traits.sameKind(
      { table: parent.table, column: ref.parentColumn },
      { table: c.table, column: ref.column },
    );
    const side = (q: SqlText, e: string) => (same ? e : q.asText(e));
    links.push({
      parent,
      join: () => '',
      parentColumn: (q) => side(q, `p.${q.id(ref.parentColumn)}`),
      value: (q) => side(q, `t.${q.id(ref.column)}`),
    });
  }
  const meta = c.meta;
  for (const ref of meta?.references ?? []) {
    const parent = parentOf(ref.parent);
    if (!parent || !meta) continue;
    links.push({
      parent,
      join: (q) =>
        ` join ${q.id(meta.table)} tr on tr.${q.id(meta.owner)} = t.${q.id(c.primaryKey)} and tr.${q.id(meta.key)} = ${q.param(ref.key)}`,
      parentColumn: (q) => q.asText(`p.${q.id(ref.parentColumn)}`),
      value: (q) => `tr.${q.id(meta.value)}`,
    });
  }
  return links;
}

const and = (...conditions: string[]) => conditions.filter(Boolean).join(' and ');

/**
 * Statements that give (e, a) rows, one per activity value that is set: a = 1 where it is on or after
 * `cutoff`, else 0. A person is known when they have any such row, and past the term when none is 1.
 * Activity of a child reaches its parent's person as `parent.key in (children …)`, which SQLite runs
 * as one sorted pass over the parent instead of a random lookup per child row.
 */
function activityFlags(q: SqlText, plan: SystemPlan, traits: ColumnTraits, cutoff: unknown): string[] {
  const parts: string[] = [];
  for (const c of plan.collections) {
    for (const time of timeSources(c)) {
      for (const source of identitySources(c, 't')) {
        const select = `select ${source.e(q)} as e, case when ${time.at(q)} >= ${q.param(cutoff)} then 1 else 0 end as a`;
        const from = ` from ${q.id(c.table)} t${time.join(q)}${source.join(q)}`;
        parts.push(`${select}${from} where ${and(`${time.at(q)} is not null`, rowFilter(q, c, 't'))}`);
      }
      for (const link of parentLinks(plan, c, traits)) {
        for (const source of identitySources(link.parent, 'p')) {
          for (const [flag, op] of [
            [1, '>='],
            [0, '<'],
          ] as const) {
            const head = `select ${source.e(q)} as e, ${flag} as a from ${q.id(link.parent.table)} p${source.join(q)}`;
            const parentFilter = rowFilter(q, link.parent, 'p');
            const inner = `${link.parentColumn(q)} in (select ${link.value(q)} from ${q.id(c.table)} t${link.join(q)}${time.join(q)}`;
            const innerWhere = and(`${time.at(q)} ${op} ${q.param(cutoff)}`, rowFilter(q, c, 't'));
            parts.push(`${head} where ${and(parentFilter, `${inner} where ${innerWhere})`)}`);
          }
        }
      }
    }
  }
  return parts;
}

/**
 * The addresses whose newest activity in this system is before `cutoff`: one grouped statement,
 * sorted inside the database and streamed, so that a million customers do not pass through memory
 * at once and nothing is written to a temporary table row by row.
 */
export async function inactiveBefore(
  database: SqlDatabase,
  plan: SystemPlan,
  traits: ColumnTraits,
  cutoff: Date,
): Promise<{ inactive: string[]; known: number }> {
  const q = new SqlText(database.dialect);
  const parts = activityFlags(q, plan, traits, timeInSelect(database, cutoff, plan.timeZone));
  if (parts.length === 0) return { inactive: [], known: 0 };
  const text = `select e, max(a) as a from (${parts.join(' union all ')}) as flags where e like '%@%' and e not like 'hmac:%' group by e`;
  const inactive: string[] = [];
  let known = 0;
  await database.each(text, q.params, (row) => {
    known++;
    if (Number(row.a) === 0) inactive.push(String(row.e));
  });
  return { inactive, known };
}

/** Which of these addresses were active in this system on or after `cutoff`. */
export async function activeAmong(
  database: SqlDatabase,
  plan: SystemPlan,
  traits: ColumnTraits,
  emails: ReadonlyArray<string>,
  cutoff: Date,
): Promise<Set<string>> {
  const active = new Set<string>();
  for (let i = 0; i < emails.length; i += 5000) {
    const chunk = emails.slice(i, i + 5000);
    for (const { text, params } of newestActivity(database, plan, traits, chunk)) {
      // At most one row per address of the chunk: read at once (`each` makes a temporary table and a cursor
      // on PostgreSQL, for a scan of everyone; for a batch's re-check that cost more than the statement).
      for (const row of await database.run(text, params)) {
        const at = recordTime(row.at, plan.timeZone);
        if (at && at.getTime() >= cutoff.getTime()) active.add(String(row.e));
      }
    }
  }
  return active;
}

/** Statements that give (e, at) rows: per address among these, its newest activity in a collection. */
function newestActivity(database: SqlDatabase, plan: SystemPlan, traits: ColumnTraits, among: ReadonlyArray<string>) {
  const queries: Array<{ text: string; params: unknown[] }> = [];
  const add = (build: (q: SqlText) => string) => {
    const q = new SqlText(database.dialect);
    queries.push({ text: build(q), params: q.params });
  };
  for (const c of plan.collections) {
    for (const time of timeSources(c)) {
      for (const source of identitySources(c, 't')) {
        add((q) => {
          const e = source.e(q);
          const head = `select ${e} as e, max(${time.at(q)}) as at from ${q.id(c.table)} t${time.join(q)}${source.join(q)}`;
          return `${head} where ${and(rowFilter(q, c, 't'), q.addressKeyIn(e, among))} group by ${e}`;
        });
      }
      for (const link of parentLinks(plan, c, traits)) {
        for (const source of identitySources(link.parent, 'p')) {
          add((q) => {
            const e = source.e(q);
            const from = ` from ${q.id(c.table)} t${link.join(q)}${time.join(q)} join ${q.id(link.parent.table)} p on ${link.parentColumn(q)} = ${link.value(q)}${source.join(q)}`;
            const where = and(rowFilter(q, c, 't'), rowFilter(q, link.parent, 'p'), q.addressKeyIn(e, among));
            return `select ${e} as e, max(${time.at(q)}) as at${from} where ${where} group by ${e}`;
          });
        }
      }
    }
  }
  return queries;
}
