import { type Clock, HOUR } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import { InzageError, validationFailed } from '../lib/errors.ts';
import { hashToken, newToken } from '../lib/ids.ts';
import type { MailOutbox } from '../notify/outbox.ts';
import type { Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { contactPurposes, purposeName } from './contact-consent.purposes.ts';
import type { ContactConsentRepository } from './contact-consent.repository.ts';
import type { ContactConsentService } from './contact-consent.service.ts';

export interface ConsentWithdrawalDeps {
  consents: ContactConsentRepository;
  service: ContactConsentService;
  /** The outbox; a message queued in a transaction commits with it. */
  mail: Pick<MailOutbox, 'enqueue'>;
  clock: Clock;
  policy: () => Policy;
  secret: string;
  /** The hub's public address, for the link in the e-mail. */
  baseUrl: string;
}

export const WITHDRAW_LINK_VALID_MS = 48 * HOUR;
/** Withdrawal e-mails one address may ask for in an hour. */
export const WITHDRAWALS_PER_ADDRESS_PER_HOUR = 5;
/** The version of `withdrawalStatement`, kept with each withdrawal as proof of the words shown. */
export const WITHDRAWAL_TEXT_VERSION = 'portal-withdraw/1';

/** The sentence the confirmation page shows above its button; recorded word for word as the withdrawal's text. */
export function withdrawalStatement(lang: Lang, purposeNames: string[]): string {
  const list = purposeNames.join('; ');
  return lang === 'nl' ? `Ik trek mijn toestemming in voor: ${list}.` : `I withdraw my consent for: ${list}.`;
}

export type WithdrawalView =
  | { state: 'ready'; lang: Lang; purposes: string[] }
  | { state: 'expired'; lang: Lang }
  | { state: 'unknown' };

/**
 * Withdrawing contact consent on the portal, verified like a request: the form sends a link to the
 * address (the same answer and e-mail whether or not the hub knows it), opening the link only shows
 * a page, and its one button records a withdrawal per purpose and mails a confirmation.
 */
export class ConsentWithdrawalService {
  readonly #key: Buffer;

  constructor(private readonly deps: ConsentWithdrawalDeps) {
    this.#key = deriveKey(deps.secret, 'consent-token');
  }

  /** Sends the verification e-mail. Purposes must be contact purposes of the policy. */
  async request(input: { email: string; purposes: string[]; lang: Lang }): Promise<void> {
    const { consents, clock } = this.deps;
    const allowed = new Set(contactPurposes(this.deps.policy()).map((p) => p.id));
    const purposes = [...new Set(input.purposes)];
    if (purposes.length === 0 || purposes.some((p) => !allowed.has(p))) {
      throw validationFailed(`purposes: choose one or more of ${[...allowed].join(', ')}`, 'purposes');
    }
    const email = input.email.trim();
    const ref = subjectRef(this.deps.secret, email);
    const now = clock.now();
    await consents.deleteExpiredTokens(now.toISOString());
    const hourAgo = new Date(now.getTime() - HOUR).toISOString();
    if ((await consents.countTokensSince(ref, hourAgo)) >= WITHDRAWALS_PER_ADDRESS_PER_HOUR) {
      throw new InzageError('RATE_LIMITED', 'Too many withdrawals for this address; please try again in an hour.', {
        field: 'email',
      });
    }
    const token = newToken();
    const hash = hashToken(token);
    const expiresAt = new Date(now.getTime() + WITHDRAW_LINK_VALID_MS).toISOString();
    await consents.db.transaction().execute(async (trx) => {
      await consents.insertToken(trx, {
        hash,
        subject_ref: ref,
        email: encrypt(this.#key, Buffer.from(email, 'utf8'), `consent-token:${hash}`),
        purposes: JSON.stringify(purposes),
        language: input.lang,
        expires_at: expiresAt,
        created_at: now.toISOString(),
      });
      await this.deps.mail.enqueue(
        {
          to: email,
          template: 'consent-withdraw-verify',
          lang: input.lang,
          data: { link: `${this.deps.baseUrl}/consent/withdraw/${token}`, expiresAt },
        },
        trx,
      );
    });
  }

  /** What the page behind the link shows; opening it (GET) changes nothing. */
  async describe(token: string): Promise<WithdrawalView> {
    const row = await this.deps.consents.findToken(hashToken(token));
    if (!row) return { state: 'unknown' };
    const lang = row.language === 'en' ? 'en' : 'nl';
    if (row.expires_at <= this.deps.clock.now().toISOString()) return { state: 'expired', lang };
    return { state: 'ready', lang, purposes: this.#purposes(row.purposes) };
  }

  /**
   * The one click (POST): records a withdrawal (source `portal`) per purpose and mails the
   * confirmation. The link works once: its row is deleted in the same transaction. `lang` is the
   * language of the page whose button was pressed: the statement is recorded as that page showed it.
   */
  async confirm(
    token: string,
    pageLang?: Lang,
  ): Promise<WithdrawalView | { state: 'withdrawn'; lang: Lang; purposes: string[] }> {
    const { consents, service, clock } = this.deps;
    const hash = hashToken(token);
    const seen = await this.describe(token);
    if (seen.state === 'expired') await consents.deleteToken(consents.db, hash);
    if (seen.state !== 'ready') return seen;
    const row = (await consents.findToken(hash))!;
    const email = decrypt(this.#key, row.email, `consent-token:${hash}`).toString('utf8');
    const { purposes } = seen;
    const lang = pageLang ?? seen.lang;
    const policy = this.deps.policy();
    const names = purposes.map((id) => purposeName(policy, id, lang));
    const text = withdrawalStatement(lang, names);
    const at = clock.now().toISOString();
    const done = await consents.db.transaction().execute(async (trx) => {
      if (!(await consents.deleteToken(trx, hash))) return false;
      for (const purpose of purposes) {
        await service.record(
          { email, purpose, granted: false, text, textVersion: WITHDRAWAL_TEXT_VERSION, source: 'portal', at },
          trx,
        );
      }
      await this.deps.mail.enqueue({ to: email, template: 'consent-withdrawn', lang, data: { purposes: names } }, trx);
      return true;
    });
    return done ? { state: 'withdrawn', lang, purposes } : { state: 'unknown' };
  }

  /** The token's purposes that are still contact purposes of the policy in force. */
  #purposes(json: string): string[] {
    const allowed = new Set(contactPurposes(this.deps.policy()).map((p) => p.id));
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && allowed.has(id)) : [];
  }
}
