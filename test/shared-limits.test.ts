import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MINUTE } from '../src/lib/clock.ts';
import { ADMIN_PASSWORD, cookieFrom, createAdminUser, csrfFrom } from './helpers/admin.ts';
import { buildTestApp, buildTestServers, loadExamplePolicy, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

const policy = loadExamplePolicy();
const proof = (i: number) => ({
  consentId: `6f1c2a4e-8b3d-4f5a-9c7e-${String(i).padStart(12, '0')}`,
  choices: { necessary: true, analytics: i % 2 === 0 },
  policyVersion: policy.version,
  gpc: false,
});

for (const dialect of DIALECTS) {
  describe(`limits shared by two servers on one ${dialect} database`, { skip: skipFor(dialect) }, () => {
    let servers: Awaited<ReturnType<typeof buildTestServers>>;
    let a: TestApp;
    let b: TestApp;
    before(async () => {
      servers = await buildTestServers(dialect, 2, { env: { INZAGE_CONSENTS_PER_MINUTE: '6' } });
      [a, b] = servers.apps as [TestApp, TestApp];
    });
    after(async () => {
      await servers?.close();
    });

    let n = 0;
    const nextClient = () => `203.0.113.${++n}`;
    const api = (t: TestApp, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: { type: 'access', email: `klant${++n}@example.nl` },
        remoteAddress: ip,
      });
    const form = (t: TestApp, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/requests',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({ type: 'access', language: 'nl', email: `klant${++n}@example.nl` }).toString(),
        remoteAddress: ip,
      });

    it('counts one client’s requests over both servers, the form and the API together: 20 a minute', async () => {
      const ip = nextClient();
      for (let i = 0; i < 20; i++) {
        const res = i % 2 === 0 ? await api(a, ip) : await form(b, ip);
        assert.equal(res.statusCode, i % 2 === 0 ? 202 : 303, `post ${i + 1}: ${res.body}`);
      }
      const overApi = await api(b, ip);
      assert.equal(overApi.statusCode, 429);
      assert.equal(overApi.json().error.code, 'RATE_LIMITED');
      const overForm = await form(a, ip);
      assert.equal(overForm.statusCode, 429);
      assert.match(String(overForm.headers['content-type']), /text\/html/);
      assert.ok(Number(overForm.headers['retry-after']) > 0, 'says when to try again');
      assert.equal((await api(a, nextClient())).statusCode, 202, 'another client is not held back');
      servers.clock.advance(MINUTE);
      assert.equal((await form(a, ip)).statusCode, 303, 'the next minute the client may post again');
    });

    it('limits banner proofs per client over both servers (INZAGE_CONSENTS_PER_MINUTE)', async () => {
      const ip = nextClient();
      const post = (t: TestApp, i: number, from = ip) =>
        t.app.inject({ method: 'POST', url: '/api/v1/consents', payload: proof(i), remoteAddress: from });
      for (let i = 0; i < 6; i++) assert.equal((await post(i % 2 ? a : b, i)).statusCode, 201);
      const over = await post(a, 6);
      assert.equal(over.statusCode, 429);
      assert.equal(over.json().error.code, 'RATE_LIMITED');
      assert.equal((await post(b, 7, nextClient())).statusCode, 201);
    });

    it('limits login posts per client, and locks an account, over both servers', async () => {
      const { user } = await createAdminUser(a, 'staff');
      const loginPage = async (t: TestApp, ip: string) => {
        const page = await t.app.inject({ url: '/admin/login', remoteAddress: ip });
        const pre = `inzage_admin_pre=${cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')}`;
        return (password: string, target: TestApp = t) =>
          target.app.inject({
            method: 'POST',
            url: '/admin/login',
            remoteAddress: ip,
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: pre },
            payload: new URLSearchParams({ _csrf: csrfFrom(page.body), email: user.email, password }).toString(),
          });
      };
      // Five wrong passwords, from two clients on two servers: the account is locked on both.
      const fromA = await loginPage(a, nextClient());
      const fromB = await loginPage(b, nextClient());
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await (i % 2 ? fromA : fromB)('wrong password 123')).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
      assert.equal((await fromA(ADMIN_PASSWORD)).statusCode, 429);
      assert.equal((await fromB(ADMIN_PASSWORD)).statusCode, 429);
      // Ten login posts a minute per client, whichever server takes them (without a form token: refused, but counted).
      const ip = nextClient();
      const bare = (t: TestApp) =>
        t.app.inject({
          method: 'POST',
          url: '/admin/login',
          remoteAddress: ip,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: '',
        });
      for (let i = 0; i < 10; i++) assert.equal((await bare(i % 2 ? a : b)).statusCode, 403);
      assert.equal((await bare(a)).statusCode, 429);
      assert.equal((await bare(b)).statusCode, 429);
    });
  });
}

// The limit's store is the one above on both dialects; 600 posts are run once, on SQLite.
describe('banner proofs from one client', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp('sqlite');
  });
  after(async () => {
    await t?.close();
  });

  it('takes 600 proofs a minute from one client by default, and refuses the next', async () => {
    const ip = '203.0.113.200';
    for (let i = 0; i < 600; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/consents',
        payload: proof(i),
        remoteAddress: ip,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const over = await t.app.inject({
      method: 'POST',
      url: '/api/v1/consents',
      payload: proof(600),
      remoteAddress: ip,
    });
    assert.equal(over.statusCode, 429);
    t.clock.advance(MINUTE);
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/v1/consents',
      payload: proof(601),
      remoteAddress: ip,
    });
    assert.equal(later.statusCode, 201);
  });
});
