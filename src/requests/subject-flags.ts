import type { Db, RequestRepository, RestrictionHold, SubjectFlags } from './request.repository.ts';

/**
 * The one owner of what the shop must respect for a person: restriction (GDPR Art. 18) and objections
 * (Art. 21). A restriction can rest on more than one ground at once — a restriction request, and an
 * objection pending its decision (Art. 18(1)(d)) — so each is a hold of its own request: deciding one
 * ends only its own, and the person stays restricted while any hold lasts. The shop reads the outcome
 * through `GET /api/v1/subjects/status`; retention leaves a restricted person alone.
 */
export class SubjectFlagRules {
  constructor(private readonly requests: RequestRepository) {}

  /** Art. 18(1): processing is restricted from now on, by this request; an end it had announced is called off. */
  async restrict(db: Db, ref: string, requestId: string): Promise<void> {
    const flags = await this.requests.flagsOf(ref, db);
    await this.requests.saveFlags(db, ref, {
      ...flags,
      holds: withHold(flags.holds, { request: requestId, ground: 'restriction' }),
      requestId,
    });
  }

  /**
   * Art. 21(1) with the policy's promise: processing stops at once, pending the officer's decision
   * (restricted, Art. 18(1)(d)).
   */
  async objectionPending(db: Db, ref: string, purposes: ReadonlyArray<string>, requestId: string): Promise<void> {
    const flags = await this.requests.flagsOf(ref, db);
    await this.requests.saveFlags(db, ref, {
      ...flags,
      holds: withHold(flags.holds, { request: requestId, ground: 'objection' }),
      objected: union(flags.objected, purposes),
      requestId,
    });
  }

  /**
   * Processing for these purposes stops for good: an objection to direct marketing (Art. 21(3)), or one
   * the officer upheld (Art. 21(1)). The objection's own hold ends with it — the person got what they asked
   * for, so there is nothing to announce (Art. 18(3) protects against an end that goes against them) —
   * and every other hold stays.
   */
  async stop(db: Db, ref: string, purposes: ReadonlyArray<string>, requestId: string): Promise<void> {
    const flags = await this.requests.flagsOf(ref, db);
    await this.requests.saveFlags(db, ref, {
      ...flags,
      holds: flags.holds.filter((h) => !(h.request === requestId && h.ground === 'objection')),
      objected: flags.objected.filter((p) => !purposes.includes(p)),
      stopped: union(flags.stopped, purposes),
      requestId: flags.requestId ?? requestId,
    });
  }

  /** The hold this request has on the person, if any. */
  async holdOf(ref: string, requestId: string, db?: Db): Promise<RestrictionHold | undefined> {
    return (await this.requests.flagsOf(ref, db)).holds.find((h) => h.request === requestId);
  }

  /**
   * Art. 18(3): this request's hold ends at `liftsAt`, after the person was told; the others stay. The
   * purposes of a rejected objection are no longer under objection. False when the request holds nothing.
   */
  async announceLift(
    db: Db,
    ref: string,
    liftsAt: string,
    requestId: string,
    rejected: ReadonlyArray<string> = [],
  ): Promise<boolean> {
    const flags = await this.requests.flagsOf(ref, db);
    const held = flags.holds.some((h) => h.request === requestId);
    await this.requests.saveFlags(db, ref, {
      ...flags,
      holds: flags.holds.map((h) => (h.request === requestId ? { ...h, liftsAt } : h)),
      objected: flags.objected.filter((p) => !rejected.includes(p)),
    });
    return held;
  }

  /** The announced ends whose day has come take effect; returns the requests whose hold ended. */
  async liftDue(now: string): Promise<string[]> {
    const ended: string[] = [];
    for (const subjectRef of await this.requests.liftsDue(now)) {
      await this.requests.db.transaction().execute(async (trx) => {
        const flags = await this.requests.flagsOf(subjectRef, trx);
        const due = flags.holds.filter((h) => h.liftsAt && h.liftsAt <= now);
        if (due.length === 0) return;
        const next: SubjectFlags = { ...flags, holds: flags.holds.filter((h) => !due.includes(h)) };
        if (next.holds.length === 0 && next.stopped.length === 0 && next.objected.length === 0)
          await this.requests.clearFlags(trx, subjectRef);
        else await this.requests.saveFlags(trx, subjectRef, next);
        for (const h of due) {
          if (!h.request) continue;
          await this.requests.event(trx, h.request, 'restriction_lifted');
          ended.push(h.request);
        }
      });
    }
    return ended;
  }

  /** What the shop must respect now: a hold whose announced end has come counts as ended even before housekeeping. */
  async status(ref: string, now: string) {
    const flags = await this.requests.flagsOf(ref);
    const holding = flags.holds.filter((h) => !h.liftsAt || h.liftsAt > now);
    const ends = holding.map((h) => h.liftsAt);
    return {
      restricted: holding.length > 0,
      objection: flags.objected.length + flags.stopped.length > 0,
      /** Purposes whose processing stopped for good. */
      objections: flags.stopped,
      /** Purposes under an objection still to be decided (processing is restricted meanwhile). */
      pendingObjections: flags.objected,
      /** When the restriction ends, when every remaining hold has an announced end. */
      ...(holding.length > 0 && ends.every(Boolean) ? { restrictedUntil: ends.sort().at(-1)! } : {}),
    };
  }
}

/** The holds with this request's hold set (replacing one it had, and so calling off an announced end). */
const withHold = (holds: ReadonlyArray<RestrictionHold>, hold: RestrictionHold) => [
  ...holds.filter((h) => h.request !== hold.request),
  hold,
];

const union = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => [...new Set([...a, ...b])];
