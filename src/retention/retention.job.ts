import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../jobs/worker.ts';
import { DAY } from '../lib/clock.ts';
import type { RetentionService } from './retention.service.ts';

/** `retention.daily`: the sweep, once a day, whichever worker gets it. */
export function retentionJob(retention: RetentionService): JobDefinition {
  return defineJob({
    name: 'retention.daily',
    payload: z.object({}).passthrough(),
    maxAttempts: 3,
    perform: () => retention.daily(),
  });
}

export const RETENTION_SCHEDULE: Schedule = { name: 'retention.daily', everyMs: DAY };
