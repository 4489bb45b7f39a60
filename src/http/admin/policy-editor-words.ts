import type { PolicyField, PolicyPath } from '../../policy/policy-form.ts';

/**
 * The policy editor's words for the places in the policy file: the officer reads "Partijen › Mollie ›
 * Doel", not `processors[3].purpose`. A key without a word here shows as it is written in the file.
 */
const KEYS: Record<string, string> = {
  version: 'Versie',
  effectiveDate: 'Ingangsdatum',
  controller: 'Verwerkingsverantwoordelijke',
  introduction: 'Over ons privacybeleid',
  processing: 'Over de gegevensverwerking',
  processors: 'Partijen',
  categories: 'Gegevens',
  purposes: 'Doelen',
  disclosures: 'Medewerking aan onderzoek',
  retention: 'Bewaartermijnen',
  rights: 'Uw rechten',
  cookies: 'Cookies',
  changes: 'Wijzigingen in het beleid',
  security: 'Beveiliging',
  dataSubjects: 'Van wie wij gegevens verwerken',
  automatedDecisions: 'Geautomatiseerde besluiten',
  name: 'Naam',
  legalName: 'Juridische naam',
  website: 'Website',
  address: 'Adres',
  street: 'Straat',
  postalCode: 'Postcode',
  city: 'Plaats',
  country: 'Land',
  phone: 'Telefoon',
  email: 'E-mail',
  chamberOfCommerce: 'KvK-nummer',
  financialYearEnd: 'Einde boekjaar (MM-DD)',
  privacyContact: 'Contactpersoon privacy',
  title: 'Titel',
  text: 'Tekst',
  intro: 'Inleiding',
  sections: 'Onderdelen',
  items: 'Onderdelen',
  rules: 'Regels',
  service: 'Dienst',
  services: 'Diensten',
  controllerFor: 'Zelf verantwoordelijk voor',
  purpose: 'Doel',
  basis: 'Grondslag',
  legalBasis: 'Grondslag',
  legalBasisNote: 'Toelichting bij de grondslag',
  privacyStatement: 'Eigen privacyverklaring',
  locations: 'Landen',
  transferSafeguard: 'Waarborg bij doorgifte',
  description: 'Omschrijving',
  agreement: 'Verwerkersovereenkomst',
  signedOn: 'Getekend op',
  reference: 'Kenmerk',
  examples: 'Voorbeelden',
  provision: 'Verplicht of niet',
  ifNotProvided: 'Als u het niet geeft',
  source: 'Herkomst',
  party: 'Partij',
  processor: 'Partij',
  provider: 'Aanbieder',
  category: 'Soort',
  legalHold: 'Wettelijke bewaarplicht',
  complaintAuthority: 'Toezichthouder',
  exportFormats: 'Formaten van de kopie',
  thirdParty: 'Cookies van anderen',
  lifetime: 'Bewaarduur',
};

const label = (key: string) => KEYS[key] ?? key;

/** The name of an entry in a list: its name or title, in Dutch where it has one, else its id or number. */
function itemName(item: unknown, index: number): string {
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    for (const key of ['name', 'title', 'right', 'id']) {
      const v = o[key];
      if (typeof v === 'string' && v) return v;
      if (v && typeof v === 'object' && typeof (v as { nl?: unknown }).nl === 'string') return (v as { nl: string }).nl;
    }
    if (typeof o.nl === 'string') return o.nl.length > 40 ? `${o.nl.slice(0, 40)}…` : o.nl;
  }
  return `nr. ${index + 1}`;
}

/** "Partijen › Mollie › Doel" for `processors/3/purpose`; the language of a text is left to its own label. */
export function placeLabel(path: PolicyPath, data: unknown): string {
  const parts: string[] = [];
  let node: unknown = data;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item = Array.isArray(node) ? node[segment] : undefined;
      parts.push(itemName(item, segment));
      node = item;
    } else {
      if (segment !== 'nl' && segment !== 'en') parts.push(label(segment));
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return parts.join(' › ');
}

/** The part of the policy a field belongs to, for the form's sections. */
export const groupOf = (field: PolicyField): string => String(field.path[0]);
export const groupLabel = (group: string): string => label(group);

export const LANG_LABEL = { nl: 'Nederlands', en: 'English' } as const;

export const SEVERITY = { error: 'fout', warning: 'waarschuwing' } as const;
