import type { FoundRecord, Value } from '../connectors/connector.ts';
import type { ConsentRecord } from '../consent/contact-consent.types.ts';
import type { AccessResult } from '../executor/executor.ts';
import type { Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { RequestStatus, RequestType } from './request.types.ts';

/**
 * What the access answer says besides the shop's records (GDPR Art. 15), passed in by the request
 * handling: what the hub itself holds about the person, what is sealed under a legal hold, and which
 * processors' parts come later. Each is optional; absent means none.
 */
export interface AnswerInputs {
  /** `access` gives everything; `portability` only what Art. 20 covers (see export-portability.ts). */
  type?: 'access' | 'portability';
  holdings?: HubHoldings;
  sealed?: SealedRecord[];
  pending?: PendingPart[];
}

/** One of the person's own privacy requests, as the hub's register keeps it. */
export interface HubRequest {
  type: RequestType;
  receivedAt: string;
  status: RequestStatus;
  /** e.g. `exported`, `erased`, `rejected`, `no data`; absent while open. */
  outcome?: string | null;
  completedAt?: string | null;
}

/** What Inzage itself holds about the person: part of the answer like the shop's data (Art. 15(1), 15(3)). */
export interface HubHoldings {
  requests?: HubRequest[];
  /** The contact-consent history, oldest first. */
  consents?: ConsentRecord[];
  /** Processing restricted (Art. 18) or objected to (Art. 21), with the purposes (policy ids) objected to. */
  flags?: { restricted: boolean; objection: boolean; purposes?: string[]; since?: string };
  /** The Google Analytics ids the shop reported for the person. */
  analytics?: { clientIds: string[]; userIds: string[] };
}

/**
 * Records sealed under a legal hold (kept in the archive staff cannot open, e.g. invoices for the fiscal
 * term): listed in the answer, also after an erasure, so that nobody whose invoices are kept is told
 * "we hold no data about you".
 */
export interface SealedRecord {
  system: string;
  collection: string;
  /** The legal hold: the policy's retention rule with this `legalHold` says why, in words. */
  hold: string;
  count: number;
  /** The end of the hold, `YYYY-MM-DD` or a timestamp. */
  until: string;
  /** The data categories of the records (policy ids); the hold's retention rule's categories when absent. */
  categories?: string[];
}

/** A processor whose part of the answer comes later. */
export interface PendingPart {
  /** The policy's processor id. */
  processor: string;
  /** When the person gets that part at the latest. */
  dueAt: string;
  /**
   * True only when a request has actually gone to the processor (through its API). A processor reached
   * by hand has not been asked yet: the officer will ask it, and the text says so.
   */
  asked: boolean;
}

/** The records of one collection, with the union of their columns in the order first seen. */
export interface CollectionRecords {
  system: string;
  collection: string;
  columns: string[];
  /** Category id per column; absent for columns that are not personal data. */
  categories: Record<string, string>;
  records: FoundRecord[];
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

/**
 * The records with each row of a table once. Two collections of one table can reach the same row:
 * WooCommerce's order notes hang off the order in both order storages, so with compatibility sync each
 * note is found through the legacy copy and through the HPOS copy. The first collection keeps the row,
 * with the fields and categories a later one adds; a record whose table is not known (`tableOf` undefined)
 * is kept as it is. For the letter: data.json and the CSVs keep every record where it was found.
 */
export function eachRowOnce(
  records: readonly FoundRecord[],
  tableOf: (system: string, collection: string) => string | undefined,
): FoundRecord[] {
  const first = new Map<string, { data: Record<string, Value>; categories: Record<string, string> }>();
  const out: FoundRecord[] = [];
  for (const record of records) {
    const table = tableOf(record.system, record.collection);
    const row = table === undefined ? undefined : JSON.stringify([record.system, table, record.key]);
    const seen = row === undefined ? undefined : first.get(row);
    if (!seen) {
      const own = { data: { ...record.data }, categories: { ...record.categories } };
      if (row !== undefined) first.set(row, own);
      out.push({ ...record, ...own });
      continue;
    }
    for (const [field, value] of Object.entries(record.data)) if (!(field in seen.data)) seen.data[field] = value;
    for (const [field, category] of Object.entries(record.categories)) seen.categories[field] ??= category;
  }
  return out;
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

/** The hub's own records count as these policy categories, when the policy has them. */
export const HUB_CATEGORIES = { requests: 'request', consents: 'consent', analytics: 'analytics' } as const;

/**
 * Whether the answer has anything to tell beyond "we process no data about you": records, consents,
 * a restriction or objection, Analytics ids, sealed records, or a part that comes later (by default the
 * processors without an API, which the officer asks by hand). The person's own requests do not count:
 * the no-data e-mail says that the request itself is recorded. The handling sends the `no-data` e-mail
 * only when this is false, so a person whose invoices are sealed is never told there is nothing.
 */
export function answerHasContent(result: AccessResult, inputs: AnswerInputs = {}): boolean {
  const hub = inputs.holdings;
  const analytics = hub?.analytics ? hub.analytics.clientIds.length + hub.analytics.userIds.length : 0;
  const pending = inputs.pending ?? result.manualTasks;
  return (
    result.records.length > 0 ||
    (hub?.consents?.length ?? 0) > 0 ||
    hub?.flags?.restricted === true ||
    hub?.flags?.objection === true ||
    analytics > 0 ||
    (inputs.sealed?.length ?? 0) > 0 ||
    pending.length > 0
  );
}
