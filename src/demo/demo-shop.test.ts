import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { testPostgresUrl } from '../../test/helpers/db.ts';
import { createMysqlTestDatabase, skipMysql } from '../../test/helpers/mysql.ts';
import { DEFAULT_DEMO_NOW, type DemoShopTarget, generateDemoShop, SANNE } from './demo-shop.ts';

const DIALECTS = ['sqlite', 'postgres', 'mysql'] as const;
type Dialect = (typeof DIALECTS)[number];
const PG_URL = process.env.INZAGE_TEST_POSTGRES_URL;
const CUSTOMERS = 200;
const YEAR = 365.25 * 24 * 3600 * 1000;
const NOW = DEFAULT_DEMO_NOW.getTime();

/** The contract outside tests rely on, written out rather than read from the generator's schema. */
const COLUMN_LISTS: Record<string, string> = {
  customers:
    'id email first_name last_name phone street house_number postal_code city country created_at last_login_at',
  orders:
    'id number customer_id email billing_name billing_street billing_house_number billing_postal_code billing_city ' +
    'billing_country shipping_name shipping_street shipping_house_number shipping_postal_code shipping_city ' +
    'shipping_country phone status total_cents ip_address created_at',
  order_lines: 'id order_id sku description quantity unit_price_cents',
  invoices: 'id order_id number issued_at billing_name billing_address total_cents vat_cents',
  payments: 'id order_id provider provider_payment_id method consumer_name consumer_account amount_cents paid_at',
  shipments:
    'id order_id carrier tracking_code recipient_name street house_number postal_code city country shipped_at delivered_at',
  reviews: 'id order_id author_name author_email rating body created_at',
  contact_moments: 'id customer_id email channel subject body occurred_at',
};
const EXPECTED_COLUMNS = Object.fromEntries(Object.entries(COLUMN_LISTS).map(([t, list]) => [t, list.split(' ')]));

type Row = Record<string, unknown>;

/** A generated shop to query with plain SQL that both dialects understand. */
interface Shop {
  rows(sql: string): Promise<Row[]>;
  columns(table: string): Promise<string[]>;
  /** Index definitions, lower case, e.g. `create index … on orders (lower(trim(email)))`. */
  indexes(): Promise<string[]>;
  dispose(): Promise<void>;
}

async function seedShop(dialect: Dialect, seed: number): Promise<Shop> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-demo-'));
    const file = join(dir, 'demo-shop.db');
    await generateDemoShop({ customers: CUSTOMERS, seed, target: { kind: 'sqlite', file } });
    const db = new Database(file, { readonly: true });
    return {
      rows: async (sql) => db.prepare(sql).all() as Row[],
      columns: async (table) => (db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name),
      indexes: async () =>
        (db.prepare("select sql from sqlite_master where type = 'index' and sql is not null").all() as Row[]).map((r) =>
          String(r.sql).toLowerCase(),
        ),
      dispose: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (dialect === 'mysql') return seedMysqlShop(seed);
  const schema = `demo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = await testPostgresUrl();
  const target: DemoShopTarget = { kind: 'postgres', url, schema };
  await generateDemoShop({ customers: CUSTOMERS, seed, target });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`set search_path to ${schema}`);
  return {
    rows: async (sql) => (await client.query(sql)).rows,
    columns: async (table) =>
      (
        await client.query(
          'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
          [schema, table],
        )
      ).rows.map((r) => r.column_name as string),
    indexes: async () =>
      (await client.query('select indexdef from pg_indexes where schemaname = $1', [schema])).rows.map((r) =>
        String(r.indexdef).toLowerCase().replaceAll(`${schema}.`, '').replaceAll('btrim(', 'trim('),
      ),
    dispose: async () => {
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

async function seedMysqlShop(seed: number): Promise<Shop> {
  const database = await createMysqlTestDatabase(`demo_test_${process.pid}`);
  const { name } = database;
  try {
    await generateDemoShop({ customers: CUSTOMERS, seed, target: { kind: 'mysql', url: database.url } });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const client = await createConnection({ uri: database.url });
  const rows = async (sql: string) => (await client.query(sql))[0] as Row[];
  return {
    rows,
    columns: async (table) =>
      (
        await rows(
          `select column_name as c from information_schema.columns where table_schema = '${name}' and table_name = '${table}' order by ordinal_position`,
        )
      ).map((r) => String(r.c)),
    // As `create index … on table (column)`, from the catalog: MySQL keeps no index's text.
    indexes: async () =>
      (
        await rows(
          `select table_name as t, index_name as i, group_concat(column_name order by seq_in_index) as c
           from information_schema.statistics where table_schema = '${name}' group by table_name, index_name`,
        )
      ).map((r) => `create index ${String(r.i)} on ${String(r.t)} (${String(r.c)})`.toLowerCase()),
    dispose: async () => {
      await client.end();
      await database.drop();
    },
  };
}

async function hashShop(shop: Shop): Promise<string> {
  const hash = createHash('sha256');
  for (const table of Object.keys(EXPECTED_COLUMNS)) {
    for (const row of await shop.rows(`select * from ${table} order by id`)) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

const EMAIL_COLUMNS = [
  ['customers', 'email'],
  ['orders', 'email'],
  ['reviews', 'author_email'],
  ['contact_moments', 'email'],
] as const;
const FOREIGN_KEYS = [
  ['orders', 'customer_id', 'customers'],
  ['order_lines', 'order_id', 'orders'],
  ['invoices', 'order_id', 'orders'],
  ['payments', 'order_id', 'orders'],
  ['shipments', 'order_id', 'orders'],
  ['reviews', 'order_id', 'orders'],
  ['contact_moments', 'customer_id', 'customers'],
] as const;
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'];

const sannes = (column: string) => `lower(trim(${column})) = '${SANNE.email}'`;
const SANNES_ORDERS = `select id from orders where ${sannes('email')}`;
/** Per table, the rows that are not Sanne's. */
const NOT_SANNES: Record<string, string> = {
  customers: `not ${sannes('email')}`,
  orders: `not ${sannes('email')}`,
  order_lines: `order_id not in (${SANNES_ORDERS})`,
  invoices: `order_id not in (${SANNES_ORDERS})`,
  payments: `order_id not in (${SANNES_ORDERS})`,
  shipments: `order_id not in (${SANNES_ORDERS})`,
  reviews: `not ${sannes('author_email')}`,
  contact_moments: `not ${sannes('email')}`,
};

const ageInYears = (value: unknown) => (NOW - new Date(value as string | Date).getTime()) / YEAR;
const count = async (shop: Shop, sql: string) => Number((await shop.rows(sql))[0]!.n);

for (const dialect of DIALECTS) {
  const skip =
    dialect === 'postgres' && !PG_URL
      ? 'INZAGE_TEST_POSTGRES_URL not set: PostgreSQL tests skipped'
      : dialect === 'mysql'
        ? skipMysql
        : false;

  describe(`the demo shop on ${dialect}`, { skip }, () => {
    let shop: Shop;
    before(async () => {
      shop = await seedShop(dialect, 1);
    });
    after(async () => {
      await shop?.dispose();
    });

    it('creates every table with exactly the agreed columns', async () => {
      for (const [table, columns] of Object.entries(EXPECTED_COLUMNS)) {
        assert.deepEqual(await shop.columns(table), columns, table);
      }
      assert.equal(await count(shop, 'select count(*) as n from customers'), CUSTOMERS);
    });

    it('indexes every e-mail column, raw and (but on MariaDB, which has no index on an expression) trimmed-lowercased, and every foreign key', async () => {
      const indexes = await shop.indexes();
      const indexed = (table: string, expression: string) =>
        indexes.some((sql) => sql.includes(` ${table} `) && sql.replaceAll(' ', '').endsWith(`(${expression})`));
      for (const [table, column] of EMAIL_COLUMNS) {
        assert.ok(indexed(table, column), `${table}.${column}`);
        if (dialect !== 'mysql') assert.ok(indexed(table, `lower(trim(${column}))`), `${table}.${column} normalised`);
      }
      for (const [table, column] of FOREIGN_KEYS) assert.ok(indexed(table, column), `${table}.${column}`);
    });

    it('points every foreign key at an existing row', async () => {
      for (const [table, column, parent] of FOREIGN_KEYS) {
        const dangling = `select count(*) as n from ${table} t left join ${parent} p on p.id = t.${column}
           where t.${column} is not null and p.id is null`;
        assert.equal(await count(shop, dangling), 0, `${table}.${column}`);
      }
    });

    it('has about two orders per customer, some customers with none, and guest orders', async () => {
      const orders = await count(shop, 'select count(*) as n from orders');
      assert.ok(orders / CUSTOMERS >= 1.5 && orders / CUSTOMERS <= 3, `${orders} orders`);
      const none = await count(
        shop,
        'select count(*) as n from customers c where not exists (select 1 from orders o where o.customer_id = c.id)',
      );
      assert.ok(none > CUSTOMERS / 20, `${none} without orders`);
      assert.ok((await count(shop, 'select count(*) as n from orders where customer_id is null')) > CUSTOMERS / 20);
      const statuses = await shop.rows('select distinct status from orders');
      for (const { status } of statuses) assert.ok(STATUSES.includes(String(status)), String(status));
    });

    it('writes the same rows for the same seed and other rows for another seed', async () => {
      const again = await seedShop(dialect, 1);
      const other = await seedShop(dialect, 2);
      try {
        const hash = await hashShop(shop);
        assert.equal(await hashShop(again), hash);
        assert.notEqual(await hashShop(other), hash);
      } finally {
        await again.dispose();
        await other.dispose();
      }
    });

    it('has Sanne de Boer with three orders, two invoices, a guest order, a review and a contact moment', async () => {
      const [sanne] = await shop.rows(`select * from customers where email = '${SANNE.email}'`);
      assert.ok(sanne, 'Sanne has an account');
      assert.equal(Number(sanne.id), 1);
      assert.deepEqual(
        [sanne.first_name, sanne.last_name, sanne.phone, sanne.street, sanne.house_number, sanne.city],
        [SANNE.firstName, SANNE.lastName, SANNE.phone, SANNE.street, SANNE.houseNumber, SANNE.city],
      );
      const mine = 'select id from orders where customer_id = 1';
      assert.equal(await count(shop, 'select count(*) as n from orders where customer_id = 1'), 3);
      assert.equal(await count(shop, `select count(*) as n from invoices where order_id in (${mine})`), 2);
      assert.equal(await count(shop, `select count(*) as n from shipments where order_id in (${mine})`), 2);
      assert.ok(
        (await count(shop, `select count(*) as n from payments where order_id in (${mine}) and paid_at is not null`)) >=
          2,
      );
      const guest = `select count(*) as n from orders where customer_id is null and email = '${SANNE.guestEmail}'`;
      assert.equal(await count(shop, guest), 1);
      const byEmail = (column: string) => `lower(trim(${column})) = '${SANNE.email}'`;
      assert.equal(await count(shop, `select count(*) as n from reviews where ${byEmail('author_email')}`), 1);
      assert.equal(await count(shop, `select count(*) as n from contact_moments where customer_id = 1`), 1);
      assert.equal(
        await count(
          shop,
          `select count(*) as n from invoices i join orders o on o.id = i.order_id where ${byEmail('o.email')}`,
        ),
        2,
      );
    });

    it("keeps Sanne's e-mail, name, phone and street out of everyone else's rows", async () => {
      const needles = [SANNE.email, SANNE.fullName, SANNE.phone, SANNE.street].map((n) => n.toLowerCase());
      for (const [table, notHers] of Object.entries(NOT_SANNES)) {
        for (const row of await shop.rows(`select * from ${table} where ${notHers}`)) {
          for (const [column, value] of Object.entries(row)) {
            if (typeof value !== 'string') continue;
            for (const needle of needles)
              assert.ok(!value.toLowerCase().includes(needle), `${table}.${column}: ${value}`);
          }
        }
      }
    });

    it("has guest orders whose e-mail matches an account's only after trimming and lowercasing", async () => {
      // Compared here, not in SQL: MySQL's `<>` under the tables' collation ignores case.
      const variants = (
        await shop.rows(
          `select o.email as typed, c.email as account from orders o
           join customers c on lower(trim(o.email)) = lower(trim(c.email))
           where o.customer_id is null`,
        )
      ).filter((r) => r.typed !== r.account);
      assert.ok(
        variants.some((r) => r.typed !== String(r.typed).trim()),
        'one with spaces around it',
      );
      assert.ok(
        variants.some((r) => r.typed === String(r.typed).trim() && r.typed !== r.account),
        'one in other case',
      );
    });

    it('has people with two accounts under one e-mail address', async () => {
      const shared = await count(
        shop,
        'select count(*) as n from (select lower(email) as e from customers group by lower(email) having count(*) > 1) d',
      );
      assert.ok(shared >= 1);
    });

    it('has reviews and contact moments that only an e-mail address links to a customer', async () => {
      const customer = 'select lower(trim(email)) from customers';
      const reviews = `select count(*) as n from reviews where order_id is null and lower(trim(author_email)) in (${customer})`;
      const moments = `select count(*) as n from contact_moments where customer_id is null and lower(trim(email)) in (${customer})`;
      assert.ok((await count(shop, reviews)) >= 1);
      assert.ok((await count(shop, moments)) >= 1);
    });

    it('has a reviewer and a correspondent the shop knows by nothing but their e-mail', async () => {
      const known = 'select lower(trim(email)) from customers union select lower(trim(email)) from orders';
      const reviews = `select count(*) as n from reviews where order_id is null and lower(trim(author_email)) not in (${known})`;
      const moments = `select count(*) as n from contact_moments where customer_id is null and lower(trim(email)) not in (${known})`;
      assert.ok((await count(shop, reviews)) >= 1);
      assert.ok((await count(shop, moments)) >= 1);
    });

    it('has invoices from this month back to nine years ago', async () => {
      const ages = (await shop.rows('select issued_at from invoices')).map((r) => ageInYears(r.issued_at));
      assert.ok(Math.min(...ages) >= 0 && Math.min(...ages) < 0.1, `youngest ${Math.min(...ages)}`);
      assert.ok(Math.max(...ages) > 8.9 && Math.max(...ages) < 9.5, `oldest ${Math.max(...ages)}`);
      assert.ok(ages.filter((a) => a > 7).length > 0, 'some past the fiscal term');
    });

    it("spreads customers' last activity from today to five years ago", async () => {
      const rows = await shop.rows(
        `select c.created_at, c.last_login_at, (select max(o.created_at) from orders o where o.customer_id = c.id) as last_order
         from customers c`,
      );
      const ages = rows.map((r) =>
        Math.min(...[r.created_at, r.last_login_at, r.last_order].filter((v) => v !== null).map(ageInYears)),
      );
      assert.ok(Math.min(...ages) >= 0 && Math.min(...ages) < 0.1, `most recent ${Math.min(...ages)}`);
      assert.ok(Math.max(...ages) > 4.5 && Math.max(...ages) <= 5.01, `longest inactive ${Math.max(...ages)}`);
      assert.ok(ages.filter((a) => a > 2).length > CUSTOMERS / 10, 'a good share past two years');
    });

    it('uses only example domains and Dutch-shaped addresses, phones and accounts', async () => {
      const emails = await shop.rows(
        'select email as e from customers union all select email from orders union all ' +
          'select author_email from reviews union all select email from contact_moments',
      );
      for (const { e } of emails) assert.match(String(e), /@example\.(nl|com|org)\s*$/i);
      const nl = await shop.rows(
        "select postal_code, phone from customers where country = 'NL' and postal_code is not null",
      );
      for (const r of nl) assert.match(String(r.postal_code), /^[1-9]\d{3} [A-Z]{2}$/);
      for (const r of nl)
        if (r.phone !== null) assert.match(String(r.phone), /^(06-?\d{8}|\+31 ?6 ?\d{8}|0\d{2,3}-\d{6,7})$/);
      const ibans = await shop.rows(
        "select distinct consumer_account as iban from payments where method = 'ideal' and consumer_account is not null",
      );
      assert.ok(ibans.length > 10);
      for (const { iban } of ibans) assert.equal(mod97(String(iban)), 1, String(iban));
    });
  });
}

describe('generateDemoShop', () => {
  it('refuses a customer count that is not a positive whole number', async () => {
    for (const customers of [0, -5, 1.5, Number.NaN]) {
      await assert.rejects(
        generateDemoShop({ customers, target: { kind: 'sqlite', file: join(tmpdir(), 'never-written.db') } }),
        /customers must be a positive whole number/,
      );
    }
  });
});

function mod97(iban: string): number {
  const numeric = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}
