import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { ApiRegistry } from '../http/api/api-route.ts';
import { buildOpenApiDocument } from '../http/api/openapi.ts';
import { JobRepository } from '../jobs/job.repository.ts';
import { FakeClock } from '../lib/clock.ts';
import type { DevMailboxMode } from './dev-mailbox.ts';
import { registerDevMailboxRoutes } from './mailbox.routes.tsx';
import { MailOutbox } from './outbox.ts';

const ctx = { shopName: 'Balkonzon', privacyEmail: 'privacy@balkonzon.nl', baseUrl: 'https://privacy.balkonzon.nl' };
const SANNE = 'sanne.deboer@example.nl';
const LINK = 'https://privacy.balkonzon.nl/r/verify/bWFpbGJveC10ZXN0LXRva2Vu';

for (const dialect of DIALECTS) {
  describe(`the dev mailbox on ${dialect}`, { skip: skipFor(dialect) }, () => {
    const stores: TestStore[] = [];
    after(async () => {
      for (const s of stores) await s.drop();
    });

    async function setup(mode: DevMailboxMode) {
      const store = await createTestStore(dialect);
      stores.push(store);
      const clock = new FakeClock();
      const jobs = new JobRepository(store.db, store.dialect, clock);
      const outbox = new MailOutbox({
        db: store.db,
        jobs,
        dialect: store.dialect,
        secret: 's',
        clock,
        from: 'privacy@balkonzon.nl',
        ctx,
      });
      const app = Fastify();
      const api = new ApiRegistry();
      registerDevMailboxRoutes(app, api, { outbox, mode });
      await app.ready();
      after(() => app.close());
      return { app, api, outbox, clock };
    }

    it('says on every page, and in a header of the JSON, that mail is not being sent', async () => {
      for (const mode of ['loopback', 'explicit'] as const) {
        const { app, outbox } = await setup(mode);
        const id = (await outbox.enqueue({ to: SANNE, template: 'no-data', lang: 'nl', data: { type: 'access' } }))!;
        for (const url of ['/dev/mailbox', `/dev/mailbox/${id}`]) {
          const res = await app.inject({ url });
          assert.equal(res.statusCode, 200, url);
          assert.match(
            res.body,
            /<div class="not-sent" role="alert"><p>Mail is NOT being sent: INZAGE_SMTP_URL is not set/,
          );
          assert.equal(
            /open to everyone who can reach this server/.test(res.body),
            mode === 'explicit',
            `${mode} ${url}`,
          );
        }
        const json = await app.inject({ url: '/api/v1/dev/mailbox' });
        assert.equal(json.headers['x-inzage-mail'], 'not-sent');
      }
    });

    it('does not exist when SMTP is configured', async () => {
      const { app, api } = await setup('off');
      for (const url of ['/api/v1/dev/mailbox', '/dev/mailbox', '/dev/mailbox/x']) {
        assert.equal((await app.inject({ url })).statusCode, 404, url);
      }
      assert.equal(api.routes.length, 0);
    });

    it('lists every message as JSON, newest first, with to, subject, text, html and links', async () => {
      const { app, outbox } = await setup('loopback');
      const verify = await outbox.enqueue({
        to: SANNE,
        template: 'verify',
        lang: 'nl',
        requestId: 'req-1',
        data: { type: 'erasure', link: LINK, expiresAt: '2026-11-03T09:00:00Z' },
      });
      const other = await outbox.enqueue({
        to: 'jan@example.org',
        template: 'no-data',
        lang: 'en',
        data: { type: 'access' },
      });
      const res = await app.inject({ url: '/api/v1/dev/mailbox' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = res.json() as Array<Record<string, unknown>>;
      assert.deepEqual(
        body.map((m) => m.id),
        [other, verify],
      );
      const m = body[1]!;
      assert.equal(m.to, SANNE);
      assert.equal(m.subject, 'Bevestig uw verzoek om verwijdering');
      assert.match(String(m.text), /48 uur geldig/);
      assert.match(String(m.html), /^<!doctype html>/);
      assert.deepEqual(m.links, [LINK]);
      assert.equal(m.template, 'verify');
      assert.equal(m.requestId, 'req-1');
      assert.equal(m.status, 'queued');
      assert.equal(typeof m.createdAt, 'string');

      const filtered = (
        await app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(SANNE.toUpperCase())}` })
      ).json();
      assert.deepEqual(
        filtered.map((x: { id: string }) => x.id),
        [verify],
      );
    });

    it('documents the JSON route in the OpenAPI document', async () => {
      const { api } = await setup('loopback');
      const doc = buildOpenApiDocument(api.routes, { title: 't', version: '1' });
      const get = (doc.paths['/api/v1/dev/mailbox'] as { get?: { responses: Record<string, unknown> } }).get;
      assert.ok(get?.responses['200']);
      assert.match(JSON.stringify(get), /"links"/);
    });

    it('shows the messages as a page with clickable links, and one message with its HTML in a sandbox', async () => {
      const { app, outbox } = await setup('loopback');
      const id = (await outbox.enqueue({
        to: SANNE,
        template: 'objection-rejected',
        lang: 'nl',
        data: { reason: '<script>alert(1)</script>', purposes: ['Websitestatistieken'] },
      }))!;
      await outbox.enqueue({
        to: SANNE,
        template: 'verify',
        lang: 'nl',
        data: { type: 'access', link: LINK, expiresAt: '2026-11-03T09:00:00Z' },
      });
      const list = await app.inject({ url: '/dev/mailbox' });
      assert.equal(list.statusCode, 200);
      assert.match(String(list.headers['content-type']), /text\/html/);
      assert.ok(list.body.includes(`<a href="${LINK}">`));
      assert.ok(
        list.body.indexOf('Bevestig uw verzoek') < list.body.indexOf('Besluit over uw bezwaar'),
        'newest first',
      );
      assert.ok(!list.body.includes('<script>'));
      assert.ok(list.body.includes(SANNE));

      const one = await app.inject({ url: `/dev/mailbox/${id}` });
      assert.equal(one.statusCode, 200);
      assert.ok(!one.body.includes('<script>'), 'no raw HTML from the message reaches the page');
      assert.match(one.body, /<iframe sandbox(="")? srcdoc="&lt;!doctype html>/);
      assert.ok(one.body.includes('https://autoriteitpersoonsgegevens.nl'));
      assert.equal((await app.inject({ url: '/dev/mailbox/does-not-exist' })).statusCode, 404);
      assert.equal((await app.inject({ url: '/dev/mailbox/%00x' })).statusCode, 404, 'NUL in the id is no 500');
    });
  });
}
