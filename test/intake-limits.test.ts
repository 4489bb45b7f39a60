import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SANNE } from '../src/demo/demo-shop.ts';
import { MINUTE } from '../src/lib/clock.ts';
import { subjectRef } from '../src/requests/intake.service.ts';
import { VERIFICATION_MAILS_PER_HOUR } from '../src/requests/verification-mails.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

const TYPES = ['access', 'portability', 'restriction', 'erasure', 'closure'] as const;

/** An objection: its grounds, and the purpose objected to (the policy's `website`, on legitimate interests). */
const OBJECTION = { message: 'nieuwsbrief', purposes: ['website'] };

for (const dialect of DIALECTS) {
  describe(`intake limits on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(async () => {
      await t?.close();
    });

    let n = 0;
    /** Every post from a client of its own: these tests are about the address, not the client. */
    const submit = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: body,
        remoteAddress: `10.1.${Math.floor(++n / 250)}.${n % 250}`,
      });
    const form = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/requests',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({ language: 'nl', ...fields }).toString(),
        remoteAddress: `10.2.${Math.floor(++n / 250)}.${n % 250}`,
      });
    /** The verification e-mails to an address: all of them, and those sent by now (after running what is due). */
    const verifyMails = async (email: string) => {
      await t.drain();
      const all = (await t.services.outbox.messages()).filter((m) => m.to === email && m.template === 'verify');
      return { all, sent: all.filter((m) => m.status === 'sent') };
    };
    const requestsFor = (email: string) =>
      t.store.db
        .selectFrom('requests')
        .select(['id', 'type', 'status'])
        .where('subject_ref', '=', subjectRef(t.services.secret, email))
        .execute();

    it("takes the person's own objection after five posts by someone else for their address", async () => {
      const victim = 'slachtoffer@example.nl';
      for (const type of TYPES) assert.equal((await submit({ type, email: victim })).statusCode, 202);
      const own = await submit({ type: 'objection', email: victim, ...OBJECTION });
      assert.equal(own.statusCode, 202, own.body);
      assert.ok((await t.services.requests.get(own.json().id))?.type === 'objection', 'the objection is a request');
      assert.equal((await requestsFor(victim)).length, TYPES.length + 1);
      // The e-mails it costs the person stay bounded: the sixth waits until the hour has room, then goes.
      assert.equal((await verifyMails(victim)).sent.length, VERIFICATION_MAILS_PER_HOUR);
      t.clock.advance(60 * MINUTE);
      const later = await verifyMails(victim);
      assert.equal(later.sent.length, TYPES.length + 1);
      const link = later.sent.find((m) => /bezwaar/i.test(m.subject))?.links[0];
      assert.ok(link, 'the objection’s own link arrived');
      const confirm = await t.app.inject({
        method: 'POST',
        url: new URL(link).pathname,
        headers: { accept: 'application/json' },
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
    });

    it('sends the link of an unconfirmed request again at most once per 15 minutes, and joins silently otherwise', async () => {
      const email = 'opnieuw@example.nl';
      const first = await submit({ type: 'access', email });
      assert.equal((await verifyMails(email)).sent.length, 1);
      for (const wait of [0, 10 * MINUTE, 4 * MINUTE]) {
        t.clock.advance(wait);
        assert.equal((await submit({ type: 'access', email })).statusCode, 202);
        assert.equal((await verifyMails(email)).sent.length, 1, 'no new link within 15 minutes');
      }
      t.clock.advance(MINUTE);
      await submit({ type: 'access', email });
      const again = await verifyMails(email);
      assert.equal(again.sent.length, 2, 'a new link after 15 minutes');
      assert.equal((await requestsFor(email)).length, 1, 'still one request');
      t.clock.advance(MINUTE);
      await submit({ type: 'access', email });
      assert.equal((await verifyMails(email)).sent.length, 2);
      const events = (await t.services.requests.events(first.json().id)).map((e) => e.event);
      assert.equal(events.filter((e) => e === 'joined').length, 5);
      assert.equal(events.filter((e) => e === 'verification_resent').length, 1);
      // The newest link confirms the request.
      const newest = again.sent[0]!.links[0]!;
      const confirm = await t.app.inject({ method: 'POST', url: new URL(newest).pathname });
      assert.equal(confirm.statusCode, 200);
      assert.equal((await t.services.requests.get(first.json().id))?.status, 'verified');
    });

    it('never sends one address more than 5 verification e-mails in an hour, whatever is posted, and refuses nothing', async () => {
      const email = 'overspoeld@example.nl';
      const started = t.clock.now().getTime();
      // Every type, then every type again each five minutes for an hour: 91 posts.
      const all = [...TYPES, 'objection', 'rectification'] as const;
      const body = (type: string) => ({
        type,
        email,
        ...(type === 'objection' ? OBJECTION : {}),
        ...(type === 'rectification' ? { corrections: { phone: '0612345678' } } : {}),
      });
      for (let minute = 0; minute <= 60; minute += 5) {
        for (const type of all) assert.equal((await submit(body(type))).statusCode, 202);
        const { sent } = await verifyMails(email);
        const inFirstHour = sent.filter((m) => new Date(m.sentAt!).getTime() < started + 60 * MINUTE);
        assert.ok(inFirstHour.length <= VERIFICATION_MAILS_PER_HOUR, `${inFirstHour.length} e-mails in the first hour`);
        t.clock.advance(5 * MINUTE);
      }
      assert.equal((await requestsFor(email)).length, all.length, 'one request per type');
      const { sent } = await verifyMails(email);
      const types = new Set(sent.map((m) => m.requestId));
      assert.equal(types.size, all.length, 'every request got its link within the hour after');
      const times = sent.map((m) => new Date(m.sentAt!).getTime()).sort((a, b) => a - b);
      for (let i = VERIFICATION_MAILS_PER_HOUR; i < times.length; i++) {
        assert.ok(times[i]! - times[i - VERIFICATION_MAILS_PER_HOUR]! >= 60 * MINUTE, 'at most 5 in any hour');
      }
    });

    it('answers every post the same, and never with the id or status of a request that exists', async () => {
      const fresh = await submit({ type: 'portability', email: 'nieuw@example.nl' });
      const known = await submit({ type: 'portability', email: SANNE.email });
      // An open, unconfirmed request of someone else's, and one already being handled.
      const openId = fresh.json().id as string;
      const joined = await submit({ type: 'portability', email: ' Nieuw@Example.NL ' });
      const handled = await submit({ type: 'restriction', email: 'bezig@example.nl' });
      await t.services.requests.db
        .updateTable('requests')
        .set({ status: 'in_progress' })
        .where('id', '=', handled.json().id)
        .execute();
      const joinedHandled = await submit({ type: 'restriction', email: 'bezig@example.nl' });
      const answers = [fresh, known, joined, handled, joinedHandled];
      for (const res of answers) {
        assert.equal(res.statusCode, 202);
        assert.deepEqual(Object.keys(res.json()).sort(), ['id', 'status']);
        assert.equal(res.json().status, fresh.json().status);
        assert.equal(res.headers['content-type'], fresh.headers['content-type']);
        assert.match(res.json().id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      assert.notEqual(joined.json().id, openId);
      assert.notEqual(joinedHandled.json().id, handled.json().id);
      for (const res of [joined, joinedHandled]) {
        assert.equal(await t.services.requests.get(res.json().id), undefined, 'no handle on an existing request');
      }
      // The receipt is on the joined request's timeline, for the officer.
      const events = await t.services.requests.events(openId);
      assert.ok(events.some((e) => e.event === 'joined' && JSON.parse(e.detail!).receipt === joined.json().id));
    });

    it('shows the same page after the form for every address, however much was posted for it', async () => {
      const crowded = 'druk@example.nl';
      for (const type of TYPES) await submit({ type, email: crowded });
      const answers = [
        await form({ type: 'access', email: 'leeg@example.nl' }),
        await form({ type: 'access', email: SANNE.email }),
        await form({ type: 'access', email: crowded }),
        await form({ type: 'objection', email: crowded, message: 'nieuwsbrief', purposes: 'website' }),
      ];
      const pages = [];
      for (const res of answers) {
        assert.equal(res.statusCode, 303, res.body);
        pages.push(await t.app.inject({ url: res.headers.location! }));
      }
      assert.equal(answers[0]!.headers.location, answers[1]!.headers.location);
      assert.equal(answers[1]!.headers.location, answers[2]!.headers.location);
      assert.equal(pages[0]!.body, pages[2]!.body);
      assert.match(pages[0]!.body, /<h1>Controleer uw e-mail<\/h1>/);
      assert.equal((await requestsFor(crowded)).length, TYPES.length + 1, 'the objection was taken');
    });
  });
}
