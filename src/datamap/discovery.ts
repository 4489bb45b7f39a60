import type { Kysely } from 'kysely';
import type { DataMapFinding } from './check.ts';
import type { Collection, SqlSystem } from './datamap.schema.ts';
import { KIND_WORDS, kindsOf, PERSONAL_KINDS, type PersonalKind, shows } from './personal-values.ts';
import { tableOf } from './plan.ts';
import { looksSerialized } from './value-format.ts';

/**
 * Personal data nobody mapped: `datamap check` samples every text column of a SQL system that the data
 * map does not mention (and the meta keys it does not name) and reports those whose values look like
 * e-mail addresses, phone numbers, IBANs, IP addresses, postal codes or names — where, what, and how many
 * of the sampled rows — never a value itself. Sampling is bounded: at most SAMPLE rows a column, taken as
 * `select column from table where column is not null limit SAMPLE`, so a large shop is checked in seconds.
 */
export interface UnmappedColumn {
  system: string;
  table: string;
  column: string;
  /** For a meta table: the key whose values these are. */
  key?: string;
  kind: PersonalKind;
  /** Sampled rows whose value looks like the kind, and rows sampled (values set). */
  matched: number;
  sampled: number;
}

export const SAMPLE = 300;
/** Rows of unnamed keys read from a meta table, grouped by key afterwards. */
const META_SAMPLE = 3000;
/** How many times the sample a query reads at most, to find it among rows that are empty or named. */
const WINDOW = 10;

type Shop = Kysely<Record<string, Record<string, unknown>>>;
type TableInfo = Awaited<ReturnType<Kysely<unknown>['introspection']['getTables']>>[number];

const isText = (dataType: string) => /char|text|string|json|clob/i.test(dataType);

/** The tables of the system's own schema (and prefix, when it has one). */
async function ownTables(system: SqlSystem, db: Kysely<unknown>): Promise<TableInfo[]> {
  const tables = await db.introspection.getTables();
  // PostgreSQL lists every schema's tables: the system's own schema, or else the default one.
  const schema = system.schema ?? (tables.some((t) => t.schema === 'public') ? 'public' : undefined);
  return tables.filter((t) => (!schema || t.schema === schema) && t.name.startsWith(system.tablePrefix ?? ''));
}

/** Columns the map mentions, per table: every column any collection on that table names. */
function mentioned(system: SqlSystem): Map<string, Set<string>> {
  const byTable = new Map<string, Set<string>>();
  const add = (table: string, columns: string[]) => {
    const set = byTable.get(table) ?? new Set<string>();
    for (const c of columns) set.add(c);
    byTable.set(table, set);
  };
  for (const [name, c] of Object.entries(system.collections)) {
    add(tableOf(system, name, c), namedColumns(c));
    if (c.meta) add(`${system.tablePrefix ?? ''}${c.meta.table}`, [c.meta.owner, c.meta.key, c.meta.value]);
  }
  return byTable;
}

function namedColumns(c: Collection): string[] {
  return [
    c.primaryKey,
    ...c.identity,
    ...Object.keys(c.references),
    ...c.activity,
    ...(c.legalHold?.from ? [c.legalHold.from] : []),
    ...Object.keys(c.fields),
    ...Object.keys(c.where ?? {}),
  ];
}

/** Samples the values of one column (or one meta key's) and counts the rows of each kind. */
function tally(values: unknown[]): { sampled: number; counts: Map<PersonalKind, number> } {
  const counts = new Map<PersonalKind, number>();
  let sampled = 0;
  for (const value of values) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    sampled++;
    for (const kind of kindsOf(value)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return { sampled, counts };
}

function report(base: Omit<UnmappedColumn, 'kind' | 'matched' | 'sampled'>, values: unknown[]): UnmappedColumn[] {
  const { sampled, counts } = tally(values);
  return PERSONAL_KINDS.filter((kind) => shows(kind, counts.get(kind) ?? 0, sampled)).map((kind) => ({
    ...base,
    kind,
    matched: counts.get(kind) ?? 0,
    sampled,
  }));
}

/** The unmapped text columns and meta keys of one SQL system whose sampled values look personal. */
export async function discoverUnmapped(
  systemId: string,
  system: SqlSystem,
  db: Kysely<unknown>,
  sample = SAMPLE,
): Promise<UnmappedColumn[]> {
  const shop = db as unknown as Shop;
  const named = mentioned(system);
  const found: UnmappedColumn[] = [];
  for (const table of await ownTables(system, db)) {
    const known = named.get(table.name) ?? new Set<string>();
    for (const col of table.columns) {
      if (known.has(col.name) || !isText(col.dataType)) continue;
      // Read at most WINDOW rows of the table, whatever they hold: a column that is empty in most rows of
      // a large table (WooCommerce's cart_hash) would otherwise be read to its end for nothing.
      const window = shop
        .selectFrom(table.name)
        .select(col.name)
        .limit(sample * WINDOW)
        .as('w');
      const rows = await (shop as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .selectFrom(window as never)
        .select(col.name as never)
        .where(col.name as never, 'is not', null)
        .limit(sample)
        .execute()
        .catch(() => [] as Array<Record<string, unknown>>);
      found.push(
        ...report(
          { system: systemId, table: table.name, column: col.name },
          rows.map((r) => r[col.name]),
        ),
      );
    }
  }
  for (const c of Object.values(system.collections)) {
    if (c.meta) found.push(...(await discoverMetaKeys(systemId, system, c, shop, sample)));
  }
  return found;
}

/** A meta table's keys the map does not name, sampled together and told apart by key. */
async function discoverMetaKeys(
  systemId: string,
  system: SqlSystem,
  c: Collection,
  shop: Shop,
  sample: number,
): Promise<UnmappedColumn[]> {
  const meta = c.meta!;
  const table = `${system.tablePrefix ?? ''}${meta.table}`;
  const named = [
    ...new Set([...Object.keys(meta.fields), ...meta.identity, ...Object.keys(meta.references), ...meta.activity]),
  ];
  // At most WINDOW × META_SAMPLE meta rows are read: where the map names every key, a scan for the
  // unnamed ones would read the whole table (WooCommerce's wc_orders_meta) and find none.
  const window = shop
    .selectFrom(table)
    .select([`${meta.key} as k`, `${meta.value} as v`])
    .limit(META_SAMPLE * WINDOW)
    .as('w');
  let query = (shop as unknown as Kysely<Record<string, { k: unknown; v: unknown }>>)
    .selectFrom(window as never)
    .select(['k', 'v'] as never)
    .where('v' as never, 'is not', null);
  if (named.length) query = query.where('k' as never, 'not in', named as never);
  const rows = (await query
    .limit(META_SAMPLE)
    .execute()
    .catch(() => [])) as Array<{ k: unknown; v: unknown }>;
  const byKey = new Map<string, unknown[]>();
  for (const row of rows) {
    const key = String(row.k);
    const list = byKey.get(key) ?? [];
    if (list.length < sample) list.push(row.v);
    byKey.set(key, list);
  }
  return [...byKey].flatMap(([key, values]) => report({ system: systemId, table, column: meta.value, key }, values));
}

/** A line for the check's text output: where, what and how many; never a value. */
export function describeUnmapped(u: UnmappedColumn): string {
  const where = `${u.system}.${u.table}.${u.column}${u.key === undefined ? '' : `[${u.key}]`}`;
  return `${where}: ${KIND_WORDS[u.kind]} in ${u.matched} of ${u.sampled} sampled rows; if it is personal data, map it`;
}

/**
 * A mapped plain field whose sampled values look PHP-serialized: editing such a value in place (mask,
 * hash) breaks it, so the map should say `format: serialized`.
 */
export async function checkDeclaredFormats(
  systemId: string,
  system: SqlSystem,
  db: Kysely<unknown>,
  sample = SAMPLE,
): Promise<DataMapFinding[]> {
  const shop = db as unknown as Shop;
  const findings: DataMapFinding[] = [];
  const warn = (path: string, hits: number, of: number) =>
    findings.push({
      severity: 'warning',
      path,
      message: `holds serialized values (${hits} of ${of} sampled rows) but is declared plain: say "format: serialized", so that it is deleted, set to null or kept, never edited in place`,
    });
  for (const [name, c] of Object.entries(system.collections)) {
    const table = tableOf(system, name, c);
    const base = `systems.${systemId}.collections.${name}`;
    for (const [column, field] of Object.entries(c.fields)) {
      if ((field.format ?? 'plain') !== 'plain' || field.erase === 'keep') continue;
      const rows = await shop
        .selectFrom(table)
        .select(column)
        .where(column, 'is not', null)
        .limit(sample)
        .execute()
        .catch(() => []);
      const values = rows.map((r) => r[column]).filter((v): v is string => typeof v === 'string');
      const hits = values.filter(looksSerialized).length;
      if (hits > 0) warn(`${base}.fields.${column}`, hits, values.length);
    }
    const meta = c.meta;
    for (const [key, field] of Object.entries(meta?.fields ?? {})) {
      if (!meta || (field.format ?? 'plain') !== 'plain' || field.erase === 'keep') continue;
      const rows = await shop
        .selectFrom(`${system.tablePrefix ?? ''}${meta.table}`)
        .select(`${meta.value} as v`)
        .where(meta.key, '=', key)
        .where(meta.value, 'is not', null)
        .limit(sample)
        .execute()
        .catch(() => []);
      const values = rows.map((r) => r.v).filter((v): v is string => typeof v === 'string');
      const hits = values.filter(looksSerialized).length;
      if (hits > 0) warn(`${base}.meta.fields.${key}`, hits, values.length);
    }
  }
  return findings;
}
