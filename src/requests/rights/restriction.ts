import { CHANGE_GIVE_UP_MS, processorIndex, restrictionNotices } from '../processor-notify.ts';
import type { DsrRequest } from '../request.repository.ts';
import { failedIn, type RightsContext, unique } from './context.ts';

/**
 * Art. 18: processing is restricted at once in the hub (the shop reads it through
 * `GET /api/v1/subjects/status`); telling the processors (Art. 19) may take longer. Lifting it is the
 * officer's decision, announced first (decisions.ts, Art. 18(3)).
 */
export async function restrict(ctx: RightsContext, request: DsrRequest): Promise<void> {
  const { requests } = ctx.deps;
  // Once: a rerun (a processor was down) finds the restriction and its e-mail there already.
  if (!(await requests.events(request.id)).some((e) => e.event === 'restricted')) {
    await requests.db.transaction().execute(async (trx) => {
      await ctx.guard(trx, request);
      await ctx.flags.restrict(trx, request.subjectRef!, request.id);
      await requests.event(trx, request.id, 'restricted');
      await ctx.mail(trx, request, 'restricted', {});
    });
  }
  const executor = ctx.deps.executor;
  if (!executor) {
    await requests.db.transaction().execute(async (trx) => {
      await ctx.guard(trx, request);
      await ctx.finish(trx, request, [], { processors: [] }, 'restricted');
    });
    return;
  }
  const skip = await ctx.alreadyTold(request.id, 'restrict');
  const report = await executor.restrict(await ctx.subject(request), { skip });
  const notices = restrictionNotices(report.systems, processorIndex(executor.processorSystems()));
  const tasks = [...report.manualTasks];
  const outage = await ctx.outages.handle(
    request,
    'restrict',
    failedIn(report.systems),
    notices,
    tasks,
    CHANGE_GIVE_UP_MS,
  );
  if (outage.retry) return;
  await requests.db.transaction().execute(async (trx) => {
    await ctx.guard(trx, request);
    await ctx.notices.record(trx, request.id, notices);
    await ctx.finish(trx, request, tasks, { processors: unique(tasks.map((t) => t.processor)) }, 'restricted');
  });
}
