import { normalizeEmail } from '../connectors/connector.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import { type Clock, HOUR } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import { validationFailed } from '../lib/errors.ts';
import type { HolidayCalendar } from '../lib/holidays.ts';
import { newId } from '../lib/ids.ts';
import { requestDeadlines } from '../lib/legal-period.ts';
import { objectionProblem } from '../policy/objections.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { ActivityIndex } from '../retention/activity.ts';
import type { RequestTable } from '../store/schema.ts';
import { asksNothingMore, authenticateJoined } from './joining.ts';
import { type Db, type DsrRequest, type RequestRepository, toRequest } from './request.repository.ts';
import { type NewRequest, PROCESS_JOB, type RequestStatus } from './request.types.ts';
import { mayResend, nextSendAt, VerificationMailLedger, type VerificationSend } from './verification-mails.ts';

/** The part of the mail outbox requests use: a state change and its e-mail commit together. */
export interface RequestMail {
  enqueue(
    mail: {
      to: string;
      template: string;
      lang: 'nl' | 'en';
      data: Record<string, unknown>;
      requestId?: string;
      dedupeKey?: string;
      /** Not sent before this time. */
      sendAt?: Date;
    },
    db?: Db,
  ): Promise<string | undefined>;
}

export interface RequestDeps {
  requests: RequestRepository;
  /** Where a confirmed request counts as a contact moment (retention). */
  activity?: ActivityIndex;
  jobs: JobRepository;
  mail: RequestMail;
  clock: Clock;
  policy: () => Policy;
  secret: string;
  baseUrl: string;
  /** Which Dutch public holidays move a legal deadline (Regulation 1182/71 art. 3(4)); `common` by default. */
  holidays?: HolidayCalendar;
}

export const VERIFY_VALID_MS = 48 * HOUR;
/**
 * What intake answers for every post: the same status whatever the address and whatever is open for it.
 * It says that what was posted waits for the person's click on the link in the e-mail.
 */
export const INTAKE_STATUS = 'awaiting_verification' satisfies RequestStatus;

/** The answer to a post: a receipt id (the new request's id, or a fresh one when it joined an open request). */
export interface IntakeReceipt {
  id: string;
  status: typeof INTAKE_STATUS;
}

type NewRow = Omit<RequestTable, 'updated_at'>;

export { PROCESS_JOB } from './request.types.ts';

/** A keyed HMAC of the normalised address: joins a person's requests and flags without naming them. */
export function subjectRef(secret: string, email: string): string {
  // A key the keyring keeps: the same person has the same reference before and after a secret rotation.
  return hmacHex(deriveKey(secret, SUBJECT_REF_PURPOSE), normalizeEmail(email));
}
const SUBJECT_REF_PURPOSE = 'requests/subject-ref';

/** Intake, verification and download: what the person does. */
export class IntakeService {
  readonly #ledger = new VerificationMailLedger();
  constructor(private readonly deps: RequestDeps) {}

  /**
   * Takes a request. Every post gets the same answer, whoever the address belongs to and whatever is
   * open for it: nothing is looked up in the shop before the address is verified, and nothing is said
   * about requests that exist already.
   *
   * A second request of a type that is open for the address joins the open one; while that one waits
   * for its click, its link is sent again at most once per 15 minutes. A request is never refused for
   * what was posted for the address before (a stranger could otherwise lock the person out of their
   * rights): instead the verification e-mails to one address are bounded (`VERIFICATION_MAILS_PER_HOUR`),
   * and a new request's e-mail that does not fit in the hour goes out as soon as it does.
   */
  async submit(input: NewRequest): Promise<IntakeReceipt> {
    const { requests } = this.deps;
    if (input.type === 'objection') {
      const problem = objectionProblem(this.deps.policy(), input.purposes ?? []);
      if (problem) throw validationFailed(`purposes: ${problem}`, 'purposes');
    }
    const ref = subjectRef(this.deps.secret, input.email);
    return requests.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      // First: posts for one address at once, on any server, wait here for each other.
      const sends = await this.#ledger.lock(trx, ref, now);
      const found = await requests.findOpen(trx, ref, input.type);
      const asked = { corrections: input.corrections, deliverTo: input.deliverTo, purposes: input.purposes };
      const open = found && asksNothingMore(found, asked) ? found : undefined;
      if (open) {
        // A receipt of its own: the open request's id would be a handle on someone else's request.
        const receipt = newId();
        await requests.event(trx, open.id, 'joined', { receipt });
        if (open.status === 'awaiting_verification' && mayResend(sends, open.id, now)) {
          await this.#sendVerification(trx, open, now, sends, 'again');
          await requests.event(trx, open.id, 'verification_resent');
          await this.#ledger.save(trx, ref, sends);
        }
        return { id: receipt, status: INTAKE_STATUS };
      }
      const policy = this.deps.policy();
      const request: NewRow = {
        id: newId(),
        type: input.type,
        status: 'awaiting_verification',
        language: input.language,
        email: input.email.trim(),
        subject_ref: ref,
        name: input.name ?? null,
        message: input.message ?? null,
        details: JSON.stringify({
          corrections: input.corrections,
          deliverTo: input.deliverTo,
          ...(input.type === 'objection' ? { purposes: [...new Set(input.purposes)] } : {}),
        }),
        received_at: now.toISOString(),
        verified_at: null,
        due_at: requestDeadlines(now, policy.rights.answerWithinDays, this.deps.holidays).dueAt,
        legal_due_at: requestDeadlines(now, policy.rights.answerWithinDays, this.deps.holidays).legalDueAt,
        extended_at: null,
        completed_at: null,
        outcome: null,
        result: null,
        channel: null,
      };
      await requests.insert(trx, request);
      await requests.event(trx, request.id, 'received', { type: input.type, deliverElsewhere: !!input.deliverTo });
      const created = toRequest({ ...request, updated_at: request.received_at });
      const at = await this.#sendVerification(trx, created, now, sends, 'first');
      if (at > now) await requests.event(trx, request.id, 'verification_delayed', { until: at.toISOString() });
      await this.#ledger.save(trx, ref, sends);
      return { id: request.id, status: INTAKE_STATUS };
    });
  }

  /**
   * Queues the request's verification e-mail with a fresh link, at the first moment the address's hour
   * has room (now, mostly), and adds it to `sends`. The link is valid until the request expires.
   */
  async #sendVerification(
    trx: Db,
    request: DsrRequest,
    now: Date,
    sends: VerificationSend[],
    link: 'first' | 'again',
  ): Promise<Date> {
    const at = nextSendAt(sends, now);
    const expiresAt = new Date(new Date(request.receivedAt).getTime() + VERIFY_VALID_MS).toISOString();
    const token = await this.deps.requests.issueToken(trx, request.id, 'verify', expiresAt, 1);
    await this.deps.mail.enqueue(
      {
        to: request.email!,
        template: 'verify',
        lang: request.language,
        data: { type: request.type, link: `${this.deps.baseUrl}/requests/verify/${token}`, expiresAt },
        requestId: request.id,
        dedupeKey: `request:${request.id}:verify${link === 'first' ? '' : `:${at.toISOString()}`}`,
        ...(at > now ? { sendAt: at } : {}),
      },
      trx,
    );
    sends.push({ at: at.toISOString(), request: request.id });
    return at;
  }

  /** Forgets the verification e-mails of addresses that have had none for an hour (hourly housekeeping). */
  forgetOldVerificationMails(): Promise<number> {
    return this.#ledger.sweep(this.deps.requests.db, this.deps.clock.now());
  }

  /** What the page behind a verification link shows; opening it (GET) changes nothing. */
  async describeVerification(
    token: string,
  ): Promise<
    { state: 'ready'; request: DsrRequest } | { state: 'expired' | 'used' | 'unknown'; request?: DsrRequest }
  > {
    const row = await this.deps.requests.findToken(token, 'verify');
    if (!row) return { state: 'unknown' };
    const request = await this.deps.requests.get(row.request_id);
    if (!request) return { state: 'unknown' };
    if (row.uses >= row.max_uses) return { state: 'used', request };
    if (row.expires_at <= this.deps.clock.now().toISOString() || request.status === 'expired') {
      return { state: 'expired', request };
    }
    return { state: 'ready', request };
  }

  /** The one click (POST) that verifies the address; a request to deliver elsewhere waits for an identity check. */
  async confirm(
    token: string,
  ): Promise<{ state: 'verified' | 'awaiting_identity' | 'expired' | 'used' | 'unknown'; request?: DsrRequest }> {
    const { requests, clock } = this.deps;
    const seen = await this.describeVerification(token);
    if (seen.state === 'expired' && seen.request) {
      await this.expire(seen.request.id);
      return { state: 'expired', request: await requests.get(seen.request.id) };
    }
    if (seen.state !== 'ready') return seen;
    const row = (await requests.findToken(token, 'verify'))!;
    const request = seen.request;
    const next: RequestStatus = request.details.deliverTo ? 'awaiting_identity' : 'verified';
    const done = await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.useToken(trx, row.hash))) return false;
      if (
        !(await requests.transition(trx, request.id, ['awaiting_verification'], next, {
          verified_at: clock.now().toISOString(),
        }))
      ) {
        return false;
      }
      await requests.event(trx, request.id, 'verified');
      if (next === 'awaiting_identity') {
        await requests.event(trx, request.id, 'awaiting_identity');
        await this.deps.mail.enqueue(
          {
            to: request.email!,
            template: 'awaiting-identity',
            lang: request.language,
            data: { type: request.type },
            requestId: request.id,
            dedupeKey: `request:${request.id}:awaiting-identity`,
          },
          trx,
        );
      } else {
        await this.deps.jobs.enqueue(PROCESS_JOB, { id: request.id }, { dedupeKey: `process:${request.id}` }, trx);
      }
      return true;
    });
    if (!done) return { state: 'used', request };
    if (request.subjectRef) await this.deps.activity?.record(request.subjectRef, 'request', clock.now().toISOString());
    return { state: next, request: await requests.get(request.id) };
  }

  /**
   * The shop reports that a customer closed their account: the policy treats that as a forget request.
   * The shop has authenticated the person, so no verification link is sent; the erasure starts at once.
   */
  async closeAccountFromShop(
    email: string,
    language: 'nl' | 'en' = 'nl',
  ): Promise<{ id: string; status: RequestStatus }> {
    return this.requestFromPlatform('closure', email, {
      channel: 'shop',
      event: 'shop event account.closed',
      language,
    });
  }

  /**
   * A request the shop's platform has already authenticated (Shopify's `customers/data_request` and
   * `customers/redact`, the shop's `account.closed`): no verification link; handling starts at once. Taken
   * under the address's intake lock, like `submit`, so that deliveries at once make one request; an open
   * request of the type joins it. `within` runs in the same transaction (e.g. marking a delivery handled).
   */
  async requestFromPlatform(
    type: 'access' | 'erasure' | 'closure',
    email: string,
    source: { channel: string; event: string; language?: 'nl' | 'en' },
    within?: (trx: Db, receipt: { id: string; joined: boolean }) => Promise<void>,
  ): Promise<{ id: string; status: RequestStatus; joined: boolean }> {
    const { requests, clock } = this.deps;
    const ref = subjectRef(this.deps.secret, email);
    return requests.db.transaction().execute(async (trx) => {
      const now = clock.now();
      // The same lock as intake: two reports of one request at once make one request.
      await this.#ledger.lock(trx, ref, now);
      const found = await requests.findOpen(trx, ref, type);
      if (found && !found.details.deliverTo) {
        await requests.event(trx, found.id, 'joined', { source: source.event });
        // The platform authenticated the person: a request that waited for their click goes ahead now.
        const open = await authenticateJoined(this.deps, trx, found, source.channel);
        await within?.(trx, { id: open.id, joined: true });
        return { id: open.id, status: open.status, joined: true };
      }
      const id = newId();
      const { dueAt, legalDueAt } = requestDeadlines(
        now,
        this.deps.policy().rights.answerWithinDays,
        this.deps.holidays,
      );
      await requests.insert(trx, {
        id,
        type,
        status: 'verified',
        language: source.language ?? 'nl',
        email: email.trim(),
        subject_ref: ref,
        name: null,
        message: null,
        details: null,
        received_at: now.toISOString(),
        verified_at: now.toISOString(),
        due_at: dueAt,
        legal_due_at: legalDueAt,
        extended_at: null,
        completed_at: null,
        outcome: null,
        result: null,
        channel: source.channel,
      });
      await requests.event(trx, id, 'received', { type, source: source.event });
      await this.deps.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` }, trx);
      await within?.(trx, { id, joined: false });
      return { id, status: 'verified' as const, joined: false };
    });
  }

  /** Marks an unverified request as expired (48 hours passed): it says so, and nothing more happens. */
  async expire(id: string): Promise<boolean> {
    const { requests } = this.deps;
    return requests.db.transaction().execute(async (trx) => {
      const ok = await requests.transition(trx, id, ['awaiting_verification'], 'expired', {
        completed_at: requests.now(),
        outcome: 'not verified within 48 hours',
      });
      if (ok) {
        await requests.event(trx, id, 'expired');
        await requests.deleteTokens(trx, id);
      }
      return ok;
    });
  }
}
