import type { Clock } from '../lib/clock.ts';
import { validationFailed } from '../lib/errors.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { CookieConsentRepository } from './cookie-consent.repository.ts';
import {
  type ConsentRates,
  type CookieConsentInput,
  type CookieConsentRecord,
  consentRates,
  truncateIp,
  userAgentFamily,
} from './cookie-consent.ts';

export interface CookieConsentServiceDeps {
  consents: CookieConsentRepository;
  policy: () => Policy;
  clock: Clock;
}

/** Where the proof came from; only a truncated address and the browser family are kept. */
export interface ProofOrigin {
  ip?: string;
  userAgent?: string;
}

/** Records cookie choices as proof and answers for them. */
export class CookieConsentService {
  constructor(private readonly deps: CookieConsentServiceDeps) {}

  /**
   * Stores one choice. Under the policy in force, every category must be one of the policy's and a
   * required one cannot be refused. A choice under an older version (posted late from a visitor's
   * queue) is kept as it was made: its categories were that version's.
   */
  async record(input: CookieConsentInput, origin: ProofOrigin): Promise<CookieConsentRecord> {
    const policy = this.deps.policy();
    if (input.policyVersion === policy.version) {
      const categories = new Map(policy.cookies.categories.map((c) => [c.id, c]));
      for (const [id, granted] of Object.entries(input.choices)) {
        const category = categories.get(id);
        if (!category) throw validationFailed(`choices.${id}: is not a cookie category of the policy`, `choices.${id}`);
        if (category.required && !granted)
          throw validationFailed(`choices.${id}: is a required category and cannot be refused`, `choices.${id}`);
      }
    }
    const proof = {
      consentId: input.consentId,
      choices: input.choices,
      policyVersion: input.policyVersion,
      bannerVersion: input.bannerVersion ?? null,
      gpc: input.gpc,
      ipTruncated: truncateIp(origin.ip),
      userAgentFamily: userAgentFamily(origin.userAgent),
      createdAt: this.deps.clock.now().toISOString(),
    };
    const id = await this.deps.consents.add(proof);
    return { id, ...proof };
  }

  /** A visitor's records, newest first. */
  forVisitor(consentId: string): Promise<CookieConsentRecord[]> {
    return this.deps.consents.forVisitor(consentId);
  }

  /** Consent rates per policy version and category, counting each visitor's latest choice. */
  async stats(): Promise<ConsentRates[]> {
    return consentRates(await this.deps.consents.latestChoices());
  }
}
