import { z } from 'zod';
import type { AuditTrail } from '../audit/audit-trail.ts';
import { validationFailed } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { dayInAmsterdam, isCalendarDay, requestDeadlines, startOfDayInAmsterdam } from '../lib/legal-period.ts';
import { objectionProblem } from '../policy/objections.ts';
import { PROCESS_JOB, type RequestDeps, subjectRef, VERIFY_VALID_MS } from './intake.service.ts';
import { asksNothingMore, authenticateJoined } from './joining.ts';
import type { Db } from './request.repository.ts';
import { NewRequest, type RequestStatus, type RequestType } from './request.types.ts';
import { VerificationMailLedger } from './verification-mails.ts';

/** How a request the officer enters reached the shop. */
export const OFFICER_CHANNELS = ['email', 'post', 'phone', 'in-person'] as const;
export type OfficerChannel = (typeof OFFICER_CHANNELS)[number];

/** A request that came by e-mail, post, phone or in person, as the officer enters it. */
export interface OfficerRequestInput {
  type: string;
  email: string;
  name?: string;
  message?: string;
  corrections?: Record<string, string>;
  /**
   * For an objection: the policy's purposes objected to. The officer may leave them out when the letter
   * names none; then the message says what it is about, and the objection covers every purpose on
   * legitimate interests (the officer decides).
   */
  purposes?: string[];
  language?: 'nl' | 'en';
  /** The day it arrived, `YYYY-MM-DD` in Amsterdam; today when absent. The deadlines count from it. */
  received?: string;
  /** `email` when absent. */
  channel?: string;
  /** The officer has checked who the person is: no verification link, handling starts at once. */
  identityChecked?: boolean;
  /**
   * Where the officer started it: `customer-lookup` when they found the person at the desk and started the
   * request on their behalf. The timeline and the audit trail record it.
   */
  startedFrom?: 'customer-lookup';
}

export interface EnteredRequest {
  id: string;
  status: RequestStatus;
  receivedAt: string;
  dueAt: string;
  legalDueAt: string;
  channel: string | null;
  /** True when an open request of the same type for the same address existed: this is that one. */
  joined: boolean;
}

const Entry = z.object({
  received: z.string().trim().optional(),
  channel: z.enum(OFFICER_CHANNELS, { error: `must be one of ${OFFICER_CHANNELS.join(', ')}` }).default('email'),
  identityChecked: z.boolean().default(false),
});

export interface OfficerIntakeDeps extends RequestDeps {
  audit: AuditTrail;
}

/**
 * Requests that did not come through the portal: the officer enters them with the day they arrived, and
 * the deadlines count from that day (GDPR Art. 12(3): "within one month of receipt"). Without an identity
 * check the person gets the verification link the portal sends; with one, the officer's check is in the
 * audit trail and handling starts at once. The entry, its timeline and its audit entry commit together.
 */
export class OfficerIntake {
  constructor(private readonly deps: OfficerIntakeDeps) {}

  /** Enters a request for `actor` (`cli` or `user:<id>`); bad input throws VALIDATION_FAILED naming the field. */
  async enter(input: OfficerRequestInput, actor: string): Promise<EnteredRequest> {
    const { requests, clock } = this.deps;
    const entry = parseOrThrow(Entry, input);
    const purposes = [...new Set(input.purposes ?? [])];
    if (input.type === 'objection' && purposes.length === 0 && !input.message?.trim())
      throw validationFailed(
        'is required for an objection: name the purposes objected to, or say in the message what it is about',
        'purposes',
      );
    if (input.type === 'objection' && purposes.length > 0) {
      const problem = objectionProblem(this.deps.policy(), purposes);
      if (problem) throw validationFailed(problem, 'purposes');
    }
    const request = parseOrThrow(NewRequest, {
      type: input.type,
      email: input.email,
      name: input.name || undefined,
      message: input.message || undefined,
      corrections: input.corrections && Object.keys(input.corrections).length ? input.corrections : undefined,
      // The form's rule (purposes named) is checked above, with the officer's leeway.
      ...(input.type === 'objection' ? { purposes: purposes.length ? purposes : ['(named in the message)'] } : {}),
      language: input.language,
    });
    if (request.type === 'objection') request.purposes = purposes;
    const now = clock.now();
    const receivedAt = this.#receivedAt(entry.received, now);
    const ref = subjectRef(this.deps.secret, request.email);
    const entered = await requests.db.transaction().execute(async (trx) => {
      const audit = (id: string, details: Record<string, unknown>) =>
        this.deps.audit.record(
          { actor, action: 'request.create', target: `request:${id}`, subjectRef: ref, details },
          trx,
        );
      // The address's lock, as intake takes it: a letter entered while the person posts online makes one request.
      await new VerificationMailLedger().lock(trx, ref, now);
      const found = await requests.findOpen(trx, ref, request.type);
      const asked = { corrections: request.corrections, purposes, deliverTo: undefined };
      if (found && asksNothingMore(found, asked)) {
        await requests.event(trx, found.id, 'joined', { channel: entry.channel });
        // The officer's identity check, and an earlier day of arrival, count for the open request too.
        const open = entry.identityChecked
          ? await authenticateJoined(this.deps, trx, found, 'officer', receivedAt)
          : found;
        await audit(open.id, {
          type: request.type,
          channel: entry.channel,
          joined: true,
          identityChecked: entry.identityChecked,
        });
        const { id, status, receivedAt: at, dueAt, legalDueAt, channel } = open;
        return { id, status, receivedAt: at, dueAt, legalDueAt, channel, joined: true };
      }
      const id = newId();
      const status: RequestStatus = entry.identityChecked ? 'verified' : 'awaiting_verification';
      const deadlines = requestDeadlines(receivedAt, this.deps.policy().rights.answerWithinDays, this.deps.holidays);
      await requests.insert(trx, {
        id,
        type: request.type,
        status,
        language: request.language,
        email: request.email,
        subject_ref: ref,
        name: request.name ?? null,
        message: request.message ?? null,
        details:
          request.corrections || purposes.length
            ? JSON.stringify({
                ...(request.corrections ? { corrections: request.corrections } : {}),
                ...(purposes.length ? { purposes } : {}),
              })
            : null,
        received_at: receivedAt.toISOString(),
        verified_at: entry.identityChecked ? now.toISOString() : null,
        due_at: deadlines.dueAt,
        legal_due_at: deadlines.legalDueAt,
        extended_at: null,
        completed_at: null,
        outcome: null,
        result: null,
        channel: entry.channel,
      });
      await requests.event(trx, id, 'received', {
        type: request.type,
        channel: entry.channel,
        enteredBy: 'officer',
        ...(input.startedFrom ? { startedFrom: input.startedFrom } : {}),
      });
      if (entry.identityChecked) {
        await requests.event(trx, id, 'identity_verified', { by: 'officer' });
        await this.deps.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` }, trx);
      } else {
        await this.#sendVerification(trx, id, request.type, request.email, request.language);
      }
      // The officer's identity check is theirs to answer for: the trail records who entered and checked what.
      await audit(id, {
        type: request.type,
        channel: entry.channel,
        received: dayInAmsterdam(receivedAt),
        identityChecked: entry.identityChecked,
        ...(input.startedFrom ? { startedFrom: input.startedFrom } : {}),
      });
      return { id, status, receivedAt: receivedAt.toISOString(), ...deadlines, channel: entry.channel, joined: false };
    });
    // A checked request counts as a contact moment on the day it arrived (retention), as a confirmed one does.
    if (!entered.joined && entry.identityChecked) await this.deps.activity?.record(ref, 'request', entered.receivedAt);
    return entered;
  }

  /** The day it arrived, in Amsterdam: today means now; an earlier day its start (the hour is not known). */
  #receivedAt(received: string | undefined, now: Date): Date {
    if (!received) return now;
    if (!isCalendarDay(received))
      throw validationFailed('must be a day of the calendar as YYYY-MM-DD: the day the request arrived', 'received');
    const today = dayInAmsterdam(now);
    if (received > today) throw validationFailed(`is in the future: today is ${today} in Amsterdam`, 'received');
    return received === today ? now : startOfDayInAmsterdam(received);
  }

  /** The link the portal's intake sends: valid 48 hours from now, single use. */
  async #sendVerification(trx: Db, id: string, type: RequestType, email: string, lang: 'nl' | 'en') {
    const expiresAt = new Date(this.deps.clock.now().getTime() + VERIFY_VALID_MS).toISOString();
    const token = await this.deps.requests.issueToken(trx, id, 'verify', expiresAt, 1);
    await this.deps.mail.enqueue(
      {
        to: email,
        template: 'verify',
        lang,
        data: { type, link: `${this.deps.baseUrl}/requests/verify/${token}`, expiresAt },
        requestId: id,
        dedupeKey: `request:${id}:verify`,
      },
      trx,
    );
  }
}

/** Corrections written as `role=value` (`last_name=Jansen`), one per item; a malformed one names the field. */
export function correctionsFromPairs(pairs: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of pairs.map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw validationFailed('must be written as field=value, e.g. last_name=Jansen', 'corrections');
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw validationFailed(issue?.message ?? 'is invalid', String(issue?.path[0] ?? 'input'));
}
