import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../lib/logger.ts';
import { generateDemoShop } from './demo-shop.ts';

export const DEMO_CUSTOMERS_ON_FIRST_START = 1000;

/**
 * A fresh machine has no shop to look at: the first `npm start` with the example
 * configuration writes the demo shop, so the data map points at something real.
 * INZAGE_DEMO=0 or INZAGE_SHOP_DATABASE_URL (a real shop) turns this off.
 */
export async function ensureDemoShop(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<string | undefined> {
  if (env.INZAGE_DEMO === '0' || env.INZAGE_DEMO === 'false' || env.INZAGE_SHOP_DATABASE_URL) return undefined;
  const file = join(dataDir, 'demo-shop.db');
  if (existsSync(file)) return undefined;
  const summary = await generateDemoShop({
    customers: DEMO_CUSTOMERS_ON_FIRST_START,
    target: { kind: 'sqlite', file },
  });
  logger.info({ rows: summary.rows, durationMs: summary.durationMs }, 'demo shop created');
  return file;
}
