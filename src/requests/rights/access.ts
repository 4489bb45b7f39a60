import type { ManualTask } from '../../connectors/connector.ts';
import type { AccessResult } from '../../executor/executor.ts';
import { isEmailAddress } from '../../lib/email-address.ts';
import type { HubHoldings, PendingPart } from '../export-model.ts';
import { answerHasContent } from '../export-model.ts';
import { buildAccessAnswer, exportFileName } from '../export-package.ts';
import { ACCESS_GIVE_UP_MS, accessNotices, processorIndex } from '../processor-notify.ts';
import { type DsrRequest, dueIn } from '../request.repository.ts';
import type { RequestResult } from '../request.types.ts';
import type { RightsContext } from './context.ts';

/** Where the answer goes: the address the request came from, another e-mail address, or a postal address. */
export type Delivery = { kind: 'own' } | { kind: 'email'; to: string } | { kind: 'post'; address: string };

/** Art. 12(1), 15(3): the answer goes where the person asked, once the officer has checked who they are. */
export function deliveryOf(request: DsrRequest): Delivery {
  const to = request.details.deliverTo?.trim();
  if (!to) return { kind: 'own' };
  return isEmailAddress(to) ? { kind: 'email', to } : { kind: 'post', address: to };
}

/** The task that asks the officer to print the package and post it; its system is this fixed name. */
export const POST_SYSTEM = 'post';

/**
 * Art. 15 (access) and Art. 20 (portability): everything the systems, the processors and Inzage itself
 * hold, with what the law says the answer must tell. A processor reached by hand becomes an access task;
 * the person gets this package now, and each processor's part when the officer has it
 * (manual-tasks.ts); the request waits for them as an erasure does.
 */
export async function answerAccess(ctx: RightsContext, request: DsrRequest): Promise<void> {
  const { requests, clock } = ctx.deps;
  const startedAt = clock.now().toISOString();
  const executor = ctx.executor();
  const result = await executor.find(await ctx.subject(request));
  const kinds = processorIndex(executor.processorSystems());
  const notices = accessNotices(result, kinds);
  const lateTasks: ManualTask[] = [];
  // A processor that stayed down (or refused) is left out: the export says so, and the officer gets
  // that part by hand. The shop's own database is never left out: the export waits for it.
  const outage = await ctx.outages.handle(
    request,
    'access',
    result.failed ?? [],
    notices,
    lateTasks,
    ACCESS_GIVE_UP_MS,
  );
  if (outage.retry) return;
  const byHand = [...result.manualTasks, ...lateTasks];
  const unavailable = outage.handedOver.map((system) => ctx.processorName(kinds.get(system)!.processor));
  // Nobody has asked a processor reached by hand yet: the officer will (asked: false), and so for one
  // whose API stayed down.
  const parts: PendingPart[] = uniqueBy(byHand, (t) => t.processor).map((t) => ({
    processor: t.processor,
    dueAt: dueIn(clock.now(), t.dueInDays),
    asked: false,
  }));
  const pending = uniqueBy(result.manualTasks, (t) => t.processor).map((t) => ({
    name: ctx.processorName(t.processor),
    dueAt: dueIn(clock.now(), t.dueInDays),
  }));
  const holdings = await hubHoldings(ctx, request);
  const sealed = ctx.deps.archive ? await ctx.deps.archive.summary(ctx.deps.archive.subjectRef(request.email!)) : [];
  const delivery = deliveryOf(request);
  const now = clock.now();
  const processors = result.processors.map((p) => p.name);
  const shown: AccessResult = { ...result, manualTasks: byHand };
  const inputs = { holdings, sealed, type: request.type === 'portability' ? 'portability' : 'access' } as const;
  // What is held now, here and in the hub; parts still to come do not count: "nothing found yet" is said
  // in the no-data e-mail with them, never "we process no data about you".
  const holdsSomething = answerHasContent(result, { ...inputs, pending: [] });
  await requests.db.transaction().execute(async (trx) => {
    await ctx.guard(trx, request);
    await ctx.lockPerson(trx, request);
    // An erasure of this person carried out while this answer was being made: what was read may be gone.
    // The job is tried again, and answers from what is there then (sealed records, what processors keep).
    if (request.subjectRef && (await requests.erasureRecordedSince(trx, request.subjectRef, startedAt)))
      throw new Error('the person was erased while their access answer was made; it is made again');
    await ctx.notices.record(trx, request.id, notices);
    const tasks = [...byHand];
    if (!holdsSomething && delivery.kind !== 'post') {
      // Nothing found here. With processors still to ask by hand, that is not yet the whole answer,
      // and the e-mail says so (it never says "we process no data" before they answered).
      await ctx.mail(
        trx,
        request,
        'no-data',
        { type: request.type, ...(pending.length ? { pending } : {}), ...(unavailable.length ? { unavailable } : {}) },
        { to: deliveredTo(request, delivery) },
      );
    } else {
      const answer = buildAccessAnswer(shown, ctx.deps.policy(), {
        ...inputs,
        lang: request.language,
        generatedAt: now,
        consents: holdings.consents,
        pending: parts,
        ...(ctx.deps.labels ? { labels: ctx.deps.labels } : {}),
      });
      const zip = answer.zip;
      const stored = await ctx.deps.exports.store(trx, {
        requestId: request.id,
        fileName: exportFileName(now),
        zip,
      });
      if (delivery.kind === 'post') {
        tasks.push(postTask(delivery.address));
      } else {
        await ctx.mail(
          trx,
          request,
          'access-ready',
          {
            type: request.type,
            link: await ctx.deps.exports.link(trx, request.id, stored),
            expiresAt: stored.expiresAt,
            maxDownloads: 5,
            records: result.records.length,
            processors,
            answer: answer.summary,
            ...(unavailable.length ? { unavailable } : {}),
          },
          { to: deliveredTo(request, delivery) },
        );
      }
    }
    // What the person was sent, by its name: a no-data answer is not "data made ready" (the status page
    // and the desk tell them apart).
    const answered = !holdsSomething && delivery.kind !== 'post' ? 'no_data' : 'exported';
    await requests.event(trx, request.id, answered, {
      records: result.records.length,
      ...(outage.handedOver.length ? { without: outage.handedOver } : {}),
      ...(delivery.kind !== 'own' ? { delivery: delivery.kind } : {}),
    });
    const summary: RequestResult = { records: result.records.length, processors };
    await ctx.finish(trx, request, tasks, summary, holdsSomething ? 'exported' : 'no data');
  });
}

/** What Inzage itself holds about the person (Art. 15): their requests, consents, flags and Analytics ids. */
async function hubHoldings(ctx: RightsContext, request: DsrRequest): Promise<HubHoldings> {
  const { requests } = ctx.deps;
  const consents = (await ctx.deps.consentHistoryFor?.(request.email!)) ?? [];
  if (!request.subjectRef) return { consents };
  const theirs = await Promise.all(
    (await requests.idsOfSubject(requests.db, request.subjectRef)).map((id) => requests.get(id)),
  );
  const flags = await requests.flagsOf(request.subjectRef);
  const analytics = await ctx.analyticsIds.idsFor(request.subjectRef);
  return {
    requests: theirs.flatMap((r) =>
      r
        ? [{ type: r.type, receivedAt: r.receivedAt, status: r.status, outcome: r.outcome, completedAt: r.completedAt }]
        : [],
    ),
    consents,
    ...(flags.holds.length || flags.objected.length || flags.stopped.length
      ? {
          flags: {
            restricted: flags.holds.length > 0,
            objection: flags.objected.length + flags.stopped.length > 0,
            purposes: [...flags.objected, ...flags.stopped],
          },
        }
      : {}),
    ...(analytics.clientIds.length || analytics.userIds.length ? { analytics } : {}),
  };
}

const deliveredTo = (request: DsrRequest, delivery: Delivery) =>
  delivery.kind === 'email' ? delivery.to : (request.email ?? undefined);

/** The officer prints the package (back office, request page) and posts it to the address the person gave. */
function postTask(address: string): ManualTask {
  return {
    system: POST_SYSTEM,
    processor: POST_SYSTEM,
    action: 'deliver',
    contact: address,
    instructions: {
      nl:
        'De persoon vroeg het antwoord per post. Download het pakket op deze pagina, print index.html en stuur ' +
        'het aangetekend naar het opgegeven adres. Markeer de taak als klaar zodra het op de post is.',
      en:
        'The person asked for the answer by post. Download the package on this page, print index.html and send ' +
        'it by registered mail to the address given. Mark the task done once it is in the post.',
    },
    dueInDays: 3,
    categories: [],
  };
}

function uniqueBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    if (seen.has(key(x))) return false;
    seen.add(key(x));
    return true;
  });
}
