import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { validationFailed } from '../lib/errors.ts';
import { DEFAULT_DEMO_SEED, type DemoShopSummary, type DemoShopTarget, generateDemoShop } from './demo-shop.ts';
import {
  PLATFORM_PREFIX,
  PLATFORMS,
  type Platform,
  seedPlatformShop,
  WOO_STORAGES,
} from './platforms/platform-shop.ts';
import type { WooStorage } from './platforms/woocommerce.seed.ts';

export interface DemoCommandDeps {
  /** The data folder; the demo shop's SQLite file goes here unless `--url` names a PostgreSQL database. */
  dataDir: () => string;
  out: (s: string) => void;
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
    .requiredOption(
      '--customers <n>',
      'number of customers (besides, with --platform, the fixed cast)',
      positiveInteger,
    )
    .option('--seed <s>', 'random seed; the same seed gives the same shop', seedNumber, DEFAULT_DEMO_SEED)
    .option(
      '--url <url>',
      'write to this PostgreSQL (postgres://…) or MySQL/MariaDB database (mysql://…, which must exist) instead of SQLite',
    )
    .option(
      '--schema <name>',
      'with --url postgres://…: the schema to (re)create the tables in (on MySQL/MariaDB the database in the URL is the schema)',
      'public',
    )
    .option(
      '--platform <name>',
      `a shop of this platform, in MySQL/MariaDB at --url: ${PLATFORMS.join(' or ')}`,
      platformName,
    )
    .option(
      '--prefix <prefix>',
      'with --platform: the table prefix (default wp_ or ps_, or WOO_TABLE_PREFIX / PS_TABLE_PREFIX)',
    )
    .option(
      '--storage <kind>',
      `with --platform woocommerce: where orders are kept, ${WOO_STORAGES.join(', ')}`,
      storageKind,
    )
    .option('--empty', 'with --platform: only the tables, as a fresh install')
    .action(async (opts: SeedOptions, command: Command) => {
      // A schema given where it means nothing would be ignored without a word: the shop would land elsewhere.
      if (command.getOptionValueSource('schema') === 'cli' && !/^postgres(ql)?:\/\//.test(opts.url ?? ''))
        throw validationFailed(
          '--schema is for a PostgreSQL shop (--url postgres://…); on MySQL/MariaDB the database in --url is the schema',
          'schema',
        );
      if (opts.platform) return seedPlatform(opts.platform, opts, deps);
      const target: DemoShopTarget = !opts.url
        ? { kind: 'sqlite', file: join(deps.dataDir(), 'demo-shop.db') }
        : /^(mysql|mariadb):\/\//.test(opts.url)
          ? { kind: 'mysql', url: opts.url }
          : { kind: 'postgres', url: opts.url, schema: opts.schema };
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

interface SeedOptions {
  customers: number;
  seed: number;
  url?: string;
  schema: string;
  platform?: Platform;
  prefix?: string;
  storage?: WooStorage;
  empty?: boolean;
}

async function seedPlatform(platform: Platform, opts: SeedOptions, deps: DemoCommandDeps): Promise<void> {
  if (!opts.url || !/^(mysql|mariadb):\/\//.test(opts.url))
    throw validationFailed(`--platform ${platform} writes to MySQL/MariaDB: give --url mysql://…`, 'url');
  const { variable } = PLATFORM_PREFIX[platform];
  const prefix = opts.prefix ?? (process.env[variable] || undefined);
  const what = opts.empty
    ? 'the tables of a fresh install'
    : `${opts.customers.toLocaleString('en')} customers and the cast`;
  deps.out(`Seeding a ${platform} shop (${what}, seed ${opts.seed}) into ${describeUrl(opts.url)}`);
  const summary = await seedPlatformShop({
    platform,
    url: opts.url,
    prefix,
    customers: opts.customers,
    seed: opts.seed,
    storage: opts.storage,
    empty: opts.empty,
    onProgress: (done, total) => {
      if (done % Math.max(1000, Math.floor(total / 10)) === 0 && done < total)
        deps.out(`  ${done.toLocaleString('en')} customers`);
    },
  });
  deps.out(formatSummary({ rows: summary.rows, durationMs: summary.durationMs } as DemoShopSummary));
  deps.out(`Tables have the prefix ${summary.prefix}`);
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive whole number such as 1000, got "${value}".`);
  }
  return n;
}

function platformName(value: string): Platform {
  if (!(PLATFORMS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected ${PLATFORMS.join(' or ')}, got "${value}".`);
  return value as Platform;
}

function storageKind(value: string): WooStorage {
  if (!(WOO_STORAGES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected ${WOO_STORAGES.join(', ')}, got "${value}".`);
  return value as WooStorage;
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'MySQL';
  }
}

/** The target without a password. */
function describe(target: DemoShopTarget): string {
  if (target.kind === 'sqlite') return target.file;
  if (target.kind === 'mysql') return describeUrl(target.url);
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
