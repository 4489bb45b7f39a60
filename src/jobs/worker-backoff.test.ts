import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createTestStore, skipFor, testPostgresUrl } from '../../test/helpers/db.ts';
import { makeUnwritable } from '../../test/helpers/unwritable.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { migrateToLatest, openStore } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { JobRepository } from './job.repository.ts';
import { createWorker, failureBackoff } from './worker.ts';

/** A logger whose lines the test reads, as JSON objects. */
function capturedLogger() {
  const lines: Array<{ msg: string; level: number; err?: { code?: string } }> = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a worker polling every 5 ms for a second against `jobs`; counts its rounds and failure lines.
 * Without a backoff that is some two hundred rounds, and as many lines in the log.
 */
async function runFor(jobs: JobRepository, ms = 1000) {
  let rounds = 0;
  const claim = jobs.claim.bind(jobs);
  jobs.claim = (...args) => {
    rounds++;
    return claim(...args);
  };
  const { logger, lines } = capturedLogger();
  const worker = createWorker({ jobs, definitions: [], clock: systemClock, logger, pollMs: 5 });
  worker.start();
  await sleep(ms);
  await worker.stop();
  return { rounds, failures: lines.filter((l) => l.msg === 'worker round failed; waiting longer'), lines };
}

describe('the worker when the store fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-worker-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('waits twice as long after each failed round, at most 30 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((n) => failureBackoff(n, 200)),
      [400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000],
    );
  });

  it('backs off on a read-only SQLite file instead of logging several times a second', async (t) => {
    const file = join(dir, 'hub.db');
    const setup = openStore({ dialect: 'sqlite', file });
    await migrateToLatest(setup);
    await setup.close();
    const undo = makeUnwritable(file);
    if (!undo) return t.skip('neither chattr (as root) nor chmod can make a file read-only here');
    after(undo);
    const store = openStore({ dialect: 'sqlite', file });
    after(() => store.close());
    const { rounds, failures } = await runFor(new JobRepository(store.db, 'sqlite', systemClock));
    assert.ok(rounds >= 2 && rounds <= 5, `${rounds} rounds in a second`);
    assert.equal(failures.length, rounds);
    assert.equal(failures[0]!.err?.code, 'SQLITE_READONLY', 'the log names the cause');
  });

  it('backs off on a read-only PostgreSQL database the same way', { skip: skipFor('postgres') }, async () => {
    const store = await createTestStore('postgres');
    after(() => store.drop());
    const pool = new pg.Pool({
      connectionString: await testPostgresUrl(),
      max: 2,
      options: `-c search_path=${store.schema} -c default_transaction_read_only=on`,
    });
    const readOnly = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    after(() => readOnly.destroy());
    const { rounds, failures } = await runFor(new JobRepository(readOnly, 'postgres', systemClock));
    assert.ok(rounds >= 2 && rounds <= 5, `${rounds} rounds in a second`);
    assert.equal(failures.length, rounds);
    assert.equal(failures[0]!.err?.code, '25006');
  });

  it('is back at its pace once the store answers again, and says so once', async () => {
    const store = await createTestStore('sqlite');
    after(() => store.drop());
    const jobs = new JobRepository(store.db, 'sqlite', systemClock);
    let broken = true;
    const claim = jobs.claim.bind(jobs);
    jobs.claim = (...args) =>
      broken
        ? Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))
        : claim(...args);
    const { logger, lines } = capturedLogger();
    const worker = createWorker({ jobs, definitions: [], clock: systemClock, logger, pollMs: 5 });
    worker.start();
    await sleep(300);
    broken = false;
    await sleep(1000);
    await worker.stop();
    const failed = lines.filter((l) => l.msg === 'worker round failed; waiting longer').length;
    assert.ok(failed >= 1 && failed <= 3, `${failed} failure lines`);
    assert.equal(lines.filter((l) => l.msg === 'worker works again').length, 1);
  });
});
