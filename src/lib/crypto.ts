import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync } from 'node:crypto';

// Random bytes drawn from a pool filled in large chunks: one call to the CSPRNG per 64 KiB instead of
// one per nonce (the sweep encrypts hundreds of thousands of records; each call cost microseconds).
const POOL = Buffer.alloc(64 * 1024);
let poolAt = POOL.length;

/** `n` fresh random bytes (n ≤ 64 KiB), copied out of the pool so no two callers share them. */
export function randomFrom(n: number): Buffer {
  if (poolAt + n > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const out = Buffer.from(POOL.subarray(poolAt, poolAt + n));
  poolAt += n;
  return out;
}

/**
 * Keys that outlive a change of INZAGE_SECRET (src/secrets/keyring.ts): the hub keeps them wrapped, and
 * `openKeyring` puts them here for the secret that unwrapped them. Per secret, so that a rotation, which
 * holds the old and the new secret in one process, derives each side's own keys.
 */
const kept = new Map<string, ReadonlyMap<string, Buffer>>();

export function keepKeys(secret: string, keys: ReadonlyMap<string, Buffer>): void {
  kept.set(secret, keys);
  derived.delete(secret);
}

// Deriving costs more than the HMAC it keys; retention computes hundreds of thousands of subject refs.
const derived = new Map<string, Map<string, Buffer>>();

/**
 * Derives a purpose-bound 256-bit key from INZAGE_SECRET, so one secret never serves two purposes; for a
 * purpose the keyring keeps (a pseudonym that must stay the same across a rotation), the kept key.
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  let keys = derived.get(secret);
  if (!keys) {
    keys = new Map();
    derived.set(secret, keys);
  }
  let key = keys.get(purpose);
  if (!key) {
    key = kept.get(secret)?.get(purpose) ?? derivedKey(secret, purpose);
    keys.set(purpose, key);
  }
  return key;
}

/** The key HKDF derives from this secret, whatever the keyring keeps. */
export function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'inzage', purpose, 32));
}

/** Keyed HMAC-SHA256, hex; the same input and key always give the same value. */
export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/** AES-256-GCM; the result is nonce | tag | ciphertext, base64. `aad` binds it to where it belongs. */
export function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const nonce = randomFrom(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
}

/** Reverses `encrypt`; throws when the key, the aad or a byte is wrong. */
export function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

/** `decrypt`, or undefined when the key, the aad or a byte is wrong (or the value is not encrypted at all). */
export function tryDecrypt(key: Buffer, sealed: string, aad: string): Buffer | undefined {
  try {
    return decrypt(key, sealed, aad);
  } catch {
    return undefined;
  }
}

export const randomKey = (): Buffer => randomBytes(32);
