import type { Collection, EraseStrategy, Field, SqlSystem, ValueFormat } from './datamap.schema.ts';

/** A meta table of a collection, its table name prefixed. */
export interface MetaPlan {
  table: string;
  owner: string;
  key: string;
  value: string;
  /** Keys whose value is the person's address, and their format (containment unless plain). */
  identity: Array<{ key: string; format: ValueFormat }>;
  /** `key → parent collection and column`: the owner belongs to a found parent row. */
  references: Array<{ key: string; parent: string; parentColumn: string }>;
  activity: string[];
  fields: Record<string, Field>;
}

/** Only rows where each column has one of these values. */
export interface RowFilter {
  column: string;
  values: Array<string | number>;
}

/** One collection in a system's traversal, with what is needed to find and erase its rows. */
export interface CollectionPlan {
  name: string;
  /** The table, with the system's prefix. */
  table: string;
  primaryKey: string;
  /** Identity columns matched exactly (trimmed, lower-cased). */
  identity: string[];
  /** Identity columns whose value holds the address among other things: matched by containment. */
  contains: Array<{ column: string; format: ValueFormat }>;
  /** `column → parent collection and column`: rows belonging to a found parent row. */
  references: Array<{ column: string; parent: string; parentColumn: string }>;
  activity: string[];
  /** The column that dates when the row's data was collected (`from: collected` retention rules). */
  collectedAt?: string;
  legalHold: Collection['legalHold'];
  /** The columns' fields (meta keys are in `meta.fields`). */
  fields: Record<string, Field>;
  /** The collection is these rows of its table only. */
  where: RowFilter[];
  meta?: MetaPlan;
  /** True when a column's field says `delete`: the row goes (with its meta rows), the other strategies do not matter. */
  deletesRow: boolean;
  /** Data category of each personal field, columns and meta keys; shared by every record of the collection. */
  categories: Readonly<Record<string, string>>;
}

export interface SystemPlan {
  system: string;
  /** The zone of the database's zoneless times (the data map's `timeZone`); UTC when absent. */
  timeZone?: string;
  /** Parents before children: the order to find in. Erasure runs it backwards. */
  collections: CollectionPlan[];
}

/** The table a collection names, with its system's prefix. */
export function tableOf(system: Pick<SqlSystem, 'tablePrefix'>, name: string, c: Pick<Collection, 'table'>): string {
  return `${system.tablePrefix ?? ''}${c.table ?? name}`;
}

/** The collections a collection's rows belong to: through its columns and through its meta keys. */
export function parentsOf(c: Pick<Collection, 'references' | 'meta'>): string[] {
  return [...Object.values(c.references), ...Object.values(c.meta?.references ?? {})].map((t) => t.split('.')[0]!);
}

/** Plans the traversal of one SQL system: identity fields first, then references, in dependency order. */
export function planSystem(systemId: string, system: SqlSystem): SystemPlan {
  const byName = new Map(Object.entries(system.collections));
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const c = byName.get(name);
    for (const parent of c ? parentsOf(c) : []) visit(parent);
    ordered.push(name);
  };
  for (const name of byName.keys()) visit(name);
  return {
    system: systemId,
    ...(system.timeZone && system.timeZone !== 'UTC' ? { timeZone: system.timeZone } : {}),
    collections: ordered.map((name) => planCollection(name, byName.get(name)!, system)),
  };
}

const split = (target: string) => target.split('.') as [string, string];

function planCollection(name: string, c: Collection, system: SqlSystem): CollectionPlan {
  const formatOf = (field: Field | undefined): ValueFormat => field?.format ?? 'plain';
  const meta = c.meta;
  const categoryOf = (fields: Record<string, Field>) =>
    Object.entries(fields).flatMap(([key, f]) => (f.category ? [[key, f.category] as const] : []));
  return {
    name,
    table: tableOf(system, name, c),
    primaryKey: c.primaryKey,
    identity: c.identity.filter((column) => formatOf(c.fields[column]) === 'plain'),
    contains: c.identity
      .filter((column) => formatOf(c.fields[column]) !== 'plain')
      .map((column) => ({ column, format: formatOf(c.fields[column]) })),
    references: Object.entries(c.references).map(([column, target]) => {
      const [parent, parentColumn] = split(target);
      return { column, parent, parentColumn };
    }),
    activity: c.activity,
    ...(c.collectedAt ? { collectedAt: c.collectedAt } : {}),
    legalHold: c.legalHold,
    fields: c.fields,
    where: Object.entries(c.where ?? {}).map(([column, v]) => ({ column, values: Array.isArray(v) ? v : [v] })),
    ...(meta
      ? {
          meta: {
            table: `${system.tablePrefix ?? ''}${meta.table}`,
            owner: meta.owner,
            key: meta.key,
            value: meta.value,
            identity: meta.identity.map((key) => ({ key, format: formatOf(meta.fields[key]) })),
            references: Object.entries(meta.references).map(([key, target]) => {
              const [parent, parentColumn] = split(target);
              return { key, parent, parentColumn };
            }),
            activity: meta.activity,
            fields: meta.fields,
          },
        }
      : {}),
    deletesRow: Object.values(c.fields).some((f) => f.erase === 'delete'),
    categories: Object.freeze(Object.fromEntries([...categoryOf(c.fields), ...categoryOf(meta?.fields ?? {})])),
  };
}

/** Fields whose value erasure changes, with their strategy. */
export function changedFields(plan: CollectionPlan): Array<[string, Exclude<EraseStrategy, 'keep' | 'delete'>, Field]> {
  return Object.entries(plan.fields)
    .filter(([, f]) => f.erase === 'null' || f.erase === 'mask' || f.erase === 'hash')
    .map(([column, f]) => [column, f.erase as 'null' | 'mask' | 'hash', f]);
}
