import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Statuses a request does not leave: it is no longer open. */
const CLOSED = ['completed', 'rejected', 'expired'];
const DAY_MS = 86_400_000;

export interface OperationalFigures {
  openRequests: Array<{ type: string; status: string; n: number }>;
  overdue: number;
  dueWithin7Days: number;
  jobs: Array<{ status: string; n: number }>;
  processorCalls: Array<{ processor: string; outcome: string; n: number }>;
  mails: Array<{ status: string; n: number }>;
  retention: { runs: number; lastAt: string | undefined };
}

/**
 * The hub's figures for /metrics, read from the database (so every server on one PostgreSQL reports the
 * same): counts by type, status, processor and outcome only; never a person, address or id.
 */
export class MetricsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async figures(now: Date): Promise<OperationalFigures> {
    const nowIso = now.toISOString();
    const [openRequests, overdue, dueSoon, jobs, processorCalls, mails, retention] = await Promise.all([
      this.db
        .selectFrom('requests')
        .select(['type', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'not in', CLOSED)
        .groupBy(['type', 'status'])
        .execute(),
      this.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'not in', CLOSED)
        .where('due_at', '<', nowIso)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'not in', CLOSED)
        .where('due_at', '>=', nowIso)
        .where('due_at', '<', new Date(now.getTime() + 7 * DAY_MS).toISOString())
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['queued', 'running', 'failed'])
        .groupBy('status')
        .execute(),
      this.db
        .selectFrom('processor_notices')
        .select(['processor', 'status as outcome', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['processor', 'status'])
        .execute(),
      this.db
        .selectFrom('mail_outbox')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute(),
      this.db
        .selectFrom('retention_runs')
        .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('at').as('last')])
        .where('kind', '=', 'run')
        .where('status', '=', 'done')
        .executeTakeFirstOrThrow(),
    ]);
    return {
      openRequests: openRequests.map((r) => ({ type: r.type, status: r.status, n: Number(r.n) })),
      overdue: Number(overdue.n),
      dueWithin7Days: Number(dueSoon.n),
      jobs: jobs.map((r) => ({ status: r.status, n: Number(r.n) })),
      processorCalls: processorCalls.map((r) => ({ processor: r.processor, outcome: r.outcome, n: Number(r.n) })),
      mails: mails.map((r) => ({ status: r.status, n: Number(r.n) })),
      retention: { runs: Number(retention.n), lastAt: retention.last ?? undefined },
    };
  }
}
