import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadExamplePolicy } from '../../../test/helpers/app.ts';
import { createTestStore, type TestStore } from '../../../test/helpers/db.ts';
import type { JobRepository } from '../../jobs/job.repository.ts';
import { DAY, FakeClock, HOUR } from '../../lib/clock.ts';
import { ExportRepository } from '../../requests/export.repository.ts';
import { IntakeService, type RequestMail } from '../../requests/intake.service.ts';
import { RequestRepository } from '../../requests/request.repository.ts';
import { MAX_DOWNLOADS, RequestExports } from '../../requests/request-exports.ts';
import { installErrorHandlers } from '../errors.ts';
import { registerRequestPortalRoutes } from './requests.routes.tsx';

type Mail = Parameters<RequestMail['enqueue']>[0];
const SECRET = 'a-forty-character-secret-for-these-tests';

describe('the request portal', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let clock: FakeClock;
  let requests: RequestRepository;
  let exports: RequestExports;
  const sent: Mail[] = [];
  const queued: Array<{ name: string; payload: unknown }> = [];

  before(async () => {
    store = await createTestStore('sqlite');
    clock = new FakeClock();
    requests = new RequestRepository(store.db, clock);
    const policy = loadExamplePolicy();
    const intake = new IntakeService({
      requests,
      // A recording queue: what matters here is whether a click queues the work, and that a GET never does.
      jobs: {
        enqueue: async (name: string, payload: unknown) => {
          queued.push({ name, payload });
          return 'job';
        },
      } as unknown as JobRepository,
      mail: {
        enqueue: async (m) => {
          sent.push(m);
          return 'id';
        },
      },
      clock,
      policy: () => policy,
      secret: SECRET,
      baseUrl: 'http://localhost:8080',
    });
    app = Fastify();
    await app.register(formbody);
    installErrorHandlers(app);
    exports = new RequestExports({
      exports: new ExportRepository(store.db, clock),
      requests,
      clock,
      secret: SECRET,
      baseUrl: 'http://localhost:8080',
    });
    registerRequestPortalRoutes(app, { intake, exports, policy: () => policy });
  });
  after(async () => {
    await app.close();
    await store.drop();
  });
  beforeEach(() => {
    sent.length = 0;
    queued.length = 0;
  });

  let n = 0;
  /** A fresh address per test, so that rate limits and joined requests do not leak between tests. */
  const freshEmail = () => `person${++n}@example.nl`;
  const post = (form: Record<string, string | string[]>, query = '') =>
    app.inject({
      method: 'POST',
      url: `/requests${query}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams(
        Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      ).toString(),
    });
  /** Makes a request through the form and returns the token from its verification e-mail. */
  const requestToken = async (form: Record<string, string | string[]>) => {
    const res = await post({ language: 'nl', ...form });
    assert.equal(res.statusCode, 303, res.body);
    const mail = sent.at(-1)!;
    return new URL(String(mail.data.link)).pathname.split('/').pop()!;
  };
  const statusOf = async (token: string) => {
    const row = await requests.findToken(token, 'verify');
    return (await requests.get(row!.request_id))!.status;
  };

  const TYPES = ['access', 'portability', 'rectification', 'restriction', 'objection', 'erasure', 'closure'] as const;
  const NAMES_NL = [
    'Inzage',
    'Overdracht',
    'Correctie',
    'Beperking',
    'Bezwaar',
    'Verwijdering (vergeetverzoek)',
    'Account opheffen',
  ];

  it('asks first which right, with a plain link per right and no form or script, in Dutch', async () => {
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /<html lang="nl"/);
    assert.doesNotMatch(res.body, /<script/i);
    assert.doesNotMatch(res.body, /<form/);
    assert.equal(res.body.match(/<h1/g)?.length, 1);
    TYPES.forEach((type, i) => {
      assert.ok(res.body.includes(`<li id="${type}"><a href="/?right=${type}&amp;lang=nl">${NAMES_NL[i]}</a>`), type);
    });
    assert.match(res.body, /binnen 30 dagen/);
    assert.match(res.body, /href="\/privacy\?lang=nl"/);
  });

  it("shows only the chosen right's form on its page, labelled, with a way back", async () => {
    for (const [i, type] of TYPES.entries()) {
      const res = await app.inject({ url: `/?right=${type}&lang=nl` });
      assert.equal(res.statusCode, 200);
      assert.doesNotMatch(res.body, /<script/i);
      assert.equal(res.body.match(/<form method="post" action="\/requests"/g)?.length, 1, type);
      assert.ok(res.body.includes(`<input type="hidden" name="type" value="${type}"/>`), type);
      assert.ok(res.body.includes(`<section id="${type}"`), type);
      assert.ok(res.body.includes(`>${NAMES_NL[i]}</h1>`), `${type}: its name is the page's heading`);
      assert.equal(res.body.match(/<h1/g)?.length, 1);
      assert.match(res.body, /<a href="\/\?lang=nl">Ander verzoek kiezen<\/a>/);
      assert.ok(res.body.includes(`href="/?right=${type}&amp;lang=en"`), 'the other language keeps the right');
      const ids = [...res.body.matchAll(/<(?:input|textarea) [^>]*id="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(ids.length >= 2);
      for (const id of ids) assert.ok(res.body.includes(`<label for="${id}">`), `label for ${id}`);
      // The e-mail keyboard and autofill, without the browser's own check that refuses zoë@… (type="email").
      assert.match(res.body, /inputmode="email"[^>]*autocomplete="email"|autocomplete="email"[^>]*inputmode="email"/);
      assert.doesNotMatch(res.body, /type="email"/);
      assert.match(res.body, /Andere bezorging \(ander e-mailadres of per post\)/);
    }
    const objection = await app.inject({ url: '/?right=objection&lang=nl' });
    assert.match(objection.body, /Tegen welke verwerking maakt u bezwaar\?/);
    assert.doesNotMatch(objection.body, /name="corrections.last_name"/);
    const rectification = await app.inject({ url: '/?right=rectification&lang=nl' });
    assert.match(rectification.body, /name="corrections.last_name"/);
    const unknown = await app.inject({ url: '/?right=nonsense' });
    assert.equal(unknown.statusCode, 200, 'an unknown right: the choice');
    assert.doesNotMatch(unknown.body, /<form/);
  });

  it('shows the choice and a form in English with ?lang=en', async () => {
    const res = await app.inject({ url: '/?lang=en' });
    assert.match(res.body, /<html lang="en"/);
    assert.match(res.body, />Erasure \(right to be forgotten\)<\/a>/);
    const erasure = await app.inject({ url: '/?right=erasure&lang=en' });
    assert.match(erasure.body, />Erasure \(right to be forgotten\)<\/h1>/);
    assert.match(erasure.body, /<input type="hidden" name="language" value="en"\/>/);
    const objection = await app.inject({ url: '/?right=objection&lang=en' });
    assert.match(objection.body, /Which processing do you object to\?/);
    assert.doesNotMatch(objection.body, /Vraag inzage aan/);
  });

  it('answers a valid access form with "check your e-mail" and sends one verification link', async () => {
    const res = await post({ type: 'access', language: 'nl', email: freshEmail(), name: 'Sanne de Boer' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/requests/sent?type=access&lang=nl');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.template, 'verify');
    assert.match(String(sent[0]!.data.link), /^http:\/\/localhost:8080\/requests\/verify\/[A-Za-z0-9_-]{43}$/);
    const page = await app.inject({ url: res.headers.location! });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /<h1>Controleer uw e-mail<\/h1>/);
    assert.match(page.body, /48 uur/);
    assert.match(page.body, /spam/);
    assert.doesNotMatch(page.body, /Sanne|example\.nl/);
  });

  it('says truthfully after sending what a second request of the same kind does', async () => {
    const page = await app.inject({ url: '/requests/sent?type=erasure&lang=nl' });
    assert.match(page.body, /hoort uw verzoek daarbij en behandelen wij het één keer/);
    assert.match(page.body, /hoogstens eens per kwartier/);
    assert.match(page.body, /Is het al bevestigd, dan krijgt u geen nieuwe e-mail/);
    assert.match(page.body, /bezwaar tegen andere verwerking, andere correcties, of het antwoord naar een ander adres/);
    assert.match(page.body, /hoogstens vijf bevestigingsmails per uur/);
    const en = await app.inject({ url: '/requests/sent?type=erasure&lang=en' });
    assert.match(en.body, /yours is added to it and we handle it once/);
  });

  it('gives the same answer for an address it knows and one it does not', async () => {
    const known = freshEmail();
    await post({ type: 'access', language: 'nl', email: known });
    const again = await post({ type: 'access', language: 'nl', email: known });
    const stranger = await post({ type: 'access', language: 'nl', email: 'nobody-at-all@example.org' });
    assert.equal(again.statusCode, stranger.statusCode);
    assert.equal(again.headers.location, stranger.headers.location);
    assert.equal(again.body, stranger.body);
    const a = await app.inject({ url: again.headers.location! });
    const b = await app.inject({ url: stranger.headers.location! });
    assert.equal(a.body, b.body);
  });

  it('rejects a form without an e-mail address, next to the field, keeping the values', async () => {
    const res = await post({ type: 'access', language: 'nl', email: '', name: 'Sanne de Boer' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /role="alert"/);
    assert.match(res.body, /<p id="access-email-error" class="field-error">Vul uw e-mailadres in\.<\/p>/);
    assert.match(res.body, /id="access-email"[^>]*aria-describedby="access-email-hint access-email-error"/);
    assert.match(res.body, /id="access-name"[^>]*value="Sanne de Boer"/);
    assert.match(res.body, /<title>Fout: /);
    assert.equal(sent.length, 0);
  });

  it('rejects a malformed e-mail address and shows it again', async () => {
    const res = await post({ type: 'erasure', language: 'en', email: 'sanne-at-example' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<html lang="en"/);
    assert.match(res.body, /id="erasure-email-error" class="field-error">Enter a valid e-mail address/);
    assert.match(res.body, /id="erasure-email"[^>]*value="sanne-at-example"/);
  });

  it('asks for at least one correction on a rectification form', async () => {
    const res = await post({ type: 'rectification', language: 'nl', email: 'sanne@example.nl' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="rectification-corrections-error" class="field-error">Vul minstens één gegeven in/);
    assert.match(
      res.body,
      /<fieldset[^>]*aria-describedby="rectification-corrections-hint rectification-corrections-error"/,
    );
    assert.match(res.body, /id="rectification-email"[^>]*value="sanne@example.nl"/);
  });

  it('asks an objection which processing it objects to', async () => {
    const res = await post({
      type: 'objection',
      language: 'nl',
      email: 'sanne@example.nl',
      deliverTo: 'Dorpsstraat 1',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="objection-purposes-error" class="field-error">Kies minstens één doel/);
    assert.match(res.body, /href="#objection-purposes-0"/);
    assert.match(res.body, /id="objection-deliverTo"[^>]*value="Dorpsstraat 1"/);
    // Only the form that came back shows values; the others stay empty.
    assert.doesNotMatch(res.body, /id="access-email"[^>]*value="sanne/);
  });

  it('offers the purposes a person can object to as checkboxes, and keeps the ticked ones', async () => {
    const home = await app.inject({ url: '/?right=objection&lang=nl' });
    // Legitimate interests and direct marketing; not contract or legal obligations (Art. 21).
    assert.match(home.body, /name="purposes" value="website"/);
    assert.match(home.body, /name="purposes" value="later-contact"/);
    assert.doesNotMatch(home.body, /name="purposes" value="service"/);
    const token = await requestToken({
      type: 'objection',
      email: freshEmail(),
      purposes: ['website', 'later-contact'],
    });
    const row = await requests.findToken(token, 'verify');
    assert.deepEqual((await requests.get(row!.request_id))!.details.purposes, ['website', 'later-contact']);
    const wrong = await post({ type: 'objection', language: 'nl', email: freshEmail(), purposes: ['service'] });
    assert.equal(wrong.statusCode, 400, 'a purpose that cannot be objected to is not taken');
  });

  it('takes corrections named by field role and drops the empty ones', async () => {
    const token = await requestToken({
      type: 'rectification',
      email: freshEmail(),
      'corrections.last_name': 'Jansen',
      'corrections.city': '',
    });
    const row = await requests.findToken(token, 'verify');
    const request = await requests.get(row!.request_id);
    assert.deepEqual(request!.details.corrections, { last_name: 'Jansen' });
  });

  it('changes nothing when the verification link is only opened, and offers one button', async () => {
    const token = await requestToken({ type: 'access', email: freshEmail() });
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ url: `/requests/verify/${token}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /Inzage/);
      assert.equal(res.body.match(/<form /g)?.length, 1);
      assert.equal(res.body.match(/<button /g)?.length, 1);
      assert.match(res.body, new RegExp(`<form method="post" action="/requests/verify/${token}\\?lang=nl"`));
      assert.match(res.body, />Bevestig mijn verzoek</);
    }
    assert.equal(await statusOf(token), 'awaiting_verification');
    assert.equal(queued.length, 0);
  });

  it('confirms the request with the button, after which the link is used', async () => {
    const token = await requestToken({ type: 'access', email: freshEmail() });
    const res = await app.inject({
      method: 'POST',
      url: `/requests/verify/${token}`,
      headers: { accept: 'text/html' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Uw verzoek is bevestigd<\/h1>/);
    assert.equal(await statusOf(token), 'verified');
    assert.equal(queued.length, 1);
    const again = await app.inject({
      method: 'POST',
      url: `/requests/verify/${token}`,
      headers: { accept: 'text/html' },
    });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Deze link is al gebruikt/);
    const opened = await app.inject({ url: `/requests/verify/${token}` });
    assert.match(opened.body, /Deze link is al gebruikt/);
  });

  it('answers JSON to a confirmation that asks for it', async () => {
    const token = await requestToken({ type: 'restriction', email: freshEmail() });
    const res = await app.inject({
      method: 'POST',
      url: `/requests/verify/${token}`,
      headers: { accept: 'application/json' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { state: 'verified', status: 'verified' });
  });

  it('shows an expired link after 48 hours and expires the request on the click', async () => {
    const token = await requestToken({ type: 'erasure', email: freshEmail() });
    clock.advance(49 * HOUR);
    const opened = await app.inject({ url: `/requests/verify/${token}` });
    assert.equal(opened.statusCode, 410);
    assert.match(opened.body, /Deze link is verlopen/);
    assert.match(opened.body, /href="\/\?lang=nl#erasure"/);
    assert.equal(await statusOf(token), 'awaiting_verification');
    const clicked = await app.inject({
      method: 'POST',
      url: `/requests/verify/${token}`,
      headers: { accept: 'application/json' },
    });
    assert.equal(clicked.statusCode, 410);
    assert.equal(clicked.json().state, 'expired');
    assert.equal((await requests.get(sent.at(-1)!.requestId!))!.status, 'expired');
  });

  it('answers an unknown link with 404', async () => {
    for (const token of ['x'.repeat(43), 'not a token']) {
      const res = await app.inject({ url: `/requests/verify/${encodeURIComponent(token)}` });
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /Onbekende link/);
      const posted = await app.inject({ method: 'POST', url: `/requests/verify/${encodeURIComponent(token)}` });
      assert.equal(posted.statusCode, 404);
    }
    for (const method of ['GET', 'POST'] as const) {
      const download = await app.inject({ method, url: `/requests/download/${'y'.repeat(43)}?lang=en` });
      assert.equal(download.statusCode, 404);
      assert.match(download.body, /Unknown link/);
    }
  });

  it('waits for an identity check when the answer should go elsewhere', async () => {
    const token = await requestToken({ type: 'access', email: freshEmail(), deliverTo: 'Dorpsstraat 1, 1234 AB Zon' });
    const opened = await app.inject({ url: `/requests/verify/${token}` });
    assert.match(opened.body, /identiteit/);
    const res = await app.inject({
      method: 'POST',
      url: `/requests/verify/${token}`,
      headers: { accept: 'text/html' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Wij nemen contact met u op<\/h1>/);
    assert.equal(await statusOf(token), 'awaiting_identity');
  });

  it('hands out the export five times as an attachment on the button (POST), then says the link has run out', async () => {
    const token = await requestToken({ type: 'access', email: freshEmail() });
    const id = sent.at(-1)!.requestId!;
    const zip = Buffer.from('PK fake zip');
    const stored = await exports.store(store.db, { requestId: id, fileName: 'inzage-2026-11-01.zip', zip });
    const download = (await exports.link(store.db, id, stored)).split('/').at(-1)!;
    assert.notEqual(download, token);
    for (let i = 0; i < MAX_DOWNLOADS; i++) {
      const res = await app.inject({ method: 'POST', url: `/requests/download/${download}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/zip');
      assert.equal(res.headers['content-disposition'], 'attachment; filename="inzage-2026-11-01.zip"');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(res.rawPayload, zip);
    }
    const spent = await app.inject({ method: 'POST', url: `/requests/download/${download}` });
    assert.equal(spent.statusCode, 410);
    assert.equal((await app.inject({ url: `/requests/download/${download}` })).statusCode, 410);
    assert.match(spent.body, /Deze downloadlink is verlopen of al vijf keer gebruikt; vraag opnieuw inzage aan\./);
    assert.match(spent.body, /href="\/\?lang=nl#access"/);
  });

  it('shows an expired download link as expired on GET without destroying anything; the button says the same', async () => {
    await requestToken({ type: 'access', email: freshEmail() });
    const id = sent.at(-1)!.requestId!;
    const stored = await exports.store(store.db, {
      requestId: id,
      fileName: 'inzage-2026-11-01.zip',
      zip: Buffer.from('PK'),
    });
    const download = (await exports.link(store.db, id, stored)).split('/').at(-1)!;
    const ciphertext = async () =>
      (
        await store.db
          .selectFrom('request_exports')
          .select('ciphertext')
          .where('request_id', '=', id)
          .executeTakeFirst()
      )?.ciphertext;
    assert.match((await app.inject({ url: `/requests/download/${download}` })).body, /werkt nog 5 keer/);
    clock.advance(15 * DAY);
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url: `/requests/download/${download}` });
      assert.equal(res.statusCode, 410, method);
    }
    assert.ok(await ciphertext(), 'opening an expired link destroys nothing');
    const clicked = await app.inject({ method: 'POST', url: `/requests/download/${download}` });
    assert.equal(clicked.statusCode, 410);
    assert.equal(await ciphertext(), null, 'the button on an expired link destroys the file');
    clock.advance(-15 * DAY);
  });

  it('takes a sixth request for one address within an hour, and sends its link when the hour has room', async () => {
    const email = freshEmail();
    for (const type of ['access', 'portability', 'restriction', 'erasure', 'closure']) {
      assert.equal((await post({ type, language: 'nl', email })).statusCode, 303);
    }
    const res = await post({ type: 'objection', language: 'en', email, purposes: 'website' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/requests/sent?type=objection&lang=en');
    assert.equal(sent.length, 6);
    assert.deepEqual(
      sent.slice(0, 5).map((m) => m.sendAt),
      [undefined, undefined, undefined, undefined, undefined],
    );
    assert.equal(sent[5]!.sendAt?.toISOString(), new Date(clock.now().getTime() + HOUR).toISOString());
  });
});
