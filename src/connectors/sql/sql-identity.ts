import type { CollectionPlan } from '../../datamap/plan.ts';
import { containmentPatterns, holdsAddress } from '../../datamap/value-format.ts';
import { type FoundRecord, normalizeEmail, type Value } from '../connector.ts';
import type { ColumnTraits } from './sql-columns.ts';
import type { SqlText } from './sql-text.ts';

/**
 * How a collection's rows are found for a person: by their address in an identity column (exactly, or
 * by containment in a larger value), by their address under an identity key of the collection's meta
 * table, or as rows that belong to a parent row found before (through a column or a meta key).
 */

/** Rows found so far, per collection. */
export type Found = ReadonlyMap<string, FoundRecord[]>;

/** The values of a parent's column among its rows found so far, distinct and set. */
export function parentValues(found: Found, parent: string, column: string): Value[] {
  const rows = found.get(parent);
  if (rows === undefined || rows.length === 0) return [];
  // One parent row (a person's account) is the common case: no set to make.
  if (rows.length === 1) {
    const value = rows[0]!.data[column] ?? null;
    return value === null ? [] : [value];
  }
  const values = rows.map((r) => r.data[column] ?? null).filter((v) => v !== null);
  return [...new Set(values)];
}

/** `where` of a statement: its conditions joined, or none (the statement's text stays as it was without them). */
export function whereAll(conditions: ReadonlyArray<string>): string {
  const set = conditions.filter((c) => c !== '');
  return set.length === 0 ? '' : ` where ${set.join(' and ')}`;
}

/** The collection's row filter on `table` (an alias or its table), or '' without one. */
export function rowFilter(q: SqlText, c: CollectionPlan, table = c.table): string {
  return c.where.length ? q.filter(table, c.where) : '';
}

/** The alternatives that make a row the person's: each is enough. */
export function findPredicates(
  q: SqlText,
  c: CollectionPlan,
  subjects: ReadonlyArray<string>,
  found: Found,
  traits: ColumnTraits,
): string[] {
  if (!c.meta) return [...identityPredicates(q, c, subjects, traits, 'all'), ...referencePredicates(q, c, found)];
  // The columns' alternatives, then one subquery over the meta table for all its keys: an `or` of several
  // subqueries makes MySQL read every row of each key (WordPress's postmeta: every order's `_billing_email`
  // and `_customer_user`) where one subquery reads only the index ranges of the keys and values asked for.
  const columns: CollectionPlan = { ...c, meta: undefined };
  const predicates = [
    ...identityPredicates(q, columns, subjects, traits, 'all'),
    ...referencePredicates(q, columns, found),
  ];
  const meta = c.meta;
  const value = `m.${q.id(meta.value)}`;
  const keys: string[] = [];
  const underOr = meta.identity.length + meta.references.length > 1;
  for (const { key, format } of meta.identity)
    keys.push(
      `(m.${q.id(meta.key)} = ${q.param(key)} and ${
        format === 'plain'
          ? q.emailIn(value, subjects, traits.caseInsensitive(meta.table, meta.value), underOr)
          : q.likeAny(value, patternsFor(subjects, format))
      })`,
    );
  for (const ref of meta.references) {
    const values = parentValues(found, ref.parent, ref.parentColumn).map(String);
    if (values.length) keys.push(`(m.${q.id(meta.key)} = ${q.param(ref.key)} and ${q.keyIn(value, values)})`);
  }
  if (keys.length)
    predicates.push(
      `${q.column(c.table, c.primaryKey)} in (select m.${q.id(meta.owner)} from ${q.id(meta.table)} m where ${keys.join(' or ')})`,
    );
  return predicates;
}

/**
 * The row names one of these people: by an identity column or meta key, compared exactly (`exact`), or
 * holding the address inside a larger value (`contained`: LIKE narrows, `belongs` decides), or either.
 */
export function identityPredicates(
  q: SqlText,
  c: CollectionPlan,
  subjects: ReadonlyArray<string>,
  traits: ColumnTraits,
  which: 'exact' | 'contained' | 'all',
): string[] {
  const exact = which !== 'contained';
  const contained = which !== 'exact';
  const predicates = exact
    ? c.identity.map((column) =>
        q.emailIn(q.column(c.table, column), subjects, traits.caseInsensitive(c.table, column)),
      )
    : [];
  if (contained)
    for (const { column, format } of c.contains)
      predicates.push(q.likeAny(q.column(c.table, column), patternsFor(subjects, format)));
  const meta = c.meta;
  if (!meta) return predicates;
  const value = `m.${q.id(meta.value)}`;
  for (const { key, format } of meta.identity) {
    if (format === 'plain' ? !exact : !contained) continue;
    predicates.push(
      ownersWhere(q, c, key, () =>
        format === 'plain'
          ? q.emailIn(value, subjects, traits.caseInsensitive(meta.table, meta.value))
          : q.likeAny(value, patternsFor(subjects, format)),
      ),
    );
  }
  return predicates;
}

/** The row belongs to a parent row found before: through a column, or through a meta key's value. */
function referencePredicates(q: SqlText, c: CollectionPlan, found: Found): string[] {
  const predicates: string[] = [];
  for (const ref of c.references) {
    const values = parentValues(found, ref.parent, ref.parentColumn);
    if (values.length) predicates.push(q.keyIn(q.column(c.table, ref.column), values));
  }
  const meta = c.meta;
  for (const ref of meta?.references ?? []) {
    const values = parentValues(found, ref.parent, ref.parentColumn).map(String);
    if (meta && values.length)
      predicates.push(ownersWhere(q, c, ref.key, () => q.keyIn(`m.${q.id(meta.value)}`, values)));
  }
  return predicates;
}

/** The row owns a meta row of this key whose value meets the condition (written after the key's parameter). */
function ownersWhere(q: SqlText, c: CollectionPlan, key: string, condition: () => string): string {
  const meta = c.meta!;
  const head = `${q.column(c.table, c.primaryKey)} in (select m.${q.id(meta.owner)} from ${q.id(meta.table)} m where m.${q.id(meta.key)} = ${q.param(key)}`;
  return `${head} and ${condition()})`;
}

const patternsFor = (subjects: ReadonlyArray<string>, format: Parameters<typeof containmentPatterns>[1]) => [
  ...new Set(subjects.flatMap((s) => containmentPatterns(s, format))),
];

/** Whether the collection's statement can return rows that are not the person's, to be decided here. */
export function needsPostFilter(c: CollectionPlan): boolean {
  return c.contains.length > 0 || (c.meta?.identity.some((i) => i.format !== 'plain') ?? false);
}

/**
 * Which of the wanted people a found row is of: by an identity column or key (exact, or by containment
 * decided here, after the database narrowed by LIKE), or else by the parent row it belongs to.
 * `ownerOfParent` gives the person of a parent row, where known.
 */
export function ownerOf(
  c: CollectionPlan,
  r: FoundRecord,
  wanted: ReadonlySet<string>,
  ownerOfParent: (parent: string, column: string, value: Value) => string | undefined,
): string | undefined {
  for (const column of c.identity) {
    const v = r.data[column];
    if (typeof v === 'string' && wanted.has(normalizeEmail(v))) return normalizeEmail(v);
  }
  const sources = [
    ...c.contains.map(({ column, format }) => ({ v: r.data[column], format })),
    ...(c.meta?.identity ?? []).map(({ key, format }) => ({ v: r.data[key], format })),
  ];
  for (const { v, format } of sources) {
    if (typeof v !== 'string') continue;
    for (const s of wanted) if (holdsAddress(v, format, s)) return s;
  }
  for (const ref of c.references) {
    const owner = ownerOfParent(ref.parent, ref.parentColumn, r.data[ref.column] ?? null);
    if (owner) return owner;
  }
  for (const ref of c.meta?.references ?? []) {
    const owner = ownerOfParent(ref.parent, ref.parentColumn, r.data[ref.key] ?? null);
    if (owner) return owner;
  }
  return undefined;
}

/** Whether a row the database returned belongs to the person(s) at all: the exact check after LIKE. */
export function belongs(c: CollectionPlan, r: FoundRecord, wanted: ReadonlySet<string>, found: Found): boolean {
  const parentHas = (parent: string, column: string, value: Value) =>
    value !== null && parentValues(found, parent, column).map(String).includes(String(value)) ? 'yes' : undefined;
  return ownerOf(c, r, wanted, parentHas) !== undefined;
}

/** A way SQL reads a row's person as an address: a join it may need, and the address expression. */
export interface IdentitySource {
  join: (q: SqlText) => string;
  e: (q: SqlText) => string;
}

/**
 * Where a collection's rows name their person as an address SQL can read (for retention and the people a
 * policy change concerns): its exact identity columns, and its meta table's plain identity keys, joined
 * under the alias `${alias}m`. Containment identities cannot be read as an address by SQL and are left out.
 * Parts are written when called, so that each statement's parameters come in the order of its text.
 */
export function identitySources(c: CollectionPlan, alias: string): IdentitySource[] {
  const sources: IdentitySource[] = c.identity.map((column) => ({
    join: () => '',
    e: (q) => q.emailKey(`${alias}.${q.id(column)}`),
  }));
  const meta = c.meta;
  const keys = (meta?.identity ?? []).filter((i) => i.format === 'plain').map((i) => i.key);
  if (meta && keys.length) {
    const m = `${alias}m`;
    sources.push({
      join: (q) =>
        ` join ${q.id(meta.table)} ${m} on ${m}.${q.id(meta.owner)} = ${alias}.${q.id(c.primaryKey)} and ${m}.${q.id(meta.key)} in (${keys.map((k) => q.param(k)).join(', ')})`,
      e: (q) => q.emailKey(`${m}.${q.id(meta.value)}`),
    });
  }
  return sources;
}
