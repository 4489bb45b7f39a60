import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestStore, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FIRST_ANALYZE_AFTER, statisticsKeeper } from './postgres-statistics.ts';

describe('the statistics a bulk job keeps', () => {
  it('analyzes a table once it has about doubled since the last analyze, per table', async () => {
    const analyzed: string[] = [];
    const grew = statisticsKeeper(async (table) => {
      analyzed.push(table);
    }, 100);
    await grew('requests', 99);
    assert.deepEqual(analyzed, [], 'fewer rows than the first threshold: not yet');
    await grew('requests', 1);
    assert.deepEqual(analyzed, ['requests']);
    await grew('requests', 99);
    await grew('jobs', 100);
    assert.deepEqual(analyzed, ['requests', 'jobs'], 'each table counts its own rows');
    await grew('requests', 1);
    await grew('requests', 199);
    assert.deepEqual(analyzed, ['requests', 'jobs', 'requests'], '100 + 100 added: the next at 200 more');
    await grew('requests', 1);
    assert.deepEqual(analyzed, ['requests', 'jobs', 'requests', 'requests']);
  });

  it('tries again with the next rows when an analyze failed', async () => {
    let fail = true;
    const analyzed: string[] = [];
    const grew = statisticsKeeper(async (table) => {
      if (fail) throw new Error('Connection terminated unexpectedly');
      analyzed.push(table);
    }, 10);
    await assert.rejects(() => grew('requests', 10), /Connection terminated/);
    fail = false;
    await grew('requests', 1);
    assert.deepEqual(analyzed, ['requests']);
  });
});

describe('a PostgreSQL hub told that a table grew', { skip: skipFor('postgres') }, () => {
  let store: TestStore;
  before(async () => {
    store = await createTestStore('postgres');
  });
  after(() => store?.drop());

  const analyzeCount = async () => {
    const { rows } = await sql<{ n: string }>`
      select analyze_count as n from pg_stat_user_tables where schemaname = current_schema() and relname = 'requests'`.execute(
      store.db,
    );
    return Number(rows[0]?.n);
  };

  it('analyzes it in its own schema, as it doubles', async () => {
    assert.equal(await analyzeCount(), 0);
    await store.grew('requests', FIRST_ANALYZE_AFTER - 1);
    assert.equal(await analyzeCount(), 0);
    await store.grew('requests', 1);
    assert.equal(await analyzeCount(), 1);
    await store.grew('requests', FIRST_ANALYZE_AFTER - 1);
    assert.equal(await analyzeCount(), 1);
    await store.grew('requests', 1);
    assert.equal(await analyzeCount(), 2);
  });
});
