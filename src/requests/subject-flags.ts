import type { Db, RequestRepository, SubjectFlags } from './request.repository.ts';

/**
 * The one owner of what the shop must respect for a person: a restriction (Art. 18) and objections
 * (Art. 21). The shop reads the outcome through `GET /api/v1/subjects/status`; retention leaves a
 * restricted person alone.
 */
export class SubjectFlagRules {
  constructor(private readonly requests: RequestRepository) {}

  /** Art. 18(1): processing is restricted from now on; an announced lift is called off. */
  async restrict(db: Db, ref: string, requestId: string): Promise<void> {
    const flags = await this.requests.flagsOf(ref, db);
    await this.requests.saveFlags(db, ref, { ...flags, restricted: true, liftsAt: null, requestId });
  }

  /**
   * Art. 21(1) with the policy's promise: processing stops at once, pending the officer's decision
   * (restricted, as Art. 18(1)(d) lets the person ask).
   */
  async objectionPending(db: Db, ref: string, purposes: ReadonlyArray<string>, requestId: string): Promise<void> {
    const flags = await this.requests.flagsOf(ref, db);
    await this.requests.saveFlags(db, ref, {
      ...flags,
      restricted: true,
      liftsAt: null,
      objected: union(flags.objected, purposes),
      requestId,
    });
  }

  /**
   * Processing for these purposes stops for good: an objection to direct marketing (Art. 21(3)), or one
   * the officer upheld (Art. 21(1)). A restriction that only waited for this decision ends with it: the
   * person got what they asked for, so there is nothing to announce (Art. 18(3) protects against a lift
   * that goes against them).
   */
  async stop(db: Db, ref: string, purposes: ReadonlyArray<string>, requestId: string): Promise<void> {
    const flags = await this.requests.flagsOf(ref, db);
    const objected = flags.objected.filter((p) => !purposes.includes(p));
    const onlyForThis = flags.requestId === requestId && objected.length === 0;
    await this.requests.saveFlags(db, ref, {
      ...flags,
      restricted: onlyForThis ? false : flags.restricted,
      liftsAt: onlyForThis ? null : flags.liftsAt,
      objected,
      stopped: union(flags.stopped, purposes),
      requestId: flags.requestId ?? requestId,
    });
  }

  /**
   * Art. 18(3): the restriction ends at `liftsAt`, after the person was told. An objection that was
   * rejected ends with it (its purposes are no longer under objection).
   */
  async announceLift(db: Db, ref: string, liftsAt: string, requestId: string, rejected: ReadonlyArray<string> = []) {
    const flags = await this.requests.flagsOf(ref, db);
    await this.requests.saveFlags(db, ref, {
      ...flags,
      objected: flags.objected.filter((p) => !rejected.includes(p)),
      liftsAt,
      requestId: flags.requestId ?? requestId,
    });
  }

  /** The announced lifts whose day has come take effect; returns the requests that announced them. */
  async liftDue(now: string): Promise<string[]> {
    const due = await this.requests.liftsDue(now);
    const announcedBy: string[] = [];
    for (const { subjectRef, requestId } of due) {
      await this.requests.db.transaction().execute(async (trx) => {
        const flags = await this.requests.flagsOf(subjectRef, trx);
        if (!flags.liftsAt || flags.liftsAt > now) return;
        const next: SubjectFlags = { ...flags, restricted: false, liftsAt: null };
        if (next.stopped.length === 0 && next.objected.length === 0) await this.requests.clearFlags(trx, subjectRef);
        else await this.requests.saveFlags(trx, subjectRef, next);
        if (requestId) {
          await this.requests.event(trx, requestId, 'restriction_lifted');
          announcedBy.push(requestId);
        }
      });
    }
    return announcedBy;
  }

  /** What the shop must respect now: a lift whose time has come counts as done even before housekeeping ran. */
  async status(ref: string, now: string) {
    const flags = await this.requests.flagsOf(ref);
    const restricted = flags.restricted && !(flags.liftsAt !== null && flags.liftsAt <= now);
    return {
      restricted,
      objection: flags.objected.length + flags.stopped.length > 0,
      /** Purposes whose processing stopped for good. */
      objections: flags.stopped,
      /** Purposes under an objection still to be decided (processing restricted meanwhile). */
      pendingObjections: flags.objected,
      ...(restricted && flags.liftsAt ? { restrictedUntil: flags.liftsAt } : {}),
    };
  }
}

const union = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => [...new Set([...a, ...b])];
