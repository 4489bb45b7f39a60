import { requestDeadlines } from '../lib/legal-period.ts';
import type { RequestDeps } from './intake.service.ts';
import type { Db, DsrRequest } from './request.repository.ts';
import { PROCESS_JOB, type RequestDetails } from './request.types.ts';

/**
 * When a new request may join one that is open for the same address and type: only when it asks for
 * nothing the open one does not already ask. An objection to other purposes, other corrections, or
 * another place to deliver is a request of its own (joined, it would be lost: an objection to direct
 * marketing never honoured, Art. 21(3)).
 */
export function asksNothingMore(open: DsrRequest, asked: RequestDetails): boolean {
  const had = open.details;
  if ((asked.deliverTo ?? '') !== (had.deliverTo ?? '')) return false;
  if ((asked.purposes ?? []).some((p) => !(had.purposes ?? []).includes(p))) return false;
  for (const [role, value] of Object.entries(asked.corrections ?? {}))
    if ((had.corrections as Record<string, string> | undefined)?.[role] !== value) return false;
  return true;
}

/**
 * A request already authenticated (by the officer's identity check, or by the platform that reports it)
 * that joins one still waiting for the person's click: the open one is verified now and handled, and
 * when the new one arrived earlier (a letter entered days later), its deadlines count from that day
 * (GDPR Art. 12(3): from receipt). Returns the request as it now is.
 */
export async function authenticateJoined(
  deps: Pick<RequestDeps, 'requests' | 'jobs' | 'clock' | 'policy' | 'holidays'>,
  trx: Db,
  open: DsrRequest,
  by: string,
  receivedAt?: Date,
): Promise<DsrRequest> {
  const { requests, jobs, clock } = deps;
  if (receivedAt && receivedAt.toISOString() < open.receivedAt) {
    const d = requestDeadlines(receivedAt, deps.policy().rights.answerWithinDays, deps.holidays);
    await requests.update(trx, open.id, {
      received_at: receivedAt.toISOString(),
      ...(open.extendedAt ? {} : { due_at: d.dueAt, legal_due_at: d.legalDueAt }),
    });
    await requests.event(trx, open.id, 'received_earlier', { receivedAt: receivedAt.toISOString() });
  }
  if (open.status === 'awaiting_verification' && !open.details.deliverTo) {
    if (
      await requests.transition(trx, open.id, ['awaiting_verification'], 'verified', {
        verified_at: clock.now().toISOString(),
      })
    ) {
      await requests.event(trx, open.id, 'identity_verified', { by });
      await jobs.enqueue(PROCESS_JOB, { id: open.id }, { dedupeKey: `process:${open.id}` }, trx);
    }
  }
  return (await requests.get(open.id, trx))!;
}
