import type { DataMap } from '../../datamap/datamap.schema.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { DeskLang } from './desk-lang.ts';

/**
 * What the officer reads instead of the engine's ids: processors by their name in the policy, systems by
 * the data map's name (or their processor's), collections as the kind of data they hold, categories and
 * purposes by their name in the policy. An id that is in neither file is shown as it is, so that nothing
 * is hidden; ids that the files do name never reach a page.
 */
export interface DeskNames {
  processor(id: string): string;
  system(id: string): string;
  /** `shop.customers`, or system and collection apart. */
  collection(what: string, collection?: string): string;
  category(id: string): string;
  purpose(id: string): string;
}

/** Default words for the collections a web shop usually has, when the data map gives no label of its own. */
const COLLECTIONS: Record<DeskLang, Record<string, string>> = {
  nl: {
    customers: 'klantaccounts',
    orders: 'bestellingen',
    order_lines: 'bestelregels',
    invoices: 'facturen',
    payments: 'betalingen',
    shipments: 'verzendingen',
    reviews: 'beoordelingen',
    contact_moments: 'contactmomenten',
    addresses: 'adressen',
    contacts: 'contacten',
    mandates: 'machtigingen',
    invitations: 'uitnodigingen',
    ratings: 'beoordelingen',
    messages: 'berichten',
  },
  en: {
    customers: 'customer accounts',
    orders: 'orders',
    order_lines: 'order lines',
    invoices: 'invoices',
    payments: 'payments',
    shipments: 'shipments',
    reviews: 'reviews',
    contact_moments: 'contact moments',
    addresses: 'addresses',
    contacts: 'contacts',
    mandates: 'mandates',
    invitations: 'invitations',
    ratings: 'ratings',
    messages: 'messages',
  },
};

type Labelled = { label?: Partial<Record<DeskLang, string>> };

export function deskNames(policy: Policy, dataMap: DataMap | undefined, lang: DeskLang): DeskNames {
  const processor = (id: string) => policy.processors.find((p) => p.id === id)?.name ?? id;
  const system = (id: string) => {
    const s = dataMap?.systems[id];
    if (s?.name) return s.name;
    if (s && 'processor' in s && s.processor) return processor(s.processor);
    return processor(id);
  };
  const collectionOf = (systemId: string, name: string) => {
    const s = dataMap?.systems[systemId];
    const c = s?.type === 'sql' ? s.collections[name] : undefined;
    // A label from the data map wins (an optional `label: {nl, en}` per collection).
    const own = (c as Labelled | undefined)?.label?.[lang];
    const kind = own ?? COLLECTIONS[lang][name] ?? name.replaceAll('_', ' ');
    return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} in ${system(systemId)}`;
  };
  return {
    processor,
    system,
    collection: (what, collection) => {
      if (collection !== undefined) return collectionOf(what, collection);
      const dot = what.indexOf('.');
      return dot > 0 ? collectionOf(what.slice(0, dot), what.slice(dot + 1)) : system(what);
    },
    category: (id) => policy.categories.find((c) => c.id === id)?.name[lang] ?? id,
    purpose: (id) => policy.purposes.items.find((p) => p.id === id)?.name[lang] ?? id,
  };
}
