import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DEMO_SEED, type DemoShopSummary, type DemoShopTarget, generateDemoShop } from './demo-shop.ts';

export interface DemoCommandDeps {
  /** The data folder; the demo shop's SQLite file goes here unless `--url` names a PostgreSQL database. */
  dataDir: () => string;
  out: (s: string) => void;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive whole number such as 1000, got "${value}".`);
  }
  return n;
}

function seedNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a whole number of 0 or more, got "${value}".`);
  }
  return n;
}

/** Adds `demo seed` to the program. */
export function registerDemoCommands(program: Command, deps: DemoCommandDeps): void {
  const demo = program.command('demo').description('the demo webshop database to try Inzage on');
  demo
    .command('seed')
    .description('(re)create the demo shop: customers, guest orders, invoices, payments, shipments, reviews')
    .requiredOption('--customers <n>', 'number of customer accounts', positiveInteger)
    .option('--seed <s>', 'random seed; the same seed gives the same shop', seedNumber, DEFAULT_DEMO_SEED)
    .option('--url <url>', 'write to this PostgreSQL database (postgres://…) instead of SQLite')
    .option('--schema <name>', 'PostgreSQL schema to (re)create the tables in', 'public')
    .action(async (opts: { customers: number; seed: number; url?: string; schema: string }) => {
      const target: DemoShopTarget = opts.url
        ? { kind: 'postgres', url: opts.url, schema: opts.schema }
        : { kind: 'sqlite', file: join(deps.dataDir(), 'demo-shop.db') };
      deps.out(`Seeding ${opts.customers.toLocaleString('en')} customers (seed ${opts.seed}) into ${describe(target)}`);
      let reported = 0;
      const summary = await generateDemoShop({
        customers: opts.customers,
        seed: opts.seed,
        target,
        onProgress: (done, total) => {
          const percent = Math.floor((done / total) * 10) * 10;
          if (percent > reported && done < total) {
            reported = percent;
            deps.out(`  ${percent}% (${done.toLocaleString('en')} customers)`);
          }
        },
      });
      deps.out(formatSummary(summary));
    });
}

/** The target without a password. */
function describe(target: DemoShopTarget): string {
  if (target.kind === 'sqlite') return target.file;
  try {
    const url = new URL(target.url);
    if (url.password) url.password = '***';
    return `${url.toString()} (schema ${target.schema ?? 'public'})`;
  } catch {
    return `PostgreSQL (schema ${target.schema ?? 'public'})`;
  }
}

export function formatSummary(summary: DemoShopSummary): string {
  const width = Math.max(...Object.keys(summary.rows).map((t) => t.length));
  const lines = Object.entries(summary.rows).map(
    ([table, count]) => `  ${table.padEnd(width)}  ${count.toLocaleString('en').padStart(11)}`,
  );
  return [`Demo shop ready in ${(summary.durationMs / 1000).toFixed(1)} s:`, ...lines].join('\n');
}
