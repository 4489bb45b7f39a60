import { type Kysely, sql } from 'kysely';
import type { Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';

/** The PostgreSQL channel a queued job is announced on; the payload is the store's schema. */
export const JOBS_CHANNEL = 'inzage_jobs';

/**
 * Wakes workers when a job is queued, so that a confirmed request is answered in milliseconds rather
 * than at the next poll. Polling stays: a wake-up that is lost (a listening connection that dropped,
 * a job queued by another process on SQLite) costs at most one poll interval.
 */
export interface JobWakeup {
  /**
   * Announces a job that is due now, through `db` (the transaction that queued it, if any). On
   * PostgreSQL the announcement is delivered when that transaction commits, and not at all when it rolls
   * back; in-process the worker is told at once, and its claim waits for the transaction (SQLite has one
   * connection, which the transaction holds until it ends).
   */
  queued(db: Kysely<Database>): Promise<void>;
  /** Calls `fn` whenever a job may be waiting; returns what stops it. */
  subscribe(fn: () => void): () => void;
  /** Resolves once a subscriber would hear of a job queued now (PostgreSQL: the `LISTEN` is in place). */
  ready(): Promise<void>;
  /** Stops listening (the PostgreSQL connection of its own). */
  close(): Promise<void>;
}

class Listeners {
  private readonly fns = new Set<() => void>();
  get size(): number {
    return this.fns.size;
  }
  add(fn: () => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  call(): void {
    for (const fn of this.fns) fn();
  }
}

/** SQLite: the worker that runs in this process (`serve`) hears of every job queued in it. */
export function inProcessWakeup(): JobWakeup {
  const listeners = new Listeners();
  return {
    queued: async () => listeners.call(),
    subscribe: (fn) => listeners.add(fn),
    ready: async () => {},
    close: async () => {},
  };
}

/**
 * PostgreSQL: `NOTIFY` in the transaction that queued the job, `LISTEN` on a connection of its own in
 * every process that runs a worker (`serve`, `inzage worker`), this one included. A store in a schema of
 * its own hears only its own schema's jobs.
 */
export function postgresWakeup(store: Pick<Store, 'listen' | 'schema'>): JobWakeup {
  const listeners = new Listeners();
  const schema = store.schema ?? '';
  let stop: Promise<() => Promise<void>> | undefined;
  return {
    queued: async (db) => {
      await sql`select pg_notify(${JOBS_CHANNEL}, ${schema})`.execute(db);
    },
    subscribe: (fn) => {
      const remove = listeners.add(fn);
      stop ??= store.listen!(JOBS_CHANNEL, (payload) => {
        if (payload === schema) listeners.call();
      }).catch(() => async () => {});
      return remove;
    },
    ready: async () => {
      await stop;
    },
    close: async () => {
      const running = stop;
      stop = undefined;
      if (running) await (await running)();
    },
  };
}

/** The wake-up that fits the store. */
export function wakeupFor(store: Pick<Store, 'dialect' | 'listen' | 'schema'>): JobWakeup {
  return store.dialect === 'postgres' && store.listen ? postgresWakeup(store) : inProcessWakeup();
}
