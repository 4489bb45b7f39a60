import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { SANNE } from '../src/demo/demo-shop.ts';
import { DAY, HOUR } from '../src/lib/clock.ts';
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

/**
 * The rights as issue 13 wants them executed: an access answer in parts (processors reached by hand),
 * an erasure that leaves nothing of the person in the hub's requests and exports, a restriction lifted
 * only after notice (GDPR Art. 18(3)).
 */
for (const dialect of DIALECTS) {
  describe(`rights end to end on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    before(async () => {
      shop = await createTestShop(dialect, 40);
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
        remoteAddress: `10.1.0.${Math.floor(Math.random() * 250)}`,
      });
      assert.equal(res.statusCode, 202, res.body);
      await t.drain();
      const verify = (await mailbox(String(body.email))).find((m) => m.template === 'verify')!;
      await t.app.inject({ method: 'POST', url: path(verify.links[0]!), headers: { accept: 'application/json' } });
      await t.drain();
      // A new request's receipt is its id (a joined one gets a receipt of its own, which no request has).
      return (await t.services.requests.get(res.json().id))!;
    };

    it('gives an access answer in parts: the package now, each processor reached by hand when the officer has it', async () => {
      const request = await confirmed({ type: 'access', email: SANNE.email });
      assert.equal(request.status, 'waiting_on_tasks');
      const ready = (await mailbox(SANNE.email)).find((m) => m.template === 'access-ready')!;
      // Nobody has asked them yet: the e-mail says what will happen, never "we asked".
      assert.doesNotMatch(ready.text, /hebben .* gevraagd|we have asked/i);
      const tasks = await t.services.requests.tasks({ requestId: request.id, open: true });
      const access = tasks.filter((x) => x.action === 'access');
      assert.ok(access.length >= 2, 'an access task per processor reached by hand');
      await assert.rejects(() => t.services.handling.completeTask(access[0]!.id), /what the processor gave/);

      await t.services.handling.completeTask(access[0]!.id, 'per mail ontvangen', {
        kind: 'text',
        text: 'Betaling 12-03-2025, EUR 1.299,00, iDEAL',
      });
      await t.drain();
      const part = (await mailbox(SANNE.email)).find((m) => m.template === 'access-part-ready')!;
      assert.ok(part.links.length > 0);
      const link = path(part.links.find((l) => l.includes('/requests/download/'))!);
      assert.equal((await t.app.inject({ url: link })).statusCode, 200, 'the page with one button');
      const zip = await t.app.inject({ method: 'POST', url: link });
      assert.equal(zip.headers['content-type'], 'application/zip');
      assert.match(strFromU8(unzipSync(zip.rawPayload)['antwoord.txt']!), /EUR 1\.299,00/);

      for (const task of access.slice(1))
        await t.services.handling.completeTask(task.id, undefined, { kind: 'nothing-held' });
      for (const task of tasks.filter((x) => x.action !== 'access')) await t.services.handling.completeTask(task.id);
      await t.drain();
      assert.equal((await t.services.requests.get(request.id))?.status, 'completed');
      assert.ok(
        (await mailbox(SANNE.email)).some((m) => m.template === 'access-part-ready' && /geen gegevens/.test(m.subject)),
      );
    });

    it('erases the person from every request and export they had, and their links stop working', async () => {
      const email = 'weg@example.com';
      const access = await confirmed({ type: 'access', email });
      const link = (await mailbox(email)).find((m) => ['access-ready', 'no-data'].includes(m.template))!;
      const erasure = await confirmed({ type: 'erasure', email });
      assert.equal(erasure.status, 'waiting_on_tasks');
      // The e-mail: kinds of data in words, and the processors reached by hand as what will happen.
      const mail = (await mailbox(email)).find((m) => m.template === 'erased')!;
      assert.doesNotMatch(mail.text, /shop\.|_|fiscal:|hebben hen gevraagd/);
      assert.match(mail.subject, /verwerkers volgen nog/);
      assert.match(mail.text, /Wij gaan hen\s+vragen/);
      // The exports go at once, with the erasure; the links with them.
      const parts = await t.services.exports.parts(access.id);
      assert.ok(parts.every((p) => p.ciphertext === null));
      const download = link.links.find((l) => l.includes('/requests/download/'));
      if (download) assert.equal((await t.app.inject({ method: 'POST', url: path(download) })).statusCode, 404);
      for (const task of await t.services.requests.tasks({ requestId: erasure.id, open: true }))
        await t.services.handling.completeTask(task.id);
      for (const id of [access.id, erasure.id]) {
        const r = (await t.services.requests.get(id))!;
        assert.equal(r.email, null, `${r.type}: no address`);
        assert.equal(r.subjectRef, null, `${r.type}: no keyed reference`);
        assert.ok(['completed'].includes(r.status), `${r.type} is ${r.status}`);
      }
      const rows = await t.store.db.selectFrom('requests').selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes('weg@example.com'));
      // The audit trail's entries about the erasure refer to a pseudonym nothing maps back any more.
      const ref = subjectRef(t.services.secret, email);
      assert.deepEqual(await t.services.audit.list({ subjectRef: ref }), []);
      const trail = await t.store.db.selectFrom('audit_log').select('subject_ref').execute();
      assert.ok(
        trail.every((e) => e.subject_ref !== ref),
        'no entry carries the keyed reference',
      );
      assert.ok(
        trail.some((e) => e.subject_ref),
        'entries about people exist',
      );
      assert.equal((await t.store.db.selectFrom('erasure_journal').selectAll().execute()).length, 0);
    });

    it('records nothing when the request moved on while its run was working (another run finished it)', async () => {
      const email = 'tegelijk@example.com';
      const executor = t.services.executor!;
      const find = executor.find.bind(executor);
      let moved = false;
      executor.find = async (subject) => {
        const result = await find(subject);
        const [open] = (await t.services.requests.list({ open: true })).filter((r) => r.email === email);
        if (open && !moved) {
          moved = true;
          await t.services.requests.transition(t.store.db, open.id, ['in_progress'], 'completed', {
            completed_at: t.clock.now().toISOString(),
            outcome: 'closed by erasure',
          });
        }
        return result;
      };
      try {
        const request = await confirmed({ type: 'access', email });
        assert.ok(moved);
        assert.equal((await t.services.requests.get(request.id))?.outcome, 'closed by erasure');
        const mails = (await mailbox(email)).map((m) => m.template);
        assert.ok(!mails.includes('access-ready') && !mails.includes('no-data'), 'no answer after it was closed');
        assert.deepEqual(await t.services.exports.parts(request.id), [], 'no export stored');
      } finally {
        executor.find = find;
      }
    });

    it('refuses to reject a request while a run is carrying it out', async () => {
      const id = (await confirmed({ type: 'restriction', email: 'nog-bezig@example.com' })).id;
      await t.store.db.updateTable('requests').set({ status: 'in_progress' }).where('id', '=', id).execute();
      await assert.rejects(() => t.services.handling.reject(id, 'te laat'), /in_progress/);
    });

    it('keeps a restriction the person asked for when their objection is decided, either way (Art. 18(1))', async () => {
      const restrictedNow = async (email: string) =>
        (await t.services.handling.subjectStatus(subjectRef(t.services.secret, email))).restricted;
      // A: restricted on request, then an objection the officer upholds.
      const a = 'beide-a@example.com';
      await confirmed({ type: 'restriction', email: a });
      const upheld = await confirmed({ type: 'objection', email: a, purposes: ['website'] });
      await t.services.handling.approve(upheld.id);
      await t.drain();
      assert.equal((await t.services.requests.get(upheld.id))?.status, 'completed');
      assert.equal(await restrictedNow(a), true, 'the restriction request still holds');
      // B: an objection pending, then a restriction request; the officer rejects the objection.
      const b = 'beide-b@example.com';
      const pending = await confirmed({ type: 'objection', email: b, purposes: ['website'] });
      await assert.rejects(() => t.services.handling.lift(pending.id), /decision on the objection/);
      await confirmed({ type: 'restriction', email: b });
      await t.services.handling.reject(pending.id, 'Wij hebben dwingende gronden.');
      t.clock.advance(7 * DAY + HOUR);
      await t.services.handling.liftDueRestrictions();
      assert.equal(await restrictedNow(b), true, 'only the objection’s hold ended');
      t.clock.advance(-(7 * DAY + HOUR));
    });

    it('does not lose what a second request asks for by joining it to an open one', async () => {
      const email = 'tweede-bezwaar@example.com';
      const first = await confirmed({ type: 'objection', email, purposes: ['website'] });
      assert.equal(first.status, 'awaiting_decision');
      // An objection to direct marketing while the first waits for the officer: its own request, honoured at once.
      const second = await confirmed({ type: 'objection', email, purposes: ['later-contact'] });
      assert.notEqual(second.id, first.id);
      assert.equal(second.status, 'completed');
      assert.deepEqual((await t.services.handling.subjectStatus(subjectRef(t.services.secret, email))).objections, [
        'later-contact',
      ]);
    });

    it('lets an authenticated entry carry a request that waited for the click: verified, and counted from the earlier day', async () => {
      const email = 'brief-en-web@example.com';
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: { type: 'access', email } });
      assert.equal(res.statusCode, 202);
      const [open] = (await t.services.requests.list({ open: true })).filter((r) => r.email === email);
      assert.equal(open?.status, 'awaiting_verification');
      const received = new Date(t.clock.now().getTime() - 10 * DAY).toISOString().slice(0, 10);
      const entered = await t.services.officerIntake.enter(
        { type: 'access', email, received, identityChecked: true, channel: 'post' },
        'cli',
      );
      assert.equal(entered.joined, true);
      assert.equal(entered.id, open!.id);
      assert.equal(entered.status, 'verified', 'the officer’s identity check counts');
      assert.ok(entered.receivedAt < open!.receivedAt, 'the deadlines count from the letter’s day');
      // A platform that authenticated the person (Shopify's customers/redact) does the same for an erasure.
      const wait = 'platform-wacht@example.com';
      await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: { type: 'erasure', email: wait } });
      const fromShop = await t.services.intake.requestFromPlatform('erasure', wait, {
        channel: 'shopify',
        event: 'customers/redact',
      });
      assert.equal(fromShop.joined, true);
      assert.equal(fromShop.status, 'verified');
    });

    it('lifts a restriction only after telling the person, after the policy’s notice (Art. 18(3))', async () => {
      const email = 'beperking-op@example.com';
      const request = await confirmed({ type: 'restriction', email });
      const { key } = await t.services.apiKeys.create('shop');
      const restricted = async () =>
        (
          await t.app.inject({
            url: `/api/v1/subjects/status?email=${email}`,
            headers: { authorization: `Bearer ${key}` },
          })
        ).json().restricted as boolean;
      assert.equal(await restricted(), true);
      const liftsAt = await t.services.handling.lift(request.id);
      assert.equal(new Date(liftsAt).getTime() - t.clock.now().getTime(), 7 * DAY);
      await t.drain();
      const notice = (await mailbox(email)).find((m) => m.template === 'restriction-lifted')!;
      assert.match(notice.text, /geldt nog tot/);
      assert.equal(await restricted(), true, 'still restricted while the notice runs');
      await assert.rejects(() => t.services.handling.lift(request.id), /announced already/);
      t.clock.advance(7 * DAY + HOUR);
      await t.services.handling.liftDueRestrictions();
      assert.equal(await restricted(), false);
      assert.ok((await t.services.requests.events(request.id)).some((e) => e.event === 'restriction_lifted'));
      t.clock.advance(-(7 * DAY + HOUR));
    });
  });
}
