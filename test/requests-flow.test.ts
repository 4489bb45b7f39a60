import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { SANNE } from '../src/demo/demo-shop.ts';
import { HOUR } from '../src/lib/clock.ts';
import { subjectRef } from '../src/requests/intake.service.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
  links: string[];
  template: string;
}

for (const dialect of DIALECTS) {
  describe(`requests end to end on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    before(async () => {
      shop = await createTestShop(dialect, 60);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    const mailbox = async (to: string): Promise<Mail[]> =>
      (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(to)}` })).json();
    const latest = async (to: string, template: string) => {
      const mail = (await mailbox(to)).find((m) => m.template === template);
      assert.ok(mail, `a ${template} mail to ${to}`);
      return mail;
    };
    const path = (link: string) => new URL(link).pathname;
    const submit = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: body,
        remoteAddress: `10.0.0.${Math.floor(Math.random() * 250)}`,
      });
    /** Submits, confirms by the link in the mail (one POST), and runs the worker. */
    const makeConfirmed = async (body: Record<string, unknown>) => {
      const res = await submit(body);
      assert.equal(res.statusCode, 202, res.body);
      const { id } = res.json();
      await t.drain();
      const verify = await latest(String(body.email), 'verify');
      const confirm = await t.app.inject({
        method: 'POST',
        url: path(verify.links[0]!),
        headers: { accept: 'application/json' },
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
      await t.drain();
      return { id, request: (await t.services.requests.get(id))! };
    };

    it('answers an access request for Sanne with a download of her data, in a few steps', async () => {
      const { id, request } = await makeConfirmed({ type: 'access', email: SANNE.email, name: SANNE.fullName });
      // Processors reached by hand each get an access task; the request waits for them (Art. 15).
      assert.equal(request.status, 'waiting_on_tasks');
      const ready = await latest(SANNE.email, 'access-ready');
      const link = path(ready.links.find((l) => l.includes('/requests/download/'))!);
      const download = await t.app.inject({ method: 'POST', url: link });
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/zip');
      const files = unzipSync(download.rawPayload);
      const data = JSON.parse(Buffer.from(files['data.json']!).toString('utf8'));
      assert.ok(data.records.some((r: { collection: string }) => r.collection === 'invoices'));
      const events = (await t.services.requests.events(id)).map((e) => e.event);
      assert.deepEqual(events.slice(0, 3), ['received', 'verified', 'exported']);
    });

    it('lets a mail scanner open the download link (GET, HEAD) as often as it likes: only the button downloads', async () => {
      const email = SANNE.email;
      const { id } = await makeConfirmed({ type: 'portability', email });
      const link = path((await latest(email, 'access-ready')).links.find((l) => l.includes('/requests/download/'))!);
      const downloads = async () => (await t.services.requests.events(id)).filter((e) => e.event === 'downloaded');
      for (let i = 0; i < 7; i++) {
        const page = await t.app.inject({ url: link, headers: { accept: 'text/html' } });
        assert.equal(page.statusCode, 200);
        assert.match(String(page.headers['content-type']), /text\/html/);
        assert.equal(page.headers['cache-control'], 'no-store');
        const forms = [...page.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
        assert.deepEqual(forms, [`${link}?lang=nl`], 'one button, posting to the same address');
        assert.match(page.body, /werkt nog 5 keer/);
        const head = await t.app.inject({ method: 'HEAD', url: link });
        assert.equal(head.statusCode, 200);
        assert.notEqual(head.headers['content-type'], 'application/zip');
      }
      assert.equal((await downloads()).length, 0, 'seven GETs and seven HEADs downloaded nothing');
      const zip = await t.app.inject({ method: 'POST', url: `${link}?lang=nl` });
      assert.equal(zip.statusCode, 200);
      assert.equal(zip.headers['content-type'], 'application/zip');
      assert.equal((await downloads()).length, 1);
      assert.match((await t.app.inject({ url: link })).body, /werkt nog 4 keer/);
    });

    it('gives the same answer and the same e-mail for an address nobody knows, and says it holds nothing', async () => {
      const known = await submit({ type: 'portability', email: SANNE.email });
      const unknown = await submit({ type: 'portability', email: 'onbekend@example.org' });
      assert.equal(known.statusCode, unknown.statusCode);
      assert.deepEqual(Object.keys(known.json()), Object.keys(unknown.json()));
      await t.drain();
      const a = await latest(SANNE.email, 'verify');
      const b = await latest('onbekend@example.org', 'verify');
      assert.equal(a.subject, b.subject);
      assert.equal(a.text.replace(a.links[0]!, 'LINK'), b.text.replace(b.links[0]!, 'LINK'));
      await t.app.inject({ method: 'POST', url: path(b.links[0]!) });
      await t.drain();
      const noData = await latest('onbekend@example.org', 'no-data');
      assert.match(noData.text, /geen gegevens/i);
      // Processors reached by hand have not been asked yet: the answer may not claim there is nothing.
      assert.match(noData.subject, /nog niet compleet/);
      assert.doesNotMatch(noData.text, /Wij verwerken geen persoonsgegevens over u/);
      assert.match(noData.text, /Wij gaan bij hen\s+opvragen/);
    });

    it('does nothing when the link is only opened (GET), and refuses it a second time', async () => {
      const res = await submit({ type: 'access', email: 'scanner@example.com' });
      await t.drain();
      const link = path((await latest('scanner@example.com', 'verify')).links[0]!);
      for (let i = 0; i < 3; i++) assert.equal((await t.app.inject({ url: link })).statusCode, 200);
      assert.equal((await t.services.requests.get(res.json().id))?.status, 'awaiting_verification');
      assert.equal((await t.app.inject({ method: 'POST', url: link })).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'POST', url: link })).statusCode, 409);
    });

    it('joins a second open request of the same type instead of making another, answering with a receipt of its own', async () => {
      const first = await submit({ type: 'restriction', email: 'dubbel@example.com' });
      const second = await submit({ type: 'restriction', email: ' Dubbel@Example.com ' });
      assert.equal(second.statusCode, 202);
      assert.notEqual(second.json().id, first.json().id);
      assert.equal(second.json().status, first.json().status);
      const same = await t.store.db
        .selectFrom('requests')
        .select('id')
        .where('subject_ref', '=', subjectRef(t.services.secret, 'dubbel@example.com'))
        .execute();
      assert.deepEqual(
        same.map((r) => r.id),
        [first.json().id],
      );
      const events = (await t.services.requests.events(first.json().id)).map((e) => e.event);
      assert.ok(events.includes('joined'));
    });

    it('lets an unconfirmed request expire after 48 hours and says so', async () => {
      const res = await submit({ type: 'access', email: 'laat@example.com' });
      await t.drain();
      const link = path((await latest('laat@example.com', 'verify')).links[0]!);
      t.clock.advance(49 * HOUR);
      const page = await t.app.inject({ method: 'POST', url: link });
      assert.equal(page.statusCode, 410);
      assert.equal((await t.services.requests.get(res.json().id))?.status, 'expired');
      t.clock.advance(-49 * HOUR);
    });

    it('rejects bad input with 400 naming the field', async () => {
      for (const [body, field] of [
        [{ type: 'access' }, 'email'],
        [{ type: 'access', email: 'geen-adres' }, 'email'],
        [{ type: 'sell-my-data', email: 'a@example.com' }, 'type'],
        [{ type: 'rectification', email: 'a@example.com' }, 'corrections'],
        [{ type: 'objection', email: 'a@example.com' }, 'purposes'],
        [{ type: 'objection', email: 'a@example.com', purposes: ['service'] }, 'purposes'],
        [{ type: 'objection', email: 'a@example.com', purposes: ['geen-doel'] }, 'purposes'],
        [{ type: 'access', email: 'a@example.com', language: 'de' }, 'language'],
        [{ type: 'access', email: 'a@example.com', name: 'x'.repeat(201) }, 'name'],
        [{ type: 'access', email: 'a@example.com', message: 'x'.repeat(5001) }, 'message'],
        [{ type: 'rectification', email: 'a@example.com', corrections: { shoe_size: '44' } }, 'corrections'],
        [{ type: 'access', email: 'a@example.com', deliverTo: 'x'.repeat(501) }, 'deliverTo'],
      ] as const) {
        const res = await submit(body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.equal(res.json().error.field, field);
      }
    });

    it('restricts at once, and the shop sees it through its API key', async () => {
      const email = 'beperk@example.com';
      const { request } = await makeConfirmed({ type: 'restriction', email });
      assert.equal(request.status, 'waiting_on_tasks', 'processors without an API get a task');
      const { key } = await t.services.apiKeys.create('shop');
      const status = await t.app.inject({
        url: `/api/v1/subjects/status?email=${email}`,
        headers: { authorization: `Bearer ${key}` },
      });
      assert.deepEqual(status.json(), { restricted: true, objection: false, objections: [], contactAllowed: false });
      const anonymous = await t.app.inject({ url: `/api/v1/subjects/status?email=${email}` });
      assert.equal(anonymous.statusCode, 401);
    });

    it('applies a rectification only after the officer approves it', async () => {
      const { id, request } = await makeConfirmed({
        type: 'rectification',
        email: SANNE.email,
        corrections: { phone: '06-11112222' },
      });
      assert.equal(request.status, 'awaiting_decision');
      await t.services.handling.approve(id);
      await t.drain();
      assert.match((await latest(SANNE.email, 'rectified')).subject, /\S/);
      const found = await t.services.executor!.find({ email: SANNE.email });
      assert.equal(found.records.find((r) => r.collection === 'customers')?.data.phone, '06-11112222');
    });

    it('restricts on an objection at once; a rejection tells the person first and lifts it after the notice (Art. 18(3))', async () => {
      const email = 'bezwaar@example.com';
      const { id } = await makeConfirmed({ type: 'objection', email, purposes: ['website'], message: 'Mijn situatie' });
      const { key } = await t.services.apiKeys.create('shop');
      const flags = async () =>
        (
          await t.app.inject({
            url: `/api/v1/subjects/status?email=${email}`,
            headers: { authorization: `Bearer ${key}` },
          })
        ).json();
      assert.deepEqual(await flags(), { restricted: true, objection: true, objections: [], contactAllowed: false });
      assert.equal((await t.services.requests.get(id))?.status, 'awaiting_decision');
      await t.services.handling.reject(id, 'Wij verwerken uw bezoek niet.');
      await t.drain();
      const rejected = await latest(email, 'objection-rejected');
      assert.match(rejected.text, /Autoriteit Persoonsgegevens/);
      assert.match(rejected.text, /blijft gelden tot/);
      assert.equal((await flags()).restricted, true, 'still restricted during the notice');
      t.clock.advance(7 * 24 * HOUR + 1);
      assert.equal((await flags()).restricted, false, 'lifted once the notice has run');
      await t.services.handling.liftDueRestrictions();
      assert.deepEqual(await flags(), { restricted: false, objection: false, objections: [], contactAllowed: false });
      t.clock.advance(-(7 * 24 * HOUR + 1));
    });

    it('erases Sanne, says what is kept until when, and keeps no identity in the register', async () => {
      const { id, request } = await makeConfirmed({ type: 'erasure', email: SANNE.email });
      assert.equal(request.status, 'waiting_on_tasks');
      const erased = await latest(SANNE.email, 'erased');
      assert.match(erased.text, /AWR|rijksbelastingen/);
      // Kinds of data in words, never a table or a hold's id.
      assert.doesNotMatch(erased.text, /shop\.|\.customers|contact_moments|fiscal:/);
      assert.match(erased.text, /Factuur|Bestelling|Klant/i);
      assert.equal((await t.services.executor!.find({ email: SANNE.email })).records.length, 0);
      const tasks = await t.services.requests.tasks({ requestId: id, open: true });
      assert.ok(tasks.length > 0);
      for (const task of tasks) await t.services.handling.completeTask(task.id);
      const done = (await t.services.requests.get(id))!;
      assert.equal(done.status, 'completed');
      assert.equal(done.email, null);
      assert.equal(done.name, null);
      assert.equal(done.subjectRef, null);
      const row = await t.store.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).toLowerCase().includes('sanne'), 'no trace of her in the register row');
    });
  });
}

describe('a worker that dies in the middle of an erasure', () => {
  it('is taken over: the request completes, the person is told what was erased, and nothing is sent twice', async () => {
    const shop = await createTestShop('sqlite', 30);
    const t = await buildTestApp('sqlite', { dataMap: shop.dataMap });
    try {
      // The first run dies right after erasing, before its e-mail and completion are committed.
      const outbox = t.services.outbox;
      const enqueue = outbox.enqueue.bind(outbox);
      let died = false;
      outbox.enqueue = (async (mail, db) => {
        if (mail.template === 'erased' && !died) {
          died = true;
          throw new Error('worker killed');
        }
        return enqueue(mail, db);
      }) as typeof outbox.enqueue;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: { type: 'erasure', email: SANNE.email },
      });
      const { id } = res.json();
      await t.drain();
      const mails = async () => (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${SANNE.email}` })).json() as Mail[];
      const verify = (await mails()).find((m) => m.template === 'verify')!;
      await t.app.inject({ method: 'POST', url: new URL(verify.links[0]!).pathname });
      await t.drain();
      assert.ok(died, 'the first run died');
      assert.equal((await t.services.requests.get(id))?.status, 'in_progress');
      assert.equal((await t.services.executor!.find({ email: SANNE.email })).records.length, 0, 'the shop was erased');

      t.clock.advance(HOUR); // past the retry's backoff
      await t.drain();
      assert.equal((await t.services.requests.get(id))?.status, 'waiting_on_tasks');
      const erased = (await mails()).filter((m) => m.template === 'erased');
      assert.equal(erased.length, 1, 'one erased mail');
      assert.match(erased[0]!.text, /klant/i);
      await t.drain();
      assert.equal((await mails()).filter((m) => m.template === 'erased').length, 1);
    } finally {
      await t.close();
      await shop.drop();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`the officer’s decisions on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let shop: TestShop;
    let t: TestApp;
    before(async () => {
      shop = await createTestShop(dialect, 30);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });
    const mails = async (to: string) =>
      (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(to)}` })).json() as Mail[];
    /** A customer of the demo shop other than Sanne. */
    const anyCustomerEmail = async () => {
      const db = (await import('../src/connectors/sql/sql-database.ts')).openSqlDatabase(shop.url);
      try {
        const table = shop.schema ? `${shop.schema}.customers` : 'customers';
        const [row] = await db.run(`select email from ${table} where id > 5 and id < 20 limit 1`, []);
        return String(row!.email);
      } finally {
        await db.close();
      }
    };
    const confirm = async (body: Record<string, unknown>) => {
      const { id } = (await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: body })).json();
      await t.drain();
      const verify = (await mails(String(body.email))).find((m) => m.template === 'verify')!;
      await t.app.inject({ method: 'POST', url: new URL(verify.links[0]!).pathname });
      await t.drain();
      return id as string;
    };

    it('holds a request to deliver by post until the identity is checked, then makes a task to print and post it', async () => {
      const id = await confirm({
        type: 'access',
        email: 'elders@example.com',
        deliverTo: 'Postbus 12, 1000 AA Amsterdam',
      });
      assert.equal((await t.services.requests.get(id))?.status, 'awaiting_identity');
      assert.ok((await mails('elders@example.com')).some((m) => m.template === 'awaiting-identity'));
      await t.services.handling.verifyIdentity(id);
      await t.drain();
      assert.equal((await t.services.requests.get(id))?.status, 'waiting_on_tasks');
      const post = (await t.services.requests.tasks({ requestId: id, open: true })).find((x) => x.action === 'deliver');
      assert.ok(post, 'a task to post the package');
      assert.equal(post.contact, 'Postbus 12, 1000 AA Amsterdam');
      assert.ok(await t.services.exports.open(id), 'the package is there for the officer to print');
      assert.ok(
        !(await mails('elders@example.com')).some((m) => m.template === 'access-posted'),
        'not before it is posted',
      );
      await t.services.handling.completeTask(post.id, 'aangetekend verstuurd');
      await t.drain();
      assert.ok((await mails('elders@example.com')).some((m) => m.template === 'access-posted'));
      const [done] = (await t.services.requests.tasks({ requestId: id })).filter((x) => x.action === 'deliver');
      assert.doesNotMatch(done!.contact, /Postbus/, 'the task forgets the address once posted');
    });

    it('sends the answer to the other e-mail address the person asked for, once the identity is checked', async () => {
      const id = await confirm({ type: 'access', email: 'oud@example.com', deliverTo: 'nieuw@example.org' });
      await t.services.handling.verifyIdentity(id);
      await t.drain();
      assert.ok(!(await mails('oud@example.com')).some((m) => ['access-ready', 'no-data'].includes(m.template)));
      assert.ok((await mails('nieuw@example.org')).some((m) => ['access-ready', 'no-data'].includes(m.template)));
    });

    it('extends a deadline once by two months, with reasons to the person', async () => {
      const id = await confirm({
        type: 'rectification',
        email: 'later@example.com',
        corrections: { city: 'Gorredijk' },
      });
      const before = (await t.services.requests.get(id))!;
      const dueAt = await t.services.handling.extend(id, 'Wij wachten op antwoord van onze boekhouder.');
      assert.ok(dueAt > before.legalDueAt);
      assert.ok((await mails('later@example.com')).some((m) => m.template === 'extended'));
      await assert.rejects(() => t.services.handling.extend(id, 'nog eens'), /extended already/);
    });

    it('upholds an objection to legitimate interests: that processing stops, and only the data kept for it is erased', async () => {
      const email = 'Sanne.DeBoer@Example.NL';
      const ipOf = async () =>
        (await t.services.executor!.find({ email })).records
          .filter((r) => r.collection === 'orders')
          .map((r) => r.data.ip_address);
      assert.ok(
        (await ipOf()).some((ip) => ip !== null),
        'her orders carry an IP address',
      );
      const id = await confirm({ type: 'objection', email, purposes: ['website'] });
      assert.equal((await t.services.requests.get(id))?.status, 'awaiting_decision');
      await t.services.handling.approve(id);
      await t.drain();
      const done = (await t.services.requests.get(id))!;
      assert.equal(done.status, 'completed');
      const templates = (await mails(email)).map((m) => m.template);
      assert.ok(templates.includes('objection-upheld'));
      assert.ok(!templates.includes('erased'), 'not a full erasure');
      assert.deepEqual(
        await ipOf(),
        (await ipOf()).map(() => null),
        'the technical data kept only for it is gone',
      );
      assert.ok((await t.services.executor!.find({ email })).records.length > 0, 'the rest is kept');
      assert.deepEqual((await t.services.handling.subjectStatus(done.subjectRef!)).objections, ['website']);
    });

    it('honours an objection to direct marketing at once and for good, until the person consents again (Art. 21(3))', async () => {
      const email = 'nieuwsbrief@example.com';
      await t.services.contactConsents.record({
        email,
        purpose: 'later-contact',
        granted: true,
        text: 'Ja, stuur mij aanbiedingen',
        source: 'checkout',
        at: '2026-10-01T10:00:00.000Z',
      });
      const { key } = await t.services.apiKeys.create('shop');
      const status = async () =>
        (
          await t.app.inject({
            url: `/api/v1/subjects/status?email=${email}`,
            headers: { authorization: `Bearer ${key}` },
          })
        ).json();
      assert.equal((await status()).contactAllowed, true);
      const id = await confirm({ type: 'objection', email, purposes: ['later-contact'] });
      assert.equal((await t.services.requests.get(id))?.status, 'completed', 'no officer decision');
      assert.ok((await mails(email)).some((m) => m.template === 'objection-honoured'));
      assert.deepEqual(await status(), {
        restricted: false,
        objection: true,
        objections: ['later-contact'],
        contactAllowed: false,
      });
      // The shop re-imports an old opt-in, dated before the objection: it does not undo it.
      await t.services.contactConsents.record({
        email,
        purpose: 'later-contact',
        granted: true,
        text: 'Ja, stuur mij aanbiedingen',
        source: 'import',
        at: '2026-10-15T10:00:00.000Z',
      });
      assert.equal((await status()).contactAllowed, false);
      // A consent the person gives after the objection does.
      t.clock.advance(HOUR);
      await t.services.contactConsents.record({
        email,
        purpose: 'later-contact',
        granted: true,
        text: 'Ja, stuur mij toch aanbiedingen',
        source: 'account',
      });
      assert.deepEqual(await status(), { restricted: false, objection: false, objections: [], contactAllowed: true });
    });

    it('treats closing the account as a forget request', async () => {
      const email = await anyCustomerEmail();
      const id = await confirm({ type: 'closure', email });
      const request = (await t.services.requests.get(id))!;
      assert.ok(['completed', 'waiting_on_tasks'].includes(request.status));
      assert.ok((await mails(email)).some((m) => m.template === 'erased'));
      assert.equal((await t.services.executor!.find({ email })).records.length, 0);
    });

    it('reminds the officer of requests due within seven days and overdue ones, once a day', async () => {
      await confirm({ type: 'objection', email: 'wacht@example.com', purposes: ['website'] });
      t.clock.advance(25 * 24 * HOUR);
      await t.services.jobs.enqueue('requests.reminders', {}, { dedupeKey: 'test-reminder' });
      await t.drain();
      const reminders = await mails(t.services.config.policy.controller.privacyContact.email);
      assert.equal(reminders.filter((m) => m.template === 'officer-reminder').length, 1);
      assert.doesNotMatch(reminders[0]!.text, /wacht@example\.com/, 'ids and types only, no addresses');
      t.clock.advance(-25 * 24 * HOUR);
    });
  });
}
