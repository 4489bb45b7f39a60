import { type Clock, MINUTE } from '../lib/clock.ts';
import { validationFailed } from '../lib/errors.ts';
import { newOrderedId } from '../lib/ids.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { ContactConsentTable } from '../store/schema.ts';
import { defaultContactPurposes, purposeProblem } from './contact-consent.purposes.ts';
import type { ContactConsentRepository, Db } from './contact-consent.repository.ts';
import type { ConsentChoice, ConsentHistoryEntry, ConsentRecord, CurrentConsents } from './contact-consent.types.ts';

export interface ContactConsentDeps {
  consents: ContactConsentRepository;
  clock: Clock;
  policy: () => Policy;
  /** INZAGE_SECRET: the person is stored as `subjectRef(secret, email)`, the same key requests use. */
  secret: string;
}

/** A shop's clock may run a little ahead; a choice further in the future than this is refused. */
const CLOCK_SKEW_MS = 5 * MINUTE;

const toEntry = (r: ContactConsentTable): ConsentHistoryEntry => ({
  id: r.id,
  purpose: r.purpose,
  granted: r.granted === 1,
  text: r.text,
  textVersion: r.text_version,
  source: r.source,
  at: r.at,
  recordedAt: r.recorded_at,
});

/**
 * Contact consent with proof: every choice is kept with the exact text shown, its version, its time
 * and where it was made. Nothing is ever updated: a withdrawal is a new row, and the newest row per
 * purpose is the person's current choice.
 */
export class ContactConsentService {
  constructor(private readonly deps: ContactConsentDeps) {}

  /** Records a consent or its withdrawal; `purpose` must be a consent purpose for contact in the policy. */
  async record(
    choice: ConsentChoice,
    db: Db = this.deps.consents.db,
  ): Promise<{ id: string; purpose: string; granted: boolean; at: string }> {
    const problem = purposeProblem(this.deps.policy(), choice.purpose);
    if (problem) throw validationFailed(`purpose: ${problem}`, 'purpose');
    const now = this.deps.clock.now();
    const at = choice.at ? new Date(choice.at) : now;
    if (Number.isNaN(at.getTime())) throw validationFailed('at: must be an ISO 8601 date-time', 'at');
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw validationFailed('at: lies in the future', 'at');
    const row: ContactConsentTable = {
      id: newOrderedId(),
      subject_ref: this.#ref(choice.email),
      purpose: choice.purpose,
      granted: choice.granted ? 1 : 0,
      text: choice.text,
      text_version: choice.textVersion ?? null,
      source: choice.source,
      at: at.toISOString(),
      recorded_at: now.toISOString(),
    };
    await this.deps.consents.insert(db, row);
    return { id: row.id, purpose: row.purpose, granted: choice.granted, at: row.at };
  }

  /**
   * An objection to direct marketing (GDPR Art. 21(2)-(3)), kept with the consent proof: a refusal per
   * purpose, dated now. The newest record per purpose decides, so a consent dated before the objection
   * (the shop re-importing old opt-ins) does not undo it; only a consent given after it can.
   */
  async recordObjection(db: Db, email: string, purposes: ReadonlyArray<string>): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    for (const purpose of purposes) {
      await this.deps.consents.insert(db, {
        id: newOrderedId(),
        subject_ref: this.#ref(email),
        purpose,
        granted: 0,
        text: 'Bezwaar tegen direct marketing (AVG art. 21 lid 2 en 3)',
        text_version: null,
        source: 'objection',
        at: now,
        recorded_at: now,
      });
    }
  }

  /** The person's current choice per purpose: the newest record of each. */
  async current(email: string): Promise<CurrentConsents> {
    const state: CurrentConsents = {};
    // Oldest first: each later row overwrites the one before.
    for (const row of await this.history(email)) state[row.purpose] = { granted: row.granted, at: row.at };
    return state;
  }

  /** Every choice the person made, oldest first, without the subject reference. */
  async history(email: string): Promise<ConsentHistoryEntry[]> {
    return (await this.deps.consents.history(this.#ref(email))).map(toEntry);
  }

  /**
   * May the shop contact this person? Only when the newest choice for the purpose is a grant; without
   * a purpose, for every default contact purpose of the policy (`later-contact` in the example).
   */
  async contactAllowed(email: string, purpose?: string): Promise<boolean> {
    const purposes = purpose ? [purpose] : defaultContactPurposes(this.deps.policy());
    if (purposes.length === 0) return false;
    const state = await this.current(email);
    return purposes.every((p) => state[p]?.granted === true);
  }

  /** For `GET /api/v1/subjects/status`: `contactAllowed` by the default contact purposes. */
  readonly contactAllowedFor = (email: string): Promise<boolean> => this.contactAllowed(email);

  /** The person's consent history as the access export carries it. */
  readonly consentHistoryFor = async (email: string): Promise<ConsentRecord[]> =>
    (await this.history(email)).map((e) => ({
      purpose: e.purpose,
      granted: e.granted,
      text: e.text,
      version: e.textVersion,
      source: e.source,
      at: e.at,
    }));

  /** Deletes the person's consent records and open withdrawal links (erasure); returns the rows deleted. */
  async forget(email: string, db: Db = this.deps.consents.db): Promise<number> {
    return this.deps.consents.forget(this.#ref(email), db);
  }

  #ref(email: string): string {
    return subjectRef(this.deps.secret, email);
  }
}
