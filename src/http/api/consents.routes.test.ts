import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { loadExamplePolicy } from '../../../test/helpers/app.ts';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../../test/helpers/db.ts';
import { CookieConsentRepository } from '../../consent/cookie-consent.repository.ts';
import { CookieConsentService } from '../../consent/cookie-consent.service.ts';
import { JobRepository } from '../../jobs/job.repository.ts';
import { FakeClock, MINUTE } from '../../lib/clock.ts';
import { PolicyVersions } from '../../policy/versions.ts';
import { installErrorHandlers } from '../errors.ts';
import { ApiRegistry } from './api-route.ts';
import { registerConsentRoutes } from './consents.routes.ts';
import { buildOpenApiDocument } from './openapi.ts';

const HUB = 'https://privacy.balkonzon.nl';
const SHOP = 'https://www.balkonzon.nl';
const VISITOR = '6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f';
const policy = loadExamplePolicy();
/** A version published before the one in force, with a category the current one no longer has. */
const OLD_VERSION = '2025-01-01';
const oldPolicy = {
  ...policy,
  version: OLD_VERSION,
  cookies: {
    ...policy.cookies,
    categories: [
      ...policy.cookies.categories,
      {
        id: 'marketing',
        title: { nl: 'Marketing', en: 'Marketing' },
        description: { nl: '-', en: '-' },
        required: false,
      },
    ],
  },
};
const proof = (extra: Record<string, unknown> = {}) => ({
  consentId: VISITOR,
  choices: { necessary: true, analytics: false },
  policyVersion: policy.version,
  gpc: false,
  bannerVersion: 'abc123def456',
  ...extra,
});

for (const dialect of DIALECTS) {
  describe(`cookie consent routes on ${dialect}`, { skip: skipFor(dialect) }, () => {
    const stores: TestStore[] = [];
    after(async () => {
      for (const s of stores) await s.drop();
    });

    async function setup(shopOrigins: string | null = SHOP) {
      const store = await createTestStore(dialect);
      stores.push(store);
      const clock = new FakeClock();
      const policyVersions = new PolicyVersions({
        db: store.db,
        clock,
        jobs: new JobRepository(store.db, store.dialect, clock),
      });
      await policyVersions.recordFirst('# the old policy', oldPolicy);
      const app = Fastify({ trustProxy: true });
      installErrorHandlers(app);
      const api = new ApiRegistry();
      registerConsentRoutes(app, api, {
        policy: () => policy,
        baseUrl: HUB,
        store,
        clock,
        shopOrigins: shopOrigins ?? undefined,
        policyVersions,
      });
      await app.ready();
      after(() => app.close());
      const post = (body: unknown, headers: Record<string, string> = {}) =>
        app.inject({ method: 'POST', url: '/api/v1/consents', payload: body as object, headers });
      return { app, api, store, clock, post };
    }

    it('stores a choice as proof with a truncated address, the browser family and the time', async () => {
      const { app, post, store } = await setup();
      const res = await post(proof(), {
        origin: SHOP,
        'x-forwarded-for': '203.0.113.77',
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      });
      assert.equal(res.statusCode, 201);
      assert.deepEqual(res.json(), { ok: true });
      assert.equal(res.headers['access-control-allow-origin'], SHOP);
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
      assert.equal(res.headers['set-cookie'], undefined);
      const rows = await store.db.selectFrom('cookie_consents').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.ip_truncated, '203.0.113.0');
      assert.equal(rows[0]!.ua_family, 'chrome');
      assert.equal(rows[0]!.created_at, '2026-11-01T09:00:00.000Z');
      assert.ok(!JSON.stringify(rows).includes('203.0.113.77'), 'the full address is not stored');
      assert.ok(!JSON.stringify(rows).includes('Linux'), 'the user agent string is not stored');

      const mine = await app.inject({ url: `/api/v1/consents/${VISITOR}` });
      assert.equal(mine.statusCode, 200);
      assert.deepEqual(mine.json(), {
        consentId: VISITOR,
        records: [
          {
            choices: { analytics: false, necessary: true },
            policyVersion: policy.version,
            bannerVersion: 'abc123def456',
            gpc: false,
            ipTruncated: '203.0.113.0',
            userAgentFamily: 'chrome',
            createdAt: '2026-11-01T09:00:00.000Z',
          },
        ],
      });
    });

    it("answers a visitor's records newest first, and 404 for an id with none", async () => {
      const { app, post, clock } = await setup();
      assert.equal(
        (await post(proof(), { 'x-forwarded-for': '2001:db8:85a3:8d3:1319:8a2e:370:7348' })).statusCode,
        201,
      );
      clock.advance(5 * MINUTE);
      assert.equal((await post(proof({ choices: { necessary: true, analytics: true } }))).statusCode, 201);
      const body = (await app.inject({ url: `/api/v1/consents/${VISITOR}` })).json();
      assert.deepEqual(
        body.records.map((r: { choices: { analytics: boolean } }) => r.choices.analytics),
        [true, false],
      );
      assert.equal(body.records[1].ipTruncated, '2001:db8:85a3::');
      const none = await app.inject({ url: '/api/v1/consents/0b5c3d2e-1f4a-4b6c-8d7e-9f0a1b2c3d4e' });
      assert.equal(none.statusCode, 404);
      assert.equal(none.json().error.code, 'NOT_FOUND');
      const bad = await app.inject({ url: '/api/v1/consents/not-a-uuid' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.field, 'consentId');
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const { post, store } = await setup();
      const cases: [unknown, string][] = [
        [proof({ consentId: 'visitor-1' }), 'consentId'],
        [proof({ choices: { analytics: 'yes' } }), 'choices.analytics'],
        [proof({ choices: { marketing: true } }), 'choices.marketing'],
        [proof({ choices: { necessary: false, analytics: false } }), 'choices.necessary'],
        [proof({ policyVersion: undefined }), 'policyVersion'],
        [proof({ gpc: 'true' }), 'gpc'],
        [proof({ extra: 1 }), 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await post(body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.equal(res.json().error.field, field, res.body);
      }
      assert.equal((await store.db.selectFrom('cookie_consents').selectAll().execute()).length, 0);
    });

    it("keeps a late proof under an older published version, checked against that version's categories", async () => {
      const { post } = await setup();
      const late = await post(proof({ policyVersion: OLD_VERSION, choices: { necessary: true, marketing: false } }));
      assert.equal(late.statusCode, 201, late.body);
      for (const [choices, field] of [
        [{ necessary: true, cookiewall: true }, 'choices.cookiewall'],
        [{ necessary: false }, 'choices.necessary'],
      ] as const) {
        const res = await post(proof({ policyVersion: OLD_VERSION, choices }));
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error.field, field);
      }
    });

    it('refuses a proof under a policy version that was never published, and keeps nothing', async () => {
      const { post, store } = await setup();
      const res = await post(proof({ policyVersion: '1999-01-01', choices: { anything: true } }));
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
      assert.equal(res.json().error.field, 'policyVersion');
      assert.equal((await store.db.selectFrom('cookie_consents').selectAll().execute()).length, 0);
    });

    it('refuses more choices than a banner has, and a body larger than a proof can be', async () => {
      const { post, store } = await setup();
      const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`c${i}`, false]));
      const tooMany = await post(proof({ choices: { necessary: true, ...many } }));
      assert.equal(tooMany.statusCode, 400, tooMany.body);
      assert.equal(tooMany.json().error.field, 'choices');
      const huge = await post(proof({ bannerVersion: 'x'.repeat(5000) }));
      assert.equal(huge.statusCode, 413, huge.body);
      assert.equal(huge.json().error.code, 'PAYLOAD_TOO_LARGE');
      assert.equal((await store.db.selectFrom('cookie_consents').selectAll().execute()).length, 0);
    });

    it('answers the preflight of an allowed shop origin, and refuses any other origin', async () => {
      const { app, post } = await setup(`${SHOP}, https://shop2.example`);
      const preflight = (origin: string, method = 'POST') =>
        app.inject({
          method: 'OPTIONS',
          url: '/api/v1/consents',
          headers: {
            origin,
            'access-control-request-method': method,
            'access-control-request-headers': 'content-type',
          },
        });
      for (const origin of [SHOP, 'https://shop2.example', HUB]) {
        const ok = await preflight(origin);
        assert.equal(ok.statusCode, 204, origin);
        assert.equal(ok.headers['access-control-allow-origin'], origin);
        assert.equal(ok.headers['access-control-allow-methods'], 'POST');
        assert.equal(ok.headers['access-control-allow-headers'], 'content-type');
        assert.equal(ok.headers['access-control-allow-credentials'], undefined);
        assert.match(String(ok.headers.vary), /Origin/);
      }
      const refused = await preflight('https://evil.example');
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.headers['access-control-allow-origin'], undefined);
      assert.equal((await preflight(SHOP, 'DELETE')).statusCode, 403);
      const direct = await post(proof(), { origin: 'https://evil.example' });
      assert.equal(direct.statusCode, 403);
      assert.equal(direct.json().error.code, 'FORBIDDEN');
    });

    it("allows only the hub's own origin when no shop origins are configured", async () => {
      const { post } = await setup(null);
      assert.equal((await post(proof(), { origin: HUB })).statusCode, 201);
      assert.equal((await post(proof(), { origin: SHOP })).statusCode, 403);
    });

    it('puts CORS on a refusal too, so that the banner reads it as refused and does not retry', async () => {
      const { post } = await setup();
      const res = await post(proof({ consentId: 'x' }), { origin: SHOP });
      assert.equal(res.statusCode, 400);
      assert.equal(res.headers['access-control-allow-origin'], SHOP);
    });

    it('counts consent rates per policy version from each visitor’s latest choice', async () => {
      const { post, store, clock } = await setup();
      const other = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
      const gpcVisitor = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
      await post(proof());
      clock.advance(MINUTE);
      await post(proof({ choices: { necessary: true, analytics: true } }));
      await post(proof({ consentId: other }));
      await post(proof({ consentId: gpcVisitor, gpc: true }));
      await post(
        proof({ consentId: other, policyVersion: OLD_VERSION, choices: { necessary: true, analytics: true } }),
      );
      const service = new CookieConsentService({
        consents: new CookieConsentRepository(store.db),
        policy: () => policy,
        publishedPolicy: async () => undefined,
        clock,
      });
      const stats = await service.stats();
      const current = stats.find((s) => s.policyVersion === policy.version)!;
      assert.equal(current.visitors, 3);
      assert.equal(current.byGpc, 1);
      assert.deepEqual(
        current.categories.find((c) => c.id === 'analytics'),
        { id: 'analytics', granted: 1, rate: 1 / 3 },
      );
      assert.equal(stats.find((s) => s.policyVersion === OLD_VERSION)?.visitors, 1);
    });

    it('documents the consent routes in the OpenAPI document', async () => {
      const { api } = await setup();
      const doc = buildOpenApiDocument(api.routes, { title: 't', version: '1' }) as { paths: Record<string, unknown> };
      assert.ok(doc.paths['/api/v1/consents']);
      assert.ok(Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/consents/')));
    });
  });
}

describe('/banner.js', () => {
  it('is served as JavaScript with a short cache and an ETag, and answers 304 to a matching one', async () => {
    const app = Fastify();
    registerConsentRoutes(app, new ApiRegistry(), {
      policy: () => policy,
      baseUrl: HUB,
      store: { db: undefined as never },
      clock: new FakeClock(),
    });
    after(() => app.close());
    const res = await app.inject({ url: '/banner.js' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(res.headers.etag), /^"[0-9a-f]{12}"$/);
    assert.ok(res.body.includes(`"${HUB}"`), 'the hub address is embedded');
    assert.ok(res.body.includes('Alles weigeren') && res.body.includes('Reject all'));
    const again = await app.inject({ url: '/banner.js', headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(again.statusCode, 304);
  });

  it('refuses to start with a shop origin that is not an origin', () => {
    assert.throws(
      () =>
        registerConsentRoutes(Fastify(), new ApiRegistry(), {
          policy: () => policy,
          baseUrl: HUB,
          store: { db: undefined as never },
          clock: new FakeClock(),
          shopOrigins: 'https://ok.example, shop.example, https://x.example/path',
        }),
      /INZAGE_SHOP_ORIGINS.*shop\.example, https:\/\/x\.example\/path/,
    );
  });
});
