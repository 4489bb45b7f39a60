import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../jobs/worker.ts';
import { DAY } from '../lib/clock.ts';
import type { ScanService } from './scan.service.ts';

export const SCAN_JOB = 'scan.daily';

/** `scan.daily`: the cookie scan, once a day, whichever worker gets it; scheduled only when scan.yaml says `daily: true`. */
export function scanJob(scans: ScanService): JobDefinition {
  return defineJob({
    name: SCAN_JOB,
    payload: z.object({}).passthrough(),
    // A failed scan is recorded as such (the dashboard shows why); a crash of the worker is tried again.
    maxAttempts: 2,
    perform: async (_payload, ctx) => {
      const run = await scans.daily();
      ctx.logger.info({ scanRun: run.id, errors: run.errors, mailed: run.mailed }, 'cookie scan done');
    },
  });
}

export const SCAN_SCHEDULE: Schedule = { name: SCAN_JOB, everyMs: DAY };
