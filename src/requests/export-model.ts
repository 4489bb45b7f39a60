import type { FoundRecord } from '../connectors/connector.ts';
import type { AccessResult } from '../executor/executor.ts';
import { countryName, type Lang, roleLabel } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';

/** The records of one collection, with the union of their columns in the order first seen. */
export interface CollectionRecords {
  system: string;
  collection: string;
  columns: string[];
  /** Category id per column; absent for columns that are not personal data. */
  categories: Record<string, string>;
  records: FoundRecord[];
}

/** A party that holds or may hold the person's data, in words for the page. */
export interface Holder {
  id: string;
  name: string;
  service?: string;
  role: string;
  categories: string[];
  locations: string[];
  /** Set when the party has no API: we ask it by hand, within this many days. */
  askedWithinDays?: number;
}

const holdsValue = (record: FoundRecord, field: string) => {
  const value = record.data[field];
  return value !== null && value !== undefined && value !== '';
};

/**
 * The record's main category: the most common category among its fields that hold a value
 * (ties go to the field that comes first). Falls back to all categorised fields, then null.
 */
export function mainCategory(record: FoundRecord): string | null {
  const fields = Object.keys(record.categories);
  const held = fields.filter((f) => holdsValue(record, f));
  const counts = new Map<string, number>();
  for (const field of held.length > 0 ? held : fields) {
    const category = record.categories[field] as string;
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [category, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = category;
  return best;
}

/** The records grouped per system and collection, in the order the executor found them. */
export function groupByCollection(records: readonly FoundRecord[]): CollectionRecords[] {
  const groups = new Map<string, CollectionRecords>();
  for (const record of records) {
    const key = JSON.stringify([record.system, record.collection]);
    let group = groups.get(key);
    if (!group) {
      group = { system: record.system, collection: record.collection, columns: [], categories: {}, records: [] };
      groups.set(key, group);
    }
    group.records.push(record);
    for (const column of Object.keys(record.data)) if (!group.columns.includes(column)) group.columns.push(column);
    for (const [field, category] of Object.entries(record.categories)) group.categories[field] ??= category;
  }
  return [...groups.values()];
}

/** A category's name from the policy, in the asked language; the id when the policy lacks it. */
export function categoryName(policy: Policy, id: string, lang: Lang): string {
  return policy.categories.find((c) => c.id === id)?.name[lang] ?? id;
}

type Role = Policy['processors'][number]['role'];
const ROLES: readonly string[] = ['processor', 'controller', 'joint-controller'] satisfies Role[];
const describeRole = (role: string, lang: Lang) => (ROLES.includes(role) ? roleLabel(role as Role, lang) : role);

/**
 * The parties that receive this person's data (the executor's list, which the policy promises),
 * plus the processors without an API that we ask by hand: they may hold data we cannot see.
 */
export function holdersOf(result: AccessResult, policy: Policy, lang: Lang): Holder[] {
  const describe = (id: string, name: string, role: string | undefined, locations: string[], categories: string[]) => {
    const entry = policy.processors.find((p) => p.id === id);
    return {
      id,
      name: entry?.name ?? name,
      service: entry?.service[lang],
      role: describeRole(role ?? entry?.role ?? 'processor', lang),
      categories: categories.map((c) => categoryName(policy, c, lang)),
      locations: (locations.length > 0 ? locations : (entry?.locations ?? [])).map((c) => countryName(c, lang)),
    } satisfies Holder;
  };
  const holders: Holder[] = result.processors.map((p) => describe(p.id, p.name, p.role, p.locations, p.categories));
  for (const task of result.manualTasks) {
    let holder = holders.find((h) => h.id === task.processor);
    if (!holder) {
      holder = describe(task.processor, task.processor, undefined, [], task.categories);
      holders.push(holder);
    }
    holder.askedWithinDays = Math.max(holder.askedWithinDays ?? 0, task.dueInDays);
  }
  return holders;
}
