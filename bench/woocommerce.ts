/**
 * The shops issue's figures, on a WooCommerce demo shop in MariaDB (orders in HPOS with compatibility
 * sync, so both copies of every order hold the person):
 *
 *   npm run bench -- woocommerce [--customers 100000] [--people 20] [--url mysql://…/db] [--reuse]
 *                                [--no-meta-index] [--statements]
 *
 * - find and erasure of one person with the ready-made map (examples/woocommerce), median and p95 over
 *   `--people` people with one order and as many with five: target < 50 ms;
 * - queries per person, for one order and for five (constant: one statement per collection);
 * - `datamap check` against the live shop with discovery of unmapped columns: target < 10 s.
 * After seeding, the meta tables get the index on (meta_key, meta_value) README recommends; without it
 * (--no-meta-index) every lookup of a legacy order by e-mail reads every order's `_billing_email` row.
 * Without --url the shop goes into a database of its own on INZAGE_TEST_MYSQL_URL's server; --reuse keeps
 * a shop seeded before (erasures change it: seed again for comparable runs).
 * --statements: instead of timing, finds and erases one person of each group on one connection and prints
 * every statement with the rows MariaDB read for it (its Handler_read_* counters: counts, which a shared
 * machine does not skew as it does times) and the rows it returned or changed.
 */
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { SqlConnector } from '../src/connectors/sql/sql.connector.ts';
import { openSqlDatabase } from '../src/connectors/sql/sql-database.ts';
import { readIndexes } from '../src/connectors/sql/sql-indexes.ts';
import { checkAgainstDatabase, checkMetaIndexes, metaLookupTables } from '../src/datamap/check.ts';
import type { SqlSystem } from '../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { checkDeclaredFormats, discoverUnmapped } from '../src/datamap/discovery.ts';
import { planSystem } from '../src/datamap/plan.ts';
import { seedPlatformShop } from '../src/demo/platforms/platform-shop.ts';
import { ms, summarize, time } from './stats.ts';
import { profileStatements } from './woocommerce-statements.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string', default: '100000' },
      people: { type: 'string', default: '20' },
      url: { type: 'string' },
      reuse: { type: 'boolean', default: false },
      'meta-index': { type: 'boolean', default: true },
      statements: { type: 'boolean', default: false },
    },
  });
  const customers = Number(values.customers);
  const people = Number(values.people);
  const url = values.url ?? (await benchDatabase());
  if (!values.reuse) {
    process.stdout.write(`seeding ${customers.toLocaleString('en')} customers … `);
    const seeded = await seedPlatformShop({ platform: 'woocommerce', url, customers, seed: 1, storage: 'sync' });
    const total = Object.values(seeded.rows).reduce((a, b) => a + b, 0);
    console.log(`${(seeded.durationMs / 1000).toFixed(1)} s, ${total.toLocaleString('en')} rows`);
    if (values['meta-index']) {
      // WordPress indexes meta tables by key only: finding the owner of a value reads every row of the key.
      // This is the index README's "WooCommerce" section recommends (as WordPress speed-up plug-ins add).
      const started = Date.now();
      const c = await createConnection({ uri: url });
      for (const table of ['wp_postmeta', 'wp_usermeta'])
        await c.query(`alter table ${table} add index inzage_meta_key_value (meta_key(32), meta_value(64))`);
      await c.query('alter table wp_comments add index inzage_user_id (user_id)');
      await c.end();
      console.log(`meta indexes added in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  const loaded = loadDataMap(new URL('../examples/woocommerce/datamap.yaml', import.meta.url).pathname, {
    INZAGE_SHOP_DATABASE_URL: url,
  });
  if (!loaded.ok) throw new Error('the example map does not load');
  const system = loaded.value.systems.shop as SqlSystem;
  const database = openSqlDatabase(url);
  const deps = {
    plan: planSystem('shop', system),
    database,
    sealer: { subjectRef: (e: string) => e, sealMany: async (groups: ReadonlyArray<unknown>) => groups.length },
    hashValue: (v: string) => v,
    placeholder: '[verwijderd]',
    holds: new Map([['fiscal', { term: { years: 7 }, basis: 'AWR art. 52' }]]),
  };
  const connector = new SqlConnector(deps);
  try {
    // People by their number of orders in HPOS (registered or guest alike).
    const withOrders = async (n: number) =>
      (
        await database.run(
          `select min(billing_email) as email from wp_wc_orders group by lower(trim(billing_email)) having count(*) = ? limit ?`,
          [n, people],
        )
      ).map((r) => String(r.email).trim().toLowerCase());
    const groups = { one: await withOrders(1), five: await withOrders(5) };
    console.log(`people: ${groups.one.length} with one order, ${groups.five.length} with five`);
    if (values.statements) {
      await profileStatements(url, deps, { 'one order': groups.one[0]!, 'five orders': groups.five[0]! });
      return;
    }
    for (const [label, emails] of Object.entries(groups)) {
      const finds: number[] = [];
      const queries = new Set<number>();
      const records: number[] = [];
      for (const email of emails) {
        const [t, result] = await time(() => connector.find({ email }));
        finds.push(t);
        queries.add(result.queries);
        records.push(result.findings.reduce((n, f) => n + f.records.length, 0));
      }
      const f = summarize(finds);
      console.log(
        `find (${label} order${label === 'one' ? '' : 's'}):  median ${ms(f.median)}  p95 ${ms(f.p95)}  queries ${[...queries].join('/')}  records ~${summarize(records).median}`,
      );
    }
    for (const [label, emails] of Object.entries(groups)) {
      const erasures: number[] = [];
      const queries = new Set<number>();
      for (const email of emails) {
        const [t, report] = await time(() => connector.erase({ email }, { now: new Date() }));
        if (report.status !== 'erased') throw new Error(`erasure ${report.status}: ${report.error ?? ''}`);
        erasures.push(t);
        queries.add(report.queries);
      }
      const e = summarize(erasures);
      console.log(
        `erase (${label} order${label === 'one' ? '' : 's'}): median ${ms(e.median)}  p95 ${ms(e.p95)}  queries ${[...queries].join('/')}`,
      );
    }
    const [check, counts] = await time(async () => {
      const check = openSqlDatabase(url);
      try {
        const findings = await checkAgainstDatabase('shop', system, check.db);
        findings.push(...checkMetaIndexes('shop', system, await readIndexes(check, metaLookupTables(system))));
        findings.push(...(await checkDeclaredFormats('shop', system, check.db)));
        const unmapped = await discoverUnmapped('shop', system, check.db);
        return { errors: findings.filter((x) => x.severity === 'error').length, unmapped: unmapped.length };
      } finally {
        await check.close();
      }
    });
    console.log(
      `datamap check with discovery: ${(check / 1000).toFixed(2)} s (${counts.errors} errors, ${counts.unmapped} unmapped)`,
    );
  } finally {
    await database.close();
  }
}

/** A database of the bench's own on the test server. */
async function benchDatabase(): Promise<string> {
  const base = process.env.INZAGE_TEST_MYSQL_URL;
  if (!base) throw new Error('give --url mysql://… or set INZAGE_TEST_MYSQL_URL');
  const c = await createConnection({ uri: base });
  await c.query('create database if not exists `inzage_shops_bench` character set utf8mb4 collate utf8mb4_unicode_ci');
  await c.end();
  const u = new URL(base);
  u.pathname = '/inzage_shops_bench';
  return u.toString();
}
