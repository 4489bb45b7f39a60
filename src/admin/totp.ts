import type * as Otpauth from 'otpauth';
import type { Clock } from '../lib/clock.ts';
import { lazily } from '../lib/lazy-require.ts';

// Loaded at the first sign-in with a second factor, not with every start.
const otpauth = lazily<typeof Otpauth>('otpauth');

const PERIOD = 30;

/** A fresh random TOTP secret (160 bits), base32 as authenticator apps expect. */
export const newTotpSecret = (): string => new (otpauth().Secret)({ size: 20 }).base32;

const totp = (secret: string, label = 'Inzage', issuer = 'Inzage') => {
  const { Secret, TOTP } = otpauth();
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD });
};

/** The otpauth:// address an authenticator app reads (also typed in by hand as the base32 secret). */
export const totpUri = (secret: string, label: string, issuer: string): string =>
  totp(secret, label, issuer).toString();

/** The code for now; for tests and the browser tests' fake clock. */
export const totpCode = (secret: string, clock: Clock): string =>
  totp(secret).generate({ timestamp: clock.now().getTime() });

/**
 * The time step the code belongs to, when it is right for now or one step either side (clock drift);
 * undefined otherwise. The caller refuses a step already used, so one code logs in once.
 */
export function totpStep(secret: string, code: string, clock: Clock): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const now = clock.now().getTime();
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : Math.floor(now / 1000 / PERIOD) + delta;
}
