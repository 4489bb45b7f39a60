import { MysqlShopWriter } from './mysql-shop-writer.ts';
import { seedPrestaShop } from './prestashop.seed.ts';
import { seedWooCommerce, type WooStorage } from './woocommerce.seed.ts';

export const PLATFORMS = ['woocommerce', 'prestashop'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const WOO_STORAGES: readonly WooStorage[] = ['sync', 'hpos', 'legacy'];

/** The prefix a platform's installer suggests, and the environment variable the example maps read it from. */
export const PLATFORM_PREFIX: Record<Platform, { variable: string; fallback: string }> = {
  woocommerce: { variable: 'WOO_TABLE_PREFIX', fallback: 'wp_' },
  prestashop: { variable: 'PS_TABLE_PREFIX', fallback: 'ps_' },
};

export interface PlatformShopOptions {
  platform: Platform;
  /** A mysql:// URL: both platforms run on MySQL or MariaDB. */
  url: string;
  prefix?: string;
  /** Random customers besides the fixed cast the tests follow. */
  customers: number;
  seed: number;
  /** WooCommerce only: where orders are kept (default `sync`: both copies). */
  storage?: WooStorage;
  now?: Date;
  /** Only the tables, as on a fresh install: no cast, no customers. */
  empty?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface PlatformShopSummary {
  prefix: string;
  rows: Record<string, number>;
  durationMs: number;
}

/** (Re)creates a platform's tables from its own schema and fills them with a realistic shop. */
export async function seedPlatformShop(options: PlatformShopOptions): Promise<PlatformShopSummary> {
  if (!/^(mysql|mariadb):\/\//.test(options.url)) throw new Error('a platform shop needs a mysql:// URL');
  const started = Date.now();
  const prefix = options.prefix ?? PLATFORM_PREFIX[options.platform].fallback;
  if (!/^[A-Za-z0-9_]*$/.test(prefix)) throw new Error(`table prefix "${prefix}" must be letters, digits and _ only`);
  const writer = await MysqlShopWriter.open(options.url, prefix);
  const now = options.now ?? new Date('2026-11-01T00:00:00Z');
  try {
    if (options.platform === 'woocommerce')
      await seedWooCommerce({ ...options, writer, now, storage: options.storage ?? 'sync' });
    else await seedPrestaShop({ ...options, writer, now });
  } finally {
    await writer.close();
  }
  return { prefix, rows: { ...writer.counts }, durationMs: Date.now() - started };
}
