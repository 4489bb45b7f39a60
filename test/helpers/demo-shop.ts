import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataMap, SqlSystem } from '../../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../../src/datamap/datamap.ts';
import { generateDemoShop } from '../../src/demo/demo-shop.ts';
import type { Dialect } from '../../src/store/database.ts';
import { testPostgresUrl, withPgClient } from './db.ts';
import { createMysqlTestDatabase } from './mysql.ts';

export const EXAMPLE_DATAMAP_FILE = new URL('../../examples/balkonzon/datamap.yaml', import.meta.url).pathname;

export interface TestShop {
  /** Connection URL of the shop database. */
  url: string;
  schema?: string;
  /** Balkonzon's data map with its shop system pointing here. */
  dataMap: DataMap;
  drop(): Promise<void>;
}

/** A generated demo shop in a temp SQLite file, its own PostgreSQL schema or its own MySQL/MariaDB database. */
export async function createTestShop(dialect: Dialect | 'mysql', customers = 150, seed = 7): Promise<TestShop> {
  if (dialect === 'mysql') return createMysqlTestShop(customers, seed);
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-shop-'));
    const file = join(dir, 'demo-shop.db');
    await generateDemoShop({ customers, seed, target: { kind: 'sqlite', file } });
    return {
      url: file,
      dataMap: exampleDataMap(file),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = await testPostgresUrl();
  const schema = `shop_${randomBytes(5).toString('hex')}`;
  await generateDemoShop({ customers, seed, target: { kind: 'postgres', url, schema } });
  return {
    url,
    schema,
    dataMap: exampleDataMap(url, schema),
    drop: () => withPgClient((c) => c.query(`drop schema if exists ${schema} cascade`), url).then(() => {}),
  };
}

export function exampleDataMap(url: string, schema?: string): DataMap {
  const loaded = loadDataMap(EXAMPLE_DATAMAP_FILE, { INZAGE_SHOP_DATABASE_URL: url });
  if (!loaded.ok) throw new Error(`example data map is invalid: ${JSON.stringify(loaded.problems)}`);
  const shop = loaded.value.systems.shop as SqlSystem;
  if (schema) shop.schema = schema;
  return loaded.value;
}

async function createMysqlTestShop(customers: number, seed: number): Promise<TestShop> {
  const { url, drop } = await createMysqlTestDatabase('inzage_demo');
  try {
    await generateDemoShop({ customers, seed, target: { kind: 'mysql', url } });
  } catch (error) {
    await drop();
    throw error;
  }
  return { url, dataMap: exampleDataMap(url), drop };
}
