import type { FoundRecord } from '../connectors/connector.ts';
import type { AccessResult } from '../executor/executor.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { HUB_CATEGORIES, type HubHoldings } from './export-model.ts';

/**
 * GDPR Art. 20(1): the right to data portability covers the personal data the person *provided* to the
 * controller, where the processing is based on consent (Art. 6(1)(a) or 9(2)(a)) or on a contract
 * (Art. 6(1)(b)) and carried out by automated means. "Provided" includes what is observed from their
 * use of the service (EDPB guidelines WP242 rev.01, 2.2), not what the controller derives or infers, nor
 * what it obtains from others. Decided per category from the policy: its `source.origin` (`person` or
 * `observed`; a category without a source counts as given by the person), and the legal bases of the
 * purposes that use it.
 */
export function portableCategories(policy: Policy): Set<string> {
  const portable = new Set<string>();
  for (const c of policy.categories) {
    const origin = c.source?.origin ?? 'person';
    if (origin !== 'person' && origin !== 'observed') continue;
    const bases = policy.purposes.items.filter((p) => p.categories.includes(c.id)).map((p) => p.legalBasis);
    if (bases.includes('consent') || bases.includes('contract')) portable.add(c.id);
  }
  return portable;
}

/**
 * The part of an access result that portability gives: per record only the fields of portable
 * categories (with the fields that are not personal data, which hold the record together), and no record
 * without a portable field.
 */
export function portableResult(result: AccessResult, policy: Policy): AccessResult {
  const portable = portableCategories(policy);
  const records = result.records.flatMap((r): FoundRecord[] => {
    const keep = Object.keys(r.data).filter((f) => {
      const category = r.categories[f];
      return category === undefined || portable.has(category);
    });
    if (!keep.some((f) => r.categories[f] !== undefined)) return [];
    return [
      {
        ...r,
        data: Object.fromEntries(keep.map((f) => [f, r.data[f] ?? null])),
        categories: Object.fromEntries(Object.entries(r.categories).filter(([f]) => keep.includes(f))),
      },
    ];
  });
  return { ...result, records };
}

/** The hub's records that portability gives: those of a portable category (consents, Analytics ids). */
export function portableHoldings(holdings: HubHoldings | undefined, policy: Policy): HubHoldings {
  const portable = portableCategories(policy);
  return {
    ...(holdings?.consents && portable.has(HUB_CATEGORIES.consents) ? { consents: holdings.consents } : {}),
    ...(holdings?.analytics && portable.has(HUB_CATEGORIES.analytics) ? { analytics: holdings.analytics } : {}),
  };
}
