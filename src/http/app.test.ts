import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';

describe('the web layer', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('serves the Dutch policy by default and the English one with ?lang=en or Accept-Language', async () => {
    const nl = await t.app.inject({ url: '/privacy' });
    assert.equal(nl.statusCode, 200);
    assert.match(nl.headers['content-type'] as string, /text\/html/);
    assert.match(nl.body, /<html lang="nl"/);
    assert.match(nl.body, /Uw rechten/);
    const en = await t.app.inject({ url: '/privacy?lang=en' });
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /Your rights/);
    const negotiated = await t.app.inject({
      url: '/privacy',
      headers: { 'accept-language': 'en-GB,en;q=0.9,nl;q=0.5' },
    });
    assert.match(negotiated.body, /<html lang="en"/);
  });

  it('serves the policy without any script', async () => {
    const res = await t.app.inject({ url: '/privacy' });
    assert.doesNotMatch(res.body, /<script/i);
  });

  it('sends security headers that forbid framing, inline scripts and referrer leaks', async () => {
    const res = await t.app.inject({ url: '/' });
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('answers an unknown API route with a JSON error carrying a stable code', async () => {
    const res = await t.app.inject({ url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { error: { code: 'NOT_FOUND', message: 'There is nothing at this address.' } });
  });

  it('answers an unknown portal page with a friendly page in the asked language', async () => {
    const res = await t.app.inject({ url: '/bestaat-niet', headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Pagina niet gevonden/);
    const en = await t.app.inject({ url: '/missing?lang=en', headers: { accept: 'text/html' } });
    assert.match(en.body, /Page not found/);
  });

  it('rejects a bad query value with 400 naming the field', async () => {
    const res = await t.app.inject({ url: '/api/v1/policy/register?format=xml' });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.equal(body.error.field, 'format');
  });

  it('serves the Art. 30 register as JSON and CSV', async () => {
    const json = await t.app.inject({ url: '/api/v1/policy/register' });
    assert.equal(json.statusCode, 200);
    assert.match(json.body, /Balkonzon/);
    const csv = await t.app.inject({ url: '/api/v1/policy/register?format=csv' });
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.ok(csv.body.split('\n').length > 3);
  });

  it('describes its API in an OpenAPI document generated from the route schemas', async () => {
    const res = await t.app.inject({ url: '/api/docs' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.0.3');
    assert.ok(doc.paths['/healthz'].get);
    const params = doc.paths['/api/v1/policy/register'].get.parameters;
    const format = params.find((p: { name: string }) => p.name === 'format');
    assert.deepEqual(format.schema.enum, ['json', 'csv']);
  });

  it('never writes a query string or a token from the address to the log', async () => {
    await t.app.inject({ url: '/privacy?lang=en&email=jan.jansen@example.nl' });
    await t.app.inject({ url: '/verify/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab' });
    const logs = t.logs();
    assert.doesNotMatch(logs, /jan\.jansen/);
    assert.doesNotMatch(logs, /AbCdEfGhIjKlMnOpQrStUvWxYz/);
    assert.match(logs, /\/verify\/:token/);
  });
});

for (const dialect of DIALECTS) {
  describe(`health on ${dialect}`, { skip: skipFor(dialect) }, () => {
    it('is degraded until a worker reports, then ok', async () => {
      const t = await buildTestApp(dialect);
      try {
        const before = await t.app.inject({ url: '/healthz' });
        assert.equal(before.statusCode, 503);
        assert.equal(before.json().checks.store.ok, true);
        assert.equal(before.json().checks.migrations.ok, true);
        assert.equal(before.json().checks.worker.ok, false);
        await t.deps.jobs.heartbeat({ id: 'w1', startedAt: t.clock.now().toISOString(), pid: 1, host: 'test' });
        const ok = await t.app.inject({ url: '/healthz' });
        assert.equal(ok.statusCode, 200);
        assert.equal(ok.json().status, 'ok');
        t.clock.advance(60_000);
        const stale = await t.app.inject({ url: '/healthz' });
        assert.equal(stale.statusCode, 503);
        assert.match(stale.json().checks.worker.detail, /last heartbeat 60 s ago/);
      } finally {
        await t.close();
      }
    });
  });
}
