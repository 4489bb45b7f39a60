import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { JobRepository } from '../jobs/job.repository.ts';
import { defineJob, type JobDefinition } from '../jobs/worker.ts';
import { conflict, notFound } from '../lib/errors.ts';
import type { RetentionService } from '../retention/retention.service.ts';
import type { Database } from '../store/schema.ts';
import type { DeskRepository } from './desk.repository.ts';
import { approvalKey } from './desk.ts';

export const RETENTION_APPROVED_JOB = 'retention.approved';

/**
 * `retention.approved`: the sweep the officer approved on the dashboard. It plans again at run time,
 * so that someone who ordered since the plan was made is kept; a run stopped midway and retried
 * finds only the people not yet erased.
 */
export function retentionApprovedJob(retention: RetentionService): JobDefinition {
  return defineJob({
    name: RETENTION_APPROVED_JOB,
    payload: z.object({ planId: z.string() }),
    maxAttempts: 3,
    // The run records itself (with its audit entry, in one transaction).
    perform: async () => {
      await retention.run();
    },
  });
}

export interface ApprovalDeps {
  desk: DeskRepository;
  jobs: JobRepository;
}

/**
 * Queues the run of a waiting plan, in the transaction the caller gives (with its audit entry).
 * Only a plan still waiting can be approved, and only once: a second click is a conflict, not a second run.
 */
export async function approveRetentionPlan(deps: ApprovalDeps, planId: string, db: Kysely<Database>): Promise<void> {
  const plan = await deps.desk.retentionRun(planId, db);
  if (plan?.kind !== 'plan') throw notFound(`no retention plan ${planId}`);
  if (plan.status !== 'waiting') throw conflict('this plan is no longer waiting: a newer plan or a run replaced it');
  if (await deps.desk.jobByKey(approvalKey(planId), db))
    throw conflict('this plan was approved already: its run is queued or done');
  await deps.jobs.enqueue(RETENTION_APPROVED_JOB, { planId }, { dedupeKey: approvalKey(planId), maxAttempts: 3 }, db);
}
