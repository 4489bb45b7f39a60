/** Made-up Dutch people: names, addresses, e-mail addresses at example domains, phones and IBANs. */
import type { Random } from './random.ts';
import { weights } from './random.ts';
import {
  CITIES,
  FIRST_NAMES,
  HOUSE_NUMBER_ADDITIONS,
  LAST_NAMES,
  NL_BANKS,
  POSTAL_LETTERS,
  STREETS,
} from './vocabulary.ts';

export interface Address {
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  country: 'NL' | 'BE';
}

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  address: Address;
  /** The account the person pays from (iDEAL, Bancontact). */
  iban: string;
}

/** Only documentation domains: the demo must never mail or name a real domain. */
const DOMAINS = weights([
  ['example.nl', 60],
  ['example.com', 25],
  ['example.org', 15],
] as const);

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}

/** "de Boer" → "deboer", "'t Hart" → "thart", "Öztürk" → "ozturk". */
function emailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ş/g, 's')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * An address no other person gets: the person number is part of it, and a local part never ends
 * in a digit before that number is added, so `jan.jansen1` + `2` cannot meet `jan.jansen12` + ``.
 */
export function makeEmail(rng: Random, firstName: string, lastName: string, personNo: number): string {
  const first = emailPart(firstName);
  const last = emailPart(lastName);
  const shape = rng.int(0, 5);
  const local =
    shape === 0
      ? `${first}.${last}`
      : shape === 1
        ? `${first[0]}.${last}`
        : shape === 2
          ? `${first}${last}`
          : shape === 3
            ? `${first}_${last}`
            : shape === 4
              ? `${last}.${first}`
              : `${first}`;
  return `${local}${personNo}@${rng.weighted(DOMAINS)}`;
}

/** The same address as typed by someone else's hands: other case, or stray spaces around it. */
export function varyEmail(rng: Random, email: string): string {
  const capitalised = email.replace(/(^|[._@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
  switch (rng.int(0, 4)) {
    case 0:
      return capitalised;
    case 1:
      return ` ${email} `;
    case 2:
      return `${email} `;
    case 3:
      return email.toUpperCase();
    default:
      return ` ${capitalised}`;
  }
}

const MOBILE_FORMATS = weights([
  ['06-', 50],
  ['06', 20],
  ['+31 6 ', 18],
  ['+316', 6],
  ['landline', 6],
] as const);

/** Never Sanne's 06-12345678, so that her number is hers alone. */
export function makePhone(rng: Random, address: Address): string {
  if (address.country === 'BE') return `+32 4${rng.int(70, 99)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`;
  const format = rng.weighted(MOBILE_FORMATS);
  if (format === 'landline') {
    const city = CITIES.entries.find(([c]) => c.name === address.city)?.[0];
    const area = city?.area ?? '030';
    return `${area}-${rng.int(2, 9)}${rng.digits(9 - area.length)}`;
  }
  let digits = rng.digits(8);
  if (digits === '12345678') digits = '87654321';
  return `${format}${digits}`;
}

export function makeAddress(rng: Random): Address {
  const city = rng.weighted(CITIES);
  const postalDigits = rng.int(city.postal[0], city.postal[1]);
  let postalCode = String(postalDigits);
  if (city.country === 'NL') {
    let letters = rng.chars(2, POSTAL_LETTERS);
    if (letters === 'SA' || letters === 'SD' || letters === 'SS') letters = 'AB';
    postalCode = `${postalDigits} ${letters}`;
  }
  const base = Math.floor(1 + 180 * rng.next() ** 2);
  const houseNumber = rng.chance(0.12) ? `${base}${rng.pick(HOUSE_NUMBER_ADDITIONS)}` : String(base);
  return { street: rng.pick(STREETS), houseNumber, postalCode, city: city.name, country: city.country };
}

/** A random name, never Sanne de Boer's. */
export function makeName(rng: Random): { firstName: string; lastName: string } {
  const firstName = rng.pick(FIRST_NAMES);
  let lastName = rng.pick(LAST_NAMES);
  if (firstName === 'Sanne' && lastName === 'de Boer') lastName = 'de Bruijn';
  return { firstName, lastName };
}

export function makePerson(rng: Random, personNo: number): Person {
  const { firstName, lastName } = makeName(rng);
  const address = makeAddress(rng);
  return {
    firstName,
    lastName,
    email: makeEmail(rng, firstName, lastName, personNo),
    phone: rng.chance(0.88) ? makePhone(rng, address) : null,
    address,
    iban: address.country === 'BE' ? makeIban(rng, 'BE', '', 12) : makeIban(rng, 'NL', rng.weighted(NL_BANKS), 10),
  };
}

/** An IBAN with a valid ISO 13616 mod-97 check (fake account, right shape). */
export function makeIban(rng: Random, country: 'NL' | 'BE', bank: string, accountDigits: number): string {
  const bban = bank + rng.digits(accountDigits);
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (let i = 0; i < numeric.length; i += 7) remainder = Number(String(remainder) + numeric.slice(i, i + 7)) % 97;
  const check = String(98 - remainder).padStart(2, '0');
  return `${country}${check}${bban}`;
}

const INITIALS = 'ABCDEFGHIJKLMNPRSTW'.split('');

/** How a bank or card reports the payer: "S. de Boer", "S DE BOER", "S.M. de Boer". */
export function consumerName(rng: Random, person: { firstName: string; lastName: string }): string {
  const initial = person.firstName[0]!;
  switch (rng.int(0, 3)) {
    case 0:
      return `${initial}. ${person.lastName}`;
    case 1:
      return `${initial} ${person.lastName}`.toUpperCase();
    case 2:
      return fullName(person);
    default:
      return `${initial}.${rng.pick(INITIALS)}. ${person.lastName}`;
  }
}

export function formatAddress(address: Address): string {
  const line = `${address.street} ${address.houseNumber}, ${address.postalCode} ${address.city}`;
  return address.country === 'NL' ? line : `${line}, België`;
}
