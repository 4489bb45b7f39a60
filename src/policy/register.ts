import { toCsv } from '../lib/csv.ts';
import {
  countryName,
  formatList,
  formatRetention,
  type Lang,
  legalBasisArticle,
  legalBasisLabel,
  roleDescription,
  safeguardLabel,
} from './labels.ts';
import { isThirdCountry } from './lint-law.ts';
import type { Category, LegalBasis, LocalizedText, Policy, Processor, RetentionRule, Term } from './policy.schema.ts';

/**
 * The record of processing activities (GDPR Art. 30(1)) derived from the policy file: the
 * policy already says who processes what for which purpose, so the record is a view of it
 * and cannot drift from what the public is told.
 */
export interface Art30Record {
  /** The policy version the record was made from. */
  policyVersion: string;
  effectiveDate: string;
  /** Art. 30(1)(a): name and contact details of the controller. */
  controller: {
    name: string;
    address: { street: string; postalCode: string; city: string; country: string };
    email: string;
    phone?: string;
    website?: string;
    chamberOfCommerce?: string;
    privacyContact: { name: string; email: string; phone?: string };
  };
  /** One activity per purpose in the policy. */
  activities: Art30Activity[];
}

export interface Art30Activity {
  id: string;
  /** Art. 30(1)(b). */
  purpose: LocalizedText;
  description?: LocalizedText;
  legalBasis?: LegalBasis;
  legalBasisNote?: LocalizedText;
  /** Art. 30(1)(c): the policy names data subjects once, for all purposes. */
  dataSubjects: LocalizedText[];
  /** Art. 30(1)(c). */
  dataCategories: Array<{ id: string; name: LocalizedText; special: boolean }>;
  /** Art. 30(1)(d): the parties that receive any of this activity's categories. */
  recipients: Art30Recipient[];
  /** Art. 30(1)(e): recipients with a location outside the EEA. */
  transfers: Art30Transfer[];
  /** Art. 30(1)(f): the retention rules that cover this activity's categories. */
  erasure: Art30Erasure[];
  /** Art. 30(1)(g): the policy names the measures once, for all purposes. */
  securityMeasures: LocalizedText[];
}

export interface Art30Recipient {
  id: string;
  name: string;
  legalName?: string;
  role: Processor['role'];
  /** What the party decides itself, as a controller of its own (GDPR Art. 28(10)); empty for most. */
  controllerFor: Processor['controllerFor'];
  service: LocalizedText;
  /** The activity's categories this recipient receives. */
  categories: string[];
  locations: string[];
}

export interface Art30Transfer {
  recipientId: string;
  recipient: string;
  /** Countries outside the EEA. */
  countries: string[];
  /** Absent when the policy names none (the linter reports that as `transfer-without-safeguard`). */
  safeguard?: { mechanism: NonNullable<Processor['transferSafeguard']>['mechanism']; description?: LocalizedText };
}

export interface Art30Erasure {
  ruleId: string;
  title: LocalizedText;
  categories: string[];
  whileClient: boolean;
  term?: Term;
  from?: RetentionRule['from'];
  /** `end-of-financial-year`: the term counts from the end of the financial year (AWR art. 52(4)). */
  until?: RetentionRule['until'];
  legalHold?: string;
  /** The term in words. */
  text: LocalizedText;
}

/** Builds the Art. 30(1) record of processing activities from a policy. */
export function buildRegister(policy: Policy): Art30Record {
  const c = policy.controller;
  return {
    policyVersion: policy.version,
    effectiveDate: policy.effectiveDate,
    controller: {
      name: c.name,
      address: { ...c.address },
      email: c.email,
      ...optional({ phone: c.phone, website: c.website, chamberOfCommerce: c.chamberOfCommerce }),
      privacyContact: {
        name: c.privacyContact.name,
        email: c.privacyContact.email,
        ...optional({ phone: c.privacyContact.phone }),
      },
    },
    activities: policy.purposes.items.map((purpose) => buildActivity(policy, purpose)),
  };
}

function buildActivity(policy: Policy, purpose: Policy['purposes']['items'][number]): Art30Activity {
  const ids = new Set(purpose.categories);
  const categories = new Map<string, Category>(policy.categories.map((cat) => [cat.id, cat]));
  // A processor that names its purposes is a recipient of those only; one that does not, of every
  // activity whose categories it receives.
  const recipients = policy.processors
    .filter((p) => p.purposes.length === 0 || p.purposes.includes(purpose.id))
    .map((p) => ({ p, shared: p.categories.filter((id) => ids.has(id)) }))
    .filter(({ shared }) => shared.length > 0);
  return {
    id: purpose.id,
    purpose: purpose.name,
    ...optional({
      description: purpose.description,
      legalBasis: purpose.legalBasis,
      legalBasisNote: purpose.legalBasisNote,
    }),
    dataSubjects: policy.dataSubjects,
    dataCategories: purpose.categories.map((id) => {
      const cat = categories.get(id);
      // An unknown id is kept as it is; the linter reports it as `unknown-reference`.
      return { id, name: cat?.name ?? { nl: id, en: id }, special: cat?.special ?? false };
    }),
    recipients: recipients.map(({ p, shared }) => ({
      id: p.id,
      name: p.name,
      ...optional({ legalName: p.legalName }),
      role: p.role,
      controllerFor: p.controllerFor,
      service: p.service,
      categories: shared,
      locations: p.locations,
    })),
    transfers: recipients.flatMap(({ p }) => {
      const countries = p.locations.filter(isThirdCountry);
      if (countries.length === 0) return [];
      const safeguard = p.transferSafeguard
        ? { mechanism: p.transferSafeguard.mechanism, ...optional({ description: p.transferSafeguard.description }) }
        : undefined;
      return [{ recipientId: p.id, recipient: p.name, countries, ...optional({ safeguard }) }];
    }),
    erasure: policy.retention.rules
      .filter((r) => r.categories.some((id) => ids.has(id)))
      .map((r) => ({
        ruleId: r.id,
        title: r.title,
        categories: r.categories.filter((id) => ids.has(id)),
        whileClient: r.whileClient,
        ...optional({ term: r.term, from: r.from, until: r.until, legalHold: r.legalHold }),
        text: {
          nl: formatRetention(r, 'nl', policy.controller.financialYearEnd),
          en: formatRetention(r, 'en', policy.controller.financialYearEnd),
        },
      })),
    securityMeasures: policy.security,
  };
}

/** Drops undefined fields so the JSON shows only what the policy says. */
function optional<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The record as JSON, both languages, ending in a newline. */
export function registerToJson(record: Art30Record): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

const HEADERS: Record<Lang, readonly string[]> = {
  nl: [
    'Activiteit',
    'Doel',
    'Rechtsgrond',
    'Categorieën betrokkenen',
    'Categorieën persoonsgegevens',
    'Ontvangers',
    'Doorgifte buiten de EER',
    'Bewaartermijnen',
    'Beveiligingsmaatregelen',
    'Verwerkingsverantwoordelijke',
    'Contactpersoon privacy',
  ],
  en: [
    'Activity',
    'Purpose',
    'Legal basis',
    'Categories of data subjects',
    'Categories of personal data',
    'Recipients',
    'Transfers outside the EEA',
    'Erasure terms',
    'Security measures',
    'Controller',
    'Privacy contact',
  ],
};

const NONE: Record<Lang, { basis: string; safeguard: string; special: string }> = {
  nl: { basis: 'niet vastgelegd', safeguard: 'geen waarborg vastgelegd', special: 'bijzonder persoonsgegeven' },
  en: { basis: 'not stated', safeguard: 'no safeguard stated', special: 'special category' },
};

/** Several values in one cell. */
const join = (values: readonly string[]) => values.join('; ');

/**
 * The record as CSV (RFC 4180: CRLF line ends, fields quoted when needed) in one language.
 * One row per activity, with its recipients, transfers and terms joined by "; " in one cell:
 * Art. 30 describes each processing activity as one entry, so a row per activity reads as the
 * record does; the JSON keeps every recipient as a structured item for tools.
 */
export function registerToCsv(record: Art30Record, lang: Lang): string {
  const c = record.controller;
  const controller = join([
    c.name,
    `${c.address.street}, ${c.address.postalCode} ${c.address.city}, ${c.address.country}`,
    c.email,
    ...(c.phone ? [c.phone] : []),
  ]);
  const contact = join([
    c.privacyContact.name,
    c.privacyContact.email,
    ...(c.privacyContact.phone ? [c.privacyContact.phone] : []),
  ]);
  const rows = record.activities.map((a) => [
    a.id,
    a.purpose[lang],
    formatBasis(a, lang),
    join(a.dataSubjects.map((s) => s[lang])),
    join(a.dataCategories.map((d) => (d.special ? `${d.name[lang]} (${NONE[lang].special})` : d.name[lang]))),
    join(
      a.recipients.map((r) => {
        const own = r.controllerFor.map((c) => c.purpose[lang]);
        const role = roleDescription(r.role, own.length > 0, lang);
        return own.length > 0 ? `${r.name} (${role}: ${own.join('; ')})` : `${r.name} (${role})`;
      }),
    ),
    join(a.transfers.map((t) => formatTransfer(t, lang))),
    join(a.erasure.map((e) => `${e.title[lang]}: ${e.text[lang]}`)),
    join(a.securityMeasures.map((m) => m[lang])),
    controller,
    contact,
  ]);
  return toCsv([HEADERS[lang], ...rows]);
}

function formatBasis(a: Art30Activity, lang: Lang): string {
  if (!a.legalBasis) return NONE[lang].basis;
  const basis = `${legalBasisLabel(a.legalBasis, lang)} (${legalBasisArticle(a.legalBasis, lang)})`;
  return a.legalBasisNote ? `${basis}: ${a.legalBasisNote[lang]}` : basis;
}

function formatTransfer(t: Art30Transfer, lang: Lang): string {
  const countries = formatList(
    t.countries.map((code) => `${countryName(code, lang)} (${code})`),
    lang,
  );
  const safeguard = t.safeguard ? safeguardLabel(t.safeguard.mechanism, lang) : NONE[lang].safeguard;
  return `${t.recipient}: ${countries}, ${safeguard}`;
}
