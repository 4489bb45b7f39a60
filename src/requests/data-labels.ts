import type { Value } from '../connectors/connector.ts';
import type { DataMap, FieldRole } from '../datamap/datamap.schema.ts';
import { tableOf } from '../datamap/plan.ts';
import { amsterdamOffset } from '../notify/templates/words.ts';
import { countryName, formatDate, type Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { collectionWord, fieldWord } from './export-fields.ts';

/**
 * The words a person reads for the shop's collections and fields: "Uw bestellingen", "Straat". They come
 * from the data map (`label: {nl, en}` on a collection or field), else from the field's role, else from
 * the well-known names of export-fields.ts, else from the field's data category in the policy. A table,
 * column or system name is never shown: data.json and the CSVs keep those, for machines.
 */
export interface DataLabels {
  /** The data map's own label of a collection, if it has one. */
  collection(system: string, collection: string, lang: Lang): string | undefined;
  /** The data map's own label of a field, if it has one. */
  field(system: string, collection: string, field: string, lang: Lang): string | undefined;
  /** The word for the field's role in the data map (`role: phone` → "Telefoonnummer"), if it has one. */
  role(system: string, collection: string, field: string, lang: Lang): string | undefined;
  /**
   * The table a collection's rows are in (with the system's prefix), so that the letter can tell one row
   * reached through two collections; undefined where the data map does not say (no map, no SQL system).
   */
  table(system: string, collection: string): string | undefined;
}

type Words = readonly [nl: string, en: string];

const ROLES: Record<FieldRole, Words> = {
  email: ['E-mailadres', 'E-mail address'],
  first_name: ['Voornaam', 'First name'],
  last_name: ['Achternaam', 'Last name'],
  full_name: ['Naam', 'Name'],
  phone: ['Telefoonnummer', 'Telephone number'],
  street: ['Straat', 'Street'],
  house_number: ['Huisnummer', 'House number'],
  postal_code: ['Postcode', 'Postcode'],
  city: ['Plaats', 'Town'],
  country: ['Land', 'Country'],
  address: ['Adres', 'Address'],
};

/** Section headings per well-known collection: "Uw bestellingen" rather than `orders`. */
const SECTIONS: Record<string, Words> = {
  customers: ['Uw klantaccount', 'Your customer account'],
  users: ['Uw klantaccount', 'Your customer account'],
  orders: ['Uw bestellingen', 'Your orders'],
  orderlines: ['Uw bestelde producten', 'The products you ordered'],
  invoices: ['Uw facturen', 'Your invoices'],
  salesinvoices: ['Uw facturen in de boekhouding', 'Your invoices in the accounts'],
  payments: ['Uw betalingen', 'Your payments'],
  mandates: ['Uw machtigingen', 'Your mandates'],
  shipments: ['Uw zendingen', 'Your shipments'],
  reviews: ['Uw beoordelingen', 'Your reviews'],
  ratings: ['Uw beoordelingen', 'Your reviews'],
  invitations: ['Uitnodigingen voor een beoordeling', 'Invitations to write a review'],
  contactmoments: ['Uw contact met ons', 'Your contact with us'],
  messages: ['Uw e-mails', 'Your e-mails'],
  contacts: ['Uw gegevens in de boekhouding', 'Your details in the accounts'],
  addresses: ['Uw adressen', 'Your addresses'],
};

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const pick = (words: Words, lang: Lang) => words[lang === 'nl' ? 0 : 1];

/** The labels of a data map (none without one: then the defaults speak). */
export function dataLabels(map: DataMap | undefined): DataLabels {
  const collectionOf = (system: string, collection: string) => {
    const s = map?.systems[system];
    return s?.type === 'sql' ? s.collections[collection] : undefined;
  };
  const fieldOf = (system: string, collection: string, field: string) => {
    const c = collectionOf(system, collection);
    return c?.fields[field] ?? c?.meta?.fields[field];
  };
  return {
    collection: (system, collection, lang) => collectionOf(system, collection)?.label?.[lang],
    field: (system, collection, field, lang) => fieldOf(system, collection, field)?.label?.[lang],
    role(system, collection, field, lang) {
      const role = fieldOf(system, collection, field)?.role;
      return role ? pick(ROLES[role], lang) : undefined;
    },
    table(system, collection) {
      const s = map?.systems[system];
      const c = collectionOf(system, collection);
      return s?.type === 'sql' && c ? tableOf(s, collection, c) : undefined;
    },
  };
}

export const NO_LABELS: DataLabels = dataLabels(undefined);

/**
 * The heading of one collection's section: "Uw bestellingen"; for a processor's collection without a word
 * of its own, "Uw gegevens bij Mollie"; else the main category's name from the policy.
 */
export function sectionTitle(
  labels: DataLabels,
  policy: Policy,
  group: { system: string; collection: string; mainCategory?: string | null; party?: string },
  lang: Lang,
): string {
  const own = labels.collection(group.system, group.collection, lang);
  if (own) return own;
  const known = SECTIONS[key(group.collection)];
  if (known) return pick(known, lang);
  const party = group.party ?? policy.processors.find((p) => p.id === group.system)?.name;
  if (party) return lang === 'nl' ? `Uw gegevens bij ${party}` : `Your data at ${party}`;
  const category = group.mainCategory ? policy.categories.find((c) => c.id === group.mainCategory) : undefined;
  if (category) return category.name[lang];
  return collectionWord(group.collection, lang) ?? (lang === 'nl' ? 'Overige gegevens' : 'Other data');
}

/**
 * A kind of data in a sentence, for the e-mails: "Uw bestellingen", "Uw bestellingen bij MyOnlineStore",
 * "Uw gegevens bij Mollie". `party` is the processor's name when a processor holds it.
 */
export function kindOfData(
  labels: DataLabels,
  policy: Policy,
  at: { system: string; collection: string; party?: string },
  lang: Lang,
): string {
  const title = sectionTitle(labels, policy, at, lang);
  if (!at.party || title.includes(at.party)) return title;
  return `${title} ${lang === 'nl' ? 'bij' : 'at'} ${at.party}`;
}

/** Words that say whose address a field of an order is part of: WooCommerce's `_billing_phone`. */
const PARTS: Array<[RegExp, Words]> = [
  [/(^|_)billing(_|$)/i, ['Factuur', 'Billing']],
  [/(^|_)shipping(_|$)/i, ['Bezorging', 'Delivery']],
];

/** The well-known word of the longest tail of a column name: `comment_author_email` → "E-mailadres". */
function tailWord(field: string, lang: Lang): string | undefined {
  const parts = field.split(/[_\-\s]+|(?<=[a-z])(?=[A-Z])/).filter((x) => x !== '');
  for (let i = 1; i < parts.length; i++) {
    const word = fieldWord(parts.slice(i).join(''), lang);
    if (word) return word;
  }
  return undefined;
}

/**
 * A field's label: the data map's own; else the word for the column's well-known name ("Afleveradres:
 * postcode" for `shipping_postal_code`); else the role's word or that of the name's tail, with "Factuur" or
 * "Bezorging" before it when the name says so (`_billing_phone` → "Factuur: telefoonnummer"); else the
 * name of its category in the policy; else "Overig". Never the column's own name.
 */
export function fieldLabel(
  labels: DataLabels,
  policy: Policy,
  at: { system: string; collection: string; field: string; category?: string },
  lang: Lang,
): string {
  const own = labels.field(at.system, at.collection, at.field, lang);
  if (own) return own;
  const exact = fieldWord(at.field, lang);
  if (exact) return exact;
  const word = labels.role(at.system, at.collection, at.field, lang) ?? tailWord(at.field, lang);
  if (word) {
    const part = PARTS.find(([re]) => re.test(at.field));
    return part ? `${pick(part[1], lang)}: ${word.charAt(0).toLowerCase()}${word.slice(1)}` : word;
  }
  const category = at.category ? policy.categories.find((c) => c.id === at.category) : undefined;
  return category?.name[lang] ?? (lang === 'nl' ? 'Overig' : 'Other');
}

const pad = (n: number) => String(n).padStart(2, '0');
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A moment as a person reads it, in Dutch time: "7 september 2025, 14:03". */
export function formatMoment(at: string | Date, lang: Lang): string {
  const text = typeof at === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/.test(at) ? `${at.replace(' ', 'T')}Z` : at;
  const utc = new Date(text);
  if (Number.isNaN(utc.getTime())) return String(at);
  const local = new Date(utc.getTime() + amsterdamOffset(utc) * 3_600_000);
  return `${formatDate(local.toISOString(), lang)}, ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** An amount as a person reads it: "€ 691,95" / "€691.95". */
export function formatMoney(amount: number, currency: string, lang: Lang): string {
  try {
    const text = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency }).format(
      amount,
    );
    return text.replace(/\u00a0/g, ' ');
  } catch {
    return `${currency} ${amount.toFixed(2)}`;
  }
}

/**
 * Whether a field holds money, by its name: a money word as a whole part of it (`total_cents`,
 * `_order_total`, `unitPrice`, `shipping_total`), never inside another word (`is_private` holds no VAT,
 * `feedback_score` no fee). `_cents` ones are in cents.
 */
const MONEY_PARTS = new Set([
  'amount',
  'amounts',
  'total',
  'totals',
  'subtotal',
  'grandtotal',
  'price',
  'prices',
  'vat',
  'btw',
  'tax',
  'taxes',
  'cost',
  'costs',
  'fee',
  'fees',
  'discount',
  'refund',
  'bedrag',
  'prijs',
  'totaal',
  'subtotaal',
  'korting',
  'kosten',
]);
/** The money words that name an amount even when the value is 0 or 1 (`vat` 1 may be a yes/no). */
const CLEARLY_AMOUNT = new Set([
  'amount',
  'amounts',
  'total',
  'totals',
  'subtotal',
  'grandtotal',
  'price',
  'prices',
  'cost',
  'costs',
  'fee',
  'fees',
  'bedrag',
  'prijs',
  'totaal',
  'subtotaal',
  'kosten',
]);
/** Parts that make a name a count, a rate, a number or an id even with a money word in it (`total_items`, `vat_number`). */
const NOT_MONEY_PARTS = new Set([
  'count',
  'items',
  'qty',
  'quantity',
  'nr',
  'number',
  'weight',
  'rate',
  'percent',
  'percentage',
  'id',
  'ids',
]);
/** How a name ends when it holds a moment, an id, a count, a score or a yes/no (`paid_at`, `tax_exempt`). */
const NOT_MONEY_LAST = new Set(['at', 'date', 'time', 'on', 'id', 'count', 'score', 'items', 'exempt']);
const CENTS = /cents$/i;

/** A field's name in its parts, lower case: `_order_total` → order, total; `totalItems` → total, items. */
const nameParts = (field: string): string[] =>
  field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const isMoney = (field: string, value?: number): boolean => {
  const parts = nameParts(field);
  if (parts.at(-1) === 'cents') parts.pop();
  const last = parts.at(-1);
  if (!last || parts[0] === 'is' || parts[0] === 'has' || NOT_MONEY_LAST.has(last)) return false;
  if (parts.some((p) => NOT_MONEY_PARTS.has(p)) || !parts.some((p) => MONEY_PARTS.has(p))) return false;
  // A 0 or 1 in a column such as `vat` or `tax` is a yes/no more likely than an amount.
  if ((value === 0 || value === 1) && !CENTS.test(field) && !parts.some((p) => CLEARLY_AMOUNT.has(p))) return false;
  return true;
};

/** A status the shop's software writes in English, in words (`delivered` → "bezorgd"). */
const STATES: Record<string, Words> = {
  pending: ['in behandeling', 'pending'],
  processing: ['in behandeling', 'being processed'],
  open: ['open', 'open'],
  paid: ['betaald', 'paid'],
  authorized: ['goedgekeurd', 'authorised'],
  shipped: ['verzonden', 'shipped'],
  delivered: ['bezorgd', 'delivered'],
  completed: ['afgerond', 'completed'],
  cancelled: ['geannuleerd', 'cancelled'],
  canceled: ['geannuleerd', 'cancelled'],
  refunded: ['terugbetaald', 'refunded'],
  failed: ['mislukt', 'failed'],
  expired: ['verlopen', 'expired'],
  onhold: ['in de wacht', 'on hold'],
  returned: ['teruggestuurd', 'returned'],
  published: ['gepubliceerd', 'published'],
  approved: ['goedgekeurd', 'approved'],
  draft: ['concept', 'draft'],
};

/** Payment methods as their brands or in words (`ideal` → "iDEAL"). */
const METHODS: Record<string, Words> = {
  ideal: ['iDEAL', 'iDEAL'],
  creditcard: ['creditcard', 'credit card'],
  bancontact: ['Bancontact', 'Bancontact'],
  paypal: ['PayPal', 'PayPal'],
  banktransfer: ['overboeking', 'bank transfer'],
  directdebit: ['automatische incasso', 'direct debit'],
  klarna: ['Klarna', 'Klarna'],
  applepay: ['Apple Pay', 'Apple Pay'],
  giftcard: ['cadeaukaart', 'gift card'],
};

/**
 * A value as a person reads it: timestamps in Dutch time, days in words, amounts as money (cents made
 * euros; the record's `currency` when it has one), yes/no for true/false, a country code as the country,
 * a status or payment method in words, a processor's id (a value such as `mollie`) as its name from the
 * policy, and everything else as it is.
 */
export function formatValue(
  field: string,
  value: Value | undefined,
  record: Readonly<Record<string, Value>>,
  lang: Lang,
  policy?: Policy,
): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    const k = key(value);
    const party = policy?.processors.find((p) => p.id === value.toLowerCase());
    if (party) return party.name;
    if (/(^|_)(status|state)$/i.test(field) && STATES[k]) return pick(STATES[k], lang);
    if (/method/i.test(field) && METHODS[k]) return pick(METHODS[k], lang);
    if (/country/i.test(field) && /^[A-Z]{2}$/.test(value)) return countryName(value, lang);
  }
  if (typeof value === 'boolean') return lang === 'nl' ? (value ? 'ja' : 'nee') : value ? 'yes' : 'no';
  const currency = typeof record.currency === 'string' && /^[A-Z]{3}$/.test(record.currency) ? record.currency : 'EUR';
  if (typeof value === 'number' && isMoney(field, value)) {
    return formatMoney(CENTS.test(field) ? value / 100 : value, currency, lang);
  }
  if (
    typeof value === 'string' &&
    isMoney(field, Number(value)) &&
    !CENTS.test(field) &&
    /^-?\d+(\.\d{1,4})?$/.test(value)
  ) {
    return formatMoney(Number(value), currency, lang);
  }
  if (typeof value === 'string' && TIMESTAMP.test(value)) return formatMoment(value, lang);
  if (typeof value === 'string' && DAY.test(value)) return formatDate(value, lang);
  return String(value);
}
