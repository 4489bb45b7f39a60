import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { MailOutbox } from '../notify/outbox.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { Database } from '../store/schema.ts';
import { ContactConsentRepository } from './contact-consent.repository.ts';
import { ContactConsentService } from './contact-consent.service.ts';
import { ConsentWithdrawalService } from './contact-consent-withdrawal.service.ts';

export interface ContactConsentWiring {
  db: Kysely<Database>;
  clock: Clock;
  policy: () => Policy;
  secret: string;
  outbox: Pick<MailOutbox, 'enqueue'>;
  baseUrl: string;
}

/** The contact-consent services, wired once for the server, the worker and the CLI. */
export function buildContactConsent(w: ContactConsentWiring): {
  contactConsents: ContactConsentService;
  consentWithdrawals: ConsentWithdrawalService;
} {
  const consents = new ContactConsentRepository(w.db);
  const contactConsents = new ContactConsentService({ consents, clock: w.clock, policy: w.policy, secret: w.secret });
  const consentWithdrawals = new ConsentWithdrawalService({
    consents,
    service: contactConsents,
    mail: w.outbox,
    clock: w.clock,
    policy: w.policy,
    secret: w.secret,
    baseUrl: w.baseUrl,
  });
  return { contactConsents, consentWithdrawals };
}
