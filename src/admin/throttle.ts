import type { ExpressionBuilder, Kysely } from 'kysely';
import { type Clock, MINUTE } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import type { Database } from '../store/schema.ts';

/** Failures counted in this window… */
export const LOCKOUT_WINDOW = 15 * MINUTE;
/** …lock for this long… */
export const LOCKOUT_DURATION = 15 * MINUTE;
/** …after this many for one account (known or not), or for one browser that logged in before. */
export const ACCOUNT_FAILURES = 5;
/** A client gets more: an office behind one address should not lock itself out with one typo each. */
export const CLIENT_FAILURES = 20;

/** An attempt may go on to the password or code check, or is refused: a lock is on (or about to be). */
export type Admission = { admitted: true } | { admitted: false; until: Date };

type ThrottleRow = ExpressionBuilder<Database, 'admin_login_throttle'>;

/**
 * Failed logins per account and per client, by keyed HMAC (no address or IP is stored). An address
 * without an account is counted and locked exactly like one with: the lock tells nothing.
 *
 * An attempt is counted before its password or code is checked (`admit`), in one conditional update
 * per key that refuses once the count has reached the limit. So however many attempts arrive at once,
 * at most the limit of them are ever checked in a window; a check that turns out right gives its count
 * back (`release`, `succeed`), one that turns out wrong keeps it and may start the lock (`fail`).
 */
export class LoginThrottle {
  readonly #key: Buffer;
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; secret: string }) {
    this.#key = deriveKey(deps.secret, 'admin-login-throttle');
  }

  keysFor(email: string, client: string): string[] {
    return [`account:${hmacHex(this.#key, email.trim().toLowerCase())}`, `client:${hmacHex(this.#key, client)}`];
  }

  /**
   * The keys of an attempt from a browser that logged in to the account before (a device cookie): its
   * own count and lock only, so that failures from elsewhere, which lock the account and their clients,
   * do not lock it out, and its failures do not lock the account for anyone else.
   */
  keysForDevice(device: string): string[] {
    return [`device:${hmacHex(this.#key, device)}`];
  }

  /**
   * Counts one attempt on every key, or on none: refused when any key is locked or its count has
   * reached the limit (then `until` says when to try again).
   */
  async admit(keys: string[]): Promise<Admission> {
    const now = this.deps.clock.now();
    const iso = now.toISOString();
    const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW).toISOString();
    // A window that has passed, or a lock that has ended, starts the count again.
    const stale = (eb: ThrottleRow) =>
      eb.or([
        eb.and([eb('locked_until', 'is', null), eb('window_start', '<=', windowStart)]),
        eb('locked_until', '<=', iso),
      ]);
    const admitted = await this.deps.db
      .transaction()
      .execute(async (trx) => {
        for (const key of keys) {
          await trx
            .insertInto('admin_login_throttle')
            .values({ key, failures: 0, window_start: iso, locked_until: null })
            .onConflict((oc) => oc.column('key').doNothing())
            .execute();
          // Checking and counting in one statement: two attempts at once cannot both see room for one.
          const counted = await trx
            .updateTable('admin_login_throttle')
            .set((eb) => ({
              failures: eb
                .case()
                .when(stale(eb))
                .then(1)
                .else(eb('failures', '+', 1))
                .end(),
              window_start: eb.case().when(stale(eb)).then(iso).else(eb.ref('window_start')).end(),
              locked_until: eb.case().when(stale(eb)).then(null).else(eb.ref('locked_until')).end(),
            }))
            .where('key', '=', key)
            .where((eb) =>
              eb.or([stale(eb), eb.and([eb('locked_until', 'is', null), eb('failures', '<', limitOf(key))])]),
            )
            .executeTakeFirst();
          // Refused on one key: roll back the counts already taken on the others.
          if (Number(counted.numUpdatedRows) !== 1) throw new Refused();
        }
        return true;
      })
      .catch((err: unknown) => {
        if (err instanceof Refused) return false;
        throw err;
      });
    if (admitted) return { admitted: true };
    return { admitted: false, until: await this.#refusedUntil(keys) };
  }

  /**
   * The admitted attempt was wrong: its count stays. Returns when the lock ends if this failure
   * started one (the count had reached the limit and no lock was on yet).
   */
  async fail(keys: string[]): Promise<Date | undefined> {
    const until = new Date(this.deps.clock.now().getTime() + LOCKOUT_DURATION);
    let started: Date | undefined;
    for (const key of keys) {
      const locked = await this.deps.db
        .updateTable('admin_login_throttle')
        .set({ locked_until: until.toISOString() })
        .where('key', '=', key)
        .where('locked_until', 'is', null)
        .where('failures', '>=', limitOf(key))
        .executeTakeFirst();
      if (Number(locked.numUpdatedRows) === 1) started = until;
    }
    return started;
  }

  /** The admitted attempt was right but is not a login yet (the second factor is next): its count is given back. */
  async release(keys: string[]): Promise<void> {
    await this.deps.db
      .updateTable('admin_login_throttle')
      .set((eb) => ({ failures: eb('failures', '-', 1) }))
      .where('key', 'in', keys)
      .where('failures', '>', 0)
      .execute();
  }

  /**
   * A successful login clears its account's or device's count (the client's only gives this attempt
   * back: it may be trying many accounts). A lock that failures running at the same moment set stays on.
   */
  async succeed(keys: string[]): Promise<void> {
    const iso = this.deps.clock.now().toISOString();
    const account = keys.filter((k) => !k.startsWith('client:'));
    const client = keys.filter((k) => k.startsWith('client:'));
    if (account.length) {
      await this.deps.db
        .deleteFrom('admin_login_throttle')
        .where('key', 'in', account)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', iso)]))
        .execute();
    }
    if (client.length) await this.release(client);
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

  /**
   * When a refused attempt may try again: the latest lock on these keys, or, while the attempt that
   * reached the limit is still being checked (no lock yet), the end of that count's window.
   */
  async #refusedUntil(keys: string[]): Promise<Date> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db
      .selectFrom('admin_login_throttle')
      .select(['key', 'failures', 'window_start', 'locked_until'])
      .where('key', 'in', keys)
      .execute();
    const ends = rows.flatMap((r) => {
      if (r.locked_until && r.locked_until > now.toISOString()) return [new Date(r.locked_until).getTime()];
      if (Number(r.failures) >= limitOf(r.key)) return [new Date(r.window_start).getTime() + LOCKOUT_WINDOW];
      return [];
    });
    return new Date(Math.max(now.getTime(), ...ends));
  }
}

class Refused extends Error {}

const limitOf = (key: string) => (key.startsWith('client:') ? CLIENT_FAILURES : ACCOUNT_FAILURES);
