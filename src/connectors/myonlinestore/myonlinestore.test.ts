import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectExampleSystem } from '../../../test/fakes/example-system.ts';
import { type MyOnlineStoreFake, startMyOnlineStoreFake } from '../../../test/fakes/myonlinestore.fake.ts';
import { ProcessorError } from '../http/http-client.ts';

const SANNE = { email: 'Sanne.deBoer@example.nl ' };
const now = new Date('2026-11-01T09:00:00Z');

describe('MyOnlineStore connector', () => {
  let fake: MyOnlineStoreFake;
  before(async () => {
    fake = await startMyOnlineStoreFake();
  });
  after(() => fake.close());

  it('finds the account, its addresses and every order, paging through the orders to the end', async () => {
    const { api } = connectExampleSystem('myonlinestore', fake);
    const before = fake.requests.length;
    const findings = await api.find(SANNE);
    const sent = fake.requests.slice(before);
    assert.ok(
      sent.every((r) => r.path.includes(`token=${fake.token}`)),
      'the store token travels in the query',
    );
    assert.equal(sent.filter((r) => r.path.startsWith('/v1/orders')).length, 2, 'two pages: 100 and 20 orders');
    const by = Object.fromEntries(findings.map((f) => [f.collection, f.records]));
    // Els's address contains Sanne's; the search finds her, the match does not.
    assert.equal(by.customers?.length, 1);
    assert.equal(by.customers![0]!.data.lastName, 'de Boer');
    assert.equal(by.customers![0]!.categories.email, 'contact');
    assert.equal(by.addresses?.length, 2);
    assert.equal(by.addresses![0]!.categories.street, 'contact');
    assert.equal(by.orders?.length, 120);
    const order = by.orders![0]!;
    assert.equal(order.data.invoice_street, 'Dorpsstraat');
    assert.equal(order.categories.invoice_street, 'contact');
    assert.equal(order.categories.delivery_city, 'shipping');
    assert.equal(order.categories.lines, 'order');
    assert.match(String(order.data.lines), /Balkonpaneel/);
  });

  it('searches customers and orders with the address in lower case, whatever case the request has', async () => {
    const { api } = connectExampleSystem('myonlinestore', fake);
    const before = fake.requests.length;
    await api.find(SANNE);
    const sent = fake.requests.slice(before).map((r) => new URL(r.path, fake.url));
    const searches = sent.filter((u) => u.pathname === '/v1/customers').map((u) => u.searchParams.get('q'));
    assert.deepEqual(searches, ['sanne.deboer@example.nl']);
    const orders = sent.filter((u) => u.pathname === '/v1/orders').map((u) => u.searchParams.get('debtor_email'));
    assert.deepEqual(orders, ['sanne.deboer@example.nl', 'sanne.deboer@example.nl']);
  });

  // A regression would page forever: the timeout turns that into a failure.
  it('stops with a bad answer when the store ignores the offset of its order pages', { timeout: 10_000 }, async () => {
    const broken = await startMyOnlineStoreFake({ ignoreOffset: true });
    try {
      const { api } = connectExampleSystem('myonlinestore', broken);
      await assert.rejects(
        api.find(SANNE),
        (err: unknown) => err instanceof ProcessorError && err.kind === 'bad-response' && /offset/.test(err.message),
      );
      assert.equal(broken.requests.filter((r) => r.path.startsWith('/v1/orders')).length, 2);
    } finally {
      await broken.close();
    }
  });

  it("finds a guest's orders by the address alone", async () => {
    const { api } = connectExampleSystem('myonlinestore', fake);
    const findings = await api.find({ email: 'piet.gast@example.nl' });
    assert.deepEqual(
      findings.map((f) => [f.collection, f.records.length]),
      [['orders', 1]],
    );
  });

  it('answers with nothing for an address the store does not know', async () => {
    const { api } = connectExampleSystem('myonlinestore', fake);
    assert.deepEqual(await api.find({ email: 'nobody@example.nl' }), []);
  });

  it('recovers from a 429 with Retry-After and from a 502', async () => {
    const { api, slept, http } = connectExampleSystem('myonlinestore', fake);
    fake.fail({ status: 429, times: 1, retryAfter: 3 });
    const findings = await api.find({ email: 'piet.gast@example.nl' });
    fake.fail({ status: 502, times: 1 });
    assert.deepEqual(await api.find({ email: 'piet.gast@example.nl' }), findings);
    assert.ok(slept.includes(3000));
    assert.equal(http.stats.retries, 2);
  });

  it('deletes the account and keeps the orders under the fiscal hold, as a task with their numbers', async () => {
    const store = await startMyOnlineStoreFake();
    try {
      const { api, logs } = connectExampleSystem('myonlinestore', store);
      const result = await api.erase!(SANNE, { now });
      const by = Object.fromEntries(result.collections.map((c) => [c.collection, c]));
      assert.equal(by.customers?.deleted, 1);
      assert.equal(by.addresses?.deleted, 2);
      assert.equal(by.orders?.retained, 120);
      assert.equal(by.orders?.deleted, 0);
      assert.equal(
        by.orders?.retainedUntil,
        '2033-01-01',
        'held to the end of the financial year 2025 plus seven years',
      );
      assert.match(by.orders?.reason ?? '', /fiscal/);
      assert.match(result.manual?.en ?? '', /order\(s\) 1000, 1001/);
      assert.equal(store.customers.find((c) => c.lastName === 'de Boer')?.deleted, true);
      assert.equal(store.customers.find((c) => c.lastName === 'Boersma')?.deleted, false, 'Els keeps her account');
      assert.equal(store.orders.length, 123, 'no order was deleted');
      const after = await api.find(SANNE);
      assert.deepEqual(
        after.map((f) => f.collection),
        ['orders'],
        'only the retained orders remain',
      );
      for (const personal of ['sanne', 'boer', 'example.nl', 'dorpsstraat', 'gorredijk', store.token])
        assert.ok(!logs().toLowerCase().includes(personal.toLowerCase()), `the log holds ${personal}`);
      assert.match(logs(), /processor request/, 'the requests were logged');
    } finally {
      await store.close();
    }
  });

  it('corrects the name and the address in use, and leaves the e-mail address to a person', async () => {
    const store = await startMyOnlineStoreFake();
    try {
      const { api } = connectExampleSystem('myonlinestore', store);
      const result = await api.rectify!(SANNE, {
        values: {
          full_name: 'Sanne van Dijk',
          street: 'Kerkstraat',
          house_number: '7',
          country: 'nl',
          email: 'sanne@vandijk.nl',
        },
      });
      assert.deepEqual(result.collections, [
        { system: 'myonlinestore', collection: 'customers', records: 1, fields: ['firstName', 'lastName'] },
        {
          system: 'myonlinestore',
          collection: 'addresses',
          records: 1,
          fields: ['firstName', 'lastName', 'street', 'streetNumber', 'countryCode'],
        },
      ]);
      const sanne = store.customers.find((c) => c.email === 'sanne.deboer@example.nl')!;
      assert.equal(sanne.lastName, 'van Dijk');
      assert.equal(sanne.addresses[0]!.street, 'Kerkstraat');
      assert.equal(sanne.addresses[1]!.street, 'Oude Weg', 'an older address stays as it was');
      assert.match(result.manual?.en ?? '', /e-mail address/);
    } finally {
      await store.close();
    }
  });

  it('says what the connection test found, for the right token and for a wrong one', async () => {
    const good = await connectExampleSystem('myonlinestore', fake).api.test();
    assert.equal(good.ok, true);
    assert.deepEqual(
      good.checks.map((c) => c.name),
      ['store', 'customers', 'orders'],
    );
    const bad = await connectExampleSystem('myonlinestore', fake, {
      env: { MYONLINESTORE_API_KEY: 'wrong' },
    }).api.test();
    assert.equal(bad.ok, false);
    assert.match(bad.checks[0]!.message, /HTTP 401/);
  });
});
