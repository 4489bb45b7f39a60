import { isIP } from 'node:net';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { isEmailAddress } from '../lib/email-address.ts';
import { FIRST_NAMES } from './first-names.ts';

/**
 * What a value looks like, for `datamap check`'s search for personal data nobody mapped. Conservative on
 * purpose: an e-mail address or an IBAN anywhere in a value counts (each is checked: the address by the
 * address rule, the IBAN by its ISO 13616 check digits), the others only as the whole value, and a name
 * only when its first word is a common first name, so that a column of product names is not taken for one.
 */
export const PERSONAL_KINDS = ['email', 'phone', 'iban', 'ip', 'postal-code', 'name'] as const;
export type PersonalKind = (typeof PERSONAL_KINDS)[number];

/** Words in the kinds' own terms, for the check's lines. */
export const KIND_WORDS: Readonly<Record<PersonalKind, string>> = {
  email: 'e-mail addresses',
  phone: 'phone numbers',
  iban: 'IBANs',
  ip: 'IP addresses',
  'postal-code': 'postal codes',
  name: "people's names",
};

const ADDRESS_IN_TEXT = /[^\s@"<>(),;:[\]\\]+@[^\s@"<>(),;:[\]\\]+/g;
const IBAN_IN_TEXT = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
/** International (+31 6 …, 0031 …) or Dutch national (06-12345678, 020 123 4567): 10 digits from a 0. */
const PHONE = /^(?:(?:\+|00)[1-9][\d\s\-().]{7,18}|0[1-9](?:[\s-]?\d){8})$/;
const POSTAL_CODE = [
  /^[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}$/i, // Netherlands: 1234 AB
  /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/, // United Kingdom: SW1A 1AA
];
/** Lower-case words that stand inside Dutch, German and French names: van der, de, ter, von, du. */
const PARTICLES = new Set([
  'van',
  'de',
  'der',
  'den',
  'het',
  'ter',
  'ten',
  'te',
  'in',
  "'t",
  'von',
  'zu',
  'du',
  'la',
  'le',
  'da',
  'di',
  'el',
  'al',
  'bin',
  'op',
]);

/** The kinds a value looks like (none for most values). */
export function kindsOf(value: string): PersonalKind[] {
  const v = value.trim();
  if (v === '' || v.length > 10_000) return [];
  const kinds: PersonalKind[] = [];
  if (v.includes('@') && holdsAddress(v)) kinds.push('email');
  if (/[A-Z]{2}\d{2}/.test(v) && holdsIban(v)) kinds.push('iban');
  if (v.length <= 45 && isIP(v) !== 0) kinds.push('ip');
  if (v.length <= 24 && PHONE.test(v) && digits(v) >= 9 && digits(v) <= 15) kinds.push('phone');
  if (v.length <= 8 && POSTAL_CODE.some((re) => re.test(v))) kinds.push('postal-code');
  if (v.length <= 80 && looksLikeName(v)) kinds.push('name');
  return kinds;
}

const digits = (v: string) => v.replace(/\D/g, '').length;

function holdsAddress(v: string): boolean {
  for (const match of v.match(ADDRESS_IN_TEXT) ?? []) {
    // Punctuation around an address in a sentence or a quoted list is not part of it.
    if (isEmailAddress(match.replace(/^['`{|}~.!#$%&*+/=?^-]+|['.!?]+$/g, ''))) return true;
  }
  return false;
}

function holdsIban(v: string): boolean {
  return (v.match(IBAN_IN_TEXT) ?? []).some((m) => isValidIBAN(electronicFormatIBAN(m) ?? ''));
}

/**
 * One to four words of letters (a hyphen or apostrophe inside), each capitalised but for particles, the
 * first a common first name: "Sanne de Boer", "Jan-Willem Bakker", "Zoë". "Balkon Solar Set" is not one.
 */
function looksLikeName(v: string): boolean {
  const words = v.split(/\s+/);
  if (words.length > 4) return false;
  if (!words.every((w) => /^[\p{L}][\p{L}'’-]*\.?$/u.test(w))) return false;
  if (!words.every((w, i) => (i > 0 && PARTICLES.has(w)) || /^(?:\p{Ll}{1,2}['’])?\p{Lu}/u.test(w))) return false;
  const first = words[0]!.split('-')[0]!;
  return FIRST_NAMES.has(first);
}

/**
 * Whether a column's sample shows a kind: an e-mail address or an IBAN in any sampled value (each was
 * checked exactly), the other kinds in at least a third of the values that are set.
 */
export function shows(kind: PersonalKind, matched: number, sampled: number): boolean {
  if (matched === 0) return false;
  if (kind === 'email' || kind === 'iban') return true;
  return matched >= 2 && matched * 3 >= sampled;
}
