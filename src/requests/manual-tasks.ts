import type * as Fflate from 'fflate';
import { notFound, validationFailed } from '../lib/errors.ts';
import { lazily } from '../lib/lazy-require.ts';
import type { KnownAnalyticsIds } from './analytics-ids.ts';
import type { DsrRequest } from './request.repository.ts';
import { POST_SYSTEM } from './rights/access.ts';
import type { RightsContext } from './rights/context.ts';
import { forgetPerson } from './rights/erasure.ts';

// Loaded with the first processor's answer handed in, not with every start.
const fflate = lazily<typeof Fflate>('fflate');

/** What the officer got from a processor reached by hand, for an access task. */
export type ProcessorAnswer =
  | { kind: 'file'; fileName: string; content: Uint8Array }
  | { kind: 'text'; text: string }
  | { kind: 'nothing-held' };

/**
 * The officer's manual tasks: a processor without an API, a database that stayed away, a package to
 * post. A request waiting on tasks completes when its last one is done. For an access task the officer
 * hands in what the processor gave; the person gets it as the next part of their answer.
 */
export class ManualTasks {
  constructor(private readonly ctx: RightsContext) {}

  async complete(taskId: string, options: { note?: string; answer?: ProcessorAnswer } = {}): Promise<DsrRequest> {
    const { ctx } = this;
    const { requests, clock } = ctx.deps;
    const task = await requests.task(taskId);
    if (!task) throw notFound(`no task ${taskId}`);
    const request = await ctx.get(task.request_id);
    // A person erased meanwhile gets no processor's part: it is data they asked to have erased.
    const erased =
      !!request.subjectRef &&
      (await requests.erasureRecordedSince(requests.db, request.subjectRef, request.receivedAt));
    const answersPerson = task.action === 'access' && task.status === 'open' && !!request.email && !erased;
    if (answersPerson && !options.answer)
      throw validationFailed(
        'an access task needs what the processor gave: a file, a text, or that it holds nothing about the person',
        'answer',
      );
    const processor = ctx.processorName(task.processor);
    await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.closeTasks(trx, [taskId], options.note ?? null))) return;
      await requests.event(trx, task.request_id, 'task_done', { processor: task.processor, action: task.action });
      if (answersPerson) {
        const answer = options.answer!;
        if (answer.kind === 'nothing-held') {
          await ctx.mail(
            trx,
            request,
            'access-part-ready',
            { processor, nothingHeld: true },
            { dedupe: `part:${taskId}` },
          );
        } else {
          const part = await ctx.deps.exports.nextPart(trx, request.id);
          const stored = await ctx.deps.exports.store(trx, {
            requestId: request.id,
            part,
            source: processor,
            fileName: `inzage-${slug(processor)}-${clock.now().toISOString().slice(0, 10)}.zip`,
            zip: processorPart(answer),
          });
          await ctx.mail(
            trx,
            request,
            'access-part-ready',
            { processor, link: await ctx.deps.exports.link(trx, request.id, stored), expiresAt: stored.expiresAt },
            { dedupe: `part:${taskId}` },
          );
        }
      }
      if (task.system === POST_SYSTEM && task.action === 'deliver') {
        await ctx.mail(trx, request, 'access-posted', { postedAt: clock.now().toISOString() });
        // Posted: the address on the task has done its work (the request keeps where it was asked to go).
        await requests.forgetTaskAddresses(trx, [request.id], taskId);
      }
      if (ctx.isAnalytics(task.system)) await ctx.forgetAnalyticsIdsUnlessNeeded(trx, request);
      if (await requests.hasOpenTask(trx, request.id)) return;
      if (
        await requests.transition(
          trx,
          request.id,
          ['waiting_on_tasks'],
          'completed',
          ctx.closing(request.outcome ?? 'completed'),
        )
      ) {
        await requests.event(trx, request.id, 'completed');
        if (request.type !== 'access' && request.type !== 'portability')
          await ctx.mail(trx, request, 'completed', { type: request.type });
        await forgetPerson(ctx, trx, request);
      }
    });
    return ctx.get(task.request_id);
  }

  /**
   * The Analytics ids the officer needs for an open task of an Analytics system (to delete the visitor
   * by hand); undefined for any other task, or once the ids are gone.
   */
  async analyticsIdsFor(taskId: string): Promise<KnownAnalyticsIds | undefined> {
    const { ctx } = this;
    const task = await ctx.deps.requests.task(taskId);
    if (task?.status !== 'open' || !ctx.isAnalytics(task.system)) return undefined;
    const request = await ctx.deps.requests.get(task.request_id);
    if (!request?.subjectRef) return undefined;
    return ctx.analyticsIds.idsFor(request.subjectRef);
  }
}

/** A processor's part as a zip: the file the officer received, or the text they were given. */
function processorPart(answer: Exclude<ProcessorAnswer, { kind: 'nothing-held' }>): Uint8Array {
  if (answer.kind === 'file')
    return fflate().zipSync({ [safeFileName(answer.fileName)]: answer.content }, { level: 6 });
  return fflate().zipSync(
    { 'antwoord.txt': fflate().strToU8(`${answer.text.replace(/\r?\n/g, '\r\n')}\r\n`) },
    { level: 6 },
  );
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'verwerker';
const safeFileName = (name: string) => name.replace(/[\\/]/g, '_').replace(/^\.+/, '_').slice(0, 200) || 'bestand';
