import type { EraseStrategy, Field } from '../../datamap/datamap.schema.ts';
import type { CollectionPlan, MetaPlan } from '../../datamap/plan.ts';
import type { FoundRecord, Value } from '../connector.ts';
import type { SqlDialect, SqlRunner } from './sql-database.ts';
import { SqlText } from './sql-text.ts';

/**
 * A collection's meta table (WordPress `usermeta`/`postmeta`, WooCommerce `wc_orders_meta`): rows
 * `(owner, key, value)` that extend the collection's rows. Each mapped key is a field of its owner's
 * record; erasure deletes a key's row or sets its value, and all of an owner's rows go with the owner.
 */

/** Every key the engine reads: mapped fields, identity and reference keys. */
export function metaKeys(meta: MetaPlan): string[] {
  return [
    ...new Set([
      ...Object.keys(meta.fields),
      ...meta.identity.map((i) => i.key),
      ...meta.references.map((r) => r.key),
      ...meta.activity,
    ]),
  ];
}

/**
 * Reads the mapped keys of these owners in one statement and puts them into the owners' records. A key
 * written more than once for one owner (WordPress allows it) shows its values one per line.
 */
export async function attachMeta(
  db: SqlRunner,
  dialect: SqlDialect,
  c: CollectionPlan,
  records: FoundRecord[],
): Promise<void> {
  const meta = c.meta;
  if (!meta || records.length === 0) return;
  const q = new SqlText(dialect);
  const byOwner = new Map(records.map((r) => [String(r.data[c.primaryKey]), r]));
  const owners = [...new Set(records.map((r) => r.data[c.primaryKey] ?? null))];
  const text = `select ${q.id(meta.owner)} as o, ${q.id(meta.key)} as k, ${q.id(meta.value)} as v from ${q.id(meta.table)} where ${q.keyIn(q.id(meta.owner), owners)} and ${q.keyIn(q.id(meta.key), metaKeys(meta))}`;
  for (const row of await db.run(text, q.params)) {
    const record = byOwner.get(String(row.o));
    if (!record) continue;
    const key = String(row.k);
    const value = row.v === null || row.v === undefined ? null : String(row.v);
    const before = record.data[key];
    record.data[key] = typeof before === 'string' && value !== null ? `${before}\n${value}` : (value ?? before ?? null);
  }
}

/** Deletes every meta row of these owners: what an owner's deletion leaves behind otherwise. */
export async function deleteAllMeta(db: SqlRunner, dialect: SqlDialect, meta: MetaPlan, owners: Value[]) {
  const q = new SqlText(dialect);
  await db.run(`delete from ${q.id(meta.table)} where ${q.keyIn(q.id(meta.owner), owners)}`, q.params);
}

export interface MetaErasure {
  /** The value `mask` writes for a field without its own placeholder. */
  placeholder: string;
  /** `hmac:…` of a field's value, as the connector hashes columns. */
  hash: (key: string, value: Value) => Value;
}

/**
 * Applies each key's strategy to these owners' rows: `delete` deletes that key's rows, `null`, `mask` and
 * `hash` set its value. `only` limits it to some keys (the fields of some categories). Statements are one
 * per strategy, plus one per distinct hashed value.
 */
export async function eraseMeta(
  db: SqlRunner,
  dialect: SqlDialect,
  c: CollectionPlan,
  records: FoundRecord[],
  how: MetaErasure,
  only?: (key: string, field: Field) => boolean,
): Promise<boolean> {
  const meta = c.meta;
  if (!meta || records.length === 0) return false;
  const owners = records.map((r) => r.data[c.primaryKey] ?? null);
  const keys = (strategy: EraseStrategy) =>
    Object.entries(meta.fields)
      .filter(([key, f]) => f.erase === strategy && (!only || only(key, f)))
      .map(([key, f]) => [key, f] as const);
  const run = async (build: (q: SqlText) => string) => {
    const q = new SqlText(dialect);
    const text = build(q);
    await db.run(text, q.params);
  };
  const t = (q: SqlText) => q.id(meta.table);
  const ownersAnd = (q: SqlText, ks: string[]) =>
    `${q.keyIn(q.id(meta.owner), owners)} and ${q.keyIn(q.id(meta.key), ks)}`;
  let changed = false;
  const deleted = keys('delete').map(([k]) => k);
  if (deleted.length) {
    await run((q) => `delete from ${t(q)} where ${ownersAnd(q, deleted)}`);
    changed = true;
  }
  const nulled = keys('null').map(([k]) => k);
  if (nulled.length) {
    await run((q) => `update ${t(q)} set ${q.id(meta.value)} = null where ${ownersAnd(q, nulled)}`);
    changed = true;
  }
  const byPlaceholder = new Map<string, string[]>();
  for (const [key, f] of keys('mask')) {
    const value = f.placeholder ?? how.placeholder;
    byPlaceholder.set(value, [...(byPlaceholder.get(value) ?? []), key]);
  }
  for (const [value, ks] of byPlaceholder) {
    await run((q) => `update ${t(q)} set ${q.id(meta.value)} = ${q.param(value)} where ${ownersAnd(q, ks)}`);
    changed = true;
  }
  // A hashed value differs per value: one statement per key and distinct hash, for the owners holding it.
  for (const [key] of keys('hash')) {
    const groups = new Map<string, Value[]>();
    for (const r of records) {
      const hashed = how.hash(key, r.data[key] ?? null);
      if (hashed === null) continue;
      groups.set(String(hashed), [...(groups.get(String(hashed)) ?? []), r.data[c.primaryKey] ?? null]);
    }
    for (const [hashed, owned] of groups) {
      await run(
        (q) =>
          `update ${t(q)} set ${q.id(meta.value)} = ${q.param(hashed)} where ${q.keyIn(q.id(meta.owner), owned)} and ${q.id(meta.key)} = ${q.param(key)}`,
      );
      changed = true;
    }
  }
  return changed;
}

/** Writes corrected values into the keys that have a role (a rectification); returns the keys written. */
export async function rectifyMeta(
  db: SqlRunner,
  dialect: SqlDialect,
  c: CollectionPlan,
  owners: Value[],
  values: (field: Field) => Value | undefined,
): Promise<string[]> {
  const meta = c.meta;
  if (!meta || owners.length === 0) return [];
  const written: string[] = [];
  for (const [key, field] of Object.entries(meta.fields)) {
    const value = values(field);
    if (value === undefined) continue;
    const q = new SqlText(dialect);
    const text = `update ${q.id(meta.table)} set ${q.id(meta.value)} = ${q.param(value)} where ${q.keyIn(q.id(meta.owner), owners)} and ${q.id(meta.key)} = ${q.param(key)}`;
    await db.run(text, q.params);
    written.push(key);
  }
  return written;
}
