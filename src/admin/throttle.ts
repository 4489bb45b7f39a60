import type { Kysely } from 'kysely';
import { type Clock, MINUTE } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import type { Database } from '../store/schema.ts';

/** Failures counted in this window… */
export const LOCKOUT_WINDOW = 15 * MINUTE;
/** …lock for this long… */
export const LOCKOUT_DURATION = 15 * MINUTE;
/** …after this many for one account (known or not). */
export const ACCOUNT_FAILURES = 5;
/** A client gets more: an office behind one address should not lock itself out with one typo each. */
export const CLIENT_FAILURES = 20;

/**
 * Failed logins per account and per client, by keyed HMAC (no address or IP is stored). An address
 * without an account is counted and locked exactly like one with: the lock tells nothing.
 */
export class LoginThrottle {
  readonly #key: Buffer;
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; secret: string }) {
    this.#key = deriveKey(deps.secret, 'admin-login-throttle');
  }

  keysFor(email: string, client: string): string[] {
    return [`account:${hmacHex(this.#key, email.trim().toLowerCase())}`, `client:${hmacHex(this.#key, client)}`];
  }

  /** When the lock on any of these keys ends; undefined when none is locked. */
  async lockedUntil(keys: string[]): Promise<Date | undefined> {
    const now = this.deps.clock.now().toISOString();
    const rows = await this.deps.db
      .selectFrom('admin_login_throttle')
      .select('locked_until')
      .where('key', 'in', keys)
      .where('locked_until', '>', now)
      .execute();
    const until = rows
      .map((r) => r.locked_until!)
      .sort()
      .at(-1);
    return until ? new Date(until) : undefined;
  }

  /** Counts a failure on each key; returns when a lock now ends, if this failure started one. */
  async fail(keys: string[]): Promise<Date | undefined> {
    const now = this.deps.clock.now();
    const iso = now.toISOString();
    const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW).toISOString();
    let locked: Date | undefined;
    for (const key of keys) {
      const limit = key.startsWith('account:') ? ACCOUNT_FAILURES : CLIENT_FAILURES;
      const db = this.deps.db;
      await db
        .insertInto('admin_login_throttle')
        .values({ key, failures: 0, window_start: iso, locked_until: null })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      // A window that has passed, or a lock that has ended, starts the count again.
      await db
        .updateTable('admin_login_throttle')
        .set({ failures: 0, window_start: iso, locked_until: null })
        .where('key', '=', key)
        .where((eb) =>
          eb.or([
            eb.and([eb('locked_until', 'is', null), eb('window_start', '<=', windowStart)]),
            eb('locked_until', '<=', iso),
          ]),
        )
        .execute();
      const row = await db
        .updateTable('admin_login_throttle')
        .set((eb) => ({ failures: eb('failures', '+', 1) }))
        .where('key', '=', key)
        .returning(['failures', 'locked_until'])
        .executeTakeFirstOrThrow();
      if (Number(row.failures) >= limit && !row.locked_until) {
        const until = new Date(now.getTime() + LOCKOUT_DURATION);
        await db
          .updateTable('admin_login_throttle')
          .set({ locked_until: until.toISOString() })
          .where('key', '=', key)
          .execute();
        locked = until;
      }
    }
    return locked;
  }

  /** Forgets counts whose window and lock have both passed. */
  async sweep(): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.db
      .deleteFrom('admin_login_throttle')
      .where('window_start', '<=', new Date(now.getTime() - LOCKOUT_WINDOW).toISOString())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.toISOString())]))
      .execute();
  }

  /** A successful login clears its account's count (the client's stays: it may be trying many accounts). */
  async succeed(keys: string[]): Promise<void> {
    const account = keys.filter((k) => k.startsWith('account:'));
    if (account.length) await this.deps.db.deleteFrom('admin_login_throttle').where('key', 'in', account).execute();
  }
}
