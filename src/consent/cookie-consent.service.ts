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
  /** A published policy version by its label (the policy's `version`). */
  publishedPolicy: (label: string) => Promise<Policy | undefined>;
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
   * Stores one choice, checked against the policy version it names: the one in force, or an older
   * published one (a choice posted late from a visitor's queue is judged by the categories it was made
   * under). Every category must be one of that version's and a required one cannot be refused. A
   * version nobody published is refused: proof is never kept unchecked.
   */
  async record(input: CookieConsentInput, origin: ProofOrigin): Promise<CookieConsentRecord> {
    const current = this.deps.policy();
    const policy =
      input.policyVersion === current.version ? current : await this.deps.publishedPolicy(input.policyVersion);
    if (!policy) {
      throw validationFailed('policyVersion: is not a version of the policy that was ever published', 'policyVersion');
    }
    const categories = new Map(policy.cookies.categories.map((c) => [c.id, c]));
    for (const [id, granted] of Object.entries(input.choices)) {
      const category = categories.get(id);
      if (!category) throw validationFailed(`choices.${id}: is not a cookie category of the policy`, `choices.${id}`);
      if (category.required && !granted)
        throw validationFailed(`choices.${id}: is a required category and cannot be refused`, `choices.${id}`);
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
