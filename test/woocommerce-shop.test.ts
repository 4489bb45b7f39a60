import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import { checkAgainstDatabase, checkAgainstPolicy } from '../src/datamap/check.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { discoverUnmapped } from '../src/datamap/discovery.ts';
import { WOO_CAST } from '../src/demo/platforms/woocommerce.seed.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { dataLabels } from '../src/requests/data-labels.ts';
import { buildExportPackage, type ExportData } from '../src/requests/export-package.ts';
import { freshDataDir, inzage } from './helpers/cli.ts';
import { createPlatformShop, exampleMap, type PlatformShop, skipMysql } from './helpers/platform-shop.ts';

/**
 * The ready-made WooCommerce map on a shop written from WooCommerce's and WordPress's own schema, in each
 * order storage: HPOS with compatibility sync (both copies hold the person), HPOS alone, legacy posts alone.
 */
const now = new FakeClock(new Date('2026-11-02T12:00:00Z')).now();
const person = (key: keyof typeof WOO_CAST) => {
  const p = WOO_CAST[key];
  return { ...p, email: p.email.trim().toLowerCase() };
};

/** The collections a person is found in, per storage: the orders' copies differ, the rest does not. */
const ORDER_COLLECTIONS = {
  sync: [
    'hpos_orders',
    'hpos_order_addresses',
    'hpos_order_operational_data',
    'orders',
    'order_notes',
    'hpos_order_notes',
  ],
  hpos: ['hpos_orders', 'hpos_order_addresses', 'hpos_order_operational_data', 'hpos_order_notes'],
  legacy: ['orders', 'order_notes'],
} as const;

describe('the WooCommerce example map on a fresh install', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('woocommerce', { empty: true });
  });
  after(() => shop?.drop());

  it('passes datamap check: every table and column it names is there, and the policy has every category', async () => {
    const policy = loadYamlFile(new URL('../examples/woocommerce/policy.yaml', import.meta.url).pathname, Policy);
    assert.ok(policy.ok);
    const map = loadDataMap(exampleMap('woocommerce'), {
      INZAGE_SHOP_DATABASE_URL: shop.url,
      WOO_TABLE_PREFIX: shop.prefix,
    });
    assert.ok(map.ok);
    const findings = [
      ...checkAgainstPolicy(map.value, policy.value),
      ...(await checkAgainstDatabase('shop', shop.system, shop.database.db)),
    ];
    assert.deepEqual(findings, []);
    assert.deepEqual(await discoverUnmapped('shop', shop.system, shop.database.db), []);
  });

  it('warns that postmeta and usermeta lack the index a lookup by meta key and value needs, until it is added', async () => {
    const { remove } = freshDataDir();
    process.env.INZAGE_CONFIG_DIR = 'examples/woocommerce';
    process.env.INZAGE_SHOP_DATABASE_URL = shop.url;
    process.env.WOO_TABLE_PREFIX = shop.prefix;
    const check = async () => {
      const { code, out } = await inzage('datamap', 'check', '--json');
      const { ok, findings } = JSON.parse(out) as { ok: boolean; findings: Array<Record<string, string>> };
      assert.equal(code, 0, out);
      assert.ok(ok, 'a missing index is a warning: the check passes');
      return findings.filter((f) => /has no index on/.test(f.message ?? ''));
    };
    try {
      const warned = await check();
      assert.deepEqual(
        warned.map((f) => [f.severity, f.path]),
        [
          ['warning', 'systems.shop.collections.customers.meta'],
          ['warning', 'systems.shop.collections.orders.meta'],
        ],
      );
      const statements = warned.map((f) => f.message!.slice(f.message!.indexOf('alter table')));
      assert.deepEqual(statements, [
        `alter table ${shop.prefix}usermeta add index inzage_meta_key_value (meta_key(32), meta_value(64));`,
        `alter table ${shop.prefix}postmeta add index inzage_meta_key_value (meta_key(32), meta_value(64));`,
      ]);
      assert.match(warned[1]!.message!, /finding an owner by _billing_email, _customer_user reads every row/);
      // The statement the warning names is one MariaDB takes, and then the warning is gone.
      for (const statement of statements) await shop.database.run(statement, []);
      assert.deepEqual(await check(), []);
    } finally {
      delete process.env.INZAGE_SHOP_DATABASE_URL;
      delete process.env.WOO_TABLE_PREFIX;
      remove();
    }
  });
});

for (const storage of ['sync', 'hpos', 'legacy'] as const) {
  describe(`a WooCommerce shop (${storage} order storage) on MariaDB`, { skip: skipMysql }, () => {
    let shop: PlatformShop;
    before(async () => {
      shop = await createPlatformShop('woocommerce', { storage });
    });
    after(() => shop?.drop());

    it('finds an account in every place WooCommerce keeps one, with a constant number of queries', async () => {
      const found = await shop.find(person('jan').email);
      const expected = [
        'customers',
        ...ORDER_COLLECTIONS[storage],
        'reviews',
        'sessions',
        'customer_lookup',
        'order_stats',
        'order_product_lookup',
        'download_permissions',
        'download_log',
        'payment_tokens',
      ].sort();
      assert.deepEqual(Object.keys(found).sort(), expected);
      const result = await shop.connector().find({ email: person('jan').email });
      // One statement per collection and one per meta table, however many orders: never one per order.
      const collections = Object.values(shop.system.collections);
      const bound = collections.length + collections.filter((c) => c.meta).length;
      assert.ok(result.queries <= bound, `${result.queries} queries for three orders, at most ${bound}`);
      const account = result.findings.flatMap((f) => f.records).find((r) => r.collection === 'customers')!;
      assert.equal(account.data.billing_phone, WOO_CAST.jan.phone);
    });

    it("tells each order note once in the person's letter, though both order storages reach it", async () => {
      const map = loadDataMap(exampleMap('woocommerce'), {
        INZAGE_SHOP_DATABASE_URL: shop.url,
        WOO_TABLE_PREFIX: shop.prefix,
      });
      assert.ok(map.ok);
      const policy = loadYamlFile(new URL('../examples/woocommerce/policy.yaml', import.meta.url).pathname, Policy);
      assert.ok(policy.ok);
      const { findings, queries } = await shop.connector().find({ email: person('jan').email });
      const records = findings.flatMap((f) => f.records);
      const result = {
        subject: { email: person('jan').email },
        generatedAt: now.toISOString(),
        records,
        collections: [],
        processors: [],
        manualTasks: [],
        queries,
      };
      const files = unzipSync(
        buildExportPackage(result, policy.value, { lang: 'nl', generatedAt: now, labels: dataLabels(map.value) }),
      );
      const html = strFromU8(files['index.html']!);
      // Each of Jan's three orders has the payment plug-in's note naming him.
      const payer = 'door J. Jansen.';
      assert.equal(html.split(payer).length - 1, WOO_CAST.jan.orders, 'one line per note in the letter');
      const data = JSON.parse(strFromU8(files['data.json']!)) as ExportData;
      const inData = data.records.filter((r) => String(r.data.comment_content).includes(payer)).length;
      const copies = storage === 'sync' ? 2 : 1;
      assert.equal(inData, WOO_CAST.jan.orders * copies, 'data.json keeps each note where it was found');
    });

    it('exports what each place holds: the order with its billing address, the review with its IP address', async () => {
      const records = (await shop.connector().find({ email: person('guest').email })).findings.flatMap(
        (f) => f.records,
      );
      const texts = JSON.stringify(records.map((r) => r.data));
      for (const value of [
        WOO_CAST.guest.phone,
        WOO_CAST.guest.ip,
        'Laan van Nieuw Oost-Indië 22',
        WOO_CAST.guest.review,
      ])
        assert.ok(texts.includes(value), `the export shows ${value}`);
    });

    it('finds a guest by the address as typed, and never a look-alike: _ and % are no wildcards', async () => {
      const guest = await shop.find(person('guest').email);
      const lookalike = await shop.find(person('lookalike').email);
      assert.ok(guest.reviews && lookalike.reviews);
      for (const [collection, keys] of Object.entries(guest))
        for (const key of keys)
          if (!collection.includes('lookup') && collection !== 'order_stats')
            assert.ok(!lookalike[collection]?.includes(key), `${collection} ${key} is the guest's alone`);
      assert.ok(!guest.customers, 'a guest has no account');
    });

    it('tells zoë@ from zoe@', async () => {
      const guest = await shop.find(person('zoeGuest').email);
      const account = await shop.find(person('zoeAccount').email);
      assert.ok(account.customers && !guest.customers);
      assert.ok(guest.sessions && !account.sessions);
    });

    it('erases a guest: sealed first, then nothing of them is left in any text column of the shop', async () => {
      const lookalikeBefore = await shop.find(person('lookalike').email);
      const zoeBefore = await shop.find(person('zoeGuest').email);
      const report = await shop.connector().erase({ email: person('guest').email }, { now });
      assert.equal(report.status, 'erased', report.error);
      const sealed = JSON.stringify(shop.sealed.map((s) => s.data));
      assert.ok(sealed.includes('Laan van Nieuw Oost-Indië 22'), 'the invoice address is in the archive');
      assert.deepEqual(await shop.find(person('guest').email), {});
      for (const needle of [person('guest').email, WOO_CAST.guest.phone, WOO_CAST.guest.ip, 'Cornelisse', 'GuestPhone'])
        assert.deepEqual(await shop.scan(needle), [], `nothing holds ${needle}`);
      assert.deepEqual(await shop.find(person('lookalike').email), lookalikeBefore, 'the look-alike is untouched');
      assert.deepEqual(await shop.find(person('zoeGuest').email), zoeBefore, 'another guest is untouched');
    });

    it('erases an account and all its orders, and leaves the namesake as they were', async () => {
      const namesakeBefore = await shop.find(person('namesake').email);
      const janbrowserBefore = (await shop.scan('JanBrowser')).length;
      assert.ok(janbrowserBefore > 0);
      const report = await shop.connector().erase({ email: person('jan').email }, { now });
      assert.equal(report.status, 'erased', report.error);
      assert.deepEqual(await shop.find(person('jan').email), {});
      for (const needle of [person('jan').email, WOO_CAST.jan.phone, WOO_CAST.jan.ip, 'JanBrowser', 'Dorpsstraat 1'])
        assert.deepEqual(await shop.scan(needle), [], `nothing holds ${needle}`);
      assert.deepEqual(await shop.find(person('namesake').email), namesakeBefore);
      assert.ok((await shop.scan('Jansen')).length > 0, "the namesake's name stays");
    });

    it('erases zoë@ and leaves zoe@', async () => {
      const report = await shop.connector().erase({ email: person('zoeGuest').email }, { now });
      assert.equal(report.status, 'erased', report.error);
      assert.deepEqual(await shop.scan(person('zoeGuest').email), []);
      assert.ok((await shop.find(person('zoeAccount').email)).customers);
    });
  });
}

describe('retention on a WooCommerce shop (sync order storage) on MariaDB', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('woocommerce', { storage: 'sync' });
  });
  after(() => shop?.drop());
  const count = async (sql: string) => Number((await shop.database.run(sql, []))[0]?.n);

  it('reads activity from the real columns and meta keys: an account active last week is active', async () => {
    const c = shop.connector();
    const active = await c.activeAmong([person('jan').email], new Date(now.getTime() - 30 * 86_400_000));
    assert.deepEqual([...active], [person('jan').email]);
    const { known } = await c.inactiveBefore(new Date(now.getTime() - 2 * 365 * 86_400_000));
    assert.ok(known > 30, `${known} people known`);
  });

  it('clears IP addresses and browsers three months after the order, and keeps the newer ones', async () => {
    const cutoff = new Date(now.getTime() - 92 * 86_400_000);
    const at = cutoff.toISOString().slice(0, 19).replace('T', ' ');
    const older = `from ${shop.prefix}wc_orders where date_created_gmt < '${at}'`;
    assert.ok((await count(`select count(*) as n ${older} and ip_address is not null`)) > 0);
    const newer = await count(
      `select count(*) as n from ${shop.prefix}wc_orders where date_created_gmt >= '${at}' and ip_address is not null`,
    );
    await shop.connector().clearCollected(['technical'], cutoff, false);
    assert.equal(
      await count(`select count(*) as n ${older} and (ip_address is not null or user_agent is not null)`),
      0,
    );
    const legacy = `from ${shop.prefix}postmeta m join ${shop.prefix}posts p on p.ID = m.post_id where p.post_date_gmt < '${at}'`;
    assert.equal(
      await count(
        `select count(*) as n ${legacy} and m.meta_key = '_customer_ip_address' and m.meta_value is not null`,
      ),
      0,
      'the legacy copy too',
    );
    assert.equal(
      await count(
        `select count(*) as n from ${shop.prefix}wc_orders where date_created_gmt >= '${at}' and ip_address is not null`,
      ),
      newer,
    );
  });

  it('deletes orders past the fiscal term in both storages, with their addresses and meta rows, leaving no orphan', async () => {
    const later = new Date('2040-01-01T00:00:00Z');
    const result = await shop.connector().destroyExpiredHolds(later, false);
    const byName = Object.fromEntries(result.map((r) => [r.collection, r.records]));
    assert.ok(byName.hpos_orders! > 0 && byName.orders! > 0 && byName.hpos_order_addresses! > 0);
    assert.equal(await count(`select count(*) as n from ${shop.prefix}wc_orders`), 0);
    assert.equal(
      await count(`select count(*) as n from ${shop.prefix}wc_order_addresses`),
      0,
      'no address outlives its order',
    );
    assert.equal(await count(`select count(*) as n from ${shop.prefix}wc_orders_meta`), 0);
    assert.equal(await count(`select count(*) as n from ${shop.prefix}posts where post_type = 'shop_order'`), 0);
    assert.equal(
      await count(
        `select count(*) as n from ${shop.prefix}postmeta m left join ${shop.prefix}posts p on p.ID = m.post_id where p.ID is null`,
      ),
      0,
    );
    assert.ok(
      (await count(`select count(*) as n from ${shop.prefix}posts where post_type = 'product'`)) > 0,
      'products stay',
    );
  });
});

describe('the fiscal year of a WooCommerce order (legacy order storage) on MariaDB', { skip: skipMysql }, () => {
  let shop: PlatformShop;
  before(async () => {
    shop = await createPlatformShop('woocommerce', { storage: 'legacy', customers: 5 });
  });
  after(() => shop?.drop());

  it("dates a legacy order by post_date_gmt: 23:30 on New Year's Eve, Dutch time, is in that year's books (AWR art. 52(4))", async () => {
    const posts = `${shop.prefix}posts`;
    const ids = (
      await shop.database.run(`select ID from ${posts} where post_type = 'shop_order' order by ID limit 3`, [])
    ).map((r) => Number(r.ID));
    const [lastOfYear, firstOfNext, undated] = ids as [number, number, number];
    // As WordPress writes them: post_date in the site's time (Amsterdam, UTC+1 in winter), post_date_gmt in UTC.
    const dated = (id: number, local: string, utc: string) =>
      shop.database.run(`update ${posts} set post_date = ?, post_date_gmt = ? where ID = ?`, [local, utc, id]);
    await dated(lastOfYear, '2026-12-31 23:30:00', '2026-12-31 22:30:00');
    await dated(firstOfNext, '2027-01-01 00:30:00', '2026-12-31 23:30:00');
    // WordPress's zero date (a draft's post_date_gmt) is no date: such an order is kept, as an erasure seals it.
    await dated(undated, '2020-01-01 10:00:00', '0000-00-00 00:00:00');
    // Noon on 1 January 2034, Dutch time: the books of 2026 have been kept seven years after their year's end,
    // those of 2027 not yet (a plain seven years from the order would let both go).
    await shop.connector().destroyExpiredHolds(new Date('2034-01-01T12:00:00+01:00'), false);
    const left = await shop.database.run(`select ID from ${posts} where ID in (?, ?, ?) order by ID`, [
      lastOfYear,
      firstOfNext,
      undated,
    ]);
    assert.deepEqual(
      left.map((r) => Number(r.ID)),
      [firstOfNext, undated],
      'post_date read as UTC would put the first in 2027 and keep it a year longer than the law asks',
    );
  });
});
