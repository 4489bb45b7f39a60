import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost: OWASP's current minimum for scrypt (Password Storage Cheat Sheet): N = 2^17, r = 8,
 * p = 1 — 128 MiB and a few hundred milliseconds per check. Hashes made with less are rehashed at the
 * next successful login (`needsRehash`).
 */
export const SCRYPT: ScryptCost = Object.freeze({ N: 2 ** 17, r: 8, p: 1, keyLength: 32 });

/** scrypt's parameters. Production uses SCRYPT; the test suite passes a cheaper one where cost is not the point. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly keyLength: number;
}
/** A stored hash asking for more than this is refused rather than allowed to take the process's memory. */
const MAX_N = 2 ** 20;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // scrypt needs 128·N·r bytes; node refuses more than 32 MiB unless maxmem says otherwise.
    scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string, cost: ScryptCost = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost.N, cost.r, cost.p, cost.keyLength);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const key = await derive(password, salt, N, r, p, hash.length);
  return timingSafeEqual(key, hash);
}

/** True when a stored hash was made with less than today's parameters: rehash it once the password is known. */
export function needsRehash(stored: string, cost: ScryptCost = SCRYPT): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.N < cost.N || parsed.r < cost.r || parsed.p < cost.p || parsed.hash.length < cost.keyLength;
}

function parseHash(stored: string): { N: number; r: number; p: number; salt: Buffer; hash: Buffer } | undefined {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return undefined;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every(Number.isSafeInteger) || N < 2 || N > MAX_N || R < 1 || R > 32 || P < 1 || P > 16)
    return undefined;
  return { N, r: R, p: P, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

/** A hash nobody's password matches: an unknown account costs the same time as a known one. */
export const dummyHash = (cost: ScryptCost = SCRYPT) =>
  `scrypt$${cost.N}$${cost.r}$${cost.p}$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`;

// Stems of the passwords tried first; "Welkom2026!" and "Password123456" are the same guess with a tail.
const COMMON_STEMS = [
  'password',
  'passw0rd',
  'wachtwoord',
  'welkom',
  'welcome',
  'qwerty',
  'qwertyuiop',
  'azerty',
  'asdfgh',
  'letmein',
  'admin',
  'administrator',
  'iloveyou',
  'monkey',
  'dragon',
  'football',
  'voetbal',
  'sunshine',
  'zomer',
  'winter',
  'balkonzon',
  'inzage',
  'privacy',
  'geheim',
  'secret',
  'changeme',
  'abc',
  'abcdef',
];

/** Why a password is not good enough, in words for the person choosing it; undefined when it is. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Het wachtwoord is te kort: minstens ${MIN_PASSWORD_LENGTH} tekens (at least ${MIN_PASSWORD_LENGTH} characters).`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Het wachtwoord is te lang: hoogstens ${MAX_PASSWORD_LENGTH} tekens.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 5)
    return 'Het wachtwoord herhaalt te weinig verschillende tekens (too few different characters).';
  const stem = lower.replace(/[^a-z]/g, '');
  if (stem.length === 0 || /^(0123456789|1234567890|9876543210)/.test(lower))
    return 'Het wachtwoord bestaat alleen uit cijfers of tekens; kies een zin of een mengsel (digits only is too easy to guess).';
  if (COMMON_STEMS.includes(stem))
    return 'Dit wachtwoord staat op de lijsten die aanvallers eerst proberen (a common password); kies iets anders.';
  const local = email
    ?.split('@')[0]
    ?.toLowerCase()
    .replace(/[^a-z]/g, '');
  if (local && local.length >= 3 && stem === local)
    return 'Het wachtwoord lijkt op het e-mailadres (too close to the e-mail address); kies iets anders.';
  return undefined;
}
