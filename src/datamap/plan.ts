import type { Collection, EraseStrategy, Field, SqlSystem } from './datamap.schema.ts';

/** One collection in a system's traversal, with what is needed to find and erase its rows. */
export interface CollectionPlan {
  name: string;
  table: string;
  primaryKey: string;
  identity: string[];
  /** `column → parent collection and column`: rows belonging to a found parent row. */
  references: Array<{ column: string; parent: string; parentColumn: string }>;
  activity: string[];
  /** The column that dates when the row's data was collected (`from: collected` retention rules). */
  collectedAt?: string;
  legalHold: Collection['legalHold'];
  fields: Record<string, Field>;
  /** True when a field says `delete`: the row goes, the other strategies do not matter. */
  deletesRow: boolean;
  /** Data category of each personal field; shared by every record of the collection. */
  categories: Readonly<Record<string, string>>;
}

export interface SystemPlan {
  system: string;
  /** Parents before children: the order to find in. Erasure runs it backwards. */
  collections: CollectionPlan[];
}

/** Plans the traversal of one SQL system: identity fields first, then references, in dependency order. */
export function planSystem(systemId: string, system: SqlSystem): SystemPlan {
  const byName = new Map(Object.entries(system.collections));
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const target of Object.values(byName.get(name)?.references ?? {})) visit(target.split('.')[0]!);
    ordered.push(name);
  };
  for (const name of byName.keys()) visit(name);
  return {
    system: systemId,
    collections: ordered.map((name) => planCollection(name, byName.get(name)!)),
  };
}

function planCollection(name: string, c: Collection): CollectionPlan {
  return {
    name,
    table: c.table ?? name,
    primaryKey: c.primaryKey,
    identity: c.identity,
    references: Object.entries(c.references).map(([column, target]) => {
      const [parent, parentColumn] = target.split('.') as [string, string];
      return { column, parent, parentColumn };
    }),
    activity: c.activity,
    ...(c.collectedAt ? { collectedAt: c.collectedAt } : {}),
    legalHold: c.legalHold,
    fields: c.fields,
    deletesRow: Object.values(c.fields).some((f) => f.erase === 'delete'),
    categories: Object.freeze(
      Object.fromEntries(Object.entries(c.fields).flatMap(([column, f]) => (f.category ? [[column, f.category]] : []))),
    ),
  };
}

/** Fields whose value erasure changes, with their strategy. */
export function changedFields(plan: CollectionPlan): Array<[string, Exclude<EraseStrategy, 'keep' | 'delete'>, Field]> {
  return Object.entries(plan.fields)
    .filter(([, f]) => f.erase === 'null' || f.erase === 'mask' || f.erase === 'hash')
    .map(([column, f]) => [column, f.erase as 'null' | 'mask' | 'hash', f]);
}
