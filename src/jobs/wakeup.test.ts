import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { z } from 'zod';
import { createTestStore, POSTGRES_URL, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { systemClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import type { Store } from '../store/database.ts';
import { JobRepository } from './job.repository.ts';
import { inProcessWakeup, type JobWakeup, postgresWakeup } from './wakeup.ts';
import { createWorker, defineJob, type Worker } from './worker.ts';

const logger = silentLogger();
/** Far longer than any test waits: a job that runs was woken for, not found by a poll. */
const LONG_POLL_MS = 600_000;
/** Generous for a loaded machine, and still a thousandth of the poll. */
const WITHIN_MS = 3000;

function recorder() {
  const seen: number[] = [];
  let onSeen = () => {};
  const job = defineJob({
    name: 'test.wake',
    payload: z.object({ n: z.number() }),
    perform: async (p) => {
      seen.push(p.n);
      onSeen();
    },
  });
  /** Resolves with the time it took until job `n` ran; rejects after WITHIN_MS. */
  const ran = (n: number, started = performance.now()) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        if (seen.includes(n)) {
          clearTimeout(timeout);
          resolve(performance.now() - started);
        }
      };
      const timeout = setTimeout(() => reject(new Error(`job ${n} did not run within ${WITHIN_MS} ms`)), WITHIN_MS);
      onSeen = check;
      check();
    });
  return { seen, job, ran };
}

/** A worker with a poll of ten minutes, started, past its first (empty) round. */
async function idleWorker(jobs: JobRepository, job: ReturnType<typeof recorder>['job']): Promise<Worker> {
  const worker = createWorker({ jobs, definitions: [job], clock: systemClock, logger, pollMs: LONG_POLL_MS });
  worker.start();
  await jobs.wakeup?.ready();
  await new Promise((r) => setTimeout(r, 100));
  return worker;
}

const enqueueIn = (store: Store, jobs: JobRepository, n: number) =>
  store.db.transaction().execute((trx) => jobs.enqueue('test.wake', { n }, {}, trx));

describe('waking the worker in its own process (SQLite, serve)', () => {
  const stores: TestStore[] = [];
  after(async () => {
    for (const s of stores) await s.drop();
  });

  it('runs a job queued in a transaction at once, though the worker polls every ten minutes', async () => {
    const store = await createTestStore('sqlite');
    stores.push(store);
    const jobs = new JobRepository(store.db, 'sqlite', systemClock, inProcessWakeup());
    const { job, ran } = recorder();
    const worker = await idleWorker(jobs, job);
    try {
      const started = performance.now();
      await enqueueIn(store, jobs, 1);
      await ran(1, started);
      // And again, after the worker has gone back to sleep.
      await new Promise((r) => setTimeout(r, 50));
      await enqueueIn(store, jobs, 2);
      await ran(2);
    } finally {
      await worker.stop();
    }
  });

  it('is not fooled by a job whose transaction rolled back, and still wakes for the next', async () => {
    const store = await createTestStore('sqlite');
    stores.push(store);
    const jobs = new JobRepository(store.db, 'sqlite', systemClock, inProcessWakeup());
    const { seen, job, ran } = recorder();
    const worker = await idleWorker(jobs, job);
    try {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await jobs.enqueue('test.wake', { n: 1 }, {}, trx);
          throw new Error('changed its mind');
        }),
        /changed its mind/,
      );
      await enqueueIn(store, jobs, 2);
      await ran(2);
      assert.deepEqual(seen, [2]);
    } finally {
      await worker.stop();
    }
  });

  it('wakes nobody for a job that is due later', async () => {
    const wakeup = inProcessWakeup();
    let woken = 0;
    wakeup.subscribe(() => woken++);
    const store = await createTestStore('sqlite');
    stores.push(store);
    const jobs = new JobRepository(store.db, 'sqlite', systemClock, wakeup);
    await jobs.enqueue('test.wake', { n: 1 }, { runAt: new Date(Date.now() + 60_000) });
    assert.equal(woken, 0);
    await jobs.enqueue('test.wake', { n: 2 });
    assert.equal(woken, 1);
  });
});

describe('waking the worker from elsewhere (PostgreSQL LISTEN/NOTIFY)', { skip: skipFor('postgres') }, () => {
  const stores: TestStore[] = [];
  const wakeups: JobWakeup[] = [];
  after(async () => {
    for (const w of wakeups) await w.close();
    for (const s of stores) await s.drop();
  });
  const fresh = async () => {
    const store = await createTestStore('postgres');
    stores.push(store);
    const wakeup = postgresWakeup(store);
    wakeups.push(wakeup);
    return { store, jobs: new JobRepository(store.db, 'postgres', systemClock, wakeup) };
  };

  it('runs a job queued through another connection pool at once, when its transaction commits', async () => {
    const { store, jobs } = await fresh();
    const { seen, job, ran } = recorder();
    const worker = await idleWorker(jobs, job);
    const other = store.openAnother();
    const otherWakeup = postgresWakeup(other);
    const otherJobs = new JobRepository(other.db, 'postgres', systemClock, otherWakeup);
    try {
      // Told at commit, not before: a worker woken early would find nothing and sleep ten minutes.
      await other.db.transaction().execute(async (trx) => {
        await otherJobs.enqueue('test.wake', { n: 1 }, {}, trx);
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(seen, [], 'nothing runs before the commit');
      });
      await ran(1);
      // Also outside a transaction, and in this process's own pool.
      await jobs.enqueue('test.wake', { n: 2 });
      await ran(2);
    } finally {
      await worker.stop();
      await otherWakeup.close();
      await other.close();
    }
  });

  it('runs a job queued by another process at once', async () => {
    const { store, jobs } = await fresh();
    const { job, ran } = recorder();
    const worker = await idleWorker(jobs, job);
    try {
      const url = new URL(POSTGRES_URL!);
      const testDb = (await store.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('db')).execute())[0]!
        .db;
      url.pathname = `/${testDb}`;
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', new URL('./wakeup.fixture.ts', import.meta.url).pathname, url.toString(), store.schema!],
        { timeout: 30_000 },
      );
      // Committed and announced when the child is gone; the worker's poll is ten minutes away.
      await ran(7);
    } finally {
      await worker.stop();
    }
  });

  it('hears nothing of a job queued in another schema', async () => {
    const a = await fresh();
    const b = await fresh();
    const { seen, job } = recorder();
    const worker = await idleWorker(a.jobs, job);
    try {
      await b.jobs.enqueue('test.wake', { n: 1 });
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(seen, []);
    } finally {
      await worker.stop();
    }
  });
});
