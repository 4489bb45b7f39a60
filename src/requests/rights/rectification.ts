import { fieldWord } from '../export-fields.ts';
import { CHANGE_GIVE_UP_MS, processorIndex, rectificationNotices } from '../processor-notify.ts';
import type { DsrRequest } from '../request.repository.ts';
import { failedIn, type RightsContext } from './context.ts';

/**
 * Art. 16: the corrections the person gave, applied once the officer approved them (a correction is
 * checked by a person: a wrong address is easy to ask for), then every processor is told (Art. 19).
 */
export async function rectify(ctx: RightsContext, request: DsrRequest): Promise<void> {
  const { requests } = ctx.deps;
  const corrections = request.details.corrections ?? {};
  const executor = ctx.executor();
  const skip = await ctx.alreadyTold(request.id, 'rectify');
  const report = await executor.rectify(await ctx.subject(request), { values: corrections }, { skip });
  const notices = rectificationNotices(report.systems, processorIndex(executor.processorSystems()));
  const tasks = [...report.manualTasks];
  const outage = await ctx.outages.handle(
    request,
    'rectify',
    failedIn(report.systems),
    notices,
    tasks,
    CHANGE_GIVE_UP_MS,
  );
  if (outage.retry) return;
  // The fields in the person's words ("achternaam", "straat"), never their role names.
  const fields = Object.keys(corrections).map((role) => fieldWord(role, request.language) ?? role.replace(/_/g, ' '));
  await requests.db.transaction().execute(async (trx) => {
    await ctx.guard(trx, request);
    await ctx.notices.record(trx, request.id, notices);
    const found = report.systems.some((x) => x.status === 'rectified');
    const pendingProcessors = [...new Set(tasks.map((x) => ctx.processorName(x.processor)))];
    await ctx.mail(trx, request, 'rectified', { fields, found, pendingProcessors });
    await ctx.finish(
      trx,
      request,
      tasks,
      { systems: report.systems.map((s) => ({ system: s.system, status: s.status })) },
      'rectified',
    );
  });
}
