import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { adminLogin, cookieFrom, csrfFrom, postForm } from './helpers/admin.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

const NUL = '\u0000';
const ESC = '\u001b';
/** NEXT LINE, a C1 control character: not whitespace to most eyes, a line break to some programs. */
const NEL = '\u0085';

let client = 0;
/** A client address of its own per call: the per-client limits are not what these tests are about. */
const nextClient = () => `203.0.113.${(client++ % 250) + 1}`;

/** 400 with a JSON body naming the field, and the message saying why. */
function refused(res: LightMyRequestResponse, field: string): void {
  assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
  const { error } = res.json() as { error: { code: string; field?: string; message: string } };
  assert.equal(error.code, 'VALIDATION_FAILED');
  assert.equal(error.field, field);
  assert.match(error.message, /control characters/);
}

for (const dialect of DIALECTS) {
  describe(`input with control characters on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let key: string;
    before(async () => {
      t = await buildTestApp(dialect);
      key = (await t.services.apiKeys.create('shop')).key;
    });
    after(() => t?.close());

    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload: payload as object, headers, remoteAddress: nextClient() });
    const shop = (url: string, payload: unknown) => post(url, payload, { authorization: `Bearer ${key}` });
    const stored = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('refuses a request through the API with NUL or another control character in any field, naming it, storing nothing', async () => {
      const before = await stored();
      const cases: Array<[string, Record<string, unknown>]> = [
        ['email', { type: 'access', email: `sanne${NUL}@example.nl` }],
        ['name', { type: 'access', email: 'a@example.nl', name: `Jan${NUL}` }],
        ['name', { type: 'access', email: 'a@example.nl', name: `Jan${NEL}Jansen` }],
        ['name', { type: 'access', email: 'a@example.nl', name: 'Jan\tJansen' }],
        ['message', { type: 'objection', email: 'a@example.nl', message: `geen reclame${NUL}` }],
        ['message', { type: 'objection', email: 'a@example.nl', message: `geen ${ESC}[31mreclame` }],
        ['deliverTo', { type: 'access', email: 'a@example.nl', deliverTo: `Dorpsstraat 1${NUL}` }],
        ['corrections.city', { type: 'rectification', email: 'a@example.nl', corrections: { city: `Zon${NUL}` } }],
      ];
      for (const [field, body] of cases) refused(await post('/api/v1/requests', body), field);
      assert.equal(await stored(), before);
    });

    it('keeps tab and newline (also as CRLF) in free text', async () => {
      const res = await post('/api/v1/requests', {
        type: 'objection',
        email: 'tab.newline@example.nl',
        purposes: ['website'],
        message: 'geen reclame\r\nen geen nieuwsbrief:\tnooit meer\n',
      });
      assert.equal(res.statusCode, 202, res.body);
      refused(
        await post('/api/v1/requests', {
          type: 'objection',
          email: 'cr@example.nl',
          purposes: ['website'],
          message: 'a\rb',
        }),
        'message',
      );
    });

    it('refuses them in the portal form with the field marked, and stores nothing', async () => {
      const before = await stored();
      const res = await t.app.inject({
        method: 'POST',
        url: '/requests',
        remoteAddress: nextClient(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({
          type: 'access',
          language: 'nl',
          email: 'jan@example.nl',
          name: `Jan${NUL}`,
        }).toString(),
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /<a href="#access-name">Inzage: Hier staat een onzichtbaar stuurteken in \(zoals NUL\)/);
      assert.equal(await stored(), before);
    });

    it('refuses them on the back-office login form, naming the field', async () => {
      for (const [form, label] of [
        [{ email: `officer${NUL}@balkonzon.test`, password: 'zonnepaneel op het balkon 42' }, 'E-mailadres'],
        [{ email: 'officer@balkonzon.test', password: `zonnepaneel${NUL}` }, 'Wachtwoord'],
      ] as const) {
        const page = await t.app.inject({ method: 'GET', url: '/admin/login' });
        const pre = cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')!;
        const res = await postForm(
          t,
          '/admin/login',
          { _csrf: csrfFrom(page.body), ...form },
          `inzage_admin_pre=${pre}`,
          nextClient(),
        );
        assert.equal(res.statusCode, 400, res.body);
        assert.match(res.body, new RegExp(`${label}: bevat een onzichtbaar stuurteken`));
      }
    });

    it("refuses them in the banner's proof of consent", async () => {
      const proof = { consentId: randomUUID(), choices: { necessary: true, analytics: false }, policyVersion: '1' };
      refused(await post('/api/v1/consents', { ...proof, policyVersion: `2026-11${NUL}` }), 'policyVersion');
      refused(await post('/api/v1/consents', { ...proof, bannerVersion: `abc${NUL}` }), 'bannerVersion');
    });

    it('refuses them in contact consent from the shop, keeping newlines in the text shown', async () => {
      const consent = {
        email: 'klant@example.nl',
        purpose: 'later-contact',
        granted: true,
        text: 'Ja, u mag mij later benaderen.',
        source: 'checkout',
      };
      refused(await shop('/api/v1/subjects/consents', { ...consent, text: `Ja${NUL}` }), 'text');
      refused(await shop('/api/v1/subjects/consents', { ...consent, textVersion: `v1${ESC}` }), 'textVersion');
      refused(await shop('/api/v1/subjects/consents', { ...consent, purpose: `later-contact${NUL}` }), 'purpose');
      refused(await shop('/api/v1/subjects/consents', { ...consent, email: `klant${NUL}@example.nl` }), 'email');
    });

    it("refuses them in the shop's events", async () => {
      const event = { email: 'klant@example.nl', type: 'order' };
      refused(await shop('/api/v1/events', { ...event, email: `klant@example.nl${NUL}` }), 'email');
      refused(await shop('/api/v1/events', { ...event, type: `order${NUL}` }), 'type');
      refused(await shop('/api/v1/events', { ...event, analytics: { userId: `u1${NUL}` } }), 'analytics.userId');
      assert.equal((await shop('/api/v1/events', event)).statusCode, 202);
    });

    it("refuses them in the officer's forms and addresses, with the field named on the page", async () => {
      const officer = await adminLogin(t, 'officer');
      const form = (url: string, fields: Record<string, string>) =>
        postForm(t, url, { _csrf: officer.csrf, ...fields }, officer.cookie);
      const submitted = await post('/api/v1/requests', {
        type: 'objection',
        email: 'o@example.nl',
        purposes: ['website'],
        message: 'x',
      });
      const { id } = submitted.json() as { id: string };

      const reject = await form(`/admin/requests/${id}/reject`, { reason: `Niet gegrond${NUL}` });
      assert.equal(reject.statusCode, 400);
      assert.match(reject.body, /Afwijzen: vul een reden in \(mag geen onzichtbare stuurtekens bevatten/);
      assert.equal((await t.services.requests.get(id))!.status, 'awaiting_verification');

      const odd = await t.app.inject({
        url: `/admin/requests/${encodeURIComponent(`${id}${NUL}`)}`,
        headers: { cookie: officer.cookie, accept: 'text/html' },
      });
      assert.equal(odd.statusCode, 400);

      const lookup = await form('/admin/customers', { email: `sanne${NUL}@example.nl` });
      assert.equal(lookup.statusCode, 400);
      assert.match(lookup.body, /E-mailadres: mag geen onzichtbare stuurtekens bevatten/);

      const disclosure = await form('/admin/registers/disclosures', {
        disclosedOn: '2026-11-01',
        authority: `Belastingdienst${NUL}`,
        legalBasis: 'AWR art. 47',
        disclosed: 'facturen',
        about: 'een klant',
        outcome: 'verstrekt',
      });
      assert.equal(disclosure.statusCode, 400);
      assert.match(disclosure.body, /Instantie: mag geen onzichtbare stuurtekens bevatten/);
      assert.equal((await t.services.registers.disclosures.list()).length, 0);
    });
  });
}
