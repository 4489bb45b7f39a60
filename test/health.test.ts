import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ApiRegistry } from '../src/http/api/api-route.ts';
import { registerHealthRoutes } from '../src/http/api/health.routes.ts';
import type { AppDeps } from '../src/http/app.ts';
import { JobRepository } from '../src/jobs/job.repository.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { migrateToLatest, openStore, type Store } from '../src/store/database.ts';
import type { Database } from '../src/store/schema.ts';
import { createTestStore, skipFor, testPostgresUrl } from './helpers/db.ts';
import { makeUnwritable } from './helpers/unwritable.ts';

interface Health {
  status: string;
  checks: Record<'store' | 'migrations' | 'worker', { ok: boolean; detail?: string }>;
}

/** /healthz over a store, as the server builds it. */
async function healthOf(store: Pick<Store, 'db' | 'dialect' | 'schema'>): Promise<{ status: number; body: Health }> {
  const clock = new FakeClock();
  const app = Fastify();
  const jobs = new JobRepository(store.db, store.dialect, clock);
  registerHealthRoutes(app, new ApiRegistry(), { store, jobs, clock } as unknown as AppDeps);
  try {
    const res = await app.inject({ url: '/healthz' });
    return { status: res.statusCode, body: res.json() as Health };
  } finally {
    await app.close();
  }
}

describe('health of a SQLite store that cannot be written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-health-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is ok for a store that can be written and has a live worker', async () => {
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'fine.db') });
    after(() => store.close());
    await migrateToLatest(store);
    await new JobRepository(store.db, 'sqlite', new FakeClock()).heartbeat({
      id: 'w1',
      startedAt: new FakeClock().now().toISOString(),
      pid: 1,
      host: 'test',
    });
    const { status, body } = await healthOf(store);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.checks.store, { ok: true });
    assert.equal(
      (await store.db.selectFrom('store_probe').selectAll().execute()).length,
      0,
      'the probe leaves nothing',
    );
  });

  it('says a read-only file cannot be written, rather than that no worker has reported', async (t) => {
    const file = join(dir, 'read-only.db');
    const setup = openStore({ dialect: 'sqlite', file });
    await migrateToLatest(setup);
    await setup.close();
    const undo = makeUnwritable(file);
    if (!undo) return t.skip('neither chattr (as root) nor chmod can make a file read-only here');
    after(undo);
    const store = openStore({ dialect: 'sqlite', file });
    after(() => store.close());
    const { status, body } = await healthOf(store);
    assert.equal(status, 503);
    assert.equal(body.status, 'degraded');
    assert.equal(body.checks.store.ok, false);
    assert.match(
      body.checks.store.detail!,
      /^cannot be written: attempt to write a readonly database \(SQLITE_READONLY\)$/,
    );
    assert.equal(
      body.checks.worker.detail,
      'no worker has reported: the store cannot be written, so no worker can report',
    );
  });

  it('says a full disk is full (SQLITE_FULL)', async () => {
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'full.db') });
    after(() => store.close());
    await migrateToLatest(store);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + 8}`).execute(store.db);
    // Fill what is left, as the jobs and mail of a busy day would.
    for (let i = 0; ; i++) {
      const full = await store.db
        .insertInto('jobs')
        .values({
          id: `j${i}`,
          name: 'filler',
          payload: 'x'.repeat(2000),
          status: 'done',
          attempts: 1,
          max_attempts: 1,
          run_at: '2026-11-01T09:00:00Z',
          created_at: '2026-11-01T09:00:00Z',
          updated_at: '2026-11-01T09:00:00Z',
        })
        .execute()
        .then(
          () => false,
          (err: { code?: string }) => err.code === 'SQLITE_FULL',
        );
      if (full) break;
      assert.ok(i < 100, 'the store fills up');
    }
    const { status, body } = await healthOf(store);
    assert.equal(status, 503);
    assert.equal(body.checks.store.ok, false);
    assert.equal(body.checks.store.detail, 'cannot be written: database or disk is full (SQLITE_FULL)');
  });
});

describe('health of a PostgreSQL store that cannot be written', { skip: skipFor('postgres') }, () => {
  it('says a read-only database cannot be written', async () => {
    const store = await createTestStore('postgres');
    after(() => store.drop());
    // The same schema through connections that may only read, as on a read-only replica.
    const pool = new pg.Pool({
      connectionString: await testPostgresUrl(),
      max: 2,
      options: `-c search_path=${store.schema} -c default_transaction_read_only=on`,
    });
    const readOnly = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    after(() => readOnly.destroy());
    const { status, body } = await healthOf({ db: readOnly, dialect: 'postgres', schema: store.schema });
    assert.equal(status, 503);
    assert.equal(body.checks.store.ok, false);
    assert.equal(
      body.checks.store.detail,
      'cannot be written: cannot execute INSERT in a read-only transaction (25006)',
    );
    assert.match(body.checks.worker.detail!, /the store cannot be written, so no worker can report/);
  });
});
