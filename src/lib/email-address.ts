import { z } from 'zod';

/**
 * What Inzage accepts as an e-mail address, everywhere it takes one (portal, API, CLI, webhooks, events,
 * consents): every address a shop can hold, so that its owner can be found and erased.
 *
 * The local part is an RFC 5322 dot-atom (section 3.2.3): atoms of `atext` — letters, digits and
 * ! # $ % & ' * + - / = ? ^ _ ` { | } ~ — joined by single dots; RFC 6532 (section 3.2) lets atext hold
 * any non-ASCII character as well (`zoë@…`). RFC 5321 (section 4.5.3.1) bounds it to 64 octets and a path
 * to 256 (so an address to 254). Quoted local parts and address literals (`"a b"@…`, `a@[192.0.2.1]`)
 * are valid too, but no shop's checkout takes them, so they are refused rather than half-supported.
 * The domain is dot-separated labels of letters, digits and hyphens (letters of any script: IDN), with
 * at least two labels, the last starting with a letter. Control characters, spaces and anything without
 * an `@` or a domain are refused.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]|[^\\x00-\\x7F\\p{C}\\p{Z}]";
const ATOM = `(?:${ATEXT})+`;
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const TOP = '\\p{L}(?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';

export const EMAIL_ADDRESS_PATTERN = new RegExp(
  `^(?=[^@]{1,64}@)(?=.{3,254}$)${ATOM}(?:\\.${ATOM})*@(?:${LABEL}\\.)+${TOP}$`,
  'u',
);

/** True when `value` (as given: not trimmed) is an address by the rule above. */
export function isEmailAddress(value: string): boolean {
  return EMAIL_ADDRESS_PATTERN.test(value);
}

/**
 * The shared zod schema: zod's own e-mail format with the rule above, so that errors keep zod's shape
 * (`invalid_format`, format `email`) and each caller its message, e.g. `emailAddress({ error: 'must be an
 * e-mail address' })`. Trim before it where the input may carry spaces.
 */
export const emailAddress = (params?: { error?: string }) =>
  z.email({ pattern: EMAIL_ADDRESS_PATTERN, ...(params?.error ? { error: params.error } : {}) });
