import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

/** Addresses a shop can hold (RFC 5321/5322): each must be taken wherever Inzage takes an address. */
const VALID = ['a_b%c@example.nl', 'zoë@example.nl', "o'brien@example.nl", 'a&b=c+d@example.nl'];

for (const dialect of DIALECTS) {
  describe(`every address a shop can hold, on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let key: string;
    before(async () => {
      t = await buildTestApp(dialect);
      key = (await t.services.apiKeys.create('shop')).key;
    });
    after(() => t?.close());
    const auth = () => ({ authorization: `Bearer ${key}` });

    it('is taken by the request API, and a space, a control character or a missing domain is not', async () => {
      for (const email of VALID) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: { type: 'access', email } });
        assert.equal(res.statusCode, 202, `${email}: ${res.body}`);
      }
      for (const email of ['a b@example.nl', 'a\u0001b@example.nl', 'a@', 'ab.example.nl']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: { type: 'access', email } });
        assert.equal(res.statusCode, 400, email);
        assert.equal(res.json().error.field, 'email');
      }
    });

    it('is taken by the portal form', async () => {
      for (const email of VALID) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/requests',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ type: 'access', email, language: 'nl' }).toString(),
        });
        assert.equal(res.statusCode, 303, `${email}: ${res.body.slice(0, 200)}`);
      }
    });

    it('is taken by shop events, the status check and contact consents', async () => {
      for (const email of VALID) {
        const event = await t.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: auth(),
          payload: { email, type: 'login' },
        });
        assert.equal(event.statusCode, 202, `${email}: ${event.body}`);
        const status = await t.app.inject({
          url: `/api/v1/subjects/status?email=${encodeURIComponent(email)}`,
          headers: auth(),
        });
        assert.equal(status.statusCode, 200, `${email}: ${status.body}`);
        const consent = await t.app.inject({
          method: 'POST',
          url: '/api/v1/subjects/consents',
          headers: auth(),
          payload: { email, purpose: 'later-contact', granted: true, text: 'Mail mij', source: 'checkout' },
        });
        assert.equal(consent.statusCode, 201, `${email}: ${consent.body}`);
      }
    });
  });
}
