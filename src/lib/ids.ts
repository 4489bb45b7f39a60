import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A random identifier for rows in the hub's own store. */
export const newId = (): string => randomUUID();

/** A 256-bit random token, URL-safe; only its hash is ever stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
