import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { JobRepository } from '../jobs/job.repository.ts';
import { defineJob, type JobDefinition } from '../jobs/worker.ts';
import { conflict, notFound, validationFailed } from '../lib/errors.ts';
import { type RetentionService, WHOLE_RUN } from '../retention/retention.service.ts';
import type { Database } from '../store/schema.ts';
import type { DeskRepository } from './desk.repository.ts';
import { approvalKey } from './desk.ts';

export const RETENTION_APPROVED_JOB = 'retention.approved';

const Approved = z.object({
  planId: z.string(),
  /** How many people the officer saw and typed: the run never erases more. Absent in jobs queued before. */
  confirmed: z.number().int().min(0).optional(),
  /**
   * The keyed digest of the people the officer reviewed (RetentionService.peopleDigest): the run erases
   * exactly them or no one. Absent in jobs queued before.
   */
  people: z.string().optional(),
  /** Who approved (`user:<id>`): the run's audit entry names them. */
  actor: z
    .string()
    .regex(/^user:[\w-]+$/)
    .optional(),
});

/**
 * `retention.approved`: the sweep the officer approved after reviewing it. It plans again at run time, so
 * that someone who ordered since the review is kept; when more people would go than the officer confirmed
 * (someone passed the term since), or other people than those reviewed, it erases no one and leaves the new
 * plan waiting for a new review. A run
 * stopped midway is resumed by the retry (it is the approved run: not planned again), within the reviewed set.
 */
export function retentionApprovedJob(retention: RetentionService): JobDefinition {
  return defineJob({
    name: RETENTION_APPROVED_JOB,
    payload: Approved,
    maxAttempts: 3,
    // The run records itself (with its audit entry, in one transaction).
    perform: async ({ confirmed, actor, people }) => {
      const who = (actor as `user:${string}` | undefined) ?? 'system';
      // A run left unfinished is finished first. When it is this approval's own run (the job stopped midway
      // and is retried), it is the approved run: resumed, not planned again (the people it erased are gone
      // from a new plan, whose digest then differs), and it erases no one outside the reviewed set. Another
      // run is finished without erasing anyone no approval covers; then this approval is planned as usual.
      const unfinished = await retention.unfinishedApproval();
      if (unfinished) {
        await retention.run(undefined, undefined, undefined, who, { ...WHOLE_RUN, onlyApproved: true });
        if (people !== undefined && unfinished.digest === people) return;
      }
      const planned = await retention.plan();
      // In approve mode the officer decides who goes: more people than confirmed, or other people than
      // reviewed (as many, but someone passed the term since and someone else became active), is not it.
      const others = people !== undefined && retention.peopleDigest(planned.emails) !== people;
      if ((confirmed !== undefined && planned.people.toErase > confirmed) || others) {
        const { emails: _, ...plan } = planned;
        await retention.record('plan', plan);
        return;
      }
      await retention.run(undefined, undefined, planned, who, {
        ...WHOLE_RUN,
        onlyApproved: true,
        // Whom the officer approved, kept (encrypted) in the run's journal: a resume erases no one else.
        ...(people !== undefined ? { approved: { digest: people, emails: planned.emails } } : {}),
      });
    },
  });
}

export interface ApprovalDeps {
  desk: DeskRepository;
  jobs: JobRepository;
}

/**
 * Queues the run of a waiting plan, in the transaction the caller gives (with its audit entry), for at most
 * `confirmed` people: the number the officer typed after seeing who they are. Only a plan still waiting can
 * be approved, and only once: a second click is a conflict, not a second run.
 */
export async function approveRetentionPlan(
  deps: ApprovalDeps,
  approval: { planId: string; confirmed: number; actor: string; people?: string },
  db: Kysely<Database>,
): Promise<void> {
  const { planId, confirmed, actor, people } = approval;
  if (!Number.isInteger(confirmed) || confirmed < 0) throw validationFailed('must be a whole number', 'confirm');
  const plan = await deps.desk.retentionRun(planId, db);
  if (plan?.kind !== 'plan') throw notFound(`no retention plan ${planId}`);
  if (plan.status !== 'waiting') throw conflict('this plan is no longer waiting: a newer plan or a run replaced it');
  if (await deps.desk.jobByKey(approvalKey(planId), db))
    throw conflict('this plan was approved already: its run is queued or done');
  await deps.jobs.enqueue(
    RETENTION_APPROVED_JOB,
    { planId, confirmed, actor, ...(people ? { people } : {}) },
    { dedupeKey: approvalKey(planId), maxAttempts: 3 },
    db,
  );
}
