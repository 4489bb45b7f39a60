import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { buildContactConsent } from '../src/consent/contact-consent.build.ts';
import type { ContactConsentService } from '../src/consent/contact-consent.service.ts';
import { ApiRegistry } from '../src/http/api/api-route.ts';
import { registerContactConsentRoutes } from '../src/http/api/contact-consents.routes.ts';
import { registerConsentPortalRoutes } from '../src/http/portal/consent.routes.tsx';
import { buildExportPackage, type ExportData } from '../src/requests/export-package.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
  links: string[];
  template: string;
}

const TEXT = 'Ja, Balkonzon mag mij later per e-mail benaderen.';

for (const dialect of DIALECTS) {
  describe(`contact consent end to end on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let consents: ContactConsentService;
    let key: string;
    before(async () => {
      t = await buildTestApp(dialect, {
        // Until buildApp wires contact consent itself; then these routes are there already.
        extraRoutes: (app, s) => {
          const built = buildContactConsent({ ...s, db: s.store.db, baseUrl: s.config.baseUrl });
          consents = built.contactConsents;
          if (!app.hasRoute({ method: 'POST', url: '/api/v1/subjects/consents' }))
            registerContactConsentRoutes(app, new ApiRegistry(), { contactConsents: consents, apiKeys: s.apiKeys });
          if (!app.hasRoute({ method: 'GET', url: '/consent/withdraw' }))
            registerConsentPortalRoutes(app, { withdrawals: built.consentWithdrawals, policy: s.policy });
        },
      });
      key = (await t.services.apiKeys.create('shop')).key;
    });
    after(() => t?.close());

    const post = (payload: Record<string, unknown>, auth: string | null = key) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/subjects/consents',
        payload,
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      });
    const mailbox = async (to: string): Promise<Mail[]> =>
      (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(to)}` })).json();
    const latest = async (to: string, template: string) => {
      const mail = (await mailbox(to)).find((m) => m.template === template);
      assert.ok(mail, `a ${template} mail to ${to}`);
      return mail;
    };
    const withdrawForm = (email: string, purposes: string[], lang = 'nl') =>
      t.app.inject({
        method: 'POST',
        url: `/consent/withdraw?lang=${lang}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams([['email', email], ...purposes.map((p) => ['purpose', p])]).toString(),
      });

    it('records a consent and its withdrawal from the shop, with proof, and answers 201', async () => {
      const email = 'shop@example.nl';
      const res = await post({ email, purpose: 'later-contact', granted: true, text: TEXT, source: 'checkout' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['at', 'granted', 'id', 'purpose']);
      assert.equal(res.json().at, t.clock.now().toISOString());
      assert.equal(await consents.contactAllowedFor(email), true);
      const withdrawn = await post({
        email,
        purpose: 'later-contact',
        granted: false,
        text: 'Afmelden voor e-mail',
        textVersion: 'account-2',
        source: 'account',
        at: new Date(t.clock.now().getTime() + 1000).toISOString(),
      });
      assert.equal(withdrawn.statusCode, 201, withdrawn.body);
      assert.equal(withdrawn.json().granted, false);
      assert.equal(await consents.contactAllowedFor(email), false);
      const proof = (await consents.history(email)).at(-1)!;
      assert.deepEqual([proof.text, proof.textVersion, proof.source], ['Afmelden voor e-mail', 'account-2', 'account']);
    });

    it('rejects bad input with 400 naming the field, and a call without an API key with 401', async () => {
      const good = { email: 'a@example.nl', purpose: 'later-contact', granted: true, text: TEXT, source: 'checkout' };
      for (const [body, field] of [
        [{ ...good, purpose: 'newsletter' }, 'purpose'],
        [{ ...good, purpose: 'analytics' }, 'purpose'],
        [{ ...good, email: 'geen-adres' }, 'email'],
        [{ ...good, granted: 'yes' }, 'granted'],
        [{ ...good, text: '' }, 'text'],
        [{ ...good, source: 'Check Out!' }, 'source'],
        [{ ...good, at: 'gisteren' }, 'at'],
        [{ ...good, at: '2030-01-01T00:00:00Z' }, 'at'],
      ] as const) {
        const res = await post(body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.equal(res.json().error.field, field, JSON.stringify(body));
      }
      assert.equal((await post(good, null)).statusCode, 401);
      assert.equal((await post(good, 'inz_not-a-key')).statusCode, 401);
      assert.deepEqual(await consents.history('a@example.nl'), []);
    });

    it('withdraws on the portal through a verified link: the form, the e-mail, a GET that changes nothing, one POST', async () => {
      const email = 'portal@example.nl';
      await post({ email, purpose: 'later-contact', granted: true, text: TEXT, source: 'checkout' });
      await post({
        email,
        purpose: 'reviews',
        granted: true,
        text: 'Ja, vraag mij om een review.',
        source: 'checkout',
      });

      const page = await t.app.inject({ url: '/consent/withdraw?lang=en' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<html lang="en">/);
      assert.match(page.body, /value="later-contact"/);
      assert.match(page.body, /value="reviews"/);
      assert.doesNotMatch(page.body, /value="analytics"/, 'cookie consent belongs to the banner');

      const sent = await withdrawForm(email, ['later-contact']);
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, '/consent/withdraw/sent?lang=nl');
      assert.equal((await t.app.inject({ url: sent.headers.location })).statusCode, 200);
      await t.drain();
      const verify = await latest(email, 'consent-withdraw-verify');
      const link = new URL(verify.links[0]!).pathname;
      assert.match(link, /^\/consent\/withdraw\/[A-Za-z0-9_-]{43}$/);

      for (let i = 0; i < 3; i++) {
        const opened = await t.app.inject({ url: link });
        assert.equal(opened.statusCode, 200);
        assert.match(opened.body, /<form method="post"/);
        assert.match(opened.body, /Ik trek mijn toestemming in voor: Op een later moment contact met u opnemen/);
      }
      assert.equal(await consents.contactAllowedFor(email), true, 'opening the link changes nothing');

      const done = await t.app.inject({ method: 'POST', url: `${link}?lang=nl` });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Uw toestemming is ingetrokken/);
      assert.equal(await consents.contactAllowedFor(email), false);
      assert.equal(await consents.contactAllowed(email, 'reviews'), true, 'only the purpose chosen');
      const proof = (await consents.history(email)).at(-1)!;
      assert.deepEqual([proof.purpose, proof.granted, proof.source], ['later-contact', false, 'portal']);
      await t.drain();
      const confirmation = await latest(email, 'consent-withdrawn');
      assert.match(confirmation.text, /Op een later moment contact met u opnemen/);
      assert.equal((await t.app.inject({ method: 'POST', url: link })).statusCode, 404, 'the link works once');
    });

    it('answers and mails the same for an address nobody knows', async () => {
      const known = await withdrawForm('portal@example.nl', ['reviews'], 'en');
      const unknown = await withdrawForm('nobody@example.org', ['reviews'], 'en');
      assert.equal(known.statusCode, unknown.statusCode);
      assert.equal(known.headers.location, unknown.headers.location);
      await t.drain();
      const a = (await mailbox('portal@example.nl')).find((m) => m.subject.startsWith('Confirm'))!;
      const b = await latest('nobody@example.org', 'consent-withdraw-verify');
      assert.equal(a.subject, b.subject);
      assert.equal(a.text.replace(a.links[0]!, 'LINK'), b.text.replace(b.links[0]!, 'LINK'));
    });

    it('shows the form again with its errors, and says so for a link that is not right', async () => {
      const res = await withdrawForm('geen-adres', []);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /class="error-summary"/);
      assert.match(res.body, /Vul een geldig e-mailadres in/);
      assert.match(res.body, /Kies ten minste één doel/);
      assert.equal((await t.app.inject({ url: '/consent/withdraw/not-a-real-token-at-all' })).statusCode, 404);
    });

    it('puts the person’s consent history in the access export', async () => {
      const email = 'export@example.nl';
      await post({ email, purpose: 'later-contact', granted: true, text: TEXT, textVersion: 'v3', source: 'checkout' });
      const history = await consents.consentHistoryFor(email);
      const result = {
        subject: { email },
        generatedAt: t.clock.now().toISOString(),
        records: [],
        collections: [],
        processors: [],
        manualTasks: [],
        queries: 0,
      };
      const zip = unzipSync(buildExportPackage(result, t.services.policy(), { lang: 'nl', consents: history }));
      const data = JSON.parse(strFromU8(zip['data.json']!)) as ExportData;
      assert.deepEqual(data.consents, [
        {
          purpose: 'later-contact',
          granted: true,
          text: TEXT,
          version: 'v3',
          source: 'checkout',
          at: result.generatedAt,
        },
      ]);
      const index = strFromU8(zip['index.html']!);
      assert.match(index, /<h2>Uw toestemmingen<\/h2>/);
      assert.match(index, /Toestemming gegeven/);
      assert.ok(index.includes(TEXT));
    });
  });
}
