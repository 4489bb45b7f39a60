/**
 * The demo shop: a realistic Balkonzon webshop database (customers, guest orders, order lines,
 * invoices, payments, shipments, reviews, contact moments) to try Inzage on a fresh machine.
 */
import { validationFailed } from '../lib/errors.ts';
import { DemoShopGenerator } from './demo-shop.generator.ts';
import type { DemoShopWriter } from './demo-shop.writer.ts';
import { openMysqlWriter } from './mysql-writer.ts';
import { openPostgresWriter } from './postgres-writer.ts';
import type { RowCounts } from './row-buffer.ts';
import { openSqliteWriter } from './sqlite-writer.ts';

export { DEMO_SCHEMA, TABLE_NAMES, type TableName } from './demo-shop.schema.ts';
export { SANNE } from './sanne.ts';

/** Generated dates count back from this moment unless told otherwise, so the data does not shift daily. */
export const DEFAULT_DEMO_NOW = new Date('2026-11-01T00:00:00Z');
export const DEFAULT_DEMO_SEED = 1;

export type DemoShopTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema?: string }
  | { kind: 'mysql'; url: string };

export interface DemoShopOptions {
  customers: number;
  seed?: number;
  /** The shop's "now"; default 2026-11-01T00:00:00Z. */
  now?: Date;
  target: DemoShopTarget;
  /** Called after each written batch with the number of customers done so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoShopSummary {
  target: DemoShopTarget;
  seed: number;
  now: string;
  rows: RowCounts;
  durationMs: number;
}

/**
 * Rows held in memory before they are handed to the writer. Small on purpose: rows that die young are
 * nearly free for the garbage collector, while 50,000-row batches got promoted and doubled the time.
 */
const ROWS_PER_BATCH = 4_000;

/** (Re)creates the demo shop tables in the target and fills them; the same seed and `now` give the same rows. */
export async function generateDemoShop(options: DemoShopOptions): Promise<DemoShopSummary> {
  const { customers, onProgress } = options;
  if (!Number.isSafeInteger(customers) || customers < 1) {
    throw validationFailed(`customers must be a positive whole number, got ${customers}`, 'customers');
  }
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(seed)) throw validationFailed(`seed must be a whole number, got ${seed}`, 'seed');
  const now = options.now ?? DEFAULT_DEMO_NOW;
  const started = performance.now();
  const writer = await openWriter(options.target);
  const generator = new DemoShopGenerator({ seed, now });
  try {
    let done = 0;
    while (done < customers) {
      done += generator.nextCustomers(customers - done);
      if (generator.rows.pendingRows >= ROWS_PER_BATCH) {
        await writer.write(generator.rows.take());
        onProgress?.(done, customers);
      }
    }
    await writer.write(generator.rows.take());
    await writer.finish();
    onProgress?.(customers, customers);
  } finally {
    await writer.close();
  }
  return {
    target: options.target,
    seed,
    now: now.toISOString(),
    rows: { ...generator.rows.counts },
    durationMs: Math.round(performance.now() - started),
  };
}

function openWriter(target: DemoShopTarget): Promise<DemoShopWriter> | DemoShopWriter {
  if (target.kind === 'sqlite') return openSqliteWriter(target.file);
  if (target.kind === 'mysql') return openMysqlWriter(target.url);
  return openPostgresWriter(target.url, target.schema);
}
