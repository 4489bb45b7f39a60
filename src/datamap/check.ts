import type { Kysely } from 'kysely';
import { apiReadiness, type Env, resolveApiSystem } from '../connectors/api/api-systems.ts';
import type { ProcessorApiFactory } from '../connectors/api/processor-api.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { DataMap, SqlSystem } from './datamap.schema.ts';
import { planSystem } from './plan.ts';

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
      for (const [column, field] of Object.entries(collection.fields)) {
        if (field.category && !categories.has(field.category)) {
          error(`${cbase}.fields.${column}`, `category "${field.category}" is not in the policy's categories`);
        }
        if (collection.identity.includes(column) && field.erase === 'keep') {
          warn(`${cbase}.fields.${column}`, 'an identity field that erasure keeps leaves the person findable');
        }
      }
      for (const column of collection.identity) {
        if (!collection.fields[column])
          warn(`${cbase}.identity`, `identity field "${column}" has no erase strategy (it is kept)`);
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
    const table = inSchema.find((t) => t.name === (c.table ?? name));
    if (!table) {
      findings.push({ severity: 'error', path, message: `table "${c.table ?? name}" does not exist in the database` });
      continue;
    }
    const columns = new Map(table.columns.map((col) => [col.name, col]));
    const named = new Set([
      c.primaryKey,
      ...c.identity,
      ...Object.keys(c.references),
      ...c.activity,
      ...(c.legalHold ? [c.legalHold.from] : []),
      ...(c.collectedAt ? [c.collectedAt] : []),
      ...(borrowed.get(name) ?? []),
      ...Object.keys(c.fields),
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
    for (const col of table.columns) {
      if (!named.has(col.name) && /char|text|string/i.test(col.dataType)) {
        findings.push({
          severity: 'warning',
          path,
          message: `text column "${col.name}" is not in the map: if it can hold personal data, give it a category and strategy`,
        });
      }
    }
  }
  return findings;
}
