import type { AuditTrail } from '../audit/audit-trail.ts';
import type { Clock } from '../lib/clock.ts';
import type { DeviceCookies } from './devices.ts';
import { dummyHash, needsRehash, type ScryptCost, verifyPassword } from './passwords.ts';
import type { AdminSessions } from './sessions.ts';
import type { LoginThrottle } from './throttle.ts';
import { totpStep } from './totp.ts';
import type { Account, AdminUsers } from './users.ts';

export type LoginResult =
  /** Too many failures: try again after `until`. Said the same way for any address. */
  | { kind: 'locked'; until: Date }
  /** Wrong address, password or code: one answer for all three. */
  | { kind: 'failed' }
  /** The password was right; the second factor is next, under a short-lived pending session. */
  | { kind: 'totp'; pendingToken: string }
  /**
   * Logged in: a new session (any session the browser had before is ended), and a new device cookie
   * that lets this browser in while the account is locked for others.
   */
  | { kind: 'in'; sessionToken: string; account: Account; deviceCookie: string }
  /** The pending step ran out; start again. */
  | { kind: 'expired' };

export interface AdminLoginDeps {
  users: AdminUsers;
  sessions: AdminSessions;
  throttle: LoginThrottle;
  devices: DeviceCookies;
  audit: AuditTrail;
  clock: Clock;
  /** scrypt's parameters; SCRYPT unless a test asks for less. */
  passwordCost?: ScryptCost;
}

/**
 * Logging in: password, then the TOTP code when the account has one. Every outcome is audited by
 * account id (never the address); a failure for an unknown address costs the same scrypt time.
 */
export class AdminLogin {
  constructor(private readonly deps: AdminLoginDeps) {}

  async withPassword(input: {
    email: string;
    password: string;
    client: string;
    previous?: string;
    /** The browser's device cookie, if it has one. */
    device?: string;
  }): Promise<LoginResult> {
    const { users, sessions, throttle } = this.deps;
    const found = await users.credentials(input.email);
    const keys = this.#keys(input.email, input.client, found?.account, input.device);
    // Counted before the (slow) check, so a burst at once gets no more checks than the limit allows.
    const admission = await throttle.admit(keys);
    if (!admission.admitted) return this.#refused(found?.account, 'password', admission.until);
    const usable = found && !found.account.disabled && found.passwordHash ? found : undefined;
    const right = await verifyPassword(input.password, usable?.passwordHash ?? dummyHash(this.deps.passwordCost));
    if (!usable || !right) return this.#failed(keys, found?.account, 'password');
    // A hash from before today's scrypt parameters is made anew, now that the password is known.
    const checked = usable.passwordHash!;
    if (needsRehash(checked, this.deps.passwordCost))
      await users.upgradePasswordHash(usable.account.id, checked, input.password);
    if (input.previous) await sessions.end(input.previous);
    if (usable.totpSecret) {
      // The password was right: this attempt is no failure; the code is counted on its own.
      await throttle.release(keys);
      return { kind: 'totp', pendingToken: await sessions.start(usable.account.id, 'totp') };
    }
    return this.#in(keys, usable.account, 'password');
  }

  async withTotp(input: { pendingToken: string; code: string; client: string; device?: string }): Promise<LoginResult> {
    const { users, sessions, throttle, clock } = this.deps;
    const pending = await sessions.find(input.pendingToken);
    if (pending?.stage !== 'totp') return { kind: 'expired' };
    const found = await users.credentialsById(pending.userId);
    if (!found || found.account.disabled || !found.totpSecret) return { kind: 'expired' };
    const keys = this.#keys(found.account.email, input.client, found.account, input.device);
    const admission = await throttle.admit(keys);
    if (!admission.admitted) {
      await sessions.end(input.pendingToken);
      return this.#refused(found.account, 'totp', admission.until);
    }
    const step = totpStep(found.totpSecret, input.code.replace(/\s+/g, ''), clock);
    if (step === undefined || !(await users.useTotpStep(found.account.id, step))) {
      const result = await this.#failed(keys, found.account, 'totp');
      if (result.kind === 'locked') await sessions.end(input.pendingToken);
      return result;
    }
    // Rotation: the pending session's token never becomes the logged-in one.
    await sessions.end(input.pendingToken);
    return this.#in(keys, found.account, 'totp');
  }

  async logout(sessionToken: string, userId: string): Promise<void> {
    await this.deps.sessions.end(sessionToken);
    await this.deps.audit.record({ actor: `user:${userId}`, action: 'logout', target: `user:${userId}` });
  }

  /** Ends every session of this person, on every device. */
  async logoutEverywhere(userId: string): Promise<number> {
    const ended = await this.deps.sessions.endAll(userId);
    await this.deps.audit.record({
      actor: `user:${userId}`,
      action: 'logout.everywhere',
      target: `user:${userId}`,
      details: { sessions: ended },
    });
    return ended;
  }

  /**
   * What an attempt is counted on: from a browser that logged in to this account before, its device
   * cookie alone (OWASP's device cookies: a flood from elsewhere does not lock it out); otherwise the
   * account and the client.
   */
  #keys(email: string, client: string, account: Account | undefined, device: string | undefined): string[] {
    const known = account ? this.deps.devices.deviceOf(device, account.id) : undefined;
    return known ? this.deps.throttle.keysForDevice(known) : this.deps.throttle.keysFor(email, client);
  }

  async #in(keys: string[], account: Account, step: 'password' | 'totp'): Promise<LoginResult> {
    await this.deps.throttle.succeed(keys);
    // Logins are rare: a good moment to drop what has run out, without a job of its own.
    await this.deps.sessions.sweep();
    await this.deps.throttle.sweep();
    const sessionToken = await this.deps.sessions.start(account.id, 'active');
    await this.deps.audit.record({
      actor: `user:${account.id}`,
      action: 'login',
      target: `user:${account.id}`,
      details: { secondFactor: step === 'totp', knownDevice: keys.some((k) => k.startsWith('device:')) },
    });
    return { kind: 'in', sessionToken, account, deviceCookie: this.deps.devices.issue(account.id) };
  }

  /** An attempt made while locked: not checked at all, but on the record (by account id, never the address). */
  async #refused(account: Account | undefined, step: 'password' | 'totp', until: Date): Promise<LoginResult> {
    const who = account ? { actor: `user:${account.id}`, target: `user:${account.id}` } : { actor: 'system' };
    await this.deps.audit.record({ ...who, action: 'login.refused', details: { step, until: until.toISOString() } });
    return { kind: 'locked', until };
  }

  async #failed(keys: string[], account: Account | undefined, step: 'password' | 'totp'): Promise<LoginResult> {
    const until = await this.deps.throttle.fail(keys);
    const who = account ? { actor: `user:${account.id}`, target: `user:${account.id}` } : { actor: 'system' };
    await this.deps.audit.record({ ...who, action: 'login.failed', details: { step } });
    if (!until) return { kind: 'failed' };
    await this.deps.audit.record({ ...who, action: 'login.locked', details: { until: until.toISOString() } });
    return { kind: 'locked', until };
  }
}
