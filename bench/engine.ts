/**
 * The engine's figures (data-map issue): find + access and erasure for one person on a demo shop
 * of 1,000,000 customers, next to hand-written SQL doing the same work through the bare driver,
 * interleaved person by person so both see the same caches.
 *
 *   npm run bench -- engine [--customers N] [--samples N] [--dialect sqlite|postgres|mysql|both|all]
 *
 * `both` is SQLite and PostgreSQL; `all` adds MySQL/MariaDB. PostgreSQL uses INZAGE_TEST_POSTGRES_URL (or
 * --pg-url), MySQL/MariaDB INZAGE_TEST_MYSQL_URL (or --mysql-url). The shop is generated once per size and
 * kept under bench/.data (SQLite), in schema bench_shop_<N> (PostgreSQL) or in database bench_shop_<N>
 * (MySQL/MariaDB, on the server the URL names).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import type { SqlSystem } from '../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { generateDemoShop } from '../src/demo/demo-shop.ts';
import { buildExecutor } from '../src/executor/build.ts';
import { systemClock } from '../src/lib/clock.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { migrateToLatest, openStore } from '../src/store/database.ts';
import { type Baseline, mysqlBaseline, postgresBaseline, sqliteBaseline } from './engine-baseline.ts';
import { ms, summarize, time } from './stats.ts';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string', default: '1000000' },
      samples: { type: 'string', default: '200' },
      dialect: { type: 'string', default: 'sqlite' },
      'pg-url': { type: 'string' },
      'mysql-url': { type: 'string' },
    },
  });
  const customers = Number(values.customers);
  const samples = Number(values.samples);
  const dialects =
    values.dialect === 'both'
      ? ['sqlite', 'postgres']
      : values.dialect === 'all'
        ? ['sqlite', 'postgres', 'mysql']
        : [values.dialect!];
  for (const dialect of dialects) {
    if (dialect === 'sqlite') await benchSqlite(customers, samples);
    else if (dialect === 'postgres') {
      const url = values['pg-url'] ?? process.env.INZAGE_TEST_POSTGRES_URL;
      if (!url) throw new Error('PostgreSQL needs --pg-url or INZAGE_TEST_POSTGRES_URL');
      await benchPostgres(url, customers, samples);
    } else if (dialect === 'mysql') {
      const url = values['mysql-url'] ?? process.env.INZAGE_TEST_MYSQL_URL;
      if (!url) throw new Error('MySQL/MariaDB needs --mysql-url or INZAGE_TEST_MYSQL_URL');
      await benchMysql(url, customers, samples);
    } else throw new Error(`unknown dialect ${dialect}`);
  }
}

async function benchSqlite(customers: number, samples: number): Promise<void> {
  const dir = join(import.meta.dirname, '.data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `shop-${customers}.db`);
  if (!existsSync(file) || countCustomers(file) < customers * 0.9) {
    rmSync(file, { force: true });
    process.stdout.write(`generating a demo shop of ${customers.toLocaleString('en')} customers in ${file} …\n`);
    const s = await generateDemoShop({ customers, target: { kind: 'sqlite', file } });
    process.stdout.write(`  done in ${(s.durationMs / 1000).toFixed(1)} s\n`);
  }
  const baseline = sqliteBaseline(file, SECRET);
  try {
    await measure({ dialect: 'sqlite', shopUrl: file, customers, samples, baseline });
  } finally {
    baseline.close();
  }
}

async function benchPostgres(url: string, customers: number, samples: number): Promise<void> {
  const schema = `bench_shop_${customers}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const exists = await client.query(
    `select 1 from information_schema.tables where table_schema = $1 and table_name = 'customers'`,
    [schema],
  );
  let count = 0;
  if (exists.rowCount) count = Number((await client.query(`select count(*) as n from ${schema}.customers`)).rows[0].n);
  await client.end();
  if (count < customers * 0.9) {
    process.stdout.write(
      `generating a demo shop of ${customers.toLocaleString('en')} customers in schema ${schema} …\n`,
    );
    const s = await generateDemoShop({ customers, target: { kind: 'postgres', url, schema } });
    process.stdout.write(`  done in ${(s.durationMs / 1000).toFixed(1)} s\n`);
  }
  const baseline = await postgresBaseline(url, schema, SECRET);
  try {
    await measure({ dialect: 'postgres', shopUrl: url, schema, customers, samples, baseline });
  } finally {
    await baseline.close();
  }
}

async function benchMysql(serverUrl: string, customers: number, samples: number): Promise<void> {
  const database = `bench_shop_${customers}`;
  const admin = await mysql.createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
  let count = 0;
  try {
    await admin.query(`create database if not exists ${database} character set utf8mb4 collate utf8mb4_unicode_ci`);
    const [tables] = await admin.query(
      `select 1 from information_schema.tables where table_schema = ? and table_name = 'customers'`,
      [database],
    );
    if ((tables as unknown[]).length) {
      const [rows] = await admin.query(`select count(*) as n from ${database}.customers`);
      count = Number((rows as Array<{ n: number }>)[0]!.n);
    }
  } finally {
    await admin.end();
  }
  const at = new URL(serverUrl);
  at.pathname = `/${database}`;
  const url = at.toString();
  if (count < customers * 0.9) {
    process.stdout.write(
      `generating a demo shop of ${customers.toLocaleString('en')} customers in database ${database} …\n`,
    );
    const s = await generateDemoShop({ customers, target: { kind: 'mysql', url } });
    process.stdout.write(`  done in ${(s.durationMs / 1000).toFixed(1)} s\n`);
  }
  const baseline = await mysqlBaseline(url, SECRET);
  try {
    await measure({ dialect: 'mysql', shopUrl: url, customers, samples, baseline });
  } finally {
    await baseline.close();
  }
}

function countCustomers(file: string): number {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from customers').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

interface MeasureOptions {
  dialect: string;
  shopUrl: string;
  schema?: string;
  customers: number;
  samples: number;
  baseline: Baseline;
}

async function measure(o: MeasureOptions): Promise<void> {
  const policy = loadYamlFile(join(import.meta.dirname, '../examples/balkonzon/policy.yaml'), Policy);
  if (!policy.ok) throw new Error('example policy is invalid');
  const map = loadDataMap(join(import.meta.dirname, '../examples/balkonzon/datamap.yaml'), {
    INZAGE_SHOP_DATABASE_URL: o.shopUrl,
  });
  if (!map.ok) throw new Error('example data map is invalid');
  // Only the shop: the manual processors cost nothing and would blur the figure.
  const shop = map.value.systems.shop as SqlSystem;
  if (o.schema) shop.schema = o.schema;
  const dataMap = { ...map.value, systems: { shop } };
  const hubFile = join(import.meta.dirname, '.data', `hub-${process.pid}.db`);
  const hub = openStore({ dialect: 'sqlite', file: hubFile });
  await migrateToLatest(hub);
  // As the server builds it: a seal is synced to disk before the shop erases the originals.
  const executor = buildExecutor({
    dataMap,
    policy: policy.value,
    hub: hub.db,
    durably: (fn) => hub.durably(fn),
    syncedTransaction: hub.syncedTransaction,
    secret: SECRET,
    clock: systemClock,
  });
  try {
    // People with at least one order, picked evenly over the id range; four disjoint groups (find, and one
    // per erasure side).
    const people = await o.baseline.pickPeople(o.samples * 4, o.customers);
    if (people.length < o.samples * 4) throw new Error(`only ${people.length} people left to measure on`);
    const findGroup = people.slice(0, o.samples);
    const eraseEngine = people.slice(o.samples, o.samples * 2);
    const eraseBaseline = people.slice(o.samples * 2, o.samples * 3);
    const eraseSameWork = people.slice(o.samples * 3);
    for (const email of findGroup.slice(0, 20)) {
      await executor.find({ email });
      await o.baseline.find(email);
    }

    const findEngine: number[] = [];
    const findHand: number[] = [];
    let findQueries = 0;
    let records = 0;
    for (const [i, email] of findGroup.entries()) {
      // Whoever reads a person's pages first pays for the disk, and each side has its own connection
      // and page cache: warm both, then alternate who goes first.
      await o.baseline.find(email);
      await executor.find({ email });
      const engineRun = () => time(() => executor.find({ email }));
      const handRun = () => time(() => o.baseline.find(email));
      let t1: number;
      let t2: number;
      let result: Awaited<ReturnType<typeof executor.find>>;
      let handRows: number;
      if (i % 2 === 0) {
        [t1, result] = await engineRun();
        [t2, handRows] = await handRun();
      } else {
        [t2, handRows] = await handRun();
        [t1, result] = await engineRun();
      }
      findEngine.push(t1);
      findHand.push(t2);
      findQueries = result.queries;
      records += result.records.length;
      if (handRows !== result.records.length)
        throw new Error(`baseline found ${handRows}, engine ${result.records.length}`);
    }

    // The same finds again in blocks: each side a whole pass over the people on its own, so that neither runs
    // between the other's statements, six passes taking turns (engine, hand, hand, engine, …); a side's figure
    // is the median of its passes' means. (Interleaved, the hand-written side has measured 2-3× slower on
    // some runs than in a block, for no reason found; both figures are shown.)
    const passMeans: { engine: number[]; hand: number[] } = { engine: [], hand: [] };
    const pass = async (side: 'engine' | 'hand') => {
      const started = performance.now();
      for (const email of findGroup) await (side === 'engine' ? executor.find({ email }) : o.baseline.find(email));
      passMeans[side].push((performance.now() - started) / findGroup.length);
    };
    for (const side of [
      'engine',
      'hand',
      'hand',
      'engine',
      'engine',
      'hand',
      'hand',
      'engine',
      'engine',
      'hand',
      'hand',
      'engine',
    ] as const)
      await pass(side);
    const blockEngine = summarize(passMeans.engine).median;
    const blockHand = summarize(passMeans.hand).median;

    const eraseEngineMs: number[] = [];
    const eraseHandMs: number[] = [];
    const eraseSameMs: number[] = [];
    let eraseQueries = 0;
    // Three people per round, one for each side, in each of the six orders by turns: no side always goes
    // first, nor always follows the same other side.
    for (let i = 0; i < eraseEngine.length; i++) {
      const sides = [
        async () => {
          const [t, report] = await time(() => executor.erase({ email: eraseEngine[i]! }));
          if (report.status !== 'complete') throw new Error(`erasure ${report.status}: ${report.systems[0]?.error}`);
          eraseEngineMs.push(t);
          eraseQueries = Math.max(eraseQueries, report.queries);
        },
        async () => eraseHandMs.push((await time(() => o.baseline.erase(eraseBaseline[i]!)))[0]),
        async () => eraseSameMs.push((await time(() => o.baseline.eraseSameWork(eraseSameWork[i]!)))[0]),
      ];
      const orders = [
        [0, 1, 2],
        [1, 2, 0],
        [2, 0, 1],
        [0, 2, 1],
        [2, 1, 0],
        [1, 0, 2],
      ];
      for (const k of orders[i % 6]!) await sides[k]!();
    }
    report(o, {
      findEngine: summarize(findEngine),
      findHand: summarize(findHand),
      blockEngine,
      blockHand,
      eraseEngine: summarize(eraseEngineMs),
      eraseHand: summarize(eraseHandMs),
      eraseSame: summarize(eraseSameMs),
      findQueries,
      eraseQueries,
      recordsPerPerson: records / findGroup.length,
    });
  } finally {
    await executor.close();
    await hub.close();
    rmSync(hubFile, { force: true });
    rmSync(`${hubFile}-wal`, { force: true });
    rmSync(`${hubFile}-shm`, { force: true });
  }
}

function report(
  o: MeasureOptions,
  r: {
    findEngine: ReturnType<typeof summarize>;
    findHand: ReturnType<typeof summarize>;
    blockEngine: number;
    blockHand: number;
    eraseEngine: ReturnType<typeof summarize>;
    eraseHand: ReturnType<typeof summarize>;
    eraseSame: ReturnType<typeof summarize>;
    findQueries: number;
    eraseQueries: number;
    recordsPerPerson: number;
  },
): void {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const lines = [
    '',
    `engine on ${o.dialect}, ${o.customers.toLocaleString('en')} customers, ${o.samples} people per figure, ${r.recordsPerPerson.toFixed(1)} records per person`,
    `  find + access   engine median ${ms(r.findEngine.median)} (p95 ${ms(r.findEngine.p95)}), hand-written ${ms(r.findHand.median)} (p95 ${ms(r.findHand.p95)}), ratio ${ratio(r.findEngine.median, r.findHand.median)}; ${r.findQueries} queries`,
    `                  in blocks (six passes each, median of the passes' means): engine ${ms(r.blockEngine)}, hand-written ${ms(r.blockHand)}, ratio ${ratio(r.blockEngine, r.blockHand)}`,
    `  erasure         engine median ${ms(r.eraseEngine.median)} (p95 ${ms(r.eraseEngine.p95)}), hand-written ${ms(r.eraseHand.median)} (p95 ${ms(r.eraseHand.p95)}), ratio ${ratio(r.eraseEngine.median, r.eraseHand.median)}; ${r.eraseQueries} queries at most`,
    `                  hand-written with the engine's record and check (reads the keys it erases, counts what is left) ${ms(r.eraseSame.median)} (p95 ${ms(r.eraseSame.p95)}), ratio ${ratio(r.eraseEngine.median, r.eraseSame.median)}`,
    `  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
