import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Clock, HOUR, MINUTE } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import { hashToken, newToken } from '../lib/ids.ts';
import type { AdminSessionTable, Database } from '../store/schema.ts';

/** A session ends after this long without a request. */
export const SESSION_IDLE = 30 * MINUTE;
/** And after this long whatever happens. */
export const SESSION_LIFETIME = 12 * HOUR;
/** Between the password and the second factor. */
export const TOTP_STAGE_LIFETIME = 5 * MINUTE;

export type SessionStage = AdminSessionTable['stage'];

export interface Session {
  userId: string;
  stage: SessionStage;
  /** The form token tied to this session. */
  csrf: string;
}

/** Back-office sessions: a random token in a cookie, only its hash in the store. */
export class AdminSessions {
  readonly #csrfKey: Buffer;
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; secret: string }) {
    this.#csrfKey = deriveKey(deps.secret, 'admin-csrf');
  }

  /** Starts a session; returns the token for the cookie (never stored as such). */
  async start(userId: string, stage: SessionStage): Promise<string> {
    const token = newToken();
    const now = this.deps.clock.now();
    const lifetime = stage === 'active' ? SESSION_LIFETIME : TOTP_STAGE_LIFETIME;
    await this.deps.db
      .insertInto('admin_sessions')
      .values({
        hash: hashToken(token),
        user_id: userId,
        stage,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + lifetime).toISOString(),
      })
      .execute();
    return token;
  }

  /** The live session behind a cookie, touched (at most once a minute); undefined when ended or expired. */
  async find(token: string): Promise<Session | undefined> {
    const hash = hashToken(token);
    const row = await this.deps.db.selectFrom('admin_sessions').selectAll().where('hash', '=', hash).executeTakeFirst();
    if (!row) return undefined;
    const now = this.deps.clock.now();
    const idleSince = now.getTime() - new Date(row.last_seen_at).getTime();
    if (row.expires_at <= now.toISOString() || idleSince >= SESSION_IDLE) {
      await this.deps.db.deleteFrom('admin_sessions').where('hash', '=', hash).execute();
      return undefined;
    }
    if (idleSince >= MINUTE) {
      await this.deps.db
        .updateTable('admin_sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('hash', '=', hash)
        .execute();
    }
    return { userId: row.user_id, stage: row.stage, csrf: this.csrfFor(token) };
  }

  /** Ends one session (logout, or the step before a rotation). */
  async end(token: string): Promise<void> {
    await this.deps.db.deleteFrom('admin_sessions').where('hash', '=', hashToken(token)).execute();
  }

  /** Ends every session of a person ("log out everywhere"); returns how many. */
  async endAll(userId: string): Promise<number> {
    const r = await this.deps.db.deleteFrom('admin_sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Removes sessions past their end; sessions are also removed when found expired. */
  async sweep(): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.db
      .deleteFrom('admin_sessions')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', now.toISOString()),
          eb('last_seen_at', '<=', new Date(now.getTime() - SESSION_IDLE).toISOString()),
        ]),
      )
      .execute();
  }

  /** The synchronizer token for a session's forms: derived, so nothing extra is stored. */
  csrfFor(token: string): string {
    return hmacHex(this.#csrfKey, `session:${hashToken(token)}`);
  }

  /** A form token before any session (login form): bound to a random value in its own cookie. */
  preSessionCsrf(nonce: string): string {
    return hmacHex(this.#csrfKey, `pre:${nonce}`);
  }
}

/** Compares two tokens in constant time. */
export function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
