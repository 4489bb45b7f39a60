import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../jobs/worker.ts';
import { type Clock, DAY } from '../lib/clock.ts';
import type { HubRetentionRepository } from './hub-retention.repository.ts';

/**
 * The hub's own working data, each kept only as long as it serves: these are not the policy's retention
 * rules (they hold nothing the person gave the shop) but copies and traces the hub makes while it works,
 * so each has a short term of its own and an executor, run daily by `retention.housekeeping`.
 */
export const HOUSEKEEPING = {
  /** Export packages: destroyed at their end (14 days or 5 downloads); hourly by requests.housekeeping, and here. */
  exports: { days: 0, term: 'at the end of their download link (14 days, 5 downloads)' },
  /** Verification, download, withdrawal and account-setup links, and back-office sessions, after they ran out. */
  links: { days: 30, term: '30 days after they ran out' },
  /** Finished jobs: done ones after 30 days (their dedupe keys serve no longer); failed ones after 90 for diagnosis. */
  jobs: { days: 30, failedDays: 90, term: '30 days after done, 90 after failing for good' },
  /** The text of sent and failed e-mails (over SMTP a sent message is emptied at once; the dev mailbox keeps it). */
  mailBodies: { days: 30, term: '30 days after sending or failing' },
} as const;

export type HousekeepingExecutor = keyof typeof HOUSEKEEPING;

export interface HousekeepingCount {
  executor: HousekeepingExecutor;
  term: string;
  records: number;
}

export interface HousekeepingDeps {
  hub: HubRetentionRepository;
  clock: Clock;
  /** Destroys one request's export package, with its timeline event (the request capability owns exports). */
  /** Destroys one export part (the export's owner, src/requests/request-exports.ts, does it). */
  destroyExport: (exportId: string, why: string) => Promise<void>;
}

const before = (at: Date, days: number) => new Date(at.getTime() - days * DAY);

/** Counts (dryRun) or removes the hub's working data past its term at `at`. */
export async function hubHousekeeping(
  deps: HousekeepingDeps,
  at = deps.clock.now(),
  dryRun = false,
): Promise<HousekeepingCount[]> {
  const { hub } = deps;
  const count = (executor: HousekeepingExecutor, records: number): HousekeepingCount => ({
    executor,
    term: HOUSEKEEPING[executor].term,
    records,
  });
  const exports = await hub.exportsPastTheirEnd(at);
  if (!dryRun) for (const id of exports) await deps.destroyExport(id, 'expired');
  return [
    count('exports', exports.length),
    count('links', await hub.linksExpiredBefore(before(at, HOUSEKEEPING.links.days), dryRun)),
    count(
      'jobs',
      await hub.jobsFinishedBefore(
        before(at, HOUSEKEEPING.jobs.days),
        before(at, HOUSEKEEPING.jobs.failedDays),
        dryRun,
      ),
    ),
    count('mailBodies', await hub.mailBodiesBefore(before(at, HOUSEKEEPING.mailBodies.days), dryRun)),
  ];
}

export const HOUSEKEEPING_JOB = 'retention.housekeeping';

/** `retention.housekeeping`: the hub's own working data past its term, once a day. Counts in the log only. */
export function hubHousekeepingJob(deps: HousekeepingDeps): JobDefinition {
  return defineJob({
    name: HOUSEKEEPING_JOB,
    payload: z.object({}).passthrough(),
    maxAttempts: 3,
    perform: async (_, ctx) => {
      const counts = await hubHousekeeping(deps);
      ctx.logger.info({ removed: Object.fromEntries(counts.map((c) => [c.executor, c.records])) }, 'hub housekeeping');
    },
  });
}

export const HOUSEKEEPING_SCHEDULE: Schedule = { name: HOUSEKEEPING_JOB, everyMs: DAY };
