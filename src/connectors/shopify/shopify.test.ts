import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type ShopifyFake, startShopifyFake } from '../../../test/fakes/shopify.fake.ts';
import type { ApiSystem } from '../../datamap/datamap.schema.ts';
import { FakeClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import { ApiConnector } from '../api/api.connector.ts';
import { createProcessorApi, resolveApiSystem } from '../api/api-systems.ts';
import { ProcessorError } from '../http/http-client.ts';
import { ManualConnector } from '../manual/manual.connector.ts';

const SANNE = { email: '  sanne.deboer@example.NL ' };
const NOW = new Date('2026-11-01T09:00:00Z');

/** The data map's system for a shop on Shopify, as README shows it. */
const SYSTEM: ApiSystem = {
  type: 'api',
  connector: 'shopify',
  processor: 'shopify',
  url: undefined,
  credentials: { shop: 'SHOPIFY_SHOP_DOMAIN', accessToken: 'SHOPIFY_ACCESS_TOKEN' },
  options: {},
  unconfigured: 'manual',
  contact: 'Shopify-admin van de winkel',
  instructions: { nl: 'Wis de klant in Shopify.', en: 'Erase the customer in Shopify.' },
  days: 30,
};

function connect(fake: ShopifyFake, clock: FakeClock, env: Record<string, string> = {}) {
  const vars = { ...fake.env, ...env };
  const resolved = resolveApiSystem('shopify', { ...SYSTEM, url: vars.SHOPIFY_API_URL }, vars);
  assert.deepEqual([resolved.problems, resolved.missingEnv], [[], []]);
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const slept: number[] = [];
  const { api, http } = createProcessorApi(resolved, ['contact', 'account', 'order', 'shipping'], {
    clock,
    logger: createLogger({ level: 'debug', destination }),
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
    http: { maxRetries: 2, backoffMs: 1, now: () => clock.now().getTime() },
  });
  const fallback = new ManualConnector('shopify', SYSTEM, ['contact', 'order']);
  const connector = new ApiConnector({ system: 'shopify', processor: 'shopify', api, http, fallback });
  return { api, http, connector, slept, logs: () => lines.join('') };
}

describe('Shopify connector', () => {
  let fake: ShopifyFake;
  let clock: FakeClock;
  before(async () => {
    clock = new FakeClock(NOW);
    fake = await startShopifyFake({ now: () => clock.now().getTime() });
  });
  after(() => fake.close());

  it('finds the customer with exactly the address, in any case, with addresses and orders, and not a look-alike', async () => {
    const { api } = connect(fake, clock);
    const findings = await api.find(SANNE);
    const by = Object.fromEntries(findings.map((f) => [f.collection, f.records]));
    assert.deepEqual(Object.keys(by), ['customers', 'addresses', 'orders']);
    assert.equal(by.customers!.length, 1, 'xsanne.deboer@example.nl, which the search also returns, is left out');
    assert.equal(by.customers![0]!.data.lastName, 'de Boer');
    assert.equal(by.customers![0]!.categories.email, 'contact');
    assert.equal(by.addresses!.length, 2);
    assert.equal(by.addresses![1]!.data.city, 'Zeist');
    assert.equal(by.orders!.length, 3);
    assert.equal(by.orders![0]!.data.total, '849.0 EUR');
    assert.equal(by.orders![0]!.categories.shipping_address1, 'shipping');
    assert.equal(by.orders![0]!.categories.name, 'order');
    const search = fake.operations.find((o) => o.name === 'FindCustomers');
    assert.equal(search?.variables.query, 'email:"sanne.deboer@example.NL"');
  });

  it('quotes the address for the search, so that its characters are not search syntax', async () => {
    const { api } = connect(fake, clock);
    const before = fake.operations.length;
    assert.deepEqual(await api.find({ email: 'a"b\\c (x) OR y:z@example.nl' }), []);
    assert.equal(fake.operations[before]?.variables.query, 'email:"a\\"b\\\\c (x) OR y:z@example.nl"');
  });

  it('answers with nothing for an address Shopify does not know', async () => {
    const { api } = connect(fake, clock);
    assert.deepEqual(await api.find({ email: 'nobody@example.nl' }), []);
  });

  it('waits as long as the query budget needs to refill when Shopify throttles, then goes on', async () => {
    const { api, slept } = connect(fake, clock);
    fake.throttle({ available: 32, restoreRate: 50, maximum: 1000 });
    const findings = await api.find({ email: 'jan.jansen@example.nl' });
    assert.equal(findings.find((f) => f.collection === 'orders')?.records.length, 1);
    // The search costs 232 and the bucket held 32: 200 points at 50 a second is 4 seconds.
    assert.equal(slept[0], 4000);
    const throttled = fake.operations.filter((o) => o.name === 'FindCustomers').length;
    assert.ok(throttled >= 2);
  });

  it('waits before a query it knows the cost of when the bucket is too low, instead of being throttled', async () => {
    const { api, slept } = connect(fake, clock);
    fake.throttle({ available: 1000, restoreRate: 50, maximum: 1000 });
    await api.find({ email: 'jan.jansen@example.nl' });
    // The search (232) leaves 4 points; the orders (104, learnt from the first look) wait for 100 more.
    fake.throttle({ available: 236, restoreRate: 50, maximum: 1000 });
    const before = fake.operations.length;
    const waits = slept.length;
    await api.find({ email: 'jan.jansen@example.nl' });
    assert.deepEqual(slept.slice(waits), [2000]);
    assert.equal(fake.operations.length - before, 2, 'no query was throttled');
  });

  it('gives up, retryable, when the budget would take more than a minute to refill', async () => {
    const { connector } = connect(fake, clock);
    fake.throttle({ available: 0, restoreRate: 1, maximum: 1000 });
    try {
      const result = await connector.erase(SANNE, { now: NOW });
      assert.equal(result.status, 'failed');
      assert.equal(result.retryable, true);
      assert.match(result.error ?? '', /query budget needs 232 s to refill/);
    } finally {
      fake.throttle({ available: 2000, restoreRate: 100, maximum: 2000 });
    }
  });

  it('asks Shopify to erase the customer and reports it as requested, with the orders Shopify keeps', async () => {
    const local = await startShopifyFake({ now: () => clock.now().getTime() });
    try {
      const { connector, logs } = connect(local, clock);
      const dry = await connector.erase(SANNE, { now: NOW, dryRun: true });
      assert.equal(dry.status, 'dry-run');
      assert.ok(!local.customers.some((c) => c.erasureRequested));
      const result = await connector.erase(SANNE, { now: NOW });
      assert.equal(result.status, 'erased');
      const by = Object.fromEntries(result.collections.map((c) => [c.collection, c]));
      assert.equal(by.customers?.deleted, 0, 'nothing is erased yet: Shopify does it itself');
      assert.equal(by.customers?.retained, 1);
      // The last order was on 30 September 2026: Shopify erases 180 days after it.
      assert.equal(by.customers?.retainedUntil, '2027-03-29');
      assert.match(by.customers?.reason ?? '', /erasure requested from Shopify/);
      assert.equal(by.orders?.retained, 3);
      assert.equal(by.orders?.deleted, 0);
      // AWR art. 52(4): seven years from the end of the financial year of the last order (2026), to 1 January 2034.
      assert.equal(by.orders?.retainedUntil, '2034-01-01');
      assert.match(by.orders?.reason ?? '', /fiscal hold/);
      assert.match(
        result.answer ?? '',
        /^Asked Shopify to erase 1 customer\(s\) \(7001\); Shopify erases them itself; not before 2027-03-29/,
      );
      assert.deepEqual(
        local.customers.filter((c) => c.erasureRequested).map((c) => c.person.email),
        ['Sanne.DeBoer@Example.nl'],
      );
      // The postcode with its letters: its digits alone turn up in a log line's time or pid now and then.
      for (const personal of ['sanne', 'boer', 'example.nl', 'zonnebloem', '3512 ab', local.accessToken])
        assert.ok(!logs().toLowerCase().includes(personal.toLowerCase()), `the log holds ${personal}`);
    } finally {
      await local.close();
    }
  });

  it('says without a date when Shopify erases a customer without recent orders', async () => {
    const { api } = connect(fake, clock);
    const result = await api.erase!({ email: 'jan.jansen@example.nl' }, { now: NOW });
    const customers = result.collections.find((c) => c.collection === 'customers');
    assert.equal(customers?.retainedUntil, undefined);
    assert.match(customers?.reason ?? '', /within its own terms/);
  });

  it('reports a refused erasure as failed, not to be retried, and a customer already gone as done', async () => {
    const { connector } = connect(fake, clock);
    fake.refuseErasure('FAILED_TO_REQUEST');
    try {
      const refused = await connector.erase({ email: 'guus@example.nl' }, { now: NOW });
      assert.equal(refused.status, 'failed');
      assert.equal(refused.retryable, false);
      assert.match(refused.error ?? '', /customerRequestDataErasure: Shopify refused \(FAILED_TO_REQUEST\)/);
    } finally {
      fake.refuseErasure(undefined);
    }
  });

  it('reports Shopify down or failing as failed and retryable, a missing scope as failed for good', async () => {
    const { connector } = connect(fake, clock);
    fake.down(true);
    try {
      const down = await connector.erase(SANNE, { now: NOW });
      assert.deepEqual([down.status, down.retryable], ['failed', true]);
    } finally {
      fake.down(false);
    }
    fake.graphqlError('INTERNAL_SERVER_ERROR');
    const failing = await connector.erase(SANNE, { now: NOW });
    assert.deepEqual([failing.status, failing.retryable], ['failed', true]);
    assert.match(failing.error ?? '', /Shopify failed \(INTERNAL_SERVER_ERROR\)/);
    fake.graphqlError('ACCESS_DENIED');
    const denied = await connector.erase(SANNE, { now: NOW });
    assert.deepEqual([denied.status, denied.retryable], ['failed', false]);
    assert.match(denied.error ?? '', /lacks an access scope/);
    fake.fail({ status: 503, times: 1 });
    const recovered = await connector.erase(SANNE, { now: NOW });
    assert.equal(recovered.status, 'erased', 'one 503 is retried');
  });

  it('says what the connection test found, for the right token and for a wrong one', async () => {
    const good = await connect(fake, clock).api.test();
    assert.equal(good.ok, true, JSON.stringify(good.checks));
    assert.match(good.checks[1]!.message, /balkonzon\.myshopify\.com/);
    const bad = await connect(fake, clock, {
      SHOPIFY_ACCESS_TOKEN: 'shpat_ffffffffffffffffffffffffffffffff',
    }).api.test();
    assert.equal(bad.ok, false);
    assert.match(bad.checks.find((c) => c.name === 'shop')?.message ?? '', /refused the credentials \(HTTP 401\)/);
    await assert.rejects(
      connect(fake, clock, { SHOPIFY_ACCESS_TOKEN: 'wrong' }).api.find(SANNE),
      (err: unknown) => err instanceof ProcessorError && err.kind === 'auth' && !err.retryable,
    );
  });

  it("takes the shop's address from its myshopify.com domain and names a missing or wrong one", () => {
    const env = { SHOPIFY_SHOP_DOMAIN: 'Balkonzon.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_x' };
    const system = { ...SYSTEM, url: undefined };
    assert.equal(resolveApiSystem('shopify', system, env).baseUrl, 'https://balkonzon.myshopify.com');
    const missing = resolveApiSystem('shopify', system, { SHOPIFY_ACCESS_TOKEN: 'shpat_x' });
    assert.deepEqual([missing.missingEnv, missing.problems], [['SHOPIFY_SHOP_DOMAIN'], []]);
    const wrong = resolveApiSystem('shopify', system, { ...env, SHOPIFY_SHOP_DOMAIN: 'balkonzon.nl' });
    assert.match(wrong.problems[0]?.message ?? '', /myshopify\.com domain/);
  });
});
