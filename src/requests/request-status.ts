import { CLOSED_STATUSES, type RequestStatus } from './request.types.ts';

/**
 * Every status a request can move to from each status: the one place that says so. The repository
 * refuses any other move (a programming error, not a user's), so a new call site cannot invent a
 * path through the lifecycle.
 *
 * awaiting_verification ─► verified ─► in_progress ─► completed
 *        │                   ▲            │  ▲ └──► waiting_on_tasks ─► completed
 *        ├─► awaiting_identity            │  └── (officer approves) ◄── awaiting_decision
 *        └─► expired                      └──► awaiting_decision
 * `rejected` is reachable from every open status but `waiting_on_tasks` (work already done is not undone);
 * `completed` from every open status, for the person's other requests when their erasure completes.
 */
export const NEXT_STATUSES: Readonly<Record<RequestStatus, ReadonlyArray<RequestStatus>>> = {
  // `completed` from every open status: a completed erasure closes the person's other requests
  // (rights/erasure.ts `forgetPerson`), since nothing is left to answer them from.
  awaiting_verification: ['verified', 'awaiting_identity', 'expired', 'rejected', 'completed'],
  awaiting_identity: ['verified', 'rejected', 'completed'],
  verified: ['in_progress', 'rejected', 'completed'],
  in_progress: ['awaiting_decision', 'waiting_on_tasks', 'completed', 'rejected'],
  awaiting_decision: ['verified', 'rejected', 'completed'],
  waiting_on_tasks: ['completed'],
  completed: [],
  rejected: [],
  expired: [],
};

export const OPEN_STATUSES: ReadonlyArray<RequestStatus> = (Object.keys(NEXT_STATUSES) as RequestStatus[]).filter(
  (s) => !CLOSED_STATUSES.includes(s),
);

/** The statuses from which a request may move to `to`. */
export const statusesLeadingTo = (to: RequestStatus): RequestStatus[] =>
  (Object.keys(NEXT_STATUSES) as RequestStatus[]).filter((s) => NEXT_STATUSES[s].includes(to));

/** Throws when a move is not in the table. */
export function assertMove(from: ReadonlyArray<RequestStatus>, to: RequestStatus): void {
  for (const f of from) {
    if (!NEXT_STATUSES[f].includes(to)) throw new Error(`a request cannot move from ${f} to ${to}`);
  }
}
