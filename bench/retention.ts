/**
 * The retention issue's figures: plan and run on a demo shop of 1,000,000 customers, next to a
 * hand-written SQL bulk erasure of the same people on a second copy of the same shop, in one run.
 *
 *   npm run bench -- retention [--customers N] [--at YYYY-MM-DD]
 *
 * Both sides erase the same people (the plan's list), seal the same held rows (AES-256-GCM, a key per
 * person), write one register row per person, and destroy what is past its legal hold.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoShop } from '../src/demo/demo-shop.ts';
import { migrateToLatest, openStore } from '../src/store/database.ts';
import { handWrittenRetention } from './retention-baseline.ts';
import { exampleRetention, planAndRun, planLines, SECRET } from './retention-setup.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string', default: '1000000' },
      at: { type: 'string', default: '2026-11-01' },
      limit: { type: 'string' },
      // Leave out the hand-written side (for profiling the engine alone).
      'engine-only': { type: 'boolean', default: false },
      // People per batch (default the service's).
      batch: { type: 'string' },
    },
  });
  const customers = Number(values.customers);
  const at = new Date(`${values.at}T12:00:00Z`);
  const dir = join(import.meta.dirname, '.data');
  mkdirSync(dir, { recursive: true });
  const pristine = join(dir, `retention-${customers}.db`);
  if (!existsSync(pristine)) {
    process.stdout.write(`generating a demo shop of ${customers.toLocaleString('en')} customers …\n`);
    await generateDemoShop({ customers, target: { kind: 'sqlite', file: pristine } });
  }
  // Each side works on its own copy; the pristine shop stays for the next run.
  const engineShop = join(dir, 'retention-engine.db');
  const handShop = join(dir, 'retention-hand.db');
  for (const f of [engineShop, handShop]) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });
    copyFileSync(pristine, f);
    // Written out before the clock starts: the copies' writeback would otherwise compete with the run.
    const fd = openSync(f, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }
  const hubFile = join(dir, 'retention-hub.db');
  // The hand-written side's archive starts empty too: dropping the last run's tables (3.5 s at 200,000
  // customers) was counted in its time.
  const handArchive = join(dir, 'retention-hand-archive.db');
  for (const f of [hubFile, handArchive])
    for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });

  const hub = openStore({ dialect: 'sqlite', file: hubFile });
  await migrateToLatest(hub);
  const { executor, retention } = exampleRetention({
    shopUrl: engineShop,
    hub,
    at,
    ...(values.batch ? { batchSize: Number(values.batch) } : {}),
  });
  try {
    const m = await planAndRun(retention, at, values.limit ? Number(values.limit) : undefined);
    const { plan, summary } = m;
    const n = plan.emails.length;
    if (values['engine-only']) {
      process.stdout.write(
        `\nengine only: plan ${m.planSeconds.toFixed(1)} s (peak RSS ${m.rssAfterPlan.toFixed(0)} MB), run ${m.runSeconds.toFixed(1)} s = ${Math.round(n / m.runSeconds)} people/s (peak RSS ${m.rssAfterRun.toFixed(0)} MB)\n`,
      );
      return;
    }
    const started = performance.now();
    const hand = handWrittenRetention(handShop, handArchive, plan.emails, at, SECRET);
    const handSeconds = (performance.now() - started) / 1000;

    const lines = [
      ...planLines(m, 'sqlite', customers, values.at!),
      `  run     engine ${m.runSeconds.toFixed(1)} s = ${Math.round(n / m.runSeconds).toLocaleString('en')} people/s (peak RSS ${m.rssAfterRun.toFixed(0)} MB), erased ${summary.erased}, failed batches ${summary.failedBatches}`,
      `          hand-written SQL ${handSeconds.toFixed(1)} s = ${Math.round(n / handSeconds).toLocaleString('en')} people/s, ratio ${(m.runSeconds / handSeconds).toFixed(2)}×`,
      `  sealed  engine ${summary.perCollection.reduce((s, c) => s + c.sealed, 0).toLocaleString('en')} records, hand-written ${hand.sealed.toLocaleString('en')}`,
      `  destroyed past their hold: engine ${summary.expiredHolds.map((h) => `${h.collection} ${h.records}`).join(', ')}; hand-written ${hand.expired}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await executor.close();
    await hub.close();
  }
}
