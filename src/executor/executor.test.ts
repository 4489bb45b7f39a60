import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../test/helpers/demo-shop.ts';
import { skipMysql } from '../../test/helpers/mysql.ts';
import { assertNoTraceOfSanne } from '../../test/helpers/traces.ts';
import type { Connector, FoundRecord } from '../connectors/connector.ts';
import { openSqlDatabase, type SqlDatabase } from '../connectors/sql/sql-database.ts';
import type { SqlSystem } from '../datamap/datamap.schema.ts';
import { SANNE } from '../demo/demo-shop.ts';
import { FakeClock } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import { SealedArchive } from '../retention/sealed-archive.ts';
import type { Dialect } from '../store/database.ts';
import { buildExecutor } from './build.ts';
import { Executor } from './executor.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const policy = loadExamplePolicy();
// The demo shop's "now"; Sanne's first invoice is recent, so it is under the fiscal hold.
const clock = new FakeClock('2026-11-01T12:00:00.000Z');

// Each dialect's hub beside a shop of the same dialect, and a SQLite hub beside a shop in MySQL/MariaDB.
const CASES = [
  ...DIALECTS.map((dialect) => ({ dialect, shopDialect: dialect as Dialect | 'mysql', skip: skipFor(dialect) })),
  { dialect: 'sqlite' as const, shopDialect: 'mysql' as const, skip: skipMysql },
];

for (const { dialect, shopDialect, skip } of CASES) {
  describe(`the engine on ${dialect}${shopDialect === dialect ? '' : ` with a shop in ${shopDialect}`}`, {
    skip,
  }, () => {
    let hub: TestStore;
    let shop: TestShop;
    let shopDb: SqlDatabase;
    let executor: Executor;
    const opened: Executor[] = [];
    const newExecutor = (dataMap = shop.dataMap, secret = SECRET) => {
      const e = buildExecutor({ dataMap, policy, hub: hub.db, secret, clock });
      opened.push(e);
      return e;
    };
    const rows = async (query: string) => (await sql.raw<any>(query).execute(shopDb.db)).rows;

    before(async () => {
      hub = await createTestStore(dialect);
      shop = await createTestShop(shopDialect);
      shopDb = openSqlDatabase(shop.url, { schema: shop.schema });
      executor = newExecutor();
    });
    after(async () => {
      for (const e of opened) await e.close();
      await shopDb.close();
      await shop.drop();
      await hub.drop();
    });

    it('finds Sanne everywhere, whatever the case and spaces of her address', async () => {
      for (const email of [SANNE.email, '  SANNE.DeBoer@EXAMPLE.nl ']) {
        const result = await executor.find({ email });
        const count = (c: string) => result.collections.find((x) => x.collection === c)?.count ?? 0;
        assert.equal(count('customers'), 1);
        assert.equal(count('orders'), 4, 'three account orders and the guest order');
        assert.equal(count('invoices'), 2);
        assert.equal(count('reviews'), 1);
        assert.equal(count('contact_moments'), 1);
        assert.ok(count('order_lines') >= 4);
        const guest = result.records.find((r) => r.collection === 'orders' && r.data.customer_id === null);
        assert.equal(guest?.data.email, SANNE.guestEmail);
      }
    });

    it('labels every record with system, collection and categories, and names the processors that hold them', async () => {
      const result = await executor.find({ email: SANNE.email });
      const customer = result.records.find((r) => r.collection === 'customers')!;
      assert.equal(customer.system, 'shop');
      assert.equal(customer.categories.email, 'contact');
      assert.equal(customer.data.first_name, SANNE.firstName);
      const ids = result.processors.map((p) => p.id);
      assert.ok(ids.includes('myonlinestore'));
      assert.ok(ids.includes('moneybird'), 'invoice data goes to MoneyBird');
      assert.ok(result.manualTasks.some((t) => t.processor === 'mollie' && t.action === 'access'));
    });

    it('finds with one query per collection', async () => {
      const result = await executor.find({ email: SANNE.email });
      assert.equal(result.queries, 8);
    });

    it('finds reviews and contact moments known only by e-mail', async () => {
      const [review] = await rows(
        `select author_email from reviews r where order_id is null and not exists
           (select 1 from customers c where lower(trim(c.email)) = lower(trim(r.author_email)))
         and not exists (select 1 from orders o where lower(trim(o.email)) = lower(trim(r.author_email))) limit 1`,
      );
      assert.ok(review, 'the demo shop has a review known only by e-mail');
      const result = await executor.find({ email: review.author_email });
      assert.deepEqual(
        result.collections.map((c) => c.collection),
        ['reviews'],
      );
      const [moment] = await rows(
        `select email from contact_moments m where customer_id is null and not exists
           (select 1 from customers c where lower(trim(c.email)) = lower(trim(m.email))) limit 1`,
      );
      assert.ok(moment);
      const found = await executor.find({ email: moment.email });
      assert.ok(found.collections.some((c) => c.collection === 'contact_moments'));
    });

    it('finds both accounts of a person with two accounts under one address', async () => {
      const [pair] = await rows(
        `select lower(trim(email)) as email from customers group by lower(trim(email)) having count(*) > 1 limit 1`,
      );
      assert.ok(pair, 'the demo shop has a person with two accounts');
      const result = await executor.find({ email: pair.email });
      assert.equal(result.collections.find((c) => c.collection === 'customers')?.count, 2);
    });

    it('answers a person with no data with an empty result, not an error', async () => {
      const result = await executor.find({ email: 'niemand@example.org' });
      assert.equal(result.records.length, 0);
      assert.deepEqual(result.processors, []);
    });

    it('finds a person with 10,000 orders in as many queries as anyone else', async () => {
      await rows(
        `insert into customers (id, email, first_name, last_name, country, created_at)
         values (900001, 'groothandel@example.com', 'Grote', 'Klant', 'NL', '2026-01-01T00:00:00.000Z')`,
      );
      const values = Array.from(
        { length: 10_000 },
        (_, i) =>
          `(${900001 + i}, 'BZ-BULK-${i}', 900001, 'groothandel@example.com', 'Grote Klant', 'paid', 1000, '2026-01-02T00:00:00.000Z')`,
      );
      for (let i = 0; i < values.length; i += 2000) {
        await rows(
          `insert into orders (id, number, customer_id, email, billing_name, status, total_cents, created_at) values ${values.slice(i, i + 2000).join(',')}`,
        );
      }
      const result = await executor.find({ email: 'groothandel@example.com' });
      assert.equal(result.collections.find((c) => c.collection === 'orders')?.count, 10_000);
      assert.equal(result.queries, 8);
      const report = await executor.erase({ email: 'groothandel@example.com' });
      assert.equal(report.status, 'waiting_on_tasks');
      const [left] = await rows(`select count(*) as n from orders where billing_name = 'Grote Klant'`);
      assert.equal(Number(left.n), 0);
    });

    it('rectifies the fields of a category in every collection that holds them', async () => {
      const report = await executor.rectify(
        { email: SANNE.email },
        { category: 'contact', values: { last_name: 'de Boer-Jansen', phone: '06-87654321' } },
      );
      assert.equal(report.status, 'waiting_on_tasks', 'the processors without API get a task');
      const [row] = await rows(`select last_name, phone from customers where id = ${SANNE.customerId}`);
      assert.deepEqual({ ...row }, { last_name: 'de Boer-Jansen', phone: '06-87654321' });
      const shopPart = report.systems.find((s) => s.system === 'shop')!;
      assert.deepEqual(
        shopPart.collections.map((c) => c.collection),
        ['customers'],
      );
      await executor.rectify({ email: SANNE.email }, { values: { last_name: SANNE.lastName, phone: SANNE.phone } });
    });

    it('shows in a dry run what erasure would do, and changes nothing', async () => {
      const report = await executor.erase({ email: SANNE.email }, { dryRun: true });
      assert.equal(report.status, 'dry-run');
      const invoices = report.systems[0]!.collections.find((c) => c.collection === 'invoices')!;
      assert.equal(invoices.found, 2);
      assert.ok(invoices.sealed >= 1);
      assert.equal((await executor.find({ email: SANNE.email })).collections.length > 0, true);
    });

    it('erases Sanne with every strategy, seals her invoices, and leaves no trace of her in any text column', async () => {
      const before = await executor.find({ email: SANNE.email });
      const orderIds = before.records.filter((r) => r.collection === 'orders').map((r) => r.key);
      const report = await executor.erase({ email: SANNE.email });
      const shopPart = report.systems.find((s) => s.system === 'shop')!;
      assert.equal(shopPart.status, 'erased', shopPart.error);
      assert.equal(report.status, 'waiting_on_tasks');
      assert.ok(report.manualTasks.some((t) => t.processor === 'webwinkelkeur' && t.action === 'erase'));

      // delete: the account, her review and her contact moment are gone.
      assert.equal((await rows(`select id from customers where id = ${SANNE.customerId}`)).length, 0);
      // hash, mask, null, keep on her orders.
      const orders = await rows(`select * from orders where id in (${orderIds.join(',')}) order by id`);
      assert.equal(orders.length, 4);
      for (const o of orders) {
        assert.equal(o.email, '[verwijderd]', 'no keyed hash of her address stays behind');
        assert.equal(o.billing_name, '[verwijderd]');
        assert.equal(o.billing_street, null);
        assert.equal(o.customer_id, null);
        assert.match(o.number, /\S/);
      }
      assert.equal(new Set(orders.map((o: { email: string }) => o.email)).size, 1, 'every case variant hashes alike');

      const invoices = shopPart.collections.find((c) => c.collection === 'invoices')!;
      assert.ok(invoices.sealed >= 1);
      assert.match(invoices.reason ?? '', /^fiscal: /);
      assert.ok(invoices.retainedUntil && invoices.retainedUntil > clock.now().toISOString());

      await assertNoTraceOfSanne((table) => rows(`select * from ${table}`));
      assert.equal((await executor.find({ email: SANNE.email })).records.length, 0);
    });

    it('keeps her held invoices readable in the sealed archive only with the key', async () => {
      const archive = new SealedArchive(hub.db, SECRET, clock);
      const sealed = await archive.open(archive.subjectRef(SANNE.email));
      const invoices = sealed.filter((r) => r.collection === 'invoices');
      assert.ok(invoices.length >= 1);
      assert.equal(invoices[0]!.data.billing_name, SANNE.fullName);
      const raw = await hub.db.selectFrom('sealed_records').select('ciphertext').execute();
      assert.ok(raw.every((r) => !Buffer.from(r.ciphertext, 'base64').toString('latin1').includes('Boer')));
      const otherSecret = new SealedArchive(hub.db, `${SECRET}-other`, clock);
      assert.deepEqual(await otherSecret.open(otherSecret.subjectRef(SANNE.email)), [], 'another secret finds nothing');
      const ref = archive.subjectRef(SANNE.email);
      await assert.rejects(() => otherSecret.open(ref), 'and cannot decrypt her key');
    });

    it('erases several people at once and seals the invoices of each under their own key', async () => {
      const people = (
        await rows(
          `select c.email from customers c where c.id between 20 and 60 and exists
             (select 1 from orders o join invoices i on i.order_id = o.id where o.customer_id = c.id and i.issued_at > '2022-01-01')
           limit 3`,
        )
      ).map((r: { email: string }) => r.email);
      assert.equal(people.length, 3);
      const quoted = people.map((e) => `'${e}'`).join(', ');
      const theirOrders = await rows(
        `select o.id, lower(c.email) as owner from orders o join customers c on c.id = o.customer_id where lower(c.email) in (${quoted})`,
      );
      assert.ok(theirOrders.length >= 3);
      // The `hash` strategy, which the example map no longer uses on orders: one statement hashes the
      // addresses of all three, and each order must get its own owner's hash.
      const hashing = structuredClone(shop.dataMap);
      (hashing.systems.shop as SqlSystem).collections.orders!.fields.email = { category: 'contact', erase: 'hash' };
      const report = await newExecutor(hashing).eraseMany(people);
      assert.equal(report.status, 'complete', JSON.stringify(report.systems.map((s) => s.error)));
      const hashKey = deriveKey(SECRET, 'erasure/hash');
      const after = new Map(
        (
          await rows(
            `select id, email from orders where id in (${theirOrders.map((o: { id: number }) => o.id).join(', ')})`,
          )
        ).map((o: { id: number; email: string }) => [Number(o.id), o.email]),
      );
      for (const o of theirOrders as Array<{ id: number; owner: string }>) {
        assert.equal(after.get(Number(o.id)), `hmac:${hmacHex(hashKey, o.owner)}`);
      }
      const archive = new SealedArchive(hub.db, SECRET, clock);
      for (const email of people) {
        assert.equal((await executor.find({ email })).records.length, 0);
        const sealed = await archive.open(archive.subjectRef(email));
        assert.ok(
          sealed.some((r) => r.collection === 'invoices'),
          'their own invoices, under their own key',
        );
      }
    });

    it('finishes an erasure that failed after the first system when it is run again', async () => {
      const [victim] = await rows(
        `select c.email from customers c join orders o on o.customer_id = c.id where c.id > 1 limit 1`,
      );
      // A second SQL system whose table is missing fails the first time.
      const broken = structuredClone(shop.dataMap);
      broken.systems.newsletter = {
        type: 'sql',
        url: shop.url,
        schema: shop.schema,
        collections: {
          newsletter_subscribers: {
            primaryKey: 'id',
            identity: ['email'],
            references: {},
            activity: [],
            fields: { email: { category: 'contact', erase: 'delete', placeholder: undefined, role: undefined } },
          },
        },
      };
      const first = await newExecutor(broken).erase({ email: victim.email });
      assert.equal(first.status, 'incomplete');
      assert.equal(first.systems.find((s) => s.system === 'shop')?.status, 'erased');
      assert.equal(first.systems.find((s) => s.system === 'newsletter')?.status, 'failed');

      await rows(`create table newsletter_subscribers (id integer primary key, email text not null)`);
      await rows(
        `insert into newsletter_subscribers (id, email) values (1, '${victim.email}'), (2, 'ander@example.org')`,
      );
      const second = await newExecutor(broken).erase({ email: victim.email });
      assert.equal(second.status, 'waiting_on_tasks');
      assert.equal(second.systems.find((s) => s.system === 'shop')?.status, 'nothing-found');
      assert.equal(second.systems.find((s) => s.system === 'newsletter')?.status, 'erased');
      assert.deepEqual(
        (await rows('select id from newsletter_subscribers')).map((r: { id: number }) => Number(r.id)),
        [2],
      );
    });
  });
}

describe("the access answer's categories", () => {
  it('names a category held by any record of a collection, not only by its first, and none that is empty', async () => {
    // One collection's records share its fields' categories, as the SQL connector gives them.
    const categories = Object.freeze({ email: 'contact', phone: 'contact', street: 'address', note: 'correspondence' });
    const record = (key: string, data: Record<string, string | null>): FoundRecord => ({
      system: 'shop',
      collection: 'orders',
      key,
      data,
      categories,
    });
    const orders = [
      record('1', { email: 'jan@example.nl', phone: null, street: '', note: null }),
      record('2', { email: 'jan@example.nl', phone: null, street: 'Dorpsstraat 1', note: null }),
      record('3', { email: 'jan@example.nl', phone: '0612345678', street: null, note: '' }),
    ];
    // Another collection's records, each with fields of their own (no shared map).
    const notes: FoundRecord[] = [
      {
        system: 'shop',
        collection: 'notes',
        key: '1',
        data: { body: 'betaald' },
        categories: { body: 'correspondence' },
      },
      { system: 'shop', collection: 'notes', key: '2', data: { who: 'x' }, categories: { who: 'contact' } },
    ];
    const connector: Connector = {
      system: 'shop',
      kind: 'sql' as const,
      find: async () => ({
        findings: [
          { system: 'shop', collection: 'orders', records: orders },
          { system: 'shop', collection: 'notes', records: notes },
          // A connector that names no categories (untyped, or a test's double): nothing held, nothing thrown.
          {
            system: 'shop',
            collection: 'tags',
            records: [{ system: 'shop', collection: 'tags', key: '1', data: { tag: 'x' } } as unknown as FoundRecord],
          },
        ],
        queries: 2,
      }),
      erase: async () => assert.fail('not erased'),
      rectify: async () => assert.fail('not rectified'),
      close: async () => {},
    };
    const executor = new Executor({ connectors: [connector], policy, clock });
    const result = await executor.find({ email: 'jan@example.nl' });
    assert.deepEqual(
      result.collections.map((c) => [c.collection, c.count, [...c.categories].sort()]),
      [
        ['orders', 3, ['address', 'contact']],
        ['notes', 2, ['contact', 'correspondence']],
        ['tags', 1, []],
      ],
    );
    assert.equal(result.records.length, 6);
    assert.equal(result.queries, 2);
  });
});
