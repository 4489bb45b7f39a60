import { createHash, randomBytes } from 'node:crypto';
import type { Db, RequestRepository } from './request.repository.ts';
import type { RequestStatus, RequestType } from './request.types.ts';

/**
 * The person's page for a request that takes days (an erasure waiting on processors reached by hand, an
 * objection awaiting a decision, a correction still to reach a processor): a link with a random token,
 * of which only a hash is kept (`request_tokens`, purpose `status`), that shows the request's status and
 * what happened when, in words. It shows nothing about the person (no address, no name, no data), so it
 * outlives the erasure of their identity; it goes with the request's register entry (hub retention
 * deletes a request's tokens with it), and at the latest after `STATUS_LINK_VALID_MS`.
 */

/** How long a status link works at most; hub retention removes it with the request before that. */
export const STATUS_LINK_VALID_MS = 2 * 365 * 24 * 3_600_000;

/** The steps of a request a person may see on its page, in the order they happened. */
export type StatusStep =
  | 'received'
  | 'verified'
  | 'identity_verified'
  | 'received_earlier'
  | 'awaiting_identity'
  | 'awaiting_decision'
  | 'processor_unavailable'
  | 'extended'
  | 'objection_honoured'
  | 'restricted'
  | 'restriction_lift_announced'
  | 'restriction_lifted'
  | 'exported'
  | 'exported_in_part'
  | 'no_data'
  | 'no_data_in_part'
  | 'prepared_for_post'
  | 'rejected'
  | 'expired'
  | 'completed'
  | 'closed_by_erasure';

/** The events of a request a person may see on its page; an access answer's is told apart by `accessStep`. */
const SHOWN: ReadonlySet<string> = new Set<string>([
  'received',
  'verified',
  'identity_verified',
  'received_earlier',
  'awaiting_identity',
  'awaiting_decision',
  'processor_unavailable',
  'extended',
  'objection_honoured',
  'restricted',
  'restriction_lift_announced',
  'restriction_lifted',
  'exported',
  'no_data',
  'rejected',
  'expired',
  'completed',
  'closed_by_erasure',
]);

/**
 * What an access answer's event says to the person, and no more than is true: a package by post is not
 * a download; a no-data answer is not "your data is ready"; with processors still asked by hand, what is
 * ready (or found to be absent) is only the shop's own part. A `no_data` event was recorded as
 * `exported` before it had its own name; the request's outcome tells those apart.
 */
function accessStep(
  event: { event: string; detail: string | null },
  outcome: string | null | undefined,
  partsToCome: boolean,
): StatusStep {
  const detail = JSON.parse(event.detail ?? '{}') as { delivery?: string };
  if (detail.delivery === 'post') return 'prepared_for_post';
  const noData = event.event === 'no_data' || outcome === 'no data';
  if (noData) return partsToCome ? 'no_data_in_part' : 'no_data';
  return partsToCome ? 'exported_in_part' : 'exported';
}

/** What a status page shows: no identity, no data, no ids. */
export interface RequestStatusView {
  reference: string;
  type: RequestType;
  status: RequestStatus;
  receivedAt: string;
  dueAt: string;
  extended: boolean;
  completedAt: string | null;
  /** Open tasks the officer still does (asking a processor by hand), counted; never named by system id. */
  openTasks: number;
  timeline: Array<{ at: string; step: StatusStep }>;
}

/**
 * A request's reference for the person, e.g. `K7QF-2M9X`: the same for one request every time, derived
 * from its id by a hash so it is no handle on the id itself. The desk shows it too, so the person can quote it.
 */
export function requestReference(requestId: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = createHash('sha256').update(`inzage-reference:${requestId}`).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[bytes[i]! % alphabet.length];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

export class RequestStatusPages {
  constructor(private readonly deps: { requests: RequestRepository; baseUrl: string; now: () => Date }) {}

  /** A new status link for the request (inside the caller's transaction), with its reference. */
  async issue(trx: Db, requestId: string): Promise<{ link: string; reference: string }> {
    const expiresAt = new Date(this.deps.now().getTime() + STATUS_LINK_VALID_MS).toISOString();
    // Hex, 256 bits: a link with nothing in it that reads as punctuation or a name (no `_` or `-`).
    const token = randomBytes(32).toString('hex');
    await this.deps.requests.issueToken(trx, requestId, 'status', expiresAt, 0, null, token);
    return { link: `${this.deps.baseUrl}/requests/status/${token}`, reference: requestReference(requestId) };
  }

  /** What the page behind a status link shows; undefined for any link that does not (or no longer) work. */
  async describe(token: string): Promise<RequestStatusView | undefined> {
    const { requests } = this.deps;
    const row = await requests.findToken(token, 'status');
    if (!row || row.expires_at <= this.deps.now().toISOString()) return undefined;
    const request = await requests.get(row.request_id);
    if (!request) return undefined;
    const events = await requests.events(request.id);
    const allTasks = await requests.tasks({ requestId: request.id });
    const tasks = allTasks.filter((t) => t.status === 'open');
    // Processors asked by hand for their part of an access answer: that part comes after the shop's own.
    const partsToCome = allTasks.some((t) => t.action === 'access');
    const timeline: RequestStatusView['timeline'] = [];
    for (const e of events) {
      if (!SHOWN.has(e.event)) continue;
      const step =
        e.event === 'exported' || e.event === 'no_data'
          ? accessStep(e, request.outcome, partsToCome)
          : (e.event as StatusStep);
      // One line per step: a processor that stayed down for hours is one step, not one per retry.
      if (timeline.some((t) => t.step === step && step !== 'extended')) continue;
      timeline.push({ at: e.at, step });
    }
    return {
      reference: requestReference(request.id),
      type: request.type,
      status: request.status,
      receivedAt: request.receivedAt,
      dueAt: request.dueAt,
      extended: Boolean(request.extendedAt),
      completedAt: request.completedAt ?? null,
      openTasks: tasks.filter((t) => t.action !== 'deliver').length,
      timeline,
    };
  }
}
