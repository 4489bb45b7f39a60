/**
 * The retention issue's PostgreSQL figures: plan and run on a demo shop in PostgreSQL, with the hub's
 * own store (sealed archive, register) in PostgreSQL too, as in production.
 *
 *   npm run bench -- retention-postgres [--customers N] [--at YYYY-MM-DD] [--limit N] [--url postgres://…]
 *
 * A run changes the shop, so each run writes a fresh shop (same seed, same people) into the schema
 * `retention_shop` and a fresh hub into `retention_hub`; writing the shop is not part of the timings.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrateToLatest, openStore } from '../src/store/database.ts';
import { exampleRetention, planAndRun, planLines } from './retention-setup.ts';

const SHOP = 'retention_shop';
const HUB = 'retention_hub';
const BIN = new URL('../bin/inzage.js', import.meta.url).pathname;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string', default: '1000000' },
      at: { type: 'string', default: '2026-11-01' },
      limit: { type: 'string' },
      url: {
        type: 'string',
        default: process.env.INZAGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      },
    },
  });
  const customers = Number(values.customers);
  const at = new Date(`${values.at}T12:00:00Z`);
  const url = values.url!;

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const schema of [SHOP, HUB]) await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`create schema ${HUB}`);
  await admin.end();
  process.stdout.write(`writing a demo shop of ${customers.toLocaleString('en')} customers into ${SHOP} …\n`);
  // In a process of its own, so that the peak memory reported below is the sweep's alone.
  const writing = performance.now();
  execFileSync(
    process.execPath,
    [BIN, 'demo', 'seed', '--customers', String(customers), '--url', url, '--schema', SHOP],
    { stdio: 'ignore' },
  );
  process.stdout.write(`  done in ${((performance.now() - writing) / 1000).toFixed(1)} s\n`);

  const hub = openStore({ dialect: 'postgres', url }, { schema: HUB });
  await migrateToLatest(hub);
  const { executor, retention } = exampleRetention({ shopUrl: url, schema: SHOP, hub, at });
  try {
    const m = await planAndRun(retention, at, values.limit ? Number(values.limit) : undefined);
    const { plan, summary } = m;
    const n = plan.emails.length;
    process.stdout.write(
      [
        ...planLines(m, 'postgres (shop and hub)', customers, values.at!),
        `  run     ${m.runSeconds.toFixed(1)} s = ${Math.round(n / m.runSeconds).toLocaleString('en')} people/s (peak RSS ${m.rssAfterRun.toFixed(0)} MB), erased ${summary.erased}, failed batches ${summary.failedBatches}`,
        `  sealed  ${summary.perCollection.reduce((s, c) => s + c.sealed, 0).toLocaleString('en')} records; destroyed past their hold: ${summary.expiredHolds.map((h) => `${h.collection} ${h.records}`).join(', ')}`,
        '',
      ].join('\n'),
    );
  } finally {
    await executor.close();
    await hub.close();
  }
}
