import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { randomFrom } from './crypto.ts';

/** A random identifier for rows in the hub's own store. */
export const newId = (): string => randomUUID();

/** A 256-bit random token, URL-safe; only its hash is ever stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

let lastMs = 0;
let seq = 0;
/**
 * A UUIDv7-shaped id, ordered by creation within a process: rows made in the same (fake)
 * millisecond still sort in the order they were made.
 */
export function newOrderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    lastMs++;
    seq = 0;
  }
  const hex = lastMs.toString(16).padStart(12, '0') + (0x7000 | seq).toString(16) + randomFrom(8).toString('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
