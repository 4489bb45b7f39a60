import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from '../../../test/helpers/admin.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../../test/helpers/db.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;

for (const dialect of DIALECTS) {
  describe(`the back office's form for a request by e-mail or post, on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let officer: Login;
    let staff: Login;
    before(async () => {
      t = await buildTestApp(dialect);
      t.clock.set('2026-11-01T09:00:00.000Z');
      officer = await adminLogin(t, 'officer');
      staff = await adminLogin(t, 'staff');
    });
    after(async () => {
      await t?.close();
    });

    const get = (url: string, who: Login) =>
      t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });
    const post = (form: Record<string, string>, who: Login = officer) =>
      postForm(t, '/admin/requests', { _csrf: who.csrf, ...form }, who.cookie);
    const registerSize = async () => (await t.services.requests.list()).length;

    it('offers the officer the form from the register, with today in Amsterdam as the latest day', async () => {
      const list = await get('/admin/requests', officer);
      assert.match(list.body, /href="\/admin\/requests\/new"/);
      const page = await get('/admin/requests/new', officer);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /name="_csrf"/);
      assert.match(page.body, /<input type="date" name="received" max="2026-11-01" value="2026-11-01"/);
      assert.match(page.body, /<option value="post">per post<\/option>/);
    });

    it('enters a letter that arrived on 30 October: deadlines from that day, shown as Dutch dates', async () => {
      const res = await post({ type: 'access', email: 'brief@example.com', received: '2026-10-30', channel: 'post' });
      assert.equal(res.statusCode, 303, res.body);
      const id = /\/admin\/requests\/([0-9a-f-]{36})\?done=entered$/.exec(String(res.headers.location))?.[1];
      assert.ok(id, String(res.headers.location));
      const r = (await t.services.requests.get(id))!;
      assert.equal(r.status, 'awaiting_verification');
      assert.equal(r.channel, 'post');
      assert.equal(r.receivedAt, '2026-10-29T23:00:00.000Z');
      assert.equal(r.legalDueAt, '2026-11-30T22:59:59.999Z'); // one month: 30 November
      assert.equal(r.dueAt, '2026-11-29T22:59:59.999Z'); // 30 days: 29 November, earlier
      const [entry] = (await t.services.audit.list({ action: 'request.create' })).filter(
        (e) => e.target === `request:${id}`,
      );
      assert.equal(entry?.actor, `user:${officer.user.id}`);
      const page = await get(String(res.headers.location), officer);
      assert.match(page.body, /de persoon krijgt een bevestigingslink per e-mail/);
      assert.match(page.body, /30 oktober 2026, per post/);
      assert.match(page.body, /29 november 2026/);
      assert.match(page.body, /30 november 2026/);
    });

    it('starts handling at once when the officer ticks that the identity was checked', async () => {
      const res = await post({
        type: 'rectification',
        email: 'balie@example.com',
        channel: 'in-person',
        corrections: 'last_name=Jansen\r\ncity=Gorredijk',
        identityChecked: 'on',
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.match(String(res.headers.location), /\?done=entered-checked$/);
      const id = /requests\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
      const r = (await t.services.requests.get(id))!;
      assert.equal(r.status, 'verified');
      assert.deepEqual(r.details.corrections, { last_name: 'Jansen', city: 'Gorredijk' });
      const [entry] = (await t.services.audit.list({ action: 'request.create' })).filter(
        (e) => e.target === `request:${id}`,
      );
      assert.equal(entry?.details?.identityChecked, true);
    });

    for (const [form, field, label, text] of [
      [{ received: '2026-11-02' }, 'received', 'Ontvangen op', /ligt in de toekomst/],
      [{ received: '2026-02-30' }, 'received', 'Ontvangen op', /moet een datum zijn/],
      [{ email: 'geen adres' }, 'email', 'E-mailadres', /moet een e-mailadres zijn/],
      [{ type: 'rectification', corrections: 'Jansen' }, 'corrections', 'Correcties', /veld=nieuwe waarde/],
      [{ type: 'objection' }, 'purposes', 'Bezwaar tegen', /is verplicht bij bezwaar/],
      [{ type: 'objection', purposes: 'service' }, 'purposes', 'Bezwaar tegen', /geen bezwaar mogelijk/],
    ] as const) {
      it(`comes back with 400 naming ${field} in Dutch and saves nothing: ${JSON.stringify(form)}`, async () => {
        const before = await registerSize();
        const res = await post({ type: 'access', email: 'fout@example.com', channel: 'email', ...form });
        assert.equal(res.statusCode, 400);
        assert.match(res.body, new RegExp(`role="alert"[^>]*>Niet opgeslagen: ${label}: `));
        assert.match(res.body, text);
        assert.equal(await registerSize(), before);
      });
    }

    it('takes a correction from the field of its own, by the field’s name in words', async () => {
      const res = await post({
        type: 'rectification',
        email: 'veld@example.com',
        correction_last_name: 'Jansen',
        identityChecked: 'on',
      });
      assert.equal(res.statusCode, 303, res.body);
      const id = /requests\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
      assert.deepEqual((await t.services.requests.get(id))!.details.corrections, { last_name: 'Jansen' });
      assert.match((await get(`/admin/requests/${id}`, officer)).body, /Achternaam: Jansen/);
    });

    it('refuses to extend a request whose month has ended, with the reason on the page (409)', async () => {
      const res = await post({
        type: 'access',
        email: 'laat@example.com',
        received: '2026-09-30',
        identityChecked: 'on',
      });
      const id = /requests\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
      await t.services.requests.db
        .updateTable('requests')
        .set({ status: 'in_progress' })
        .where('id', '=', id)
        .execute();
      const refused = await postForm(
        t,
        `/admin/requests/${id}/extend`,
        { _csrf: officer.csrf, reason: 'Veel verzoeken.' },
        officer.cookie,
      );
      assert.equal(refused.statusCode, 409);
      // 30 September + 1 month is Friday 30 October 2026; it is 1 November now.
      assert.match(refused.body, /Termijn verlengen kan niet: de wettelijke termijn van 30 oktober 2026 is voorbij/);
      assert.equal((await t.services.requests.get(id))?.extendedAt, null);
    });

    it('refuses staff, and a post without the session’s form token, and saves nothing', async () => {
      const before = await registerSize();
      assert.equal((await get('/admin/requests/new', staff)).statusCode, 403);
      assert.equal((await post({ type: 'access', email: 'x@example.com' }, staff)).statusCode, 403);
      const forged = await postForm(
        t,
        '/admin/requests',
        { _csrf: 'x'.repeat(43), type: 'access', email: 'x@example.com' },
        officer.cookie,
      );
      assert.equal(forged.statusCode, 403);
      assert.equal(await registerSize(), before);
    });
  });
}
