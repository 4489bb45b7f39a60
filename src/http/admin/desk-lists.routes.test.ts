import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from '../../../test/helpers/admin.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../../test/helpers/demo-shop.ts';
import { insertRequest } from '../../../test/helpers/requests.ts';
import { SANNE } from '../../demo/demo-shop.ts';
import { DAY } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;

for (const dialect of DIALECTS) {
  describe(`the desk's lists, lookup and actions on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    let officer: Login;
    let staff: Login;
    before(async () => {
      shop = await createTestShop(dialect, 20);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
      officer = await adminLogin(t, 'officer');
      staff = await adminLogin(t, 'staff');
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    const get = (url: string, who: Login) =>
      t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });
    const post = (url: string, who: Login, form: Record<string, string> = {}) =>
      postForm(t, url, { _csrf: who.csrf, ...form }, who.cookie);
    const rowsOf = (html: string) => [...html.matchAll(/data-request="([^"]+)"/g)].map((m) => m[1]!);

    it('pages the register by 50, and filters it by overdue, right and channel', async () => {
      const many: string[] = [];
      for (let i = 0; i < 52; i++) many.push(await insertRequest(t.services, { type: 'access', dueInDays: 10 + i }));
      const late = await insertRequest(t.services, { type: 'erasure', dueInDays: -3 });
      const first = await get('/admin/requests', officer);
      assert.equal(rowsOf(first.body).length, 50);
      assert.match(first.body, /Pagina 1 van 2 \(53 in totaal\)/);
      assert.match(first.body, /href="\/admin\/requests\?status=open&amp;page=2" rel="next">Volgende/);
      const second = await get('/admin/requests?status=open&page=2', officer);
      assert.equal(rowsOf(second.body).length, 3);
      assert.deepEqual(
        new Set([...rowsOf(first.body), ...rowsOf(second.body)]),
        new Set([...many, late]),
        'every open request once',
      );
      assert.deepEqual(rowsOf((await get('/admin/requests?status=overdue', officer)).body), [late]);
      assert.deepEqual(rowsOf((await get('/admin/requests?status=all&type=erasure', officer)).body), [late]);
      const byPost = await t.services.officerIntake.enter(
        { type: 'access', email: 'brief@example.com', channel: 'post' },
        'cli',
      );
      assert.deepEqual(rowsOf((await get('/admin/requests?status=all&channel=post', staff)).body), [byPost.id]);
      // Nonsense in the query is ignored rather than refused: the list falls back to its defaults.
      assert.equal((await get('/admin/requests?status=x&type=y&channel=z&page=-4', officer)).statusCode, 200);
    });

    it('lists processor tasks, open or done, by processor, and closes one from the list with a confirmation', async () => {
      const id = await insertRequest(t.services, { type: 'erasure', status: 'waiting_on_tasks' });
      const task = (processor: string, status: 'open' | 'done') => ({
        id: newId(),
        request_id: id,
        system: processor,
        processor,
        action: 'erase',
        contact: `${processor}@example.com`,
        instructions: JSON.stringify({ nl: 'Vraag om verwijdering.', en: 'Ask for erasure.' }),
        due_at: new Date(t.clock.now().getTime() + 5 * DAY).toISOString(),
        status,
        created_at: t.clock.now().toISOString(),
        done_at: status === 'done' ? t.clock.now().toISOString() : null,
        note: null,
      });
      const open = task('mollie', 'open');
      const done = task('webwinkelkeur', 'done');
      await t.store.db.insertInto('tasks').values([open, done]).execute();
      const list = await get('/admin/tasks', officer);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, new RegExp(`data-task="${open.id}"`));
      assert.doesNotMatch(list.body, new RegExp(`data-task="${done.id}"`));
      assert.match(list.body, /<strong>Mollie<\/strong>: verwijderen/);
      assert.match(list.body, /<option value="mollie"[^>]*>Mollie<\/option>/, 'processors by their names');
      const finished = await get('/admin/tasks?status=done&processor=webwinkelkeur', officer);
      assert.match(finished.body, new RegExp(`data-task="${done.id}"`));
      assert.doesNotMatch(finished.body, new RegExp(`data-task="${open.id}"`));
      assert.equal((await get('/admin/tasks', staff)).statusCode, 403);
      const res = await post(`/admin/tasks/${open.id}/done`, officer, { note: 'gedaan', back: 'tasks' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin/tasks?done=task', 'back to the list it was closed on');
      assert.match((await get('/admin/tasks?done=task', officer)).body, /role="status">De taak is afgerond/);
      assert.equal((await t.services.requests.task(open.id))?.status, 'done');
    });

    it('finds a customer by part of the address or by name, and audits the search without the words typed', async () => {
      const byName = await post('/admin/customers', staff, { email: 'Sanne de Boer' });
      assert.equal(byName.statusCode, 200);
      assert.match(byName.body, /1 persoon gevonden/);
      assert.match(byName.body, new RegExp(`<input type="hidden" name="email" value="${SANNE.email}"/>`));
      assert.match(byName.body, /Klantaccounts in Webwinkel \(MyOnlineStore\)/);
      const byPart = await post('/admin/customers', staff, { email: 'deboer@' });
      assert.match(byPart.body, new RegExp(SANNE.email.replace('.', '\\.')));
      const many = await post('/admin/customers', staff, { email: 'example' });
      assert.match(many.body, /Meer dan 20 personen gevonden; maak de zoekterm preciezer/);
      const nobody = await post('/admin/customers', staff, { email: 'qqqzzz' });
      assert.match(nobody.body, /Niemand gevonden/);
      const searches = await t.services.audit.list({ action: 'customer.search' });
      assert.equal(searches.length, 4);
      assert.deepEqual(searches.at(-1)?.details, { role: 'staff', matches: 1 });
      assert.doesNotMatch(JSON.stringify(searches), /sanne|boer|deboer|qqqzzz/i, 'no search words in the trail');
      assert.doesNotMatch(t.logs(), /Sanne de Boer|deboer@/);
    });

    it('lets the officer start an access request for the person found, records that they did, and tells staff nothing of it', async () => {
      const lookup = await post('/admin/customers', officer, { email: SANNE.email });
      assert.match(lookup.body, /action="\/admin\/customers\/request"/);
      assert.doesNotMatch(
        (await post('/admin/customers', staff, { email: SANNE.email })).body,
        /action="\/admin\/customers\/request"/,
      );
      const unchecked = await post('/admin/customers/request', officer, {
        email: SANNE.email,
        type: 'access',
        channel: 'phone',
      });
      assert.equal(unchecked.statusCode, 400);
      assert.match(unchecked.body, /Niet gestart: vink aan dat u de identiteit hebt gecontroleerd/);
      assert.equal((await post('/admin/customers/request', staff, { email: SANNE.email })).statusCode, 403);

      const res = await post('/admin/customers/request', officer, {
        email: SANNE.email,
        type: 'access',
        channel: 'phone',
        language: 'nl',
        identityChecked: 'on',
      });
      assert.equal(res.statusCode, 303);
      const id = /requests\/([0-9a-f-]{36})\?done=started$/.exec(String(res.headers.location))?.[1];
      assert.ok(id, String(res.headers.location));
      const request = (await t.services.requests.get(id))!;
      assert.equal(request.status, 'verified', 'the officer checked who it is: handling starts at once');
      assert.equal(request.channel, 'phone');
      const [received] = await t.services.requests.events(id);
      assert.equal(JSON.parse(received!.detail!).startedFrom, 'customer-lookup');
      const entry = (await t.services.audit.list({ action: 'request.create' })).find(
        (e) => e.target === `request:${id}`,
      );
      assert.equal(entry?.actor, `user:${officer.user.id}`);
      assert.equal(entry?.details?.startedFrom, 'customer-lookup');
      assert.equal(entry?.details?.identityChecked, true);
      const page = await get(`/admin/requests/${id}?done=started`, officer);
      assert.match(page.body, /role="status">Het verzoek is namens de persoon gestart/);
      assert.match(page.body, /namens de persoon gestart door de functionaris/);
    });

    it('shows the audit trail in words and Dutch time, filtered by who, what and day, and exports it as CSV', async () => {
      await t.services.audit.record({ actor: 'system', action: 'retention.run', details: { erased: 3 } });
      const page = await get('/admin/audit', officer);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Keten intact/);
      assert.match(
        page.body,
        new RegExp(`${staff.user.email.replace('.', '\\.')}</td><td data-label="Wat">zocht klanten`),
      );
      assert.match(
        page.body,
        /Het systeem<\/td><td data-label="Wat">voerde de bewaartermijnen uit \(3 personen gewist\)/,
      );
      assert.match(page.body, /1 november 2026 om 1[01]:\d\d/, 'Dutch time');
      assert.doesNotMatch(page.body.replace(/<[^>]+>/g, ' '), /T\d\d:\d\d:\d\d/, 'no UTC timestamps in the text');

      const mine = await get(`/admin/audit?who=user:${staff.user.id}`, officer);
      assert.doesNotMatch(mine.body, /Het systeem<\/td>/);
      const retention = await get('/admin/audit?what=retention', officer);
      assert.match(retention.body, /voerde de bewaartermijnen uit/);
      assert.doesNotMatch(retention.body, /zocht klanten/);
      assert.match(
        (await get('/admin/audit?from=2026-11-01&to=2026-11-01', officer)).body,
        /voerde de bewaartermijnen/,
      );
      assert.match((await get('/admin/audit?to=2026-10-31', officer)).body, /Geen regels die aan deze keuze voldoen/);

      const csv = await get('/admin/audit?what=retention&format=csv', officer);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /attachment; filename="auditlog.csv"/);
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.match(lines[0]!, /^Nr,Wanneer,Wie,Wat,Waarover,actor,action/);
      assert.ok(
        lines.slice(1).every((l) => l.includes('retention.')),
        'only the filtered entries',
      );
      assert.match(lines[1]!, /Het systeem,voerde de bewaartermijnen uit \(3 personen gewist\)/);
      assert.equal((await get('/admin/audit', staff)).statusCode, 403);
    });

    it('confirms a saved register entry on the list it returns to, and filters the lists', async () => {
      const saved = await post('/admin/registers/disclosures', officer, {
        disclosedOn: '2026-10-30',
        authority: 'Belastingdienst',
        legalBasis: 'AWR art. 47',
        disclosed: 'facturen 2025',
        about: 'een klant',
        outcome: 'verstrekt',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/admin/registers/disclosures?done=created');
      const list = await get('/admin/registers/disclosures?done=created', officer);
      assert.match(list.body, /role="status">Opgeslagen: de nieuwe regel staat in het register/);
      assert.match(list.body, /30 oktober 2026/);
      assert.match((await get('/admin/registers/disclosures?resisted=yes', officer)).body, /Geen verstrekkingen/);
      assert.match((await get('/admin/registers/disclosures?year=2025', officer)).body, /Geen verstrekkingen/);
      assert.match((await get('/admin/registers/breaches?status=closed', officer)).body, /Geen datalekken/);
    });

    it('shows the TOTP key with a QR code made on the server, next to it', async () => {
      const { setupLink } = await t.services.admin.users.add(`qr-${dialect}@balkonzon.test`, 'officer');
      const page = await t.app.inject({ url: new URL(setupLink).pathname, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /<div class="qr-box"><svg role="img" aria-label="QR-code voor uw authenticator-app" class="qr"/,
      );
      assert.match(page.body, /<path[^>]+d="M/);
      assert.match(page.body, /Sleutel: <code>[A-Z2-7 ]{20,}<\/code>/);
      assert.doesNotMatch(page.body, /<script/);
    });
  });
}
