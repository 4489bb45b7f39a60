import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, MINUTE, SECOND, systemClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { thisProcess } from '../lib/process-identity.ts';
import { migrateToLatest, openStore } from '../store/database.ts';
import { JobRepository } from './job.repository.ts';
import { createWorker, defineJob, type JobDefinition } from './worker.ts';

const logger = silentLogger();

function recorder() {
  const seen: string[] = [];
  const job = defineJob({
    name: 'test.record',
    payload: z.object({ n: z.number() }),
    perform: async (p) => {
      seen.push(String(p.n));
    },
  });
  return { seen, job };
}

for (const dialect of DIALECTS) {
  describe(`job queue on ${dialect}`, { skip: skipFor(dialect) }, () => {
    const stores: TestStore[] = [];
    const fresh = async () => {
      const s = await createTestStore(dialect);
      stores.push(s);
      return s;
    };
    after(async () => {
      for (const s of stores) await s.drop();
    });

    it('runs a queued job with its payload and marks it done', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const { seen, job } = recorder();
      const id = await jobs.enqueue('test.record', { n: 7 });
      const worker = createWorker({ jobs, definitions: [job], clock, logger });
      assert.equal(await worker.tick(), 1);
      assert.deepEqual(seen, ['7']);
      assert.equal((await jobs.get(id!))?.status, 'done');
    });

    it('does not run a job before its time', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const { seen, job } = recorder();
      await jobs.enqueue('test.record', { n: 1 }, { runAt: new Date(clock.now().getTime() + MINUTE) });
      const worker = createWorker({ jobs, definitions: [job], clock, logger });
      assert.equal(await worker.tick(), 0);
      clock.advance(MINUTE);
      assert.equal(await worker.tick(), 1);
      assert.deepEqual(seen, ['1']);
    });

    it('retries a failing job after its backoff and gives up after the last attempt', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      let calls = 0;
      const flaky: JobDefinition = defineJob({
        name: 'test.flaky',
        payload: z.null(),
        maxAttempts: 3,
        backoff: (attempt) => attempt * 10 * SECOND,
        perform: async () => {
          calls++;
          throw new Error('processor answered 503');
        },
      });
      // Enqueued without a count of its own: the definition's three attempts apply, not the default five.
      const id = (await jobs.enqueue('test.flaky', null))!;
      const worker = createWorker({ jobs, definitions: [flaky], clock, logger });
      await worker.tick();
      let row = await jobs.get(id);
      assert.equal(row?.status, 'queued');
      assert.equal(row?.last_error, 'processor answered 503');
      assert.equal(await worker.tick(), 0, 'not again before the backoff');
      clock.advance(10 * SECOND);
      await worker.tick();
      clock.advance(20 * SECOND);
      await worker.tick();
      row = await jobs.get(id);
      assert.equal(calls, 3);
      assert.equal(row?.status, 'failed');
      clock.advance(MINUTE);
      assert.equal(await worker.tick(), 0);
    });

    it('fails a job with an unknown name or a payload that does not match', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const { job } = recorder();
      const unknown = (await jobs.enqueue('test.nobody', {}))!;
      const bad = (await jobs.enqueue('test.record', { n: 'seven' }, { maxAttempts: 1 }))!;
      await createWorker({ jobs, definitions: [job], clock, logger }).tick();
      assert.equal((await jobs.get(unknown))?.status, 'failed');
      assert.match((await jobs.get(bad))?.last_error ?? '', /payload does not match/);
      assert.equal((await jobs.get(bad))?.status, 'failed');
    });

    it('runs a job once per dedupe key and frees the key only when the job failed for good', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const { seen, job } = recorder();
      assert.ok(await jobs.enqueue('test.record', { n: 1 }, { dedupeKey: 'daily:2026-11-01' }));
      assert.equal(await jobs.enqueue('test.record', { n: 2 }, { dedupeKey: 'daily:2026-11-01' }), undefined);
      await createWorker({ jobs, definitions: [job], clock, logger }).tick();
      assert.equal(await jobs.enqueue('test.record', { n: 3 }, { dedupeKey: 'daily:2026-11-01' }), undefined);
      assert.deepEqual(seen, ['1']);
      assert.ok(await jobs.enqueue('test.nobody', {}, { dedupeKey: 'once' }));
      await createWorker({ jobs, definitions: [job], clock, logger }).tick();
      assert.ok(await jobs.enqueue('test.nobody', {}, { dedupeKey: 'once' }), 'a failed job gives its key up');
    });

    it('gives a job whose worker died to another worker once the lease runs out', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const { seen, job } = recorder();
      const id = (await jobs.enqueue('test.record', { n: 5 }))!;
      // Worker A claims the job and dies before finishing it.
      const [claimed] = await jobs.claim('worker-a', 1, 60 * SECOND);
      assert.equal(claimed?.id, id);
      const b = createWorker({ jobs, definitions: [job], clock, logger, leaseMs: 60 * SECOND });
      assert.equal(await b.tick(), 0, 'the lease still holds');
      clock.advance(61 * SECOND);
      assert.equal(await b.tick(), 1);
      assert.deepEqual(seen, ['5']);
      assert.equal(await jobs.complete(id, 'worker-a'), false, 'a late finish by the dead worker is ignored');
      assert.equal((await jobs.get(id))?.attempts, 2);
    });

    it('takes the job of a dead worker on this host over at once, without waiting for its lease', async () => {
      const store = await fresh();
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const { seen, job } = recorder();
      await jobs.enqueue('test.record', { n: 7 });
      // A worker of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max) held it.
      const dead = {
        id: 'dead-worker',
        startedAt: clock.now().toISOString(),
        pid: 4_194_305,
        host: hostname(),
        pidNs: thisProcess().pidNs,
      };
      await jobs.heartbeat(dead);
      await jobs.claim(dead.id, 1, 60 * SECOND);
      // One on another host may still be alive: its jobs wait for their lease.
      await jobs.enqueue('test.record', { n: 8 });
      await jobs.heartbeat({ ...dead, id: 'elsewhere', host: 'another-host' });
      await jobs.claim('elsewhere', 1, 60 * SECOND);
      // So may one on this hostname in another pid namespace (another container): that pid is not ours to check.
      await jobs.enqueue('test.record', { n: 9 });
      await jobs.heartbeat({ ...dead, id: 'other-container', pidNs: 'pid:[4026530001]' });
      await jobs.claim('other-container', 1, 60 * SECOND);
      // And one whose namespace is unknown (a row from before it was recorded).
      await jobs.enqueue('test.record', { n: 10 });
      await jobs.heartbeat({ ...dead, id: 'unknown-namespace', pidNs: null });
      await jobs.claim('unknown-namespace', 1, 60 * SECOND);
      const b = createWorker({ jobs, definitions: [job], clock, logger, leaseMs: 60 * SECOND });
      assert.equal(await b.drain(), 1);
      assert.deepEqual(seen, ['7']);
      const workers = await store.db.selectFrom('workers').select('id').orderBy('id').execute();
      assert.deepEqual(
        workers.map((w) => w.id),
        ['elsewhere', 'other-container', 'unknown-namespace'],
        'the dead worker is forgotten; the others keep their jobs until their lease ends',
      );
    });

    it('records worker heartbeats and forgets a worker that stops', async () => {
      const store = await fresh();
      const jobs = new JobRepository(store.db, store.dialect, systemClock);
      const worker = createWorker({ jobs, definitions: [], clock: systemClock, logger, pollMs: 20 });
      worker.start();
      // The first beat is written without being awaited; on a loaded PostgreSQL it may take more than a tick.
      for (let i = 0; i < 250 && !(await jobs.lastHeartbeat()); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(await jobs.lastHeartbeat());
      await worker.stop();
      assert.equal(await jobs.lastHeartbeat(), undefined);
    });
  });
}

describe('job queue under concurrency', () => {
  it('never gives one job to two workers on PostgreSQL', { skip: skipFor('postgres') }, async () => {
    const store = await createTestStore('postgres', { poolSize: 4 });
    const other = store.openAnother();
    try {
      await runTwoWorkers(
        new JobRepository(store.db, 'postgres', systemClock),
        new JobRepository(other.db, 'postgres', systemClock),
      );
    } finally {
      await other.close();
      await store.drop();
    }
  });

  it('never gives one job to two workers sharing a SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-jobs-'));
    const file = join(dir, 'hub.db');
    const a = openStore({ dialect: 'sqlite', file });
    await migrateToLatest(a);
    const b = openStore({ dialect: 'sqlite', file });
    try {
      await runTwoWorkers(
        new JobRepository(a.db, 'sqlite', systemClock),
        new JobRepository(b.db, 'sqlite', systemClock),
      );
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps queued jobs across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-jobs-'));
    const file = join(dir, 'hub.db');
    try {
      const first = openStore({ dialect: 'sqlite', file });
      await migrateToLatest(first);
      await new JobRepository(first.db, 'sqlite', systemClock).enqueue('test.record', { n: 42 });
      await first.close();
      const second = openStore({ dialect: 'sqlite', file });
      const { seen, job } = recorder();
      const jobs = new JobRepository(second.db, 'sqlite', systemClock);
      await createWorker({ jobs, definitions: [job], clock: systemClock, logger }).tick();
      assert.deepEqual(seen, ['42']);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function runTwoWorkers(a: JobRepository, b: JobRepository): Promise<void> {
  const total = 120;
  for (let n = 0; n < total; n++) await a.enqueue('test.record', { n });
  const runs: string[] = [];
  const job = defineJob({
    name: 'test.record',
    payload: z.object({ n: z.number() }),
    perform: async (p) => {
      runs.push(String(p.n));
      await new Promise((r) => setTimeout(r, 1));
    },
  });
  const drain = async (jobs: JobRepository) => {
    const w = createWorker({ jobs, definitions: [job], clock: systemClock, logger, concurrency: 3 });
    while ((await w.tick()) > 0) {}
    return w;
  };
  await Promise.all([drain(a), drain(b)]);
  assert.equal(runs.length, total, 'every job ran exactly once in all');
  assert.equal(new Set(runs).size, total, 'no job ran twice');
  const counts = await a.counts();
  assert.equal(counts.done, total);
}
