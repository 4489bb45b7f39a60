import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SANNE } from '../src/demo/demo-shop.ts';
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

/**
 * The person's reference and status page for a request that takes days: linked from the e-mail that
 * follows the confirmation, showing status and timeline in words, and nothing about the person.
 */
for (const dialect of DIALECTS) {
  describe(`the status page of a request on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    before(async () => {
      shop = await createTestShop(dialect, 20);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    const mailbox = async (to: string): Promise<Mail[]> =>
      (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(to)}` })).json();
    const path = (link: string) => new URL(link).pathname;
    const confirmed = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: body,
        remoteAddress: `10.2.0.${Math.floor(Math.random() * 250)}`,
      });
      assert.equal(res.statusCode, 202, res.body);
      await t.drain();
      const verify = (await mailbox(String(body.email))).find((m) => m.template === 'verify')!;
      await t.app.inject({ method: 'POST', url: path(verify.links[0]!), headers: { accept: 'application/json' } });
      await t.drain();
      return (await t.services.requests.get(res.json().id))!;
    };
    const statusLink = (mail: Mail | undefined) => mail?.links.find((l) => l.includes('/requests/status/'));

    it('links an objection awaiting its decision to a page with its status and timeline, in words', async () => {
      const email = 'status-bezwaar@example.com';
      const request = await confirmed({ type: 'objection', email, purposes: ['website'] });
      assert.equal(request.status, 'awaiting_decision');
      const mail = (await mailbox(email)).find((m) => m.template === 'objection-received');
      const link = statusLink(mail);
      assert.ok(link, 'the confirmation e-mail links the status page');
      assert.match(mail!.text, /kenmerk [A-Z2-9]{4}-[A-Z2-9]{4}/);
      assert.match(mail!.text, /uiterlijk op \d+ \w+ \d{4}/, 'by when');
      const page = await t.app.inject({ url: path(link) });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /Hoe staat het met uw verzoek\?/);
      assert.match(page.body, /Wij beoordelen uw verzoek/);
      assert.match(page.body, /Verzoek ontvangen/);
      assert.match(page.body, /Verzoek bevestigd/);
      for (const secret of [email, request.id, 'awaiting_decision', 'website']) {
        assert.ok(!page.body.includes(secret), `the page does not show "${secret}"`);
      }
      const en = await t.app.inject({ url: `${path(link)}?lang=en` });
      assert.match(en.body, /Where does your request stand\?/);

      await t.services.handling.approve(request.id);
      await t.drain();
      const after = await t.app.inject({ url: path(link) });
      assert.match(after.body, /Afgehandeld/);
    });

    it('links an erasure that processors reached by hand still follow, and keeps the page after the erasure', async () => {
      const email = 'status-weg@example.com';
      const erasure = await confirmed({ type: 'erasure', email });
      assert.equal(erasure.status, 'waiting_on_tasks');
      const link = statusLink((await mailbox(email)).find((m) => m.template === 'erased'));
      assert.ok(link);
      const page = await t.app.inject({ url: path(link) });
      assert.match(page.body, /Ons eigen deel is klaar/);
      assert.match(page.body, /taken? open/);
      for (const task of await t.services.requests.tasks({ requestId: erasure.id, open: true }))
        await t.services.handling.completeTask(task.id);
      const done = await t.app.inject({ url: path(link) });
      assert.equal(done.statusCode, 200, 'the page holds no personal data, so it outlives the identity');
      assert.match(done.body, /Verzoek afgehandeld/);
      assert.ok(!done.body.includes(email));
    });

    it('tells a person whose correction waits for the officer that nothing is corrected yet, and links its page', async () => {
      const email = 'status-correctie@example.com';
      const request = await confirmed({ type: 'rectification', email, corrections: { last_name: 'Jansen' } });
      assert.equal(request.status, 'awaiting_decision');
      const mail = (await mailbox(email)).find((m) => m.template === 'rectification-received');
      assert.ok(mail, 'an e-mail after the confirmation');
      assert.match(mail.text.replace(/\s+/g, ' '), /Er is nog niets aangepast/);
      assert.match(mail.text, /Achternaam/);
      assert.doesNotMatch(mail.text, /last_name|Jansen/);
      const link = statusLink(mail);
      assert.ok(link);
      const page = await t.app.inject({ url: path(link) });
      assert.match(page.body, /Correctie/);
      assert.ok(!page.body.includes('Jansen') && !page.body.includes(email));
    });

    it('answers every link that does not work with the same page, whatever exists', async () => {
      const a = await t.app.inject({ url: '/requests/status/abcdefghijklmnopqrstuvwxyz012345' });
      const b = await t.app.inject({ url: '/requests/status/x' });
      assert.equal(a.statusCode, 404);
      assert.equal(b.statusCode, 404);
      assert.equal(a.body, b.body);
    });

    it('tells a person of whom the shop holds nothing so, never that their data is ready to download', async () => {
      const email = 'status-niets@example.com';
      const access = await confirmed({ type: 'access', email });
      assert.equal(access.status, 'waiting_on_tasks', 'processors reached by hand still answer');
      const answer = (await mailbox(email)).find((m) => m.template === 'no-data');
      const link = statusLink(answer);
      assert.ok(link, 'the no-data e-mail links the status page');
      const events = (await t.services.requests.events(access.id)).map((e) => e.event);
      assert.ok(events.includes('no_data') && !events.includes('exported'), events.join(', '));
      const nl = await t.app.inject({ url: path(link) });
      assert.match(nl.body, /Wij vonden bij ons geen gegevens over u; het antwoord van partijen die wij nog vragen/);
      assert.doesNotMatch(nl.body, /klaargezet/);
      const en = await t.app.inject({ url: `${path(link)}?lang=en` });
      assert.match(en.body, /We found no data about you in our own systems; the answer from parties we are still/);
      assert.doesNotMatch(en.body, /ready to download/);
      for (const task of await t.services.requests.tasks({ requestId: access.id, open: true }))
        await t.services.handling.completeTask(task.id, undefined, { kind: 'nothing-held' });
      const done = await t.app.inject({ url: path(link) });
      assert.match(done.body, /Verzoek afgehandeld/);
      assert.match(done.body, /Wij vonden bij ons geen gegevens over u/);
      assert.doesNotMatch(done.body, /klaargezet/);
    });

    it('says of an access answer with parts still to come that only the shop’s own part is ready', async () => {
      const access = await confirmed({ type: 'access', email: SANNE.email, name: SANNE.fullName });
      assert.equal(access.status, 'waiting_on_tasks');
      const answer = (await mailbox(SANNE.email)).find((m) => m.template === 'access-ready');
      const link = statusLink(answer);
      assert.ok(link, 'the answer links the status page');
      const nl = await t.app.inject({ url: path(link) });
      assert.match(nl.body, /Wat wij zelf over u hebben is klaargezet om te downloaden; het deel van partijen/);
      assert.doesNotMatch(nl.body, /Uw gegevens zijn klaargezet/);
      const en = await t.app.inject({ url: `${path(link)}?lang=en` });
      assert.match(en.body, /What we hold about you ourselves was made ready to download; the part from parties/);
      assert.doesNotMatch(en.body, /Your data was made ready/);
    });

    it('gives an access answer whose processors follow by hand a status link, and an erasure done at once none', async () => {
      const email = 'status-inzage@example.com';
      const access = await confirmed({ type: 'access', email });
      const answer = (await mailbox(email)).find((m) => ['access-ready', 'no-data'].includes(m.template));
      if (access.status === 'waiting_on_tasks') assert.ok(statusLink(answer), 'parts still follow');
      else assert.equal(statusLink(answer), undefined);
      for (const m of await mailbox(email)) {
        if (m.template === 'verify')
          assert.equal(statusLink(m), undefined, 'the verification e-mail is the same for all');
      }
    });
  });
}
