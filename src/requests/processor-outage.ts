import type { ManualTask } from '../connectors/connector.ts';
import type { ProcessorSystem } from '../executor/executor.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import { type Clock, HOUR } from '../lib/clock.ts';
import { PROCESS_JOB } from './intake.service.ts';
import type { NoticeInput, ProcessorNotices } from './processor-notices.ts';
import {
  CHANGE_GIVE_UP_MS,
  gaveUpNotice,
  type NoticeAction,
  outageRetryDelay,
  processorIndex,
  refusedNotice,
} from './processor-notify.ts';
import type { DsrRequest, RequestRepository } from './request.repository.ts';

/** A system that failed in one run: what went wrong (no personal data) and whether trying again can help. */
export interface FailedSystem {
  system: string;
  error?: string;
  /** false: the processor refused (a rejected key, a 400, an answer we cannot read); trying again will not help. */
  retryable?: boolean;
}

export interface OutageDeps {
  requests: RequestRepository;
  jobs: JobRepository;
  clock: Clock;
  notices: ProcessorNotices;
  /** The data map's processors (API or manual); every other system is one of the shop's own databases. */
  processorSystems: () => ReadonlyArray<ProcessorSystem>;
  manualTaskFor: (system: string, action: ManualTask['action']) => ManualTask | undefined;
}

export interface OutageOutcome {
  /** A later try is scheduled and everything this run did is recorded: the caller stops here. */
  retry: boolean;
  /** Processors whose part went to the officer in this run (down too long, or refused). */
  handedOver: string[];
}

/** Who the officer's task for an unreachable shop database names; it also marks such tasks. */
const SHOP_CONTACT = 'beheer van de webshop';

/** The events that mark a run that will be tried again; the first one naming a system starts its clock. */
const OUTAGE_EVENTS = ['processor_unavailable', 'system_unavailable'];

/**
 * Systems that failed while a request was handled (see processor-notify.ts for the schedule):
 * - a processor that is down is tried again after 1, 3, 9, 27, 81 minutes, then every 4 hours; once it
 *   has been down for the give-up time — counted from its own first failure, not the request's — its
 *   part becomes a manual task for the officer;
 * - a processor that refused (retryable false) goes to the officer at once, with the reason;
 * - one of the shop's own databases is never done without: it is tried on the same schedule for as
 *   long as it takes, and after 24 hours the officer gets a task saying so, which closes by itself
 *   when the database answers again.
 * A run that will be tried again records its notices and manual tasks before it stops, so nothing a
 * processor answered is lost when another was down.
 */
export class ProcessorOutages {
  constructor(private readonly deps: OutageDeps) {}

  async handle(
    request: DsrRequest,
    action: NoticeAction,
    failed: ReadonlyArray<FailedSystem>,
    notices: NoticeInput[],
    tasks: ManualTask[],
    giveUpMs: number,
  ): Promise<OutageOutcome> {
    const { clock } = this.deps;
    await this.#closeRecovered(request.id, new Set(failed.map((f) => f.system)));
    if (failed.length === 0) return { retry: false, handedOver: [] };
    const kinds = processorIndex(this.deps.processorSystems());
    const earlier = await this.#earlierTries(request.id, action);
    const now = clock.now().getTime();
    const downFor = (system: string) => now - (earlier.since.get(system) ?? now);
    const handedOver: string[] = [];
    const processorsDown: string[] = [];
    const databasesDown: string[] = [];
    for (const f of failed) {
      const p = kinds.get(f.system);
      if (!p) {
        databasesDown.push(f.system);
        if (downFor(f.system) >= CHANGE_GIVE_UP_MS) tasks.push(unreachableTask(f, action, now - downFor(f.system)));
      } else if (f.retryable !== false && downFor(f.system) < giveUpMs) {
        processorsDown.push(f.system);
      } else {
        handedOver.push(f.system);
        const task = this.deps.manualTaskFor(f.system, action);
        if (f.retryable === false) {
          if (task) tasks.push(withReason(task, f.error));
          notices.push(refusedNotice(p, action, f.error));
        } else {
          if (task) tasks.push(task);
          notices.push(gaveUpNotice(p, action, giveUpMs / HOUR));
        }
      }
    }
    if (processorsDown.length === 0 && databasesDown.length === 0) return { retry: false, handedOver };
    await this.#retryLater(request, action, earlier.attempts + 1, { processorsDown, databasesDown }, notices, tasks);
    return { retry: true, handedOver };
  }

  async #retryLater(
    request: DsrRequest,
    action: NoticeAction,
    attempt: number,
    down: { processorsDown: string[]; databasesDown: string[] },
    notices: NoticeInput[],
    tasks: ManualTask[],
  ): Promise<void> {
    const { requests, jobs, clock } = this.deps;
    const retryAt = new Date(clock.now().getTime() + outageRetryDelay(attempt)).toISOString();
    await requests.db.transaction().execute(async (trx) => {
      await this.deps.notices.record(trx, request.id, notices);
      await requests.insertTasks(trx, request.id, tasks, clock.now());
      if (down.processorsDown.length > 0)
        await requests.event(trx, request.id, 'processor_unavailable', {
          action,
          systems: down.processorsDown,
          attempt,
          retryAt,
        });
      if (down.databasesDown.length > 0)
        await requests.event(trx, request.id, 'system_unavailable', {
          action,
          systems: down.databasesDown,
          attempt,
          retryAt,
        });
      await jobs.enqueue(
        PROCESS_JOB,
        { id: request.id },
        { runAt: new Date(retryAt), dedupeKey: `process:${request.id}:${action}-retry:${attempt}` },
        trx,
      );
    });
  }

  /** How many tries this action had, and when each system was first found down. */
  async #earlierTries(requestId: string, action: NoticeAction) {
    const since = new Map<string, number>();
    let attempts = 0;
    for (const e of await this.deps.requests.events(requestId)) {
      if (!OUTAGE_EVENTS.includes(e.event)) continue;
      const detail = JSON.parse(e.detail ?? '{}') as { action?: string; systems?: string[]; attempt?: number };
      if (detail.action !== action) continue;
      attempts = Math.max(attempts, detail.attempt ?? 0);
      for (const s of detail.systems ?? []) if (!since.has(s)) since.set(s, new Date(e.at).getTime());
    }
    return { since, attempts };
  }

  /** A database that answers again: the officer's "unreachable" task for it is done by itself. */
  async #closeRecovered(requestId: string, failing: ReadonlySet<string>): Promise<void> {
    const processors = new Set(this.deps.processorSystems().map((p) => p.system));
    const open = (await this.deps.requests.tasks({ requestId, open: true })).filter(
      (t) => t.contact === SHOP_CONTACT && !processors.has(t.system) && !failing.has(t.system),
    );
    if (open.length === 0) return;
    await this.deps.requests.closeTasks(
      this.deps.requests.db,
      open.map((t) => t.id),
      'answered again; closed by itself',
    );
  }
}

/** The processor's own task, with why it could not be done through its API put first. */
function withReason(task: ManualTask, error = 'no reason given'): ManualTask {
  return {
    ...task,
    instructions: {
      nl: `De API van de verwerker weigerde het verzoek (${error}). ${task.instructions.nl}`,
      en: `The processor's API refused the request (${error}). ${task.instructions.en}`,
    },
  };
}

/** The officer's task for a shop database that stayed unreachable: the request keeps trying meanwhile. */
function unreachableTask(f: FailedSystem, action: NoticeAction, since: number): ManualTask {
  const at = new Date(since).toISOString();
  const why = f.error ? ` (${f.error})` : '';
  return {
    system: f.system,
    processor: f.system,
    action,
    contact: SHOP_CONTACT,
    instructions: {
      nl:
        `${f.system} is sinds ${at} niet bereikbaar${why}. Het verzoek wordt elke 4 uur opnieuw geprobeerd; ` +
        'herstel de verbinding. Deze taak sluit vanzelf zodra het systeem weer antwoordt.',
      en:
        `${f.system} has been unreachable since ${at}${why}. The request is tried again every 4 hours; ` +
        'restore the connection. This task closes by itself once the system answers again.',
    },
    dueInDays: 1,
    categories: [],
  };
}
