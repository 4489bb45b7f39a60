import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of milliseconds per check). */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(key, expected);
}

/** A hash nobody's password matches: an unknown account costs the same time as a known one. */
export const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`;

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
