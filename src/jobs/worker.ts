import { hostname } from 'node:os';
import type { z } from 'zod';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { scrubMessage } from '../lib/logger.ts';
import { certainlyGone, thisProcess } from '../lib/process-identity.ts';
import type { JobRepository, JobRow } from './job.repository.ts';
import type { JobWakeup } from './wakeup.ts';

/** What a job may use while it runs. */
export interface JobContext {
  jobId: string;
  attempt: number;
  logger: Logger;
  signal: AbortSignal;
}

/** A job: a name, how its payload looks, how often to try, and what to do. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  maxAttempts?: number;
  /** Delay before retry `attempt` (1-based); defaults to exponential backoff. */
  backoff?: (attempt: number) => number;
  perform(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

export const defineJob = <S extends z.ZodType>(job: JobDefinition<S>): JobDefinition<S> => job;

/** 2^n seconds with ±20% jitter, at most an hour: retries spread out and do not stampede. */
export function exponentialBackoff(attempt: number, baseMs = 2000, maxMs = 3_600_000): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

/**
 * How long the worker waits after `failures` failed rounds in a row (the store full, read-only or out of
 * reach): the poll interval doubled per failure, at most 30 s. A broken store is neither hammered nor
 * allowed to fill the log several times a second; once it answers, the worker is back within 30 s.
 */
export function failureBackoff(failures: number, pollMs: number, maxMs = 30_000): number {
  return Math.min(maxMs, Math.max(pollMs, 100) * 2 ** Math.min(failures, 20));
}

export const HEARTBEAT_MS = 5000;

/** A worker whose last heartbeat is older than this is taken to be dead. */
export const WORKER_ALIVE_MS = 30_000;

/** A job queued once per period (its dedupe key carries the period), whichever worker gets there first. */
export interface Schedule {
  name: string;
  everyMs: number;
}

export interface WorkerOptions {
  jobs: JobRepository;
  definitions: ReadonlyArray<JobDefinition>;
  schedules?: ReadonlyArray<Schedule>;
  clock: Clock;
  logger: Logger;
  /** How often to look for work when nothing wakes the worker (the fallback when a wake-up is lost). */
  pollMs?: number;
  /** Wakes the worker as soon as a job is queued (the queue's own, `jobs.wakeup`, by default). */
  wakeup?: Pick<JobWakeup, 'subscribe'>;
  leaseMs?: number;
  concurrency?: number;
}

export interface Worker {
  readonly id: string;
  /** Claims and runs what is due now, once; returns how many jobs ran. For tests and `inzage worker --once`. */
  tick(): Promise<number>;
  /**
   * Runs what is queued and due until nothing is left, then returns how many jobs ran (`inzage worker
   * --once`). Recurring schedules are not queued: running workers do that.
   */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** An error for the log: its code and scrubbed message (a driver's message can quote a value). */
const scrubbed = (err: unknown) => {
  const e = err as { message?: string; code?: string };
  return { code: e?.code, message: scrubMessage(e?.message ?? String(err)) };
};

export function createWorker(options: WorkerOptions): Worker {
  const { jobs, clock, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const concurrency = options.concurrency ?? 2;
  const byName = new Map(options.definitions.map((d) => [d.name, d]));
  const id = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const startedAt = clock.now().toISOString();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  // The heartbeat has its own timer: a long job must not make the worker look dead. Its failure is
  // logged when it starts and when it ends, not every five seconds in between.
  let heartbeatFailing = false;
  const beat = () =>
    jobs.heartbeat({ id, startedAt, ...thisProcess() }).then(
      () => {
        if (heartbeatFailing) logger.info('worker heartbeat works again');
        heartbeatFailing = false;
      },
      (err) => {
        if (!heartbeatFailing) logger.warn({ err: scrubbed(err) }, 'worker heartbeat failed');
        heartbeatFailing = true;
      },
    );

  async function runOne(job: JobRow): Promise<void> {
    const log = logger.child({ jobId: job.id, jobName: job.name, attempt: job.attempts });
    const definition = byName.get(job.name);
    // The job's definition decides how often it is tried; the row's count is for jobs without one.
    const maxAttempts = definition?.maxAttempts ?? job.max_attempts;
    if (!definition) {
      await jobs.fail(job.id, id, `JOB_UNKNOWN: no handler for ${job.name}`, undefined);
      log.error('job has no handler; failed');
      return;
    }
    if (job.attempts > maxAttempts) {
      await jobs.fail(job.id, id, 'gave up: its workers stopped before finishing', undefined);
      log.error('job exceeded its attempts; failed');
      return;
    }
    // Keep the lease while the job runs, so that a long job is not taken over.
    const keep = setInterval(() => void jobs.extendLease(job.id, id, leaseMs).catch(() => {}), leaseMs / 3);
    try {
      const parsed = definition.payload.safeParse(JSON.parse(job.payload));
      if (!parsed.success) throw new Error(`payload does not match ${job.name}: ${parsed.error.issues[0]?.message}`);
      await definition.perform(parsed.data, {
        jobId: job.id,
        attempt: job.attempts,
        logger: log,
        signal: abort.signal,
      });
      await jobs.complete(job.id, id);
      log.info('job done');
    } catch (err) {
      const message = scrubMessage(err instanceof Error ? err.message : String(err));
      const retry = job.attempts < maxAttempts;
      const delay = (definition.backoff ?? exponentialBackoff)(job.attempts);
      await jobs.fail(job.id, id, message, retry ? new Date(clock.now().getTime() + delay) : undefined);
      log.warn({ retry, delayMs: retry ? delay : undefined, error: message }, 'job failed');
    } finally {
      clearInterval(keep);
    }
  }

  let scheduledAt = Number.NEGATIVE_INFINITY;
  async function schedule(): Promise<void> {
    const now = clock.now().getTime();
    // Once a minute is enough: a period's key makes a second enqueue a no-op anyway.
    if (now - scheduledAt < 60_000) return;
    scheduledAt = now;
    for (const s of options.schedules ?? []) {
      await jobs.enqueue(s.name, {}, { dedupeKey: `${s.name}:${Math.floor(now / s.everyMs)}`, maxAttempts: 3 });
    }
  }

  let orphansReleased = false;
  /** Once per worker: jobs of a dead worker on this host are taken over at once (its lease need not run out). */
  async function releaseOrphans(): Promise<void> {
    if (orphansReleased) return;
    orphansReleased = true;
    const released = await jobs.releaseDeadWorkersJobs(thisProcess(), (w) => certainlyGone(w), id);
    if (released > 0) logger.warn({ released }, 'took over the jobs of a worker on this host that died');
  }

  async function claimAndRun(): Promise<number> {
    await releaseOrphans();
    const claimed = await jobs.claim(id, concurrency, leaseMs);
    await Promise.all(claimed.map(runOne));
    return claimed.length;
  }

  async function tick(): Promise<number> {
    await schedule();
    return claimAndRun();
  }

  async function drain(): Promise<number> {
    await beat();
    let total = 0;
    for (let n = await claimAndRun(); n > 0; n = await claimAndRun()) total += n;
    await jobs.removeWorker(id).catch(() => {});
    return total;
  }

  let failures = 0;
  // A wake-up during a round makes the next round start at once: the job may have been queued after
  // this round's claim.
  let inRound = false;
  let wokenInRound = false;
  let unsubscribe: (() => void) | undefined;
  function wake(): void {
    // A store that fails is not hammered: its backoff stands until a round succeeds.
    if (abort.signal.aborted || failures > 0) return;
    if (inRound) {
      wokenInRound = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    loop();
  }

  function loop(): void {
    inRound = true;
    wokenInRound = false;
    running = tick()
      .then(
        (n) => {
          if (failures > 0) logger.info({ failures }, 'worker works again');
          failures = 0;
          // When the queue had work, or a job came while this round ran, look again at once.
          return n > 0 || wokenInRound ? 0 : pollMs;
        },
        (err) => {
          failures++;
          const delayMs = failureBackoff(failures, pollMs);
          logger.error({ err: scrubbed(err), failures, retryInMs: delayMs }, 'worker round failed; waiting longer');
          return delayMs;
        },
      )
      .then((delayMs) => {
        inRound = false;
        if (abort.signal.aborted) return;
        timer = setTimeout(loop, delayMs);
      });
  }

  return {
    id,
    tick,
    drain,
    start: () => {
      logger.info({ workerId: id }, 'worker started');
      void beat();
      heartbeatTimer = setInterval(beat, HEARTBEAT_MS);
      unsubscribe = (options.wakeup ?? jobs.wakeup)?.subscribe(wake);
      loop();
    },
    stop: async () => {
      abort.abort();
      unsubscribe?.();
      if (timer) clearTimeout(timer);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      await running;
      await jobs.removeWorker(id).catch(() => {});
    },
  };
}
