import { DAY } from '../../src/lib/clock.ts';
import { newId } from '../../src/lib/ids.ts';
import { subjectRef } from '../../src/requests/intake.service.ts';
import type { RequestResult, RequestStatus, RequestType } from '../../src/requests/request.types.ts';
import type { Services } from '../../src/services.ts';

export interface RequestFactoryInput {
  type?: RequestType;
  status?: RequestStatus;
  email?: string | null;
  /** Days from the clock's now to the due date (negative: overdue). */
  dueInDays?: number;
  receivedAt?: string;
  outcome?: string | null;
  result?: RequestResult;
  details?: Record<string, unknown>;
  extendedAt?: string | null;
}

/** A request straight into the register, in any status: for pages and read models, not for the workflow. */
export async function insertRequest(services: Services, input: RequestFactoryInput = {}): Promise<string> {
  const now = services.clock.now();
  const id = newId();
  const email = input.email === undefined ? `persoon-${id.slice(0, 8)}@example.com` : input.email;
  const due = new Date(now.getTime() + (input.dueInDays ?? 20) * DAY).toISOString();
  const received = input.receivedAt ?? new Date(now.getTime() - 10 * DAY).toISOString();
  await services.requests.insert(services.requests.db, {
    id,
    type: input.type ?? 'access',
    status: input.status ?? 'verified',
    language: 'nl',
    email,
    subject_ref: email ? subjectRef(services.secret, email) : null,
    name: null,
    message: null,
    details: input.details ? JSON.stringify(input.details) : null,
    received_at: received,
    verified_at: received,
    due_at: due,
    legal_due_at: due,
    extended_at: input.extendedAt ?? null,
    completed_at: null,
    outcome: input.outcome ?? null,
    result: input.result ? JSON.stringify(input.result) : null,
  });
  await services.requests.event(services.requests.db, id, 'received', { type: input.type ?? 'access' });
  return id;
}
