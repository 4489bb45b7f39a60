import { type Clock, DAY } from '../lib/clock.ts';
import { deriveKey, hmacHex, randomFrom } from '../lib/crypto.ts';
import { sameToken } from './sessions.ts';

/** How long a browser stays known after its last login. */
export const DEVICE_COOKIE_VALID_MS = 180 * DAY;

/**
 * Device cookies, as OWASP's "Slow down online guessing attacks with device cookies" proposes: a
 * browser that logged in to an account before carries a signed cookie naming that account. While a
 * flood of wrong passwords from elsewhere has the account locked for everyone else, that browser may
 * still try; its own failures are counted against the cookie (its own lockout), never the account.
 *
 * The cookie is `v1.<user id>.<nonce>.<expires ms>.<HMAC>`: nothing is stored, a changed byte or
 * another account's cookie is worth nothing, and it proves only that this browser logged in before:
 * the password and the second factor are still asked.
 */
export class DeviceCookies {
  readonly #key: Buffer;
  constructor(private readonly deps: { secret: string; clock: Clock }) {
    this.#key = deriveKey(deps.secret, 'admin-device-cookie');
  }

  /** A fresh cookie for a browser that has just logged in to this account. */
  issue(userId: string): string {
    const expires = this.deps.clock.now().getTime() + DEVICE_COOKIE_VALID_MS;
    const body = `v1.${userId}.${randomFrom(16).toString('base64url')}.${expires}`;
    return `${body}.${this.#sign(body)}`;
  }

  /**
   * The device's id (for its own lockout) when the cookie is genuine, unexpired and this account's;
   * undefined otherwise, and then the attempt counts as one from an unknown browser.
   */
  deviceOf(cookie: string | undefined, userId: string): string | undefined {
    const parts = cookie?.split('.');
    if (parts?.length !== 5 || parts[0] !== 'v1') return undefined;
    const [, owner, nonce, expires, signature] = parts as [string, string, string, string, string];
    if (!sameToken(signature, this.#sign(parts.slice(0, 4).join('.')))) return undefined;
    if (owner !== userId || !(Number(expires) > this.deps.clock.now().getTime())) return undefined;
    return nonce;
  }

  #sign(body: string): string {
    return hmacHex(this.#key, body);
  }
}
