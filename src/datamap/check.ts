import type { Kysely } from 'kysely';
import { apiReadiness, type Env, resolveApiSystem } from '../connectors/api/api-systems.ts';
import type { ProcessorApiFactory } from '../connectors/api/processor-api.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { DataMap, MetaTable, SqlSystem } from './datamap.schema.ts';
import { planSystem, tableOf } from './plan.ts';

export interface DataMapFinding {
  severity: 'error' | 'warning';
  /** Where in datamap.yaml, e.g. `systems.shop.collections.orders.fields.email`. */
  path: string;
  message: string;
}

/** Checks the map against the policy: known categories, processors and legal holds. */
export function checkAgainstPolicy(map: DataMap, policy: Policy): DataMapFinding[] {
  const findings: DataMapFinding[] = [];
  const error = (path: string, message: string) => findings.push({ severity: 'error', path, message });
  const warn = (path: string, message: string) => findings.push({ severity: 'warning', path, message });
  const categories = new Set(policy.categories.map((c) => c.id));
  const processors = new Set(policy.processors.map((p) => p.id));
  const holds = new Set(policy.retention.rules.filter((r) => r.legalHold && r.term).map((r) => r.legalHold));
  const reached = new Set<string>();

  for (const [id, system] of Object.entries(map.systems)) {
    const base = `systems.${id}`;
    if (system.processor) {
      reached.add(system.processor);
      if (!processors.has(system.processor))
        error(`${base}.processor`, `"${system.processor}" is not a processor in the policy`);
    }
    if (system.type === 'manual' || system.type === 'api') {
      for (const c of system.categories ?? []) {
        if (!categories.has(c)) error(`${base}.categories`, `category "${c}" is not in the policy`);
      }
      continue;
    }
    for (const [name, collection] of Object.entries(system.collections)) {
      const cbase = `${base}.collections.${name}`;
      const parts = [
        { path: cbase, fields: collection.fields, identity: collection.identity },
        ...(collection.meta
          ? [{ path: `${cbase}.meta`, fields: collection.meta.fields, identity: collection.meta.identity }]
          : []),
      ];
      for (const part of parts) {
        for (const [column, field] of Object.entries(part.fields)) {
          if (field.category && !categories.has(field.category)) {
            error(`${part.path}.fields.${column}`, `category "${field.category}" is not in the policy's categories`);
          }
          if (part.identity.includes(column) && field.erase === 'keep') {
            warn(`${part.path}.fields.${column}`, 'an identity field that erasure keeps leaves the person findable');
          }
          if (field.format === 'json' && (field.erase === 'mask' || field.erase === 'hash'))
            warn(
              `${part.path}.fields.${column}`,
              `"${field.erase}" replaces the whole JSON value with text that is no longer JSON; use null or delete where the shop reads it`,
            );
        }
        for (const column of part.identity) {
          if (!part.fields[column])
            warn(`${part.path}.identity`, `identity field "${column}" has no erase strategy (it is kept)`);
        }
      }
      if (collection.legalHold && !holds.has(collection.legalHold.hold)) {
        error(
          `${cbase}.legalHold.hold`,
          `no retention rule in the policy has legalHold "${collection.legalHold.hold}" with a term`,
        );
      }
    }
    findings.push(...checkReferenceStrategies(id, system));
  }
  for (const p of policy.processors) {
    if (!reached.has(p.id)) {
      error(`systems`, `processor "${p.id}" (${p.name}) from the policy is in no system: add it, or declare it manual`);
    }
  }
  return findings;
}

/**
 * Api systems: the connector exists, the map names every credential it needs, its options are valid
 * (errors); a secret missing from the environment is a warning: the system then falls back to manual tasks.
 */
export function checkApiSystems(
  map: DataMap,
  env: Env,
  registry?: ReadonlyArray<ProcessorApiFactory>,
): DataMapFinding[] {
  const findings: DataMapFinding[] = [];
  for (const [id, system] of Object.entries(map.systems)) {
    if (system.type !== 'api') continue;
    const resolved = resolveApiSystem(id, system, env, registry);
    for (const p of resolved.problems) findings.push({ severity: 'error', path: p.path, message: p.message });
    const readiness = apiReadiness(resolved);
    if (resolved.problems.length === 0 && !readiness.ready)
      findings.push({
        severity: 'warning',
        path: `systems.${id}.credentials`,
        message:
          system.unconfigured === 'skip'
            ? `${readiness.reason}: ${id} is left out until they are set`
            : `${readiness.reason}: ${id} falls back to manual tasks until they are set`,
      });
  }
  return findings;
}

/** A parent whose rows are deleted needs children that let go of it, or the erasure breaks on the foreign key. */
function checkReferenceStrategies(systemId: string, system: SqlSystem): DataMapFinding[] {
  const plan = planSystem(systemId, system);
  const findings: DataMapFinding[] = [];
  for (const c of plan.collections) {
    for (const ref of c.references) {
      const parent = plan.collections.find((p) => p.name === ref.parent);
      const strategy = c.fields[ref.column]?.erase ?? 'keep';
      if (parent?.deletesRow && !c.deletesRow && strategy !== 'null') {
        findings.push({
          severity: 'warning',
          path: `systems.${systemId}.collections.${c.name}.fields.${ref.column}`,
          message: `${ref.parent} rows are deleted, but ${c.name}.${ref.column} keeps pointing at them; use "null" or delete ${c.name} rows too`,
        });
      }
    }
    for (const ref of c.meta?.references ?? []) {
      const parent = plan.collections.find((p) => p.name === ref.parent);
      const strategy = c.meta?.fields[ref.key]?.erase ?? 'keep';
      if (parent?.deletesRow && !c.deletesRow && strategy !== 'null' && strategy !== 'delete') {
        findings.push({
          severity: 'warning',
          path: `systems.${systemId}.collections.${c.name}.meta.fields.${ref.key}`,
          message: `${ref.parent} rows are deleted, but the meta key ${ref.key} of ${c.name} keeps pointing at them; use "null" or "delete"`,
        });
      }
    }
  }
  return findings;
}

/** Checks a SQL system against its live database: every table and column the map names exists. */
export async function checkAgainstDatabase(
  systemId: string,
  system: SqlSystem,
  db: Kysely<unknown>,
): Promise<DataMapFinding[]> {
  const findings: DataMapFinding[] = [];
  const tables = await db.introspection.getTables();
  const inSchema = tables.filter((t) => !system.schema || t.schema === system.schema);
  // A legal hold's `otherwise` names a column of the parent: it must exist there.
  const borrowed = new Map<string, string[]>();
  for (const c of Object.values(system.collections)) {
    const [parent, column] = c.legalHold?.otherwise?.split('.') ?? [];
    if (parent && column) borrowed.set(parent, [...(borrowed.get(parent) ?? []), column]);
  }
  for (const [name, c] of Object.entries(system.collections)) {
    const path = `systems.${systemId}.collections.${name}`;
    const table = inSchema.find((t) => t.name === tableOf(system, name, c));
    if (!table) {
      findings.push({
        severity: 'error',
        path,
        message: `table "${tableOf(system, name, c)}" does not exist in the database`,
      });
      continue;
    }
    const columns = new Map(table.columns.map((col) => [col.name, col]));
    const named = new Set([
      c.primaryKey,
      ...c.identity,
      ...Object.keys(c.references),
      ...c.activity,
      ...(c.legalHold?.from ? [c.legalHold.from] : []),
      ...(c.collectedAt ? [c.collectedAt] : []),
      ...(borrowed.get(name) ?? []),
      ...Object.keys(c.fields),
      ...Object.keys(c.where ?? {}),
    ]);
    for (const column of named) {
      if (!columns.has(column)) {
        findings.push({ severity: 'error', path, message: `column "${column}" does not exist in table ${table.name}` });
      }
    }
    for (const [column, field] of Object.entries(c.fields)) {
      const col = columns.get(column);
      if (col && field.erase === 'null' && !col.isNullable) {
        findings.push({
          severity: 'error',
          path: `${path}.fields.${column}`,
          message: 'is NOT NULL in the database: "null" would fail; use "mask"',
        });
      }
    }
    if (c.meta) findings.push(...checkMetaTable(`${path}.meta`, system, c.meta, table, inSchema));
  }
  return findings;
}

type TableInfo = Awaited<ReturnType<Kysely<unknown>['introspection']['getTables']>>[number];

/** The meta table exists with its owner, key and value columns; no meta key is also a column of the owner. */
function checkMetaTable(
  path: string,
  system: SqlSystem,
  meta: MetaTable,
  owner: TableInfo,
  tables: TableInfo[],
): DataMapFinding[] {
  const name = `${system.tablePrefix ?? ''}${meta.table}`;
  const table = tables.find((t) => t.name === name);
  if (!table) return [{ severity: 'error', path, message: `table "${name}" does not exist in the database` }];
  const findings: DataMapFinding[] = [];
  const columns = new Set(table.columns.map((col) => col.name));
  for (const column of [meta.owner, meta.key, meta.value]) {
    if (!columns.has(column))
      findings.push({ severity: 'error', path, message: `column "${column}" does not exist in table ${name}` });
  }
  const value = table.columns.find((col) => col.name === meta.value);
  for (const [key, field] of Object.entries(meta.fields)) {
    if (value && !value.isNullable && field.erase === 'null')
      findings.push({
        severity: 'error',
        path: `${path}.fields.${key}`,
        message: `${name}.${meta.value} is NOT NULL in the database: "null" would fail; use "mask" or "delete"`,
      });
  }
  const ownerColumns = new Set(owner.columns.map((col) => col.name));
  for (const key of Object.keys(meta.fields)) {
    if (ownerColumns.has(key))
      findings.push({
        severity: 'error',
        path: `${path}.fields.${key}`,
        message: `is also a column of ${owner.name}: a record cannot hold both under one name`,
      });
  }
  return findings;
}

/** A table's indexes and column types, as the catalog tells them (src/connectors/sql/sql-indexes.ts). */
export interface CatalogIndexes {
  table: string;
  indexes: string[][];
  columns: ReadonlyMap<string, { type: string; length: number | null }>;
}

/** The meta tables in which the engine finds owners by a key's value: plain identity keys and references. */
export function metaLookupTables(system: SqlSystem): string[] {
  return Object.values(system.collections).flatMap((c) =>
    c.meta && lookupKeys(c.meta).length ? [`${system.tablePrefix ?? ''}${c.meta.table}`] : [],
  );
}

/** Keys whose value the engine compares with an address or a parent's key (a value that holds an address among other things is searched, not compared). */
const lookupKeys = (meta: MetaTable) => [
  ...meta.identity.filter((key) => (meta.fields[key]?.format ?? 'plain') === 'plain'),
  ...Object.keys(meta.references),
];

/** Index prefixes, as README's recommendation for WordPress: enough to tell keys and addresses apart. */
const KEY_PREFIX = 32;
const VALUE_PREFIX = 64;

/**
 * Warns about each meta table the engine looks owners up in by a key's value (`_billing_email`,
 * `_customer_user`) that has no index starting with (key, value): without one, such a lookup reads every
 * row of the key (WordPress indexes `postmeta` and `usermeta` by key only: every order's `_billing_email`).
 * Names the table and the statement that adds the index. `catalog` undefined: a dialect where no plain
 * index serves the lookup (see readIndexes), so nothing is said.
 */
export function checkMetaIndexes(
  systemId: string,
  system: SqlSystem,
  catalog: ReadonlyArray<CatalogIndexes> | undefined,
): DataMapFinding[] {
  if (!catalog) return [];
  const findings: DataMapFinding[] = [];
  const warned = new Set<string>();
  for (const [name, c] of Object.entries(system.collections)) {
    const meta = c.meta;
    if (!meta) continue;
    const keys = lookupKeys(meta);
    const table = `${system.tablePrefix ?? ''}${meta.table}`;
    const info = catalog.find((t) => t.table === table);
    // A missing table or column is an error of checkAgainstDatabase; one warning per table.
    if (keys.length === 0 || !info || info.columns.size === 0 || warned.has(table)) continue;
    if (info.indexes.some((columns) => columns[0] === meta.key && columns[1] === meta.value)) continue;
    warned.add(table);
    const part = (column: string, prefix: number) => {
      const col = info.columns.get(column);
      const long = col && (/text|blob/.test(col.type) || (col.length !== null && col.length > prefix));
      return `${column}${long ? `(${prefix})` : ''}`;
    };
    findings.push({
      severity: 'warning',
      path: `systems.${systemId}.collections.${name}.meta`,
      message: `${table} has no index on (${meta.key}, ${meta.value}): finding an owner by ${keys.join(', ')} reads every row of the key. Add it: alter table ${table} add index inzage_meta_key_value (${part(meta.key, KEY_PREFIX)}, ${part(meta.value, VALUE_PREFIX)});`,
    });
  }
  return findings;
}
