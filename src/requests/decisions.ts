import { DAY } from '../lib/clock.ts';
import { conflict } from '../lib/errors.ts';
import { extendedDeadline } from '../lib/legal-period.ts';
import { purposeNames } from '../policy/objections.ts';
import { PROCESS_JOB } from './intake.service.ts';
import type { RightsContext } from './rights/context.ts';
import { objectedPurposes } from './rights/objection.ts';

/** Art. 18(3): how long before a restriction ends the person is told, unless the policy sets another term. */
export const DEFAULT_LIFT_NOTICE_DAYS = 7;

/**
 * The officer's decisions on a request: approve, reject, extend, confirm an identity, lift a
 * restriction. Each checks the status it needs and moves the request through the status table.
 */
export class OfficerDecisions {
  constructor(private readonly ctx: RightsContext) {}

  /** A rectification is applied; an objection is upheld (its purposes stop for good). Runs as a job. */
  async approve(id: string): Promise<void> {
    const { ctx } = this;
    await ctx.open(id, ['awaiting_decision']);
    const { requests, jobs } = ctx.deps;
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.transition(trx, id, ['awaiting_decision'], 'verified')))
        throw conflict('request changed meanwhile');
      await requests.event(trx, id, 'approved');
      await jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}:approved` }, trx);
    });
  }

  /**
   * Rejected, with reasons that go to the person with their right to complain (Art. 12(4)). A rejected
   * objection ends the restriction that waited for it, after the notice Art. 18(3) requires.
   */
  async reject(id: string, reason: string): Promise<void> {
    const { ctx } = this;
    // Not while a run is carrying it out (`in_progress`): its changes in the shop cannot be taken back by
    // a rejection; the officer waits for the run (or its tasks) instead.
    const request = await ctx.open(id, ['awaiting_identity', 'verified', 'awaiting_decision', 'awaiting_verification']);
    const { requests } = ctx.deps;
    const objection = request.type === 'objection' && request.subjectRef;
    const liftsAt = this.#liftDate();
    const purposes = objection ? objectedPurposes(ctx, request) : [];
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.transition(trx, id, [request.status], 'rejected', ctx.closing('rejected'))))
        throw conflict('request changed meanwhile');
      // Only this objection's hold ends, after the notice; a restriction the person asked for stays.
      const held = objection ? await ctx.flags.announceLift(trx, request.subjectRef!, liftsAt, id, purposes) : false;
      await requests.event(trx, id, 'rejected', held ? { liftsAt } : undefined);
      // A request nobody confirmed (a stranger may have posted it) is closed without an e-mail.
      const confirmed = request.status !== 'awaiting_verification';
      if (confirmed && objection)
        await ctx.mail(trx, request, 'objection-rejected', {
          reason,
          purposes: purposeNames(ctx.deps.policy(), purposes, request.language),
          ...(held ? { liftsAt } : {}),
        });
      else if (confirmed) await ctx.mail(trx, request, 'rejected', { type: request.type, reason });
      await requests.update(trx, id, { details: JSON.stringify({ ...request.details, decisionReason: reason }) });
    });
  }

  /** Art. 12(3): up to two more months, with reasons sent to the person. */
  async extend(id: string, reason: string): Promise<string> {
    const { ctx } = this;
    const request = await ctx.open(id, [
      'awaiting_identity',
      'verified',
      'in_progress',
      'awaiting_decision',
      'waiting_on_tasks',
    ]);
    const { requests, clock } = ctx.deps;
    // Art. 12(3): once, within the first month, with reasons; two months from its end (legal-period.ts).
    const dueAt = extendedDeadline(request, clock.now(), { reason, calendar: ctx.deps.holidays });
    await requests.db.transaction().execute(async (trx) => {
      await requests.update(trx, id, {
        due_at: dueAt,
        legal_due_at: dueAt,
        extended_at: clock.now().toISOString(),
        details: JSON.stringify({ ...request.details, extensionReason: reason }),
      });
      await requests.event(trx, id, 'extended', { dueAt });
      await ctx.mail(trx, request, 'extended', { type: request.type, reason, dueAt });
    });
    return dueAt;
  }

  /** The officer has checked the identity of someone who asked for delivery elsewhere. */
  async verifyIdentity(id: string): Promise<void> {
    const { ctx } = this;
    const { requests, jobs } = ctx.deps;
    await ctx.open(id, ['awaiting_identity']);
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.transition(trx, id, ['awaiting_identity'], 'verified')))
        throw conflict('request changed meanwhile');
      await requests.event(trx, id, 'identity_verified');
      await jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}:identity` }, trx);
    });
  }

  /**
   * Lifts the restriction this request holds: Art. 18(3) — the person is told first, and it ends only after
   * the notice the policy sets (default 7 days); the e-mail says when. Holds of other requests stay; an
   * objection's hold ends with the officer's decision, not before (Art. 18(1)(d)). Returns the moment.
   */
  async lift(id: string): Promise<string> {
    const { ctx } = this;
    const request = await ctx.get(id);
    if (!request.subjectRef) throw conflict('this request no longer knows whom it was about');
    const { requests } = ctx.deps;
    const hold = await ctx.flags.holdOf(request.subjectRef, id);
    if (!hold) throw conflict('this request does not restrict processing for this person');
    if (hold.ground === 'objection')
      throw conflict('this restriction waits for the decision on the objection: approve or reject the objection');
    if (hold.liftsAt) throw conflict(`the lift was announced already; it takes effect on ${hold.liftsAt}`);
    const liftsAt = this.#liftDate();
    await requests.db.transaction().execute(async (trx) => {
      await ctx.flags.announceLift(trx, request.subjectRef!, liftsAt, id);
      await requests.event(trx, id, 'restriction_lift_announced', { liftsAt });
      await ctx.mail(trx, request, 'restriction-lifted', { liftsAt });
    });
    return liftsAt;
  }

  #liftDate(): string {
    const days = this.ctx.deps.policy().rights.restrictionLiftNoticeDays ?? DEFAULT_LIFT_NOTICE_DAYS;
    return new Date(this.ctx.deps.clock.now().getTime() + days * DAY).toISOString();
  }
}
