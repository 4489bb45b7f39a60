import type { Field } from '../../datamap/datamap.schema.ts';
import type { CollectionPlan, SystemPlan } from '../../datamap/plan.ts';
import { type HoldRule, holdEndedBefore } from '../../retention/holds.ts';
import type { SqlDatabase, SqlDialect } from './sql-database.ts';
import { rowFilter } from './sql-identity.ts';
import { SqlText } from './sql-text.ts';
import { timeParam } from './sql-time.ts';

/** A legal hold as the policy's retention rule gives it: its term, how it counts, and why. */
export interface HoldTerm extends HoldRule {
  /** Why, in words: "Algemene wet inzake rijksbelastingen, art. 52". */
  basis: string;
}

export interface RetentionSqlDeps {
  plan: SystemPlan;
  database: SqlDatabase;
  holds: ReadonlyMap<string, HoldTerm>;
  placeholder: string;
}

export interface CollectionCount {
  system: string;
  collection: string;
  records: number;
}

/**
 * Held records made before `cutoff`, as SQL: by their own date, or where that is empty (an unpaid payment)
 * by the date of the parent row named by the hold's `otherwise`. The parent is looked up only for rows
 * without a date of their own: `or` stops at the first true on both dialects.
 */
function heldBefore(q: SqlText, c: CollectionPlan, plan: SystemPlan, cutoff: unknown, dialect: SqlDialect): string {
  const from = c.legalHold?.from;
  const own = from ? q.column(c.table, from) : undefined;
  // MySQL's zero date ('0000-00-00 00:00:00': WordPress's post_date_gmt of a draft) is no date, as recordTime
  // reads it when an erasure seals: such a row is kept, or goes with its parent, like a row without a date.
  const zeroDates = dialect === 'mysql';
  const ownBefore = own
    ? zeroDates
      ? `(${own} < ${q.param(cutoff)} and ${own} >= '1000-01-01')`
      : `${own} < ${q.param(cutoff)}`
    : undefined;
  const undated = zeroDates ? `(${own} is null or ${own} < '1000-01-01')` : `${own} is null`;
  const [parentName, parentColumn] = c.legalHold?.otherwise?.split('.') ?? [];
  const ref = c.references.find((r) => r.parent === parentName);
  const parent = plan.collections.find((p) => p.name === parentName);
  if (!ref || !parent || !parentColumn) return ownBefore ?? '1 = 0';
  const p = q.id('hold_parent');
  const parentDate = `select 1 from ${q.id(parent.table)} ${p} where ${p}.${q.id(ref.parentColumn)} = ${q.column(c.table, ref.column)} and ${p}.${q.id(parentColumn)} < ${q.param(cutoff)}`;
  // A row without a date of its own (an order's address) goes with its parent's date alone.
  if (!ownBefore) return `exists (${parentDate})`;
  return `(${ownBefore} or (${undated} and exists (${parentDate})))`;
}

/**
 * Deletes records whose legal hold has ended: made before the hold's cutoff (for the fiscal hold the start
 * of a financial year, AWR art. 52(4)). A record without any start date is kept: keeping too long is safer
 * than destroying evidence.
 */
export async function destroyExpiredHolds(
  deps: RetentionSqlDeps,
  now: Date,
  dryRun: boolean,
  only?: ReadonlyArray<string>,
): Promise<CollectionCount[]> {
  const { plan, database, holds } = deps;
  const result: CollectionCount[] = [];
  // Children first: a held row dated by its parent (an order's address) is found through that parent.
  for (const c of [...plan.collections].reverse()) {
    if (!c.legalHold || c.legalHold.sealOnly || (only && !only.includes(c.legalHold.hold))) continue;
    const hold = holds.get(c.legalHold.hold);
    if (!hold) continue;
    const q = new SqlText(database.dialect);
    const held = heldBefore(
      q,
      c,
      plan,
      timeParam(database, holdEndedBefore(now, hold), plan.timeZone),
      database.dialect,
    );
    // A collection that is part of a table (WooCommerce orders among posts) reaches only its own rows.
    const filter = rowFilter(q, c);
    const where = filter ? `${held} and ${filter}` : held;
    const [row] = await database.run(`select count(*) as n from ${q.id(c.table)} where ${where}`, q.params);
    const records = Number(row?.n ?? 0);
    if (!dryRun && records > 0) {
      // The rows' meta rows first: they would be left without their owner.
      if (c.meta) {
        const owned = `${q.id(c.meta.owner)} in (select ${q.id(c.primaryKey)} from ${q.id(c.table)} where ${where})`;
        await database.run(`delete from ${q.id(c.meta.table)} where ${owned}`, q.params);
      }
      await database.run(`delete from ${q.id(c.table)} where ${where}`, q.params);
    }
    result.push({ system: plan.system, collection: c.name, records });
  }
  const order = plan.collections.map((c) => c.name);
  return result.sort((a, b) => order.indexOf(a.collection) - order.indexOf(b.collection));
}

/**
 * Clears the fields of these categories in rows collected before `cutoff` (a rule counted `from:
 * collected`, such as the IP address kept three months): `mask` fields get the placeholder, the others
 * become empty; the row itself stays. Only collections whose `collectedAt` dates the collection.
 */
export async function clearCollected(
  deps: RetentionSqlDeps,
  categories: ReadonlyArray<string>,
  cutoff: Date,
  dryRun: boolean,
): Promise<Array<CollectionCount & { fields: string[] }>> {
  const { plan, database } = deps;
  const wanted = new Set(categories);
  const result: Array<CollectionCount & { fields: string[] }> = [];
  for (const c of plan.collections) {
    if (!c.collectedAt) continue;
    const fields = Object.entries(c.fields).filter(
      ([, f]) => f.category && wanted.has(f.category) && f.erase !== 'keep',
    );
    const metaKeys = Object.entries(c.meta?.fields ?? {}).filter(
      ([, f]) => f.category && wanted.has(f.category) && f.erase !== 'keep',
    );
    if (metaKeys.length && !dryRun) await clearCollectedMeta(deps, c, metaKeys, cutoff);
    if (fields.length === 0) continue;
    // A NOT NULL column names what clearing writes there (WordPress's comment_author_IP: '').
    const cleared = fields.map(([column, f]) => ({
      column,
      value: f.erase === 'mask' ? (f.placeholder ?? deps.placeholder) : (f.placeholder ?? null),
    }));
    // Collected before the cutoff, and some field still holds what it held.
    const where = (q: SqlText) => {
      const before = `${q.id(c.collectedAt!)} < ${q.param(timeParam(database, cutoff, deps.plan.timeZone))}`;
      const filter = rowFilter(q, c);
      return `${before}${filter ? ` and ${filter}` : ''} and (${cleared
        .map(({ column, value }) =>
          value === null
            ? `${q.id(column)} is not null`
            : `(${q.id(column)} is not null and ${q.id(column)} <> ${q.param(value)})`,
        )
        .join(' or ')})`;
    };
    const counting = new SqlText(database.dialect);
    const [row] = await database.run(
      `select count(*) as n from ${counting.id(c.table)} where ${where(counting)}`,
      counting.params,
    );
    const records = Number(row?.n ?? 0);
    if (!dryRun && records > 0) {
      const q = new SqlText(database.dialect);
      const assignments = cleared.map(({ column, value }) => `${q.id(column)} = ${q.param(value)}`);
      await database.run(`update ${q.id(c.table)} set ${assignments.join(', ')} where ${where(q)}`, q.params);
    }
    result.push({ system: plan.system, collection: c.name, records, fields: fields.map(([column]) => column) });
  }
  return result;
}

/**
 * The meta keys of those categories, of rows collected before `cutoff` (WooCommerce's legacy order copy
 * keeps the IP address as `_customer_ip_address`): a `delete` key loses its meta rows, the others are set
 * empty (or to the placeholder for `mask`).
 */
async function clearCollectedMeta(
  deps: RetentionSqlDeps,
  c: CollectionPlan,
  keys: Array<[string, Field]>,
  cutoff: Date,
): Promise<void> {
  const meta = c.meta!;
  const { database } = deps;
  const owners = (q: SqlText) => {
    // Parameters are positional: the date's first, as in the text.
    const before = `o.${q.id(c.collectedAt!)} < ${q.param(timeParam(database, cutoff, deps.plan.timeZone))}`;
    const filter = rowFilter(q, c, 'o');
    return `${q.id(meta.owner)} in (select o.${q.id(c.primaryKey)} from ${q.id(c.table)} o where ${before}${filter ? ` and ${filter}` : ''})`;
  };
  const deleted = keys.filter(([, f]) => f.erase === 'delete').map(([k]) => k);
  if (deleted.length) {
    const q = new SqlText(database.dialect);
    const where = `${owners(q)} and ${q.id(meta.key)} in (${deleted.map((k) => q.param(k)).join(', ')})`;
    await database.run(`delete from ${q.id(meta.table)} where ${where}`, q.params);
  }
  for (const [key, f] of keys.filter(([, f]) => f.erase !== 'delete')) {
    const q = new SqlText(database.dialect);
    const value = q.param(f.erase === 'mask' ? (f.placeholder ?? deps.placeholder) : null);
    const where = `${owners(q)} and ${q.id(meta.key)} = ${q.param(key)} and ${q.id(meta.value)} is not null`;
    await database.run(`update ${q.id(meta.table)} set ${q.id(meta.value)} = ${value} where ${where}`, q.params);
  }
}
