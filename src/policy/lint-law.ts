import { longestPromiseWithinMonth } from '../lib/legal-period.ts';

/**
 * The legal facts the policy linter and the Art. 30 register rely on, kept in one place so
 * that a change in the law (a new adequacy decision, a new EEA member) is a one-line change.
 */

/** The 27 EU member states plus Iceland, Liechtenstein and Norway (ISO 3166 alpha-2; Greece is GR). */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
]);

/**
 * Countries with a general adequacy decision under GDPR Art. 45. The United States is left out on
 * purpose: its decision covers only companies certified under the Data Privacy Framework, which a
 * policy states with the mechanism `dpf`.
 */
export const ADEQUATE_COUNTRIES: ReadonlySet<string> = new Set([
  'AD',
  'AR',
  'CA',
  'CH',
  'FO',
  'GB',
  'GG',
  'IL',
  'IM',
  'JE',
  'JP',
  'KR',
  'NZ',
  'UY',
]);

/** True when personal data stored in this country has left the EEA (a transfer, GDPR Chapter V). */
export function isThirdCountry(country: string): boolean {
  return !EEA_COUNTRIES.has(country.toUpperCase());
}

/** The rights a policy must describe (GDPR Art. 13(2)(b)), in the order the law lists them. */
export const REQUIRED_RIGHTS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
] as const;

/** The statutory answer time: one month (GDPR Art. 12(3)); the longest month has 31 days. */
export const MAX_ANSWER_DAYS = 31;

/**
 * One month, counted as Regulation (EEC, Euratom) No 1182/71 art. 3(2)(c) counts it, is 28 days for a
 * request received on 31 January (→ 28 February) and 30 days for one received on 31 March (→ 30 April).
 * A promise of more days than that can end after the legal month: in February only, or also in other months.
 */
// Counted on first use, not at import: two years of calendar arithmetic in Amsterdam would otherwise be paid
// by every command and every start of the server, also those that never lint a policy.
let answerDays: { everyMonth: number; exceptFebruary: number } | undefined;
export function answerDaysWithinMonth(): { everyMonth: number; exceptFebruary: number } {
  answerDays ??= {
    everyMonth: longestPromiseWithinMonth(),
    exceptFebruary: longestPromiseWithinMonth({ exceptFebruary: true }),
  };
  return answerDays;
}

export const REF = {
  controllerIdentity: 'GDPR Art. 13(1)(a)-(b)',
  processorContract: 'GDPR Art. 28(3)',
  recipients: 'GDPR Art. 13(1)(e), Art. 30(1)(d)',
  transfer: 'GDPR Art. 44-46',
  adequacy: 'GDPR Art. 45',
  locations: 'GDPR Art. 13(1)(f)',
  storageLimitation: 'GDPR Art. 5(1)(e), Art. 13(2)(a)',
  legalBasis: 'GDPR Art. 6(1), Art. 13(1)(c)',
  legitimateInterest: 'GDPR Art. 13(1)(d)',
  purposeLimitation: 'GDPR Art. 5(1)(b), Art. 13(1)(c)',
  recordCategories: 'GDPR Art. 30(1)(c)',
  specialCategory: 'GDPR Art. 9(2)',
  answerTime: 'GDPR Art. 12(3)',
  answerTimeMonth: 'GDPR Art. 12(3); Regulation (EEC, Euratom) No 1182/71 art. 3(2)(c)',
  rights: 'GDPR Art. 13(2)(b)',
  transparency: 'GDPR Art. 12(1)',
  ipAddress: 'CJEU C-582/14 (Breyer); GDPR recital 30',
  personalData: 'GDPR Art. 4(1), recital 30',
  cookieConsent: 'Telecommunicatiewet art. 11.7a; ePrivacy Directive art. 5(3)',
  provision: 'GDPR Art. 13(2)(e)',
  source: 'GDPR Art. 14(2)(f)',
  automatedDecisions: 'GDPR Art. 13(2)(f), Art. 22',
} as const;
