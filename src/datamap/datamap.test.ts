import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';
import { createTestShop, EXAMPLE_DATAMAP_FILE, type TestShop } from '../../test/helpers/demo-shop.ts';
import { openSqlDatabase } from '../connectors/sql/sql-database.ts';
import { checkAgainstDatabase, checkAgainstPolicy } from './check.ts';
import type { DataMap, SqlSystem } from './datamap.schema.ts';
import { interpolate, loadDataMap } from './datamap.ts';
import { planSystem } from './plan.ts';
import { checkRecipientValues, partyNamedBy, recipientColumns } from './recipients.ts';

const dir = mkdtempSync(join(tmpdir(), 'inzage-datamap-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const writeMap = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const policy = loadExamplePolicy();
const example = (): DataMap => {
  const loaded = loadDataMap(EXAMPLE_DATAMAP_FILE, { INZAGE_DATA_DIR: '/srv/data' });
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.problems));
  return loaded.value;
};

describe('the data map file', () => {
  it('loads the Balkonzon example and fills ${VAR:-default} in URLs from the environment', () => {
    const shop = example().systems.shop as SqlSystem;
    assert.equal(shop.url, 'sqlite:/srv/data/demo-shop.db');
    const real = loadDataMap(EXAMPLE_DATAMAP_FILE, { INZAGE_SHOP_DATABASE_URL: 'postgres://shop@db/shop' });
    assert.ok(real.ok);
    assert.equal((real.value.systems.shop as SqlSystem).url, 'postgres://shop@db/shop');
  });

  it('reads the short form "<category> <strategy>" of a field', () => {
    const orders = (example().systems.shop as SqlSystem).collections.orders!;
    assert.deepEqual(
      { category: orders.fields.billing_name?.category, erase: orders.fields.billing_name?.erase },
      { category: 'contact', erase: 'mask' },
    );
  });

  it('interpolates nested defaults and leaves plain text alone', () => {
    assert.equal(interpolate('a-${X:-${Y:-z}}-b', {}), 'a-z-b');
    assert.equal(interpolate('${X:-${Y}}', { Y: 'y' }), 'y');
    assert.equal(interpolate('no variables', { X: '1' }), 'no variables');
  });

  it('names the line and path of a wrong strategy, an unknown key and a reference to nothing', () => {
    const file = writeMap(
      'bad.yaml',
      [
        'systems:',
        '  shop:',
        '    type: sql',
        '    url: sqlite:shop.db',
        '    collections:',
        '      orders:',
        '        identity: [email]',
        '        references: { customer_id: klanten.id }',
        '        fields:',
        '          email: contact shred',
        '        colour: blue',
      ].join('\n'),
    );
    const loaded = loadDataMap(file, {});
    assert.equal(loaded.ok, false);
    const problems = !loaded.ok ? loaded.problems : [];
    const byPath = new Map(problems.map((p) => [p.path, p]));
    assert.match(
      byPath.get('systems.shop.collections.orders.fields.email')?.message ?? '',
      /delete\|null\|mask\|hash\|keep/,
    );
    assert.equal(byPath.get('systems.shop.collections.orders.fields.email')?.line, 10);
    assert.match(byPath.get('systems.shop.collections.orders.colour')?.message ?? '', /unknown key/);
  });

  it('refuses references to a collection that is not there, and cycles', () => {
    const file = writeMap(
      'refs.yaml',
      [
        'systems:',
        '  shop:',
        '    type: sql',
        '    url: sqlite:shop.db',
        '    collections:',
        '      a: { identity: [email], references: { b_id: b.id } }',
        '      b: { references: { a_id: a.id } }',
        '      c: { references: { x_id: nowhere.id } }',
      ].join('\n'),
    );
    const loaded = loadDataMap(file, {});
    assert.equal(loaded.ok, false);
    const messages = !loaded.ok ? loaded.problems.map((p) => `${p.path}: ${p.message}`) : [];
    assert.ok(
      messages.some((m) => /c\.references\.x_id: refers to "nowhere"/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /form a cycle: a → b → a/.test(m)),
      messages.join('\n'),
    );
  });

  it("takes a database's time zone by its IANA name into the plan, and names the line of one it does not know", () => {
    const map = (zone: string) =>
      writeMap(
        `zone-${zone.replace(/\W/g, '')}.yaml`,
        [
          'systems:',
          '  shop:',
          '    type: sql',
          '    url: sqlite:shop.db',
          `    timeZone: ${zone}`,
          '    collections:',
          '      orders:',
          '        identity: [email]',
          '        fields:',
          '          email: contact delete',
        ].join('\n'),
      );
    const good = loadDataMap(map('Europe/Amsterdam'), {});
    assert.ok(good.ok);
    assert.equal(planSystem('shop', good.value.systems.shop as SqlSystem).timeZone, 'Europe/Amsterdam');
    assert.equal(planSystem('shop', example().systems.shop as SqlSystem).timeZone, undefined, 'UTC when unsaid');
    const bad = loadDataMap(map('Europe/Amsterdm'), {});
    assert.equal(bad.ok, false);
    const problem = !bad.ok ? bad.problems.find((p) => p.path === 'systems.shop.timeZone') : undefined;
    assert.match(problem?.message ?? '', /IANA time zone/);
    assert.equal(problem?.line, 5);
    // Other names of UTC are UTC, which is no zone of its own.
    for (const utc of ['Etc/UTC', 'GMT', 'utc']) {
      const loaded = loadDataMap(map(utc), {});
      assert.ok(loaded.ok, utc);
      assert.equal(planSystem('shop', loaded.value.systems.shop as SqlSystem).timeZone, undefined, utc);
    }
  });

  it('refuses a time zone that would not be applied: on PostgreSQL, and beside meta keys of Unix times', () => {
    const map = (name: string, url: string, meta: string[]) =>
      writeMap(
        name,
        [
          'systems:',
          '  shop:',
          '    type: sql',
          `    url: ${url}`,
          '    timeZone: Europe/Amsterdam',
          '    collections:',
          '      customers:',
          '        identity: [email]',
          '        fields:',
          '          email: contact delete',
          ...meta,
        ].join('\n'),
      );
    const postgres = loadDataMap(map('zone-pg.yaml', '${SHOP_URL}', []), { SHOP_URL: 'postgres://shop@db/shop' });
    const metaKeys = loadDataMap(
      map('zone-meta.yaml', 'mysql://shop@db/shop', [
        '        meta:',
        '          table: customer_meta',
        '          owner: customer_id',
        '          activity: [last_active]',
        '          fields:',
        '            last_active: account keep',
      ]),
      {},
    );
    for (const [loaded, why] of [
      [postgres, /PostgreSQL's timestamptz carries its zone/],
      [metaKeys, /meta activity keys/],
    ] as const) {
      assert.equal(loaded.ok, false);
      const problem = !loaded.ok ? loaded.problems.find((p) => p.path === 'systems.shop.timeZone') : undefined;
      assert.match(problem?.message ?? '', why);
      assert.equal(problem?.line, 5);
    }
  });

  it('plans parents before children', () => {
    const plan = planSystem('shop', example().systems.shop as SqlSystem);
    const order = plan.collections.map((c) => c.name);
    assert.ok(order.indexOf('customers') < order.indexOf('orders'));
    assert.ok(order.indexOf('orders') < order.indexOf('invoices'));
    assert.equal(plan.collections.find((c) => c.name === 'reviews')?.deletesRow, true);
  });
});

describe('datamap check against the policy', () => {
  it('finds nothing wrong in the Balkonzon example', () => {
    assert.deepEqual(checkAgainstPolicy(example(), policy), []);
  });

  it('reports an unknown category, an unknown legal hold and a processor in no system', () => {
    const map = example();
    const orders = (map.systems.shop as SqlSystem).collections.orders!;
    orders.fields.email = { category: 'contactgegevens', erase: 'hash', placeholder: undefined, role: undefined };
    (map.systems.shop as SqlSystem).collections.invoices!.legalHold = { hold: 'forever', from: 'issued_at' };
    delete map.systems.mollie;
    const findings = checkAgainstPolicy(map, policy);
    const text = findings.map((f) => `${f.severity} ${f.path}: ${f.message}`).join('\n');
    assert.match(text, /error systems\.shop\.collections\.orders\.fields\.email: category "contactgegevens"/);
    assert.match(text, /error systems\.shop\.collections\.invoices\.legalHold\.hold: no retention rule/);
    assert.match(text, /error systems: processor "mollie" \(Mollie\) from the policy is in no system/);
  });

  it('warns when a deleted parent would be left pointed at', () => {
    const map = example();
    (map.systems.shop as SqlSystem).collections.orders!.fields.customer_id = {
      category: 'account',
      erase: 'keep',
      placeholder: undefined,
      role: undefined,
    };
    const findings = checkAgainstPolicy(map, policy);
    assert.ok(findings.some((f) => f.severity === 'warning' && /orders\.customer_id keeps pointing/.test(f.message)));
  });
});

describe('columns that name a recipient', () => {
  it('are marked in the example: the carrier of a shipment and the provider of a payment', () => {
    assert.deepEqual(recipientColumns(example().systems.shop as SqlSystem), [
      { collection: 'payments', table: 'payments', column: 'provider' },
      { collection: 'shipments', table: 'shipments', column: 'carrier' },
    ]);
  });

  it('match a party of the policy by id, name or legal name, in any case, or a name that goes on', () => {
    const named = (value: string) => partyNamedBy(value, policy)?.id;
    assert.equal(named('mollie'), 'mollie');
    assert.equal(named('Jos Heeren Transport'), 'jos-heeren-transport');
    assert.equal(named('jos-heeren-transport'), 'jos-heeren-transport');
    assert.equal(named('POSTNL'), 'postnl');
    assert.equal(named('DHL Parcel'), 'dhl');
    assert.equal(named('Mollie B.V.'), 'mollie');
    assert.equal(named('GLS'), undefined);
    assert.equal(named('Post'), undefined, 'a part of a name is not the name');
    assert.equal(named('DHLX'), undefined);
    assert.equal(named('  '), undefined);
  });
});

for (const dialect of DIALECTS) {
  describe(`datamap check against a live ${dialect} database`, { skip: skipFor(dialect) }, () => {
    let shop: TestShop;
    before(async () => {
      shop = await createTestShop(dialect, 20);
    });
    after(() => shop?.drop());

    it('finds every table and column of the example in the demo shop', async () => {
      const system = shop.dataMap.systems.shop as SqlSystem;
      const db = openSqlDatabase(shop.url, { schema: shop.schema });
      try {
        const findings = await checkAgainstDatabase('shop', system, db.db);
        assert.deepEqual(
          findings.filter((f) => f.severity === 'error'),
          [],
        );
      } finally {
        await db.close();
      }
    });

    it('finds every carrier and payment provider of the demo shop among the parties of the policy', async () => {
      const db = openSqlDatabase(shop.url, { schema: shop.schema });
      try {
        const carriers = await db.db.selectFrom('shipments').select('carrier').distinct().execute();
        assert.ok(carriers.length >= 2, 'the demo shop uses several carriers');
        assert.deepEqual(await checkRecipientValues('shop', shop.dataMap.systems.shop as SqlSystem, db.db, policy), []);
      } finally {
        await db.close();
      }
    });

    it('warns about a carrier or provider in the data that the policy does not name', async () => {
      const db = openSqlDatabase(shop.url, { schema: shop.schema });
      try {
        const order = await db.db.selectFrom('orders').select('id').limit(1).executeTakeFirstOrThrow();
        await db.db
          .insertInto('shipments')
          .values({ id: 999_001, order_id: order.id, carrier: 'GLS', recipient_name: 'Test', country: 'NL' })
          .execute();
        const withoutDhl = structuredClone(policy);
        withoutDhl.processors = withoutDhl.processors.filter((p) => p.id !== 'dhl');
        const findings = await checkRecipientValues('shop', shop.dataMap.systems.shop as SqlSystem, db.db, withoutDhl);
        assert.deepEqual(
          findings.map((f) => [f.severity, f.path, f.message.split(' receives')[0]]),
          [
            ['warning', 'systems.shop.collections.shipments.fields.carrier', '"DHL"'],
            ['warning', 'systems.shop.collections.shipments.fields.carrier', '"GLS"'],
          ],
        );
        assert.match(findings[0]!.message, /names no party of the policy/);
      } finally {
        await db.db.deleteFrom('shipments').where('id', '=', 999_001).execute();
        await db.close();
      }
    });

    it('reports a missing table, a missing column and "null" on a NOT NULL column', async () => {
      const system = structuredClone(shop.dataMap.systems.shop as SqlSystem);
      system.collections.wishlists = { ...system.collections.reviews!, table: 'wishlists' };
      system.collections.customers!.fields.shoe_size = {
        category: 'contact',
        erase: 'null',
        placeholder: undefined,
        role: undefined,
      };
      system.collections.customers!.fields.first_name = {
        category: 'contact',
        erase: 'null',
        placeholder: undefined,
        role: undefined,
      };
      const db = openSqlDatabase(shop.url, { schema: shop.schema });
      try {
        const text = (await checkAgainstDatabase('shop', system, db.db))
          .map((f) => `${f.path}: ${f.message}`)
          .join('\n');
        assert.match(text, /wishlists: table "wishlists" does not exist/);
        assert.match(text, /customers: column "shoe_size" does not exist/);
        assert.match(text, /customers\.fields\.first_name: is NOT NULL/);
      } finally {
        await db.close();
      }
    });
  });
}
