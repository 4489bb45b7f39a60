import { categoriesOnlyFor, isDirectMarketing, objectablePurposes, purposeNames } from '../../policy/objections.ts';
import type { DsrRequest } from '../request.repository.ts';
import type { RightsContext } from './context.ts';

/** The purposes an objection is about; one made before objections named them is about every one it can be. */
export function objectedPurposes(ctx: RightsContext, request: DsrRequest): string[] {
  const named = request.details.purposes ?? [];
  return named.length > 0
    ? named
    : objectablePurposes(ctx.deps.policy())
        .filter((p) => !p.directMarketing)
        .map((p) => p.id);
}

/**
 * Art. 21. Direct marketing (Art. 21(2)-(3)) is absolute: honoured at once after verification, for good
 * (a consent record dated before the objection does not undo it; only a consent given after it can), no
 * officer. Legitimate interests (Art. 21(1)): processing for those purposes is restricted at once
 * (Art. 18(1)(d), and the policy's promise), then the officer weighs the grounds: upheld → processing
 * for them stops and data kept only for them is erased (Art. 17(1)(c)); rejected → decisions.ts.
 */
export async function object(ctx: RightsContext, request: DsrRequest): Promise<void> {
  const policy = ctx.deps.policy();
  const purposes = objectedPurposes(ctx, request);
  const marketing = purposes.filter((p) => isDirectMarketing(policy, p));
  const weighed = purposes.filter((p) => !isDirectMarketing(policy, p));
  const upheld = (await ctx.requests.events(request.id)).some((e) => e.event === 'approved');
  if (upheld) return stopUpheld(ctx, request, weighed);
  const { requests } = ctx.deps;
  await requests.db.transaction().execute(async (trx) => {
    // The request's own status guards the whole step: a second run changes nothing.
    await ctx.guard(trx, request);
    if (marketing.length > 0 && request.subjectRef) {
      await ctx.flags.stop(trx, request.subjectRef, marketing, request.id);
      await ctx.deps.recordMarketingObjection?.(trx, request.email!, marketing);
      await requests.event(trx, request.id, 'objection_honoured', { purposes: marketing });
      await ctx.mail(trx, request, 'objection-honoured', {
        purposes: purposeNames(policy, marketing, request.language),
      });
    }
    if (weighed.length > 0) {
      if (request.subjectRef) await ctx.flags.objectionPending(trx, request.subjectRef, weighed, request.id);
      await ctx.mail(trx, request, 'objection-received', {
        purposes: purposeNames(policy, weighed, request.language),
      });
      if (await requests.transition(trx, request.id, ['in_progress'], 'awaiting_decision'))
        await requests.event(trx, request.id, 'awaiting_decision', { purposes: weighed });
      return;
    }
    await ctx.finish(trx, request, [], {}, 'objection honoured');
  });
}

/** Upheld by the officer: processing for these purposes stops for good, and what was kept only for them goes. */
async function stopUpheld(ctx: RightsContext, request: DsrRequest, purposes: string[]): Promise<void> {
  const { requests } = ctx.deps;
  const policy = ctx.deps.policy();
  const consents = request.email ? ((await ctx.deps.consentHistoryFor?.(request.email)) ?? []) : [];
  const current = new Map<string, boolean>();
  for (const c of consents) current.set(c.purpose, c.granted);
  const consented = new Set([...current].filter(([, granted]) => granted).map(([p]) => p));
  const categories = categoriesOnlyFor(policy, purposes, consented);
  const systems = ctx.deps.executor
    ? await ctx.deps.executor.eraseCategories(await ctx.subject(request), categories)
    : [];
  const erased = systems
    .flatMap((s) => s.collections)
    .filter((c) => c.deleted + c.anonymised > 0)
    .map((c) => ({ what: `${c.system}.${c.collection}`, count: c.deleted + c.anonymised }));
  const failed = systems.filter((s) => s.status === 'failed');
  if (failed.length > 0)
    throw new Error(
      `erasing data kept only for the objected purposes failed in ${failed.map((s) => s.system).join(', ')}`,
    );
  await requests.db.transaction().execute(async (trx) => {
    await ctx.guard(trx, request);
    if (request.subjectRef) await ctx.flags.stop(trx, request.subjectRef, purposes, request.id);
    await ctx.mail(trx, request, 'objection-upheld', {
      purposes: purposeNames(policy, purposes, request.language),
      erased: erased.reduce((n, e) => n + e.count, 0),
    });
    await ctx.finish(
      trx,
      request,
      [],
      { erased, records: erased.reduce((n, e) => n + e.count, 0) },
      'objection upheld',
    );
  });
}
