import { forgetAuditSubjects } from '../../audit/audit-trail.ts';
import type { CollectionErasure, ErasureStep } from '../../connectors/connector.ts';
import { type Failpoint, failpoint } from '../../lib/failpoints.ts';
import { kindOfData, NO_LABELS } from '../data-labels.ts';
import { forgetInHub } from '../hub-traces.ts';
import { CHANGE_GIVE_UP_MS, erasureNotices, processorIndex } from '../processor-notify.ts';
import { type Db, type DsrRequest, dueIn } from '../request.repository.ts';
import type { RequestStatus } from '../request.types.ts';
import { failedIn, type RightsContext } from './context.ts';

/** What the erasure journal holds per collection of one database (migration 0018). */
interface JournaledCollection {
  keys: string[];
  sealedKeys: string[];
  /** Whether the rows go (`delete`) or are anonymised. */
  deletes: boolean;
  until?: string;
  reason?: string;
}
type Journal = Map<string, Record<string, JournaledCollection>>;

const STEP_FAILPOINTS: Record<ErasureStep, Failpoint> = {
  sealed: 'erasure.after-seal',
  'before-commit': 'erasure.before-shop-commit',
  committed: 'erasure.after-shop-commit',
};

/**
 * Art. 17 (and the policy's "closing your account is a forget request"): the person is erased in every
 * system, held records are sealed first, processors are told (Art. 19), and the hub forgets them.
 *
 * Exact after a crash: before a database is changed, the hub journals what the erasure found there
 * (row keys per collection, and which are sealed); the counts the person and the register are given
 * are the union of every run's journal. So a run killed after the shop committed and before the hub
 * recorded it — whose rerun finds nothing left — still records and tells exactly what was erased.
 */
export async function erase(ctx: RightsContext, request: DsrRequest): Promise<void> {
  const { requests, clock } = ctx.deps;
  const executor = ctx.executor();
  const kinds = processorIndex(executor.processorSystems());
  const databases = new Set(executor.databases());
  const subject = await ctx.subject(request);
  const skip = await ctx.alreadyTold(request.id, 'erase');

  // 1. The intent, in the hub, before any database changes.
  const notDatabases = new Set(executor.processorSystems().map((p) => p.system));
  const planned = await executor.erase(subject, { dryRun: true, withKeys: true, skip: notDatabases });
  let journal = mergeJournal(
    readJournal(await requests.journalOf(request.id)),
    planned.systems.flatMap((s) => s.collections),
  );
  await requests.writeJournal(requests.db, request.id, writeJournal(journal));

  // 2. The erasure itself.
  const report = await executor.erase(subject, {
    skip,
    withKeys: true,
    onStep: (step) => failpoint(STEP_FAILPOINTS[step]),
  });
  const collections = report.systems.flatMap((s) => s.collections);
  journal = mergeJournal(
    journal,
    collections.filter((c) => databases.has(c.system)),
  );
  const notices = erasureNotices(report.systems, kinds);

  // 3. What was done: the databases' part from the journal, the processors' part summed over runs.
  const fromProcessors = collections.filter((c) => !databases.has(c.system));
  const earlier = (request.result.erased ?? []).filter((e) => !databases.has(e.what.split('.')[0]!));
  const earlierKept = (request.result.retained ?? []).filter((e) => !databases.has(e.what.split('.')[0]!));
  const erased = [
    ...journalErased(journal),
    ...mergeCounts(
      earlier,
      fromProcessors
        .filter((c) => c.deleted + c.anonymised > 0)
        .map((c) => ({ what: `${c.system}.${c.collection}`, count: c.deleted + c.anonymised })),
    ),
  ];
  const retained = [
    ...journalRetained(journal),
    ...mergeCounts(
      earlierKept.map((r) => ({ ...r, count: r.count ?? 0 })),
      fromProcessors
        .filter((c) => (c.retained ?? 0) > 0)
        .map((c) => ({
          what: `${c.system}.${c.collection}`,
          ...(c.retainedUntil ? { until: c.retainedUntil } : {}),
          why: c.reason ?? '',
          count: c.retained ?? 0,
        })),
    ),
  ];
  // What the systems answered is recorded at once, with the counts: a run killed after this point does not
  // ask a processor again (it was told, alreadyTold skips it) nor count what it keeps twice.
  await requests.db.transaction().execute(async (trx) => {
    await requests.writeJournal(trx, request.id, writeJournal(journal));
    await requests.update(trx, request.id, { result: JSON.stringify({ ...request.result, erased, retained }) });
    await ctx.notices.record(trx, request.id, notices);
    // Told by hand counts as told: its task is made with the notice, or a rerun would skip it and lose it.
    await requests.insertTasks(trx, request.id, report.manualTasks, clock.now());
  });
  request.result = { ...request.result, erased, retained };

  // 4. A processor that is down is tried again later; the others are not told twice.
  const tasks = [...report.manualTasks];
  const outageNotices: typeof notices = [];
  const outage = await ctx.outages.handle(
    request,
    'erase',
    failedIn(report.systems),
    outageNotices,
    tasks,
    CHANGE_GIVE_UP_MS,
  );
  if (outage.retry) return;
  const earlierTasks = await requests.tasks({ requestId: request.id, open: true });
  const pending = [
    ...tasks.map((t) => ({ system: t.system, processor: t.processor, dueAt: dueIn(clock.now(), t.dueInDays) })),
    ...earlierTasks.map((t) => ({ system: t.system, processor: t.processor, dueAt: t.due_at })),
  ]
    .filter((t) => kinds.has(t.system))
    .filter((t, i, all) => all.findIndex((o) => o.processor === t.processor) === i)
    .map((t) => ({ name: ctx.processorName(t.processor), dueAt: t.dueAt }));

  // 5. Recorded in one transaction: the register, the e-mail, the audit entry, the hub forgetting.
  await requests.db.transaction().execute(async (trx) => {
    await ctx.guard(trx, request);
    await ctx.lockPerson(trx, request);
    await ctx.notices.record(trx, request.id, outageNotices);
    await forgetRequesterInHub(ctx, trx, request);
    // The register keeps `system.collection`; the person reads kinds of data and the law in words.
    const words = inWords(ctx, request.language);
    await ctx.mail(trx, request, 'erased', {
      erased: erased.map((e) => ({ ...e, what: words(e.what) })),
      retained: retained.map((r) => ({ ...r, what: words(r.what), why: r.why.replace(/^[a-z][\w-]*: /, '') })),
      pendingProcessors: pending,
    });
    const result = {
      // A database an earlier run erased (its journal says so) was erased, even if this run found nothing.
      systems: report.systems.map((s) => ({
        system: s.system,
        status:
          s.status === 'nothing-found' && Object.keys(journal.get(s.system) ?? {}).length > 0 ? 'erased' : s.status,
      })),
      erased,
      retained,
      records: erased.reduce((n, c) => n + c.count, 0),
    };
    const next = await ctx.finish(trx, request, tasks, result, 'erased');
    if (!next) return;
    await requests.deleteJournal(trx, request.id);
    // The officer needs the Analytics ids for an Analytics task still open; otherwise they go now.
    await ctx.forgetAnalyticsIdsUnlessNeeded(trx, request);
    await auditErasure(ctx, trx, request, erased, retained, next);
    if (next === 'completed') await forgetPerson(ctx, trx, request);
  });
}

/**
 * What the hub holds about the person goes at the erasure itself: their flags, activity, consent proof,
 * reminder marks, and every export of any of their requests (the links stop working with them).
 */
async function forgetRequesterInHub(ctx: RightsContext, trx: Db, request: DsrRequest): Promise<void> {
  if (!request.subjectRef) return;
  await forgetInHub(ctx.deps, trx, [request.subjectRef], { keepLinksOf: request.id });
  await ctx.deps.requests.deleteDownloadTokens(trx, [request.id]);
}

/**
 * Once the erasure is complete (its processors' tasks done too), the register keeps no identity: not
 * the address, the name, the message or the keyed reference, on this request and on every other request
 * of the person; their open requests close with it (there is nothing left to answer them from).
 */
export async function forgetPerson(ctx: RightsContext, trx: Db, request: DsrRequest): Promise<void> {
  if (request.type !== 'erasure' && request.type !== 'closure') return;
  const { requests } = ctx.deps;
  const ref = request.subjectRef;
  // At the latest now: with the reference gone, nothing could find the Analytics ids again; and the
  // audit entries of this erasure, recorded after the hub forgot the person, lose their link too.
  if (ref) {
    await ctx.analyticsIds.forget(trx, [ref]);
    await forgetAuditSubjects(trx, [ref]);
  }
  const ids = ref ? await requests.idsOfSubject(trx, ref) : [request.id];
  for (const id of ids) {
    if (id === request.id) continue;
    const other = await requests.get(id, trx);
    if (!other || ['completed', 'rejected', 'expired'].includes(other.status)) continue;
    if (await requests.transition(trx, id, [other.status], 'completed', ctx.closing('closed by erasure')))
      await requests.event(trx, id, 'closed_by_erasure', { erasure: request.id });
  }
  await requests.forgetIdentity(trx, ids.includes(request.id) ? ids : [...ids, request.id]);
  await requests.deleteTokens(trx, ids);
  // A processor's part handed in while the erasure waited on its tasks goes too.
  await ctx.deps.exports.destroy(trx, { requestIds: ids }, 'erased');
}

/**
 * `shop.orders` as the person reads it: "Uw bestellingen"; a processor's part "Uw gegevens bij Mollie" or
 * "Uw bestellingen bij MyOnlineStore". Never a table, column or system name.
 */
function inWords(ctx: RightsContext, lang: 'nl' | 'en'): (what: string) => string {
  const processors = new Map(
    ctx
      .executor()
      .processorSystems()
      .map((p) => [p.system, p.processor]),
  );
  const labels = ctx.deps.labels ?? NO_LABELS;
  return (what) => {
    const [system = '', collection = ''] = what.split('.');
    const processor = processors.get(system);
    const party = processor ? ctx.processorName(processor) : undefined;
    return kindOfData(labels, ctx.deps.policy(), { system, collection, ...(party ? { party } : {}) }, lang);
  };
}

/** `request.erased` in the audit trail: counts per system and what is kept; ids only, never the address. */
async function auditErasure(
  ctx: RightsContext,
  trx: Db,
  request: DsrRequest,
  erased: ReadonlyArray<{ what: string; count: number }>,
  retained: ReadonlyArray<{ what: string; count?: number }>,
  status: RequestStatus,
): Promise<void> {
  if (!ctx.deps.audit) return;
  const systems: Record<string, number> = {};
  for (const e of erased) {
    const system = e.what.split('.')[0]!;
    systems[system] = (systems[system] ?? 0) + e.count;
  }
  await ctx.deps.audit.record(
    {
      actor: 'system',
      action: 'request.erased',
      target: `request:${request.id}`,
      ...(request.subjectRef ? { subjectRef: request.subjectRef } : {}),
      details: {
        type: request.type,
        status,
        systems,
        retained: retained.reduce((n, r) => n + (r.count ?? 0), 0),
      },
    },
    trx,
  );
}

function readJournal(rows: ReadonlyMap<string, string>): Journal {
  const journal: Journal = new Map();
  for (const [system, json] of rows) journal.set(system, JSON.parse(json) as Record<string, JournaledCollection>);
  return journal;
}

const writeJournal = (journal: Journal) =>
  new Map([...journal].map(([system, collections]) => [system, JSON.stringify(collections)]));

/** Adds what a run found to the journal: keys are a set, so a row found by two runs counts once. */
function mergeJournal(journal: Journal, found: ReadonlyArray<CollectionErasure>): Journal {
  const next: Journal = new Map([...journal].map(([s, c]) => [s, { ...c }]));
  for (const c of found) {
    if (!c.keys || c.keys.length === 0 || c.deleted + c.anonymised + c.sealed === 0) continue;
    const system = next.get(c.system) ?? {};
    const before = system[c.collection];
    system[c.collection] = {
      keys: union(before?.keys ?? [], c.keys),
      sealedKeys: union(before?.sealedKeys ?? [], c.sealedKeys ?? []),
      deletes: (before?.deletes ?? false) || c.deleted > 0,
      ...((c.retainedUntil ?? before?.until) ? { until: maxOf(before?.until, c.retainedUntil) } : {}),
      ...((c.reason ?? before?.reason) ? { reason: c.reason ?? before?.reason } : {}),
    };
    next.set(c.system, system);
  }
  return next;
}

const journalErased = (journal: Journal) =>
  [...journal].flatMap(([system, collections]) =>
    Object.entries(collections).map(([collection, c]) => ({ what: `${system}.${collection}`, count: c.keys.length })),
  );

const journalRetained = (journal: Journal) =>
  [...journal].flatMap(([system, collections]) =>
    Object.entries(collections)
      .filter(([, c]) => c.sealedKeys.length > 0)
      .map(([collection, c]) => ({
        what: `${system}.${collection}`,
        ...(c.until ? { until: c.until } : {}),
        why: c.reason ?? '',
        count: c.sealedKeys.length,
      })),
  );

const union = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => [...new Set([...a, ...b])];
const maxOf = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a > b ? a : b);

/** Counts per collection, summed over runs. */
function mergeCounts<T extends { what: string; count: number }>(earlier: T[], now: T[]): T[] {
  const merged = earlier.map((e) => ({ ...e }));
  for (const n of now) {
    const e = merged.find((m) => m.what === n.what);
    if (e) e.count += n.count;
    else merged.push({ ...n });
  }
  return merged;
}
