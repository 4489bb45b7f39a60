import type { Kysely } from 'kysely';
import { type Clock, DAY } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import { isEmailAddress } from '../lib/email-address.ts';
import { conflict, notFound, validationFailed } from '../lib/errors.ts';
import { hashToken, newId, newToken } from '../lib/ids.ts';
import type { AdminUserTable, Database } from '../store/schema.ts';
import { hashPassword, passwordProblem, type ScryptCost } from './passwords.ts';
import { newTotpSecret, totpStep, totpUri } from './totp.ts';

export type Role = 'officer' | 'staff';
export const ROLES: readonly Role[] = ['officer', 'staff'];

/** A back-office account as the rest of the app sees it: no hashes, no secrets. */
export interface Account {
  id: string;
  email: string;
  role: Role;
  /** Setup finished: a password is set. */
  active: boolean;
  totp: boolean;
  disabled: boolean;
  createdAt: string;
  /** The back office's language for this account: Dutch unless they chose English. */
  language: 'nl' | 'en';
}

export const SETUP_LINK_TTL = 3 * DAY;

export interface AdminUsersDeps {
  db: Kysely<Database>;
  clock: Clock;
  secret: string;
  baseUrl: string;
  /** The name shown in authenticator apps. */
  issuer: () => string;
  /** scrypt's parameters; SCRYPT unless a test asks for less. */
  passwordCost?: ScryptCost;
}

/** What a setup link opens: the account and the TOTP secret offered to it. */
export type SetupState =
  | { state: 'ready'; account: Account; totpSecret: string; totpUri: string }
  | { state: 'expired' | 'used' | 'unknown' };

const normalise = (email: string) => email.trim().toLowerCase();

/** Back-office accounts: invited by a one-time link, a password and (officers always) a second factor. */
export class AdminUsers {
  readonly #totpKey: Buffer;
  constructor(private readonly deps: AdminUsersDeps) {
    this.#totpKey = deriveKey(deps.secret, 'admin-totp');
  }

  /** Creates an account and its setup link (72 hours, single use). */
  async add(email: string, role: Role): Promise<{ account: Account; setupLink: string }> {
    const address = normalise(email);
    if (!isEmailAddress(address)) throw validationFailed('That is not an e-mail address.', 'email');
    if (!ROLES.includes(role)) throw validationFailed('The role is officer or staff.', 'role');
    const existing = await this.#row(address);
    if (existing) throw conflict('An account with that address exists; use `inzage user reset` for a new link.');
    const now = this.deps.clock.now().toISOString();
    const id = newId();
    await this.deps.db
      .insertInto('admin_users')
      .values({
        id,
        email: address,
        role,
        password_hash: null,
        totp_secret: null,
        totp_last_step: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const setupLink = await this.#newSetupLink(id);
    return { account: toAccount((await this.#rowById(id))!), setupLink };
  }

  /**
   * A new setup link for an existing account: the old password and second factor stop working, every
   * session ends, and earlier links are void. A disabled account is enabled again by this.
   */
  async reset(email: string): Promise<{ account: Account; setupLink: string }> {
    const row = await this.#row(normalise(email));
    if (!row) throw notFound('No account with that address.');
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('admin_users')
        .set({
          password_hash: null,
          totp_secret: null,
          totp_last_step: null,
          disabled_at: null,
          updated_at: this.#now(),
        })
        .where('id', '=', row.id)
        .execute();
      await trx.deleteFrom('admin_sessions').where('user_id', '=', row.id).execute();
      await trx.deleteFrom('admin_setup_tokens').where('user_id', '=', row.id).execute();
    });
    const setupLink = await this.#newSetupLink(row.id);
    return { account: toAccount((await this.#rowById(row.id))!), setupLink };
  }

  /** Disables an account: it cannot log in, and its sessions and setup links end now. */
  async disable(email: string): Promise<Account> {
    const row = await this.#row(normalise(email));
    if (!row) throw notFound('No account with that address.');
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('admin_users')
        .set({ disabled_at: this.#now(), updated_at: this.#now() })
        .where('id', '=', row.id)
        .execute();
      await trx.deleteFrom('admin_sessions').where('user_id', '=', row.id).execute();
      await trx.deleteFrom('admin_setup_tokens').where('user_id', '=', row.id).execute();
    });
    return toAccount((await this.#rowById(row.id))!);
  }

  async list(): Promise<Account[]> {
    const rows = await this.deps.db
      .selectFrom('admin_users')
      .selectAll()
      .orderBy('created_at')
      .orderBy('email')
      .execute();
    return rows.map(toAccount);
  }

  /** The language the back office speaks to this account from now on. */
  async setLanguage(id: string, language: 'nl' | 'en'): Promise<void> {
    await this.deps.db
      .updateTable('admin_users')
      .set({ language, updated_at: this.deps.clock.now().toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async byId(id: string): Promise<Account | undefined> {
    const row = await this.#rowById(id);
    return row ? toAccount(row) : undefined;
  }

  /** What a setup link opens, without using it. */
  async openSetup(token: string): Promise<SetupState> {
    const found = await this.deps.db
      .selectFrom('admin_setup_tokens')
      .selectAll()
      .where('hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!found) return { state: 'unknown' };
    if (found.used_at) return { state: 'used' };
    if (found.expires_at <= this.#now()) return { state: 'expired' };
    const row = await this.#rowById(found.user_id);
    if (!row || row.disabled_at) return { state: 'unknown' };
    const totpSecret = decrypt(this.#totpKey, found.totp_secret, found.hash).toString('utf8');
    return {
      state: 'ready',
      account: toAccount(row),
      totpSecret,
      totpUri: totpUri(totpSecret, row.email, this.deps.issuer()),
    };
  }

  /**
   * Uses a setup link: sets the password and, when a code is given (always for officers), the second
   * factor the link offered. Throws VALIDATION_FAILED with a field and a message for the person.
   */
  async completeSetup(token: string, input: { password: string; totpCode?: string }): Promise<Account> {
    const setup = await this.openSetup(token);
    if (setup.state !== 'ready') throw conflict(`This setup link is ${setup.state}.`);
    const { account, totpSecret } = setup;
    const problem = passwordProblem(input.password, account.email);
    if (problem) throw validationFailed(problem, 'password');
    const code = input.totpCode?.replace(/\s+/g, '') ?? '';
    if (account.role === 'officer' && !code)
      throw validationFailed(
        'Een functionaris moet een tweede factor instellen: voer de code uit uw authenticator-app in (officers need a TOTP code).',
        'totp',
      );
    const step = code ? totpStep(totpSecret, code, this.deps.clock) : undefined;
    if (code && step === undefined)
      throw validationFailed(
        'De code klopt niet; controleer de tijd op uw telefoon en probeer de volgende code.',
        'totp',
      );
    const passwordHash = await hashPassword(input.password, this.deps.passwordCost);
    const now = this.#now();
    await this.deps.db.transaction().execute(async (trx) => {
      // Single use, also when two submissions race: only the one that marks the link goes on.
      const used = await trx
        .updateTable('admin_setup_tokens')
        .set({ used_at: now })
        .where('hash', '=', hashToken(token))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw conflict('This setup link is used.');
      await trx
        .updateTable('admin_users')
        .set({
          password_hash: passwordHash,
          totp_secret: code ? encrypt(this.#totpKey, Buffer.from(totpSecret), account.id) : null,
          // The code typed here is spent: whoever saw it over a shoulder cannot log in with it.
          totp_last_step: step ?? null,
          updated_at: now,
        })
        .where('id', '=', account.id)
        .execute();
    });
    return (await this.byId(account.id))!;
  }

  /** The row login needs: the hash and the decrypted TOTP secret. */
  async credentials(
    email: string,
  ): Promise<
    { account: Account; passwordHash: string | null; totpSecret?: string; totpLastStep: number | null } | undefined
  > {
    const row = await this.#row(normalise(email));
    return row ? this.#credentialsOf(row) : undefined;
  }

  async credentialsById(id: string) {
    const row = await this.#rowById(id);
    return row ? this.#credentialsOf(row) : undefined;
  }

  /**
   * Replaces a hash made with older scrypt parameters, now that the password is known to be right;
   * only if the hash is still the one checked (a reset in between wins).
   */
  async upgradePasswordHash(userId: string, checked: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.deps.passwordCost);
    await this.deps.db
      .updateTable('admin_users')
      .set({ password_hash: passwordHash, updated_at: this.#now() })
      .where('id', '=', userId)
      .where('password_hash', '=', checked)
      .execute();
  }

  /** Marks a TOTP step used; false when it already was (a replayed code). */
  async useTotpStep(userId: string, step: number): Promise<boolean> {
    const r = await this.deps.db
      .updateTable('admin_users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  #credentialsOf(row: AdminUserTable) {
    return {
      account: toAccount(row),
      passwordHash: row.password_hash,
      totpSecret: row.totp_secret ? decrypt(this.#totpKey, row.totp_secret, row.id).toString('utf8') : undefined,
      totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    };
  }

  async #newSetupLink(userId: string): Promise<string> {
    const token = newToken();
    const hash = hashToken(token);
    const now = this.deps.clock.now();
    await this.deps.db
      .insertInto('admin_setup_tokens')
      .values({
        hash,
        user_id: userId,
        totp_secret: encrypt(this.#totpKey, Buffer.from(newTotpSecret()), hash),
        expires_at: new Date(now.getTime() + SETUP_LINK_TTL).toISOString(),
        used_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    return `${this.deps.baseUrl.replace(/\/$/, '')}/admin/setup/${token}`;
  }

  #row(email: string) {
    return this.deps.db.selectFrom('admin_users').selectAll().where('email', '=', email).executeTakeFirst();
  }
  #rowById(id: string) {
    return this.deps.db.selectFrom('admin_users').selectAll().where('id', '=', id).executeTakeFirst();
  }
  #now() {
    return this.deps.clock.now().toISOString();
  }
}

function toAccount(r: AdminUserTable): Account {
  return {
    id: r.id,
    email: r.email,
    role: r.role,
    active: r.password_hash !== null,
    totp: r.totp_secret !== null,
    disabled: r.disabled_at !== null,
    createdAt: r.created_at,
    language: r.language === 'en' ? 'en' : 'nl',
  };
}
