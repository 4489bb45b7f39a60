import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectExampleSystem } from '../../../test/fakes/example-system.ts';
import { type MollieFake, startMollieFake } from '../../../test/fakes/mollie.fake.ts';
import { ProcessorError } from '../http/http-client.ts';

const SANNE = { email: '  sanne.deboer@example.NL ' };
const now = new Date('2026-11-01T09:00:00Z');

describe('Mollie connector', () => {
  let fake: MollieFake;
  before(async () => {
    fake = await startMollieFake();
  });
  after(() => fake.close());

  it('pages through every customer to find the one with the address, in any case', async () => {
    const { api } = connectExampleSystem('mollie', fake);
    const before = fake.requests.length;
    const findings = await api.find(SANNE);
    const lists = fake.requests.slice(before).filter((r) => r.path.startsWith('/v2/customers?'));
    // 600 other customers and two seeded people: pages of 250, 250 and 102, the later ones by cursor.
    assert.equal(lists.length, 3);
    assert.match(lists[1]!.path, /from=cst_/);
    const by = Object.fromEntries(findings.map((f) => [f.collection, f.records]));
    assert.deepEqual(Object.keys(by).sort(), ['customers', 'mandates', 'payments']);
    assert.equal(by.customers![0]!.data.name, 'Sanne de Boer');
    assert.equal(by.customers![0]!.categories.email, 'contact');
    assert.equal(by.payments!.length, 2);
    assert.equal(by.payments![0]!.data.consumerAccount, 'NL91ABNA0417164300');
    assert.equal(by.payments![0]!.categories.consumerAccount, 'payment');
    assert.equal(by.payments![0]!.categories.amount, 'order');
    assert.equal(by.mandates![0]!.data.status, 'valid');
    assert.ok(findings.every((f) => f.system === 'mollie' && f.records.every((r) => r.system === 'mollie')));
  });

  it('answers with nothing for an address Mollie does not know, after reading every page', async () => {
    const { api } = connectExampleSystem('mollie', fake);
    const before = fake.requests.length;
    assert.deepEqual(await api.find({ email: 'nobody@example.nl' }), []);
    assert.equal(fake.requests.length - before, 3);
  });

  it('recovers from a 429 with Retry-After and from 5xx answers', async () => {
    const { api, http, slept } = connectExampleSystem('mollie', fake);
    fake.fail({ status: 429, times: 1, retryAfter: 2 });
    const first = await api.find({ email: 'jan.jansen@example.nl' });
    assert.ok(slept.includes(2000), `waited ${slept.join(', ')} ms`);
    fake.fail({ status: 503, times: 2 });
    const second = await api.find({ email: 'jan.jansen@example.nl' });
    assert.equal(http.stats.retries, 3);
    assert.deepEqual(second, first);
    assert.equal(first.find((f) => f.collection === 'payments')?.records.length, 1);
  });

  it('says Mollie is unavailable, and may be retried, when it stays down', async () => {
    const { api } = connectExampleSystem('mollie', fake, { maxRetries: 2 });
    fake.down(true);
    try {
      await assert.rejects(api.find(SANNE), (err: unknown) => {
        assert.ok(err instanceof ProcessorError);
        assert.equal(err.kind, 'unavailable');
        assert.equal(err.retryable, true);
        return true;
      });
    } finally {
      fake.down(false);
    }
  });

  it('corrects the name and e-mail address of the customer', async () => {
    const mollie = await startMollieFake({ filler: 10 });
    try {
      const { api } = connectExampleSystem('mollie', mollie);
      const result = await api.rectify!(SANNE, {
        values: { first_name: 'Sanne', last_name: 'de Vries', email: 'sanne@devries.nl' },
      });
      assert.deepEqual(result.collections, [
        { system: 'mollie', collection: 'customers', records: 1, fields: ['name', 'email'] },
      ]);
      assert.equal(result.manual, undefined);
      const customer = mollie.customers.find((c) => c.name === 'Sanne de Vries');
      assert.equal(customer?.email, 'sanne@devries.nl');
      const partial = await api.rectify!({ email: 'sanne@devries.nl' }, { values: { last_name: 'Jansen' } });
      assert.deepEqual(partial.collections, []);
      assert.match(partial.manual?.en ?? '', /one name field/);
    } finally {
      await mollie.close();
    }
  });

  it('deletes the customer, which cancels the mandate, and reports the payments as retained', async () => {
    const mollie = await startMollieFake({ filler: 300 });
    try {
      const { api, logs } = connectExampleSystem('mollie', mollie);
      const result = await api.erase!(SANNE, { now });
      const by = Object.fromEntries(result.collections.map((c) => [c.collection, c]));
      assert.equal(by.customers?.deleted, 1);
      assert.equal(by.mandates?.retained, 1);
      assert.equal(by.payments?.retained, 2);
      assert.equal(by.payments?.deleted, 0);
      assert.equal(
        by.payments?.retainedUntil,
        '2034-01-01',
        'held to the end of the financial year 2026 plus seven years',
      );
      assert.match(by.payments?.reason ?? '', /fiscal/);
      assert.match(result.answer, /Deleted 1 Mollie customer/);
      const deleteCall = mollie.requests.find((r) => r.method === 'DELETE');
      assert.ok(deleteCall);
      assert.equal(mollie.idempotencyKeys.size, 1, 'the DELETE carried an Idempotency-Key');
      assert.equal(mollie.customers.find((c) => c.name === 'Sanne de Boer')?.deleted, true);
      assert.ok(mollie.mandates.every((m) => m.status !== 'valid'));
      assert.equal(mollie.payments.length, 3, 'payments stay with Mollie');
      assert.deepEqual(await api.find(SANNE), [], 'a second look finds nothing');
      const again = await api.erase!(SANNE, { now });
      assert.deepEqual(again.collections, []);
      for (const personal of ['sanne', 'boer', 'example.nl', 'NL91', 'Bestelling', mollie.apiKey])
        assert.ok(!logs().toLowerCase().includes(personal.toLowerCase()), `the log holds ${personal}`);
      assert.match(logs(), /processor request/);
    } finally {
      await mollie.close();
    }
  });

  it('says how many customers it deleted when a later delete is refused', async () => {
    const twice = { name: 'Sanne de Boer', email: 'sanne.deboer@example.nl' };
    const mollie = await startMollieFake({ filler: 10, people: [twice, { ...twice, name: 'S. de Boer' }] });
    try {
      const { api } = connectExampleSystem('mollie', mollie, { maxRetries: 0 });
      mollie.failDeletesAfter(1, 422, 1);
      await assert.rejects(api.erase!(SANNE, { now }), (err: unknown) => {
        assert.ok(err instanceof ProcessorError);
        assert.equal(err.kind, 'rejected');
        assert.match(err.message, /HTTP 422 \(after 1 of 2 customers were deleted\)$/);
        return true;
      });
      assert.equal(mollie.customers.filter((c) => c.deleted).length, 1);
    } finally {
      await mollie.close();
    }
  });

  it('says what the connection test found, for the right key and for a wrong one', async () => {
    const good = await connectExampleSystem('mollie', fake).api.test();
    assert.equal(good.ok, true);
    assert.match(good.checks[0]!.message, /test-mode key/);
    const bad = await connectExampleSystem('mollie', fake, {
      env: { MOLLIE_API_KEY: 'test_wrongwrongwrongwrong' },
    }).api.test();
    assert.equal(bad.ok, false);
    const customers = bad.checks.find((c) => c.name === 'customers');
    assert.match(customers?.message ?? '', /refused the credentials \(HTTP 401\)/);
    const notAKey = await connectExampleSystem('mollie', fake, { env: { MOLLIE_API_KEY: 'sk_live_123' } }).api.test();
    assert.equal(notAKey.checks[0]!.ok, false);
  });
});
