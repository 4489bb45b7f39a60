import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { subjectRef } from '../src/requests/intake.service.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';

for (const dialect of DIALECTS) {
  describe(`shop events on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    let key: string;
    before(async () => {
      shop = await createTestShop(dialect, 30);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
      key = (await t.services.apiKeys.create('shop')).key;
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });
    const send = (payload: Record<string, unknown>, auth = true) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload,
        headers: auth ? { authorization: `Bearer ${key}` } : {},
      });

    it('records the newest contact moment per person and ignores an older one', async () => {
      const email = 'Actief@Example.com';
      assert.equal((await send({ email, type: 'login', at: '2026-10-01T10:00:00Z' })).statusCode, 202);
      assert.equal(
        (await send({ email: 'actief@example.com ', type: 'order', at: '2026-09-01T10:00:00Z' })).statusCode,
        202,
      );
      const last = await t.services.activity.last(subjectRef(TEST_SECRET, email));
      assert.deepEqual(last, { at: '2026-10-01T10:00:00.000Z', type: 'login' });
    });

    it('needs an API key, and names the field at fault', async () => {
      assert.equal((await send({ email: 'a@example.com', type: 'login' }, false)).statusCode, 401);
      const bad = await send({ email: 'a@example.com', type: 'Login!' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.field, 'type');
      const future = await send({ email: 'a@example.com', type: 'login', at: '2030-01-01T00:00:00Z' });
      assert.equal(future.json().error.field, 'at');
    });

    it('starts an erasure when the shop reports a closed account, as the policy says', async () => {
      const found = await t.services.executor!.find({ email: 'sanne.deboer@example.nl' });
      assert.ok(found.records.length > 0);
      const ref = subjectRef(TEST_SECRET, 'sanne.deboer@example.nl');
      const traces = () =>
        t.store.db.selectFrom('subject_activity').select('subject_ref').where('subject_ref', '=', ref).execute();
      assert.equal((await send({ email: 'sanne.deboer@example.nl', type: 'login' })).statusCode, 202);
      assert.equal((await traces()).length, 1);
      const res = await send({ email: 'sanne.deboer@example.nl', type: 'account.closed' });
      assert.equal(res.statusCode, 202);
      const { requestId } = res.json();
      await t.drain();
      const request = await t.services.requests.get(requestId);
      assert.equal(request?.type, 'closure');
      assert.ok(['waiting_on_tasks', 'completed'].includes(request!.status));
      assert.equal((await t.services.executor!.find({ email: 'sanne.deboer@example.nl' })).records.length, 0);
      // The hub forgets its own trace of her too: the activity index row the shop's events kept.
      assert.equal((await traces()).length, 0);
    });
  });
}
