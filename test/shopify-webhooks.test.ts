import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from './helpers/admin.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';

const APP_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const URL = '/api/v1/webhooks/shopify';

const sign = (raw: string, secret = APP_SECRET) => createHmac('sha256', secret).update(raw).digest('base64');

const dataRequest = (email: string | null, id = 191167) => ({
  shop_id: 954889,
  shop_domain: 'balkonzon.myshopify.com',
  orders_requested: [299938, 280263],
  customer: { id, email, phone: '555-625-1199' },
  data_request: { id: 9999 },
});

for (const dialect of DIALECTS) {
  describe(`Shopify compliance webhooks on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    let serial = 0;
    before(async () => {
      shop = await createTestShop(dialect, 20);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap, env: { SHOPIFY_API_SECRET: APP_SECRET } });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    /** Posts a body as Shopify does: its exact bytes, signed, with topic and delivery id. */
    const deliver = (
      topic: string,
      body: unknown,
      options: { id?: string; signature?: string | null; raw?: string; app?: TestApp } = {},
    ) => {
      const raw = options.raw ?? JSON.stringify(body);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': options.id ?? `b54557e4-8a5f-4f7d-9d6e-${String(++serial).padStart(12, '0')}`,
        'x-shopify-shop-domain': 'balkonzon.myshopify.com',
      };
      if (options.signature !== null) headers['x-shopify-hmac-sha256'] = options.signature ?? sign(raw);
      return (options.app ?? t).app.inject({ method: 'POST', url: URL, payload: raw, headers });
    };
    const stored = async () => ({
      deliveries: (await t.store.db.selectFrom('shopify_webhooks').select('webhook_id').execute()).length,
      jobs: (await t.store.db.selectFrom('jobs').select('id').where('name', '=', 'shopify.webhook').execute()).length,
    });
    const requestsOf = (email: string) =>
      t.store.db.selectFrom('requests').selectAll().where('email', '=', email).execute();

    it('turns a signed customers/data_request into an access request that starts without a confirmation link', async () => {
      const email = 'sanne.deboer@example.nl';
      const res = await deliver('customers/data_request', dataRequest(email));
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { received: true, duplicate: false });
      // Stored and queued only: the body waits encrypted, nothing is made before the job runs.
      const row = await t.store.db.selectFrom('shopify_webhooks').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.topic, 'customers/data_request');
      assert.ok(row.payload && !row.payload.includes('sanne'), 'the waiting body is encrypted');
      assert.deepEqual(await requestsOf(email), []);
      await t.drain();
      const [request, ...more] = await requestsOf(email);
      assert.equal(more.length, 0);
      assert.equal(request?.type, 'access');
      assert.equal(request?.channel, 'shopify');
      assert.notEqual(request?.verified_at, null);
      const mails = (await t.services.outbox.messages({ limit: 500 })).filter((m) => m.to === email);
      assert.ok(!mails.some((m) => m.subject.startsWith('Bevestig')), 'no confirmation link is sent');
      assert.ok(
        mails.some((m) => /klaar/i.test(m.subject)),
        mails.map((m) => m.subject).join(' | '),
      );
      const handled = await t.store.db.selectFrom('shopify_webhooks').selectAll().executeTakeFirstOrThrow();
      assert.notEqual(handled.handled_at, null);
      assert.equal(handled.payload, null, 'the body is dropped once handled');
    });

    it('turns customers/redact into an erasure request for the customer', async () => {
      const email = 'jan.redact@example.nl';
      const res = await deliver('customers/redact', {
        shop_id: 954889,
        shop_domain: 'balkonzon.myshopify.com',
        customer: { id: 191168, email, phone: null },
        orders_to_redact: [299938],
      });
      assert.equal(res.statusCode, 200, res.body);
      await t.drain();
      const requests = await requestsOf(email);
      assert.deepEqual(
        requests.map((r) => [r.type, r.channel]),
        [['erasure', 'shopify']],
      );
    });

    it('refuses a wrong, missing or foreign signature with 401 and stores nothing', async () => {
      const before = await stored();
      const body = JSON.stringify(dataRequest('mallory@example.nl'));
      const wrong = await deliver('customers/data_request', undefined, { raw: body, signature: sign(`${body} `) });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error.code, 'UNAUTHORIZED');
      const other = await deliver('customers/data_request', undefined, {
        raw: body,
        signature: sign(body, 'another-app-secret'),
      });
      assert.equal(other.statusCode, 401);
      const missing = await deliver('customers/data_request', undefined, { raw: body, signature: null });
      assert.equal(missing.statusCode, 401);
      const garbage = await deliver('customers/data_request', undefined, {
        raw: body,
        signature: 'not base64 at all!',
      });
      assert.equal(garbage.statusCode, 401);
      // The same bytes re-serialised (another key order) no longer match: the signature is over the raw body.
      const reordered = JSON.stringify({ customer: { id: 191167, email: 'mallory@example.nl' }, shop_id: 954889 });
      assert.equal(
        (await deliver('customers/data_request', undefined, { raw: reordered, signature: sign(body) })).statusCode,
        401,
      );
      assert.deepEqual(await stored(), before);
      await t.drain();
      assert.deepEqual(await requestsOf('mallory@example.nl'), []);
    });

    it('handles a repeated delivery once', async () => {
      const email = 'twice@example.nl';
      const id = 'a7b6c5d4-0000-4000-8000-000000000001';
      const first = await deliver('customers/data_request', dataRequest(email), { id });
      const again = await deliver('customers/data_request', dataRequest(email), { id });
      assert.deepEqual([first.json().duplicate, again.json().duplicate], [false, true]);
      const jobs = await t.store.db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', '=', `shopify-webhook:${id}`)
        .execute();
      assert.equal(jobs.length, 1);
      await t.drain();
      assert.equal((await requestsOf(email)).length, 1);
    });

    it('makes one request of deliveries for one customer that arrive at once', async () => {
      const email = 'samen@example.nl';
      const results = await Promise.all(
        Array.from({ length: 4 }, () => deliver('customers/redact', { ...dataRequest(email), orders_to_redact: [] })),
      );
      assert.deepEqual(
        results.map((r) => r.statusCode),
        [200, 200, 200, 200],
      );
      await Promise.all([t.drain(), t.drain()]);
      assert.equal((await requestsOf(email)).length, 1);
    });

    it('makes shop/redact a task for the officer, not a request', async () => {
      const before = (await t.services.requests.list()).length;
      const res = await deliver('shop/redact', { shop_id: 954889, shop_domain: 'balkonzon.myshopify.com' });
      assert.equal(res.statusCode, 200, res.body);
      await t.drain();
      assert.equal((await t.services.requests.list()).length, before, 'no request is made');
      const tasks = (await t.services.requests.tasks({ open: true })).filter((x) => x.system === 'shopify-webhook');
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0]!.action, 'erase');
      assert.equal(tasks[0]!.contact, 'balkonzon.myshopify.com');
      assert.match(JSON.parse(tasks[0]!.instructions).nl, /balkonzon\.myshopify\.com heeft de app .* verwijderd/);
      assert.equal(await t.services.shopifyWebhooks.completeTask(tasks[0]!.id, 'niets te wissen'), true);
      assert.equal(
        (await t.services.requests.tasks({ open: true })).filter((x) => x.system === 'shopify-webhook').length,
        0,
      );
    });

    it('shows a shop/redact task on the officer’s dashboard with its instructions, and closes it there', async () => {
      await deliver('shop/redact', { shop_id: 954890, shop_domain: 'tweede.myshopify.com' });
      await t.drain();
      const task = (await t.services.requests.tasks({ open: true })).find((x) => x.contact === 'tweede.myshopify.com');
      assert.ok(task);
      const officer = await adminLogin(t, 'officer');
      const page = await t.app.inject({ method: 'GET', url: '/admin', headers: { cookie: officer.cookie } });
      assert.match(page.body, /tweede\.myshopify\.com heeft de app 48 uur geleden verwijderd/);
      assert.ok(page.body.includes(`/admin/tasks/${task.id}/done`));
      assert.ok(!page.body.includes(`/admin/requests/${task.request_id}`), 'it links to no request');
      const done = await postForm(
        t,
        `/admin/tasks/${task.id}/done`,
        { _csrf: officer.csrf, note: 'bewaard: register' },
        officer.cookie,
      );
      assert.equal(done.statusCode, 303);
      assert.equal((await t.services.requests.task(task.id))?.status, 'done');
    });

    it('hands a customer without an e-mail address to the officer', async () => {
      await deliver('customers/data_request', dataRequest(null, 5550001));
      await t.drain();
      const task = (await t.services.requests.tasks({ open: true })).find((x) =>
        JSON.parse(x.instructions).en.includes('customer 5550001'),
      );
      assert.equal(task?.action, 'access');
    });

    it('refuses an unknown topic or a body not in Shopify’s shape with 400 naming the field, and stores nothing', async () => {
      const before = await stored();
      const unknown = await deliver('orders/create', { id: 1 });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().error.field, 'X-Shopify-Topic');
      const shapeless = await deliver('customers/redact', { shop_id: 954889, customer: { id: 1, email: 'a@b.nl' } });
      assert.equal(shapeless.statusCode, 400);
      assert.equal(shapeless.json().error.field, 'shop_domain');
      const notJson = await deliver('shop/redact', undefined, { raw: '{"shop_id": ' });
      assert.deepEqual([notJson.statusCode, notJson.json().error.field], [400, 'body']);
      const noId = await t.app.inject({
        method: 'POST',
        url: URL,
        payload: '{}',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'shop/redact',
          'x-shopify-hmac-sha256': sign('{}'),
        },
      });
      assert.deepEqual([noId.statusCode, noId.json().error.field], [400, 'X-Shopify-Webhook-Id']);
      const huge = await deliver('shop/redact', undefined, { raw: JSON.stringify({ pad: 'x'.repeat(600 * 1024) }) });
      assert.equal(huge.statusCode, 413);
      assert.deepEqual(await stored(), before);
    });

    it('is in the OpenAPI document, with its signature scheme', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/api/docs' })).json();
      const route = doc.paths['/api/v1/webhooks/shopify'].post;
      assert.deepEqual(route.security, [{ shopifyHmac: [] }]);
      assert.ok(route.responses['401'] && route.responses['503']);
      assert.equal(doc.components.securitySchemes.shopifyHmac.name, 'X-Shopify-Hmac-Sha256');
    });

    it('answers 503 and accepts nothing when SHOPIFY_API_SECRET is not set', async () => {
      const bare = await buildTestApp(dialect);
      try {
        const res = await deliver('shop/redact', { shop_id: 1, shop_domain: 'x.myshopify.com' }, { app: bare });
        assert.equal(res.statusCode, 503);
        assert.equal(res.json().error.code, 'NOT_CONFIGURED');
        assert.match(res.json().error.message, /SHOPIFY_API_SECRET/);
        assert.equal((await bare.store.db.selectFrom('shopify_webhooks').select('webhook_id').execute()).length, 0);
      } finally {
        await bare.close();
      }
    });
  });
}
