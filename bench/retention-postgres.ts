/**
 * The retention issue's PostgreSQL figures: plan and run on a demo shop in PostgreSQL, with the hub's
 * own store (sealed archive, register) in PostgreSQL too, as in production, next to a hand-written SQL
 * bulk erasure of the same people (bench/retention-baseline.ts) on a second shop of the same seed.
 *
 *   npm run bench -- retention-postgres [--customers N] [--at YYYY-MM-DD] [--limit N] [--batch N] [--engine-only] [--url postgres://…]
 *
 * A run changes the shop, so each run drops the schemas it made last time and writes a fresh shop (same
 * seed, same people) into `retention_shop`, a fresh hub into `retention_hub`; after the engine's run a
 * second fresh shop into `retention_hand_shop`, on which the hand-written side erases the plan's people
 * with its archive in `retention_hand_archive`. Each shop is written (in a process of its own) and
 * checkpointed just before its side runs; writing is not part of the timings.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrateToLatest, openStore } from '../src/store/database.ts';
import { handWrittenRetentionPostgres } from './retention-baseline.ts';
import { exampleRetention, planAndRun, planLines, SECRET } from './retention-setup.ts';

const SHOP = 'retention_shop';
const HUB = 'retention_hub';
const HAND_SHOP = 'retention_hand_shop';
const HAND_ARCHIVE = 'retention_hand_archive';
const BIN = new URL('../bin/inzage.js', import.meta.url).pathname;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string', default: '1000000' },
      at: { type: 'string', default: '2026-11-01' },
      limit: { type: 'string' },
      // People per batch (default the service's).
      batch: { type: 'string' },
      // Leave out the hand-written side (for profiling the engine alone).
      'engine-only': { type: 'boolean', default: false },
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
  for (const schema of [SHOP, HUB, HAND_SHOP, HAND_ARCHIVE])
    await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`create schema ${HUB}`);
  await admin.end();
  await writeShop(url, SHOP, customers);

  const hub = openStore({ dialect: 'postgres', url }, { schema: HUB });
  await migrateToLatest(hub);
  const { executor, retention } = exampleRetention({
    shopUrl: url,
    schema: SHOP,
    hub,
    at,
    ...(values.batch ? { batchSize: Number(values.batch) } : {}),
  });
  try {
    const m = await planAndRun(retention, at, values.limit ? Number(values.limit) : undefined);
    const { plan, summary } = m;
    const n = plan.emails.length;
    const engineSealed = summary.perCollection.reduce((s, c) => s + c.sealed, 0);
    const engineDestroyed = summary.expiredHolds.map((h) => `${h.collection} ${h.records}`).join(', ');
    const engineRun = `${m.runSeconds.toFixed(1)} s = ${Math.round(n / m.runSeconds).toLocaleString('en')} people/s (peak RSS ${m.rssAfterRun.toFixed(0)} MB), erased ${summary.erased}, failed batches ${summary.failedBatches}`;
    if (values['engine-only']) {
      process.stdout.write(
        [
          ...planLines(m, 'postgres (shop and hub)', customers, values.at!),
          `  run     engine only ${engineRun}`,
          `  sealed  ${engineSealed.toLocaleString('en')} records; destroyed past their hold: ${engineDestroyed}`,
          '',
        ].join('\n'),
      );
      return;
    }
    await writeShop(url, HAND_SHOP, customers);
    const started = performance.now();
    const hand = await handWrittenRetentionPostgres(url, HAND_SHOP, HAND_ARCHIVE, plan.emails, at, SECRET);
    const handSeconds = (performance.now() - started) / 1000;
    process.stdout.write(
      [
        ...planLines(m, 'postgres (shop and hub)', customers, values.at!),
        `  run     engine ${engineRun}`,
        `          hand-written SQL ${handSeconds.toFixed(1)} s = ${Math.round(n / handSeconds).toLocaleString('en')} people/s, ratio ${(m.runSeconds / handSeconds).toFixed(2)}×`,
        `  sealed  engine ${engineSealed.toLocaleString('en')} records, hand-written ${hand.sealed.toLocaleString('en')}`,
        `  destroyed past their hold: engine ${engineDestroyed}; hand-written invoices ${hand.expired.invoices}, payments ${hand.expired.payments}`,
        '',
      ].join('\n'),
    );
  } finally {
    await executor.close();
    await hub.close();
  }
}

/**
 * Writes a fresh demo shop into `schema`, in a process of its own (so that the peak memory reported is
 * the sweep's alone), then a checkpoint, so that the load's writeback does not compete with the run.
 */
async function writeShop(url: string, schema: string, customers: number): Promise<void> {
  process.stdout.write(`writing a demo shop of ${customers.toLocaleString('en')} customers into ${schema} …\n`);
  const writing = performance.now();
  execFileSync(
    process.execPath,
    [BIN, 'demo', 'seed', '--customers', String(customers), '--url', url, '--schema', schema],
    { stdio: 'ignore' },
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('checkpoint');
  } catch {
    // Not a superuser (nor pg_checkpoint): the run may then share the disk with the load's writeback.
  } finally {
    await client.end();
  }
  process.stdout.write(`  done in ${((performance.now() - writing) / 1000).toFixed(1)} s\n`);
}
