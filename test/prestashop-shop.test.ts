import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import { timeParam } from '../src/connectors/sql/sql-time.ts';
import { checkAgainstDatabase, checkAgainstPolicy } from '../src/datamap/check.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { discoverUnmapped } from '../src/datamap/discovery.ts';
import { PS_CAST } from '../src/demo/platforms/prestashop.seed.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { freshDataDir, inzage } from './helpers/cli.ts';
import { createPlatformShop, exampleMap, type PlatformShop, skipMysql } from './helpers/platform-shop.ts';

/** The ready-made PrestaShop 8 map on a shop written from PrestaShop's own db_structure.sql. */
const now = new FakeClock(new Date('2026-11-02T12:00:00Z')).now();
const person = (key: keyof typeof PS_CAST) => ({ ...PS_CAST[key], email: PS_CAST[key].email.trim().toLowerCase() });
const ip2long = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

describe('the PrestaShop example map on a fresh install', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('prestashop', { empty: true });
  });
  after(() => shop?.drop());

  it('passes datamap check: every table and column it names is there, and the policy has every category', async () => {
    const policy = loadYamlFile(new URL('../examples/prestashop/policy.yaml', import.meta.url).pathname, Policy);
    assert.ok(policy.ok);
    const map = loadDataMap(exampleMap('prestashop'), {
      INZAGE_SHOP_DATABASE_URL: shop.url,
      PS_TABLE_PREFIX: shop.prefix,
    });
    assert.ok(map.ok);
    const findings = [
      ...checkAgainstPolicy(map.value, policy.value),
      ...(await checkAgainstDatabase('shop', shop.system, shop.database.db)),
    ];
    assert.deepEqual(findings, []);
    assert.deepEqual(await discoverUnmapped('shop', shop.system, shop.database.db), []);
  });
});

describe('a PrestaShop 8 shop on MariaDB', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('prestashop');
  });
  after(() => shop?.drop());

  it('finds an account with its addresses, orders, payments, carts, visits and customer-service thread', async () => {
    const found = await shop.find(person('jan').email);
    assert.deepEqual(Object.keys(found).sort(), [
      'addresses',
      'carts',
      'connection_sources',
      'connections',
      'customer_messages',
      'customer_threads',
      'customers',
      'guests',
      'order_payments',
      'orders',
    ]);
    assert.equal(found.orders?.length, 3);
  });

  it('finds every checkout of a guest (one customer row each) and their newsletter sign-up, never the look-alike', async () => {
    const guest = await shop.find(person('guest').email);
    assert.equal(guest.customers?.length, 2, 'two checkouts, two guest rows');
    assert.equal(guest.newsletter?.length, 1);
    const lookalike = await shop.find(person('lookalike').email);
    for (const key of guest.customers ?? []) assert.ok(!lookalike.customers?.includes(key));
    const zoe = await shop.find(person('zoeAccount').email);
    const zoeGuest = await shop.find(person('zoeGuest').email);
    assert.notDeepEqual(zoe.customers, zoeGuest.customers);
  });

  it('exports the address, the order and the message as PrestaShop holds them', async () => {
    const records = (await shop.connector().find({ email: person('guest').email })).findings.flatMap((f) => f.records);
    const text = JSON.stringify(records.map((r) => r.data));
    for (const value of ['Laan van Nieuw Oost-Indië 22', PS_CAST.guest.phone, PS_CAST.guest.ip, 'Cornelisse'])
      assert.ok(text.includes(value), `the export shows ${value}`);
  });

  it('erases a guest: addresses and orders sealed, then nothing of them in any text column, nor their IP', async () => {
    const lookalikeBefore = await shop.find(person('lookalike').email);
    const report = await shop.connector().erase({ email: person('guest').email }, { now });
    assert.equal(report.status, 'erased', report.error);
    const sealed = JSON.stringify(shop.sealed.map((s) => s.data));
    assert.ok(sealed.includes('Laan van Nieuw Oost-Indië 22'), 'the invoice address is in the archive');
    assert.deepEqual(await shop.find(person('guest').email), {});
    for (const needle of [
      person('guest').email,
      PS_CAST.guest.phone,
      PS_CAST.guest.ip,
      'Cornelisse',
      'Nieuw Oost-Indië',
    ])
      assert.deepEqual(await shop.scan(needle), [], `nothing holds ${needle}`);
    const visits = await shop.database.run(
      `select count(*) as n from \`${shop.prefix}connections\` where ip_address = ?`,
      [ip2long(PS_CAST.guest.ip)],
    );
    assert.equal(Number(visits[0]?.n), 0, 'no visit keeps the IP address as a number');
    assert.deepEqual(await shop.find(person('lookalike').email), lookalikeBefore);
  });

  it('erases an account, keeps its orders for the books, and leaves the namesake and zoe@ as they were', async () => {
    const namesakeBefore = await shop.find(person('namesake').email);
    const zoeBefore = await shop.find(person('zoeAccount').email);
    const ordersBefore = await shop.database.run(`select count(*) as n from \`${shop.prefix}orders\``, []);
    const report = await shop.connector().erase({ email: person('jan').email }, { now });
    assert.equal(report.status, 'erased', report.error);
    for (const needle of [person('jan').email, PS_CAST.jan.phone, PS_CAST.jan.ip, 'Dorpsstraat 1'])
      assert.deepEqual(await shop.scan(needle), [], `nothing holds ${needle}`);
    const ordersAfter = await shop.database.run(`select count(*) as n from \`${shop.prefix}orders\``, []);
    assert.deepEqual(ordersAfter, ordersBefore, 'orders stay, without the person');
    assert.deepEqual(await shop.find(person('namesake').email), namesakeBefore);
    assert.deepEqual(await shop.find(person('zoeAccount').email), zoeBefore);
    const erased = await shop.connector().erase({ email: person('zoeGuest').email }, { now });
    assert.equal(erased.status, 'erased', erased.error);
    assert.deepEqual(await shop.find(person('zoeAccount').email), zoeBefore, 'zoë@ is not zoe@');
  });
});

describe('retention on a PrestaShop shop on MariaDB', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('prestashop');
  });
  after(() => shop?.drop());
  const count = async (sql: string) => Number((await shop.database.run(sql, []))[0]?.n);

  it('deletes visits three months old, and orders and payments past the fiscal term, but no address an account uses', async () => {
    const cutoff = timeParam({ dialect: 'mysql' }, new Date(now.getTime() - 92 * 86_400_000), 'Europe/Amsterdam');
    const older = `select count(*) as n from ${shop.prefix}connections where date_add < '${cutoff}'`;
    assert.ok((await count(`${older} and ip_address is not null`)) > 0);
    await shop.connector().clearCollected(['technical'], new Date(now.getTime() - 92 * 86_400_000), false);
    assert.equal(await count(`${older} and (ip_address is not null or http_referer is not null)`), 0);
    assert.ok((await count(older)) > 0, 'the visit stays, without its IP address');
    const addresses = await count(`select count(*) as n from ${shop.prefix}address`);
    const result = await shop.connector().destroyExpiredHolds(new Date('2040-01-01T00:00:00Z'), false);
    assert.deepEqual(result.map((r) => r.collection).sort(), ['order_payments', 'orders']);
    assert.equal(await count(`select count(*) as n from ${shop.prefix}orders`), 0);
    assert.equal(
      await count(`select count(*) as n from ${shop.prefix}address`),
      addresses,
      'addresses are sealed, never destroyed',
    );
  });
});

describe('a retention run on a PrestaShop shop on MariaDB', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  let remove = () => {};
  before(async () => {
    shop = await createPlatformShop('prestashop');
    ({ remove } = freshDataDir());
    process.env.INZAGE_CONFIG_DIR = 'examples/prestashop';
    process.env.INZAGE_SHOP_DATABASE_URL = shop.url;
    process.env.PS_TABLE_PREFIX = shop.prefix;
  });
  after(async () => {
    delete process.env.INZAGE_SHOP_DATABASE_URL;
    delete process.env.PS_TABLE_PREFIX;
    remove();
    await shop?.drop();
  });

  it("empties the addresses of every customer whose term passed, as the customer, and no one else's", async () => {
    const rows = async () =>
      (await shop.database.run(
        `select a.id_address as a, c.id_customer as c, c.email as email, a.firstname, a.lastname, a.address1, a.postcode, a.city, a.phone, a.phone_mobile, a.vat_number, a.dni
           from ${shop.prefix}address a join ${shop.prefix}customer c on c.id_customer = a.id_customer order by a.id_address`,
        [],
      )) as Array<Record<string, unknown>>;
    const before = await rows();
    const { code, out } = await inzage('retention', 'run', '--yes', '--json', '--at', '2026-11-02');
    assert.equal(code, 0, out);
    const after = await rows();
    const erased = after.filter((r) => r.email === '[verwijderd]');
    assert.ok(erased.length > 0, 'the run erased customers past the term');
    assert.ok(erased.length < after.length, 'and kept customers active since');
    for (const r of after) {
      const was = before.find((b) => b.a === r.a)!;
      if (r.email === '[verwijderd]') {
        assert.deepEqual(
          [r.firstname, r.lastname, r.address1, r.postcode, r.city, r.phone, r.phone_mobile, r.vat_number, r.dni],
          ['[verwijderd]', '[verwijderd]', '[verwijderd]', null, '[verwijderd]', null, null, null, null],
          `address ${r.a} of an erased customer is emptied`,
        );
      } else assert.deepEqual(r, was, `address ${r.a} of a customer still active is as it was`);
    }
  });
});

describe('the fiscal year of a PrestaShop order on MariaDB', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('prestashop', { customers: 5 });
  });
  after(() => shop?.drop());

  it("puts an order at 23:30 on New Year's Eve in that year's books, read in the shop's own time (AWR art. 52(4))", async () => {
    // PrestaShop writes date_add in its shop's zone; the example map says Europe/Amsterdam.
    const ids = (
      await shop.database.run(`select id_order from ${shop.prefix}orders order by id_order limit 2`, [])
    ).map((r) => Number(r.id_order));
    const [lastOfYear, firstOfNext] = ids as [number, number];
    const dated = (id: number, at: string) =>
      shop.database.run(`update ${shop.prefix}orders set date_add = ?, invoice_date = ? where id_order = ?`, [
        at,
        at,
        id,
      ]);
    await dated(lastOfYear, '2026-12-31 23:30:00');
    await dated(firstOfNext, '2027-01-01 00:30:00');
    // Noon on 1 January 2034, Dutch time: the books of 2026 have been kept seven years after their year's end,
    // those of 2027 not yet (a plain seven years from the order would let both go).
    await shop.connector().destroyExpiredHolds(new Date('2034-01-01T12:00:00+01:00'), false);
    const left = await shop.database.run(`select id_order from ${shop.prefix}orders where id_order in (?, ?)`, [
      lastOfYear,
      firstOfNext,
    ]);
    assert.deepEqual(
      left.map((r) => Number(r.id_order)),
      [firstOfNext],
    );
    // Read as UTC, 23:30 in Amsterdam would be 00:30 in 2027's books: kept a year longer than the law asks.
  });
});
