import { loadYamlFile } from '../../src/config/yaml-file.ts';
import type { FoundRecord } from '../../src/connectors/connector.ts';
import { type Sealer, SqlConnector } from '../../src/connectors/sql/sql.connector.ts';
import { openSqlDatabase, type SqlDatabase } from '../../src/connectors/sql/sql-database.ts';
import type { SqlSystem } from '../../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../../src/datamap/datamap.ts';
import { planSystem } from '../../src/datamap/plan.ts';
import { PLATFORM_PREFIX, type Platform, seedPlatformShop } from '../../src/demo/platforms/platform-shop.ts';
import type { WooStorage } from '../../src/demo/platforms/woocommerce.seed.ts';
import { legalHolds } from '../../src/executor/build.ts';
import { Policy } from '../../src/policy/policy.schema.ts';
import type { SealInput } from '../../src/retention/sealed-archive.ts';

import { createMysqlTestDatabase } from './mysql.ts';

export { MYSQL_URL, skipMysql } from './mysql.ts';

export const exampleMap = (platform: Platform) =>
  new URL(`../../examples/${platform}/datamap.yaml`, import.meta.url).pathname;

/** A platform's demo shop in a database of its own on the test server, with the example data map on it. */
export interface PlatformShop {
  url: string;
  prefix: string;
  system: SqlSystem;
  database: SqlDatabase;
  sealed: SealInput[];
  connector(): SqlConnector;
  /** Found records by collection: their keys, sorted. */
  find(email: string): Promise<Record<string, string[]>>;
  /** Every row of the shop's tables whose text holds `needle` (case-insensitive): `table.column` per hit. */
  scan(needle: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createPlatformShop(
  platform: Platform,
  options: { storage?: WooStorage; customers?: number; empty?: boolean } = {},
): Promise<PlatformShop> {
  const shopDatabase = await createMysqlTestDatabase('inzage_shops');
  const { name, url } = shopDatabase;
  // A prefix of the shop's own, read from the environment variable the example map names.
  const prefix = platform === 'woocommerce' ? 'wpshop_' : 'psshop_';
  await seedPlatformShop({
    platform,
    url,
    prefix,
    customers: options.customers ?? 30,
    seed: 3,
    storage: options.storage,
    empty: options.empty,
  });
  const loaded = loadDataMap(exampleMap(platform), {
    INZAGE_SHOP_DATABASE_URL: url,
    [PLATFORM_PREFIX[platform].variable]: prefix,
  });
  if (!loaded.ok) throw new Error(`example data map is invalid: ${JSON.stringify(loaded.problems)}`);
  const system = loaded.value.systems.shop as SqlSystem;
  const database = openSqlDatabase(url);
  const sealed: SealInput[] = [];
  const sealer: Sealer = {
    subjectRef: (email) => `ref:${email}`,
    sealMany: async (groups) => {
      for (const g of groups) sealed.push(...g.records);
      return groups.length;
    },
  };
  const loadedPolicy = loadYamlFile(
    new URL(`../../examples/${platform}/policy.yaml`, import.meta.url).pathname,
    Policy,
  );
  if (!loadedPolicy.ok) throw new Error(`examples/${platform}/policy.yaml is invalid`);
  const policy = loadedPolicy.value;
  const connector = () =>
    new SqlConnector({
      plan: planSystem('shop', system),
      database,
      sealer,
      hashValue: (v) => `h(${v})`,
      placeholder: '[verwijderd]',
      // The example policy's holds: the fiscal one counts from the end of the financial year (AWR art. 52(4)).
      holds: legalHolds(policy),
    });
  return {
    url,
    prefix,
    system,
    database,
    sealed,
    connector,
    find: async (email) => byCollection((await connector().find({ email })).findings.flatMap((f) => f.records)),
    scan: async (needle) => scanShop(database, name, prefix, needle),
    drop: async () => {
      await database.close();
      await shopDatabase.drop();
    },
  };
}

export function byCollection(records: FoundRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) out[r.collection] = [...(out[r.collection] ?? []), r.key];
  for (const list of Object.values(out)) list.sort((a, b) => Number(a) - Number(b));
  return out;
}

/** Reads every text column of every table with the prefix, and reports where `needle` appears. */
async function scanShop(database: SqlDatabase, schema: string, prefix: string, needle: string): Promise<string[]> {
  const columns = await database.run(
    `select table_name as t, column_name as c from information_schema.columns
     where table_schema = ? and table_name like ? and data_type in ('char','varchar','tinytext','text','mediumtext','longtext')`,
    [schema, `${prefix.replaceAll('_', '\\_')}%`],
  );
  const hits: string[] = [];
  const wanted = needle.toLowerCase();
  for (const { t, c } of columns as Array<{ t: string; c: string }>) {
    const rows = await database.run(`select \`${c}\` as v from \`${t}\` where \`${c}\` is not null`, []);
    for (const row of rows) if (String(row.v).toLowerCase().includes(wanted)) hits.push(`${t}.${c}`);
  }
  return hits;
}
