import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/worker.ts';
import { DAY, MINUTE } from '../lib/clock.ts';
import type { HandlingService } from './handling.service.ts';
import { type IntakeService, PROCESS_JOB, type RequestDeps, VERIFY_VALID_MS } from './intake.service.ts';
import type { RequestExports } from './request-exports.ts';

export interface RequestJobDeps extends RequestDeps {
  intake: IntakeService;
  handling: HandlingService;
  exports: RequestExports;
}

/** The request capability's jobs: processing, hourly housekeeping, the officer's daily reminder. */
export function requestJobs(deps: RequestJobDeps): JobDefinition[] {
  return [
    defineJob({
      name: PROCESS_JOB,
      payload: z.object({ id: z.string() }),
      maxAttempts: 10,
      perform: (p) => deps.handling.process(p.id),
    }),
    defineJob({
      name: 'requests.housekeeping',
      payload: z.object({}).passthrough(),
      perform: async () => {
        const { requests, clock } = deps;
        const now = clock.now();
        const cutoff = new Date(now.getTime() - VERIFY_VALID_MS).toISOString();
        for (const id of await requests.unverifiedSince(cutoff, now.toISOString())) await deps.intake.expire(id);
        await deps.exports.destroyExpired();
        await deps.handling.liftDueRestrictions();
        await deps.intake.forgetOldVerificationMails();
        await resumeStalled(deps);
      },
    }),
    defineJob({
      name: 'requests.reminders',
      payload: z.object({}).passthrough(),
      perform: async () => {
        const { requests, clock } = deps;
        const now = clock.now();
        const soon = new Date(now.getTime() + 7 * DAY).toISOString();
        const open = (await requests.list({ open: true })).filter((r) => r.status !== 'awaiting_verification');
        const brief = (r: { id: string; type: string; dueAt: string }) => ({ id: r.id, type: r.type, dueAt: r.dueAt });
        const overdue = open.filter((r) => r.dueAt < now.toISOString()).map(brief);
        const dueSoon = open.filter((r) => r.dueAt >= now.toISOString() && r.dueAt <= soon).map(brief);
        const openTasks = (await requests.tasks({ open: true })).length;
        if (overdue.length === 0 && dueSoon.length === 0) return;
        const policy = deps.policy();
        await deps.mail.enqueue({
          to: policy.controller.privacyContact.email,
          template: 'officer-reminder',
          lang: 'nl',
          data: { dueSoon, overdue, openTasks, adminUrl: `${deps.baseUrl}/admin` },
          dedupeKey: `officer-reminder:${now.toISOString().slice(0, 10)}`,
        });
      },
    }),
  ];
}

/** Recurring jobs: enqueued once per period through their dedupe key. */
export const REQUEST_SCHEDULES = [
  { name: 'requests.housekeeping', everyMs: DAY / 24 },
  { name: 'requests.reminders', everyMs: DAY },
];

const STALLED_AFTER_MS = 15 * MINUTE;

/**
 * Requests being handled whose `request.process` job is gone (it used up its tries, e.g. while the hub's
 * own database was away) would stay `in_progress` for good: each gets a new job and a `resumed` event.
 * A request with a job queued (a retry later on) or running is left alone.
 */
async function resumeStalled(deps: RequestJobDeps): Promise<void> {
  if (!deps.handling.canProcess) return;
  // Not touched for a while: a request whose run just ended is not mistaken for one that stopped.
  const quiet = new Date(deps.clock.now().getTime() - STALLED_AFTER_MS).toISOString();
  const stalled = await deps.requests.handledUntouchedSince(quiet);
  if (stalled.length === 0) return;
  const busy = await deps.jobs.activePayloadIds(PROCESS_JOB);
  for (const id of stalled) if (!busy.has(id)) await deps.handling.resume(id);
}
