import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from '../../../test/helpers/admin.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../../test/helpers/demo-shop.ts';
import { insertRequest } from '../../../test/helpers/requests.ts';
import { SANNE } from '../../demo/demo-shop.ts';
import { DAY } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { subjectRef } from '../../requests/intake.service.ts';
import { buildApp } from '../app.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;

for (const dialect of DIALECTS) {
  describe(`the officer's desk over HTTP on ${dialect}`, { skip: skipFor(dialect) }, () => {
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
    const audited = (action: string) => t.services.audit.list({ action });

    it('puts the overdue request first and the one due within seven days next, each said in words', async () => {
      const later = await insertRequest(t.services, { dueInDays: 25 });
      const overdue = await insertRequest(t.services, {
        dueInDays: -2,
        status: 'awaiting_decision',
        type: 'objection',
      });
      const soon = await insertRequest(t.services, { dueInDays: 3, status: 'waiting_on_tasks', type: 'erasure' });
      const page = await get('/admin', officer);
      assert.equal(page.statusCode, 200);
      const order = [...page.body.matchAll(/data-request="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(
        order.indexOf(overdue) < order.indexOf(soon) && order.indexOf(soon) < order.indexOf(later),
        'by due date',
      );
      assert.match(page.body, new RegExp(`<tr class="overdue" data-request="${overdue}"`));
      assert.match(page.body, new RegExp(`<tr class="soon" data-request="${soon}"`));
      assert.match(page.body, /te laat: 2 dagen/);
      assert.match(page.body, /binnen 3 dagen/);
      assert.match(page.body, /<svg[^>]+role="img"/);
      assert.match(page.body, /<title id="chart-title">Verzoeken per maand<\/title>/);
      assert.match(page.body, /Bewaartermijnen/);
    });

    it('shows staff a reduced dashboard: no retention controls, no breaches, no links into requests', async () => {
      const page = await get('/admin', staff);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Openstaande verzoeken/);
      assert.doesNotMatch(page.body, /Bewaartermijnen|Datalekken|retention\/approve/);
      assert.doesNotMatch(page.body, /href="\/admin\/requests\/[0-9a-f-]{36}"/);
    });

    it('refuses staff the request page, its decisions, its export and the sealed archive with 403', async () => {
      const id = await insertRequest(t.services, { status: 'awaiting_decision', type: 'rectification' });
      assert.equal((await get(`/admin/requests/${id}`, staff)).statusCode, 403);
      assert.equal((await post(`/admin/requests/${id}/export`, staff)).statusCode, 403);
      assert.equal((await post(`/admin/requests/${id}/approve`, staff)).statusCode, 403);
      const archive = await post('/admin/customers/archive', staff, {
        email: SANNE.email,
        reason: 'belastingcontrole',
        reference: 'aanslag 2027',
      });
      assert.equal(archive.statusCode, 403);
      assert.doesNotMatch(archive.body, /Kerkstraat|verzegeld/i);
      assert.equal((await t.services.requests.get(id))?.status, 'awaiting_decision');
      assert.equal((await get('/admin/requests', staff)).statusCode, 200);
    });

    it('lists the register filtered by right, with links into requests for the officer only', async () => {
      const erasure = await insertRequest(t.services, { type: 'erasure', status: 'completed' });
      const access = await insertRequest(t.services, { type: 'access', status: 'completed' });
      const officerList = await get('/admin/requests?status=all&type=erasure', officer);
      assert.equal(officerList.statusCode, 200);
      assert.match(officerList.body, new RegExp(`href="/admin/requests/${erasure}"`));
      assert.doesNotMatch(officerList.body, new RegExp(access));
      const staffList = await get('/admin/requests?status=all&type=erasure', staff);
      assert.match(staffList.body, new RegExp(`data-request="${erasure}"`));
      assert.doesNotMatch(staffList.body, /href="\/admin\/requests\/[0-9a-f-]{36}"/);
    });

    it('answers an unknown request with a 404 page inside the back office', async () => {
      const page = await get(`/admin/requests/${newId()}`, officer);
      assert.equal(page.statusCode, 404);
      assert.match(page.body, /Er is geen verzoek/);
      assert.match(page.body, /Hoofdmenu/);
    });

    it('audits a lookup by the person’s reference, and the address appears in neither the trail nor the log', async () => {
      const before = (await audited('customer.lookup')).length;
      const page = await post('/admin/customers', staff, { email: SANNE.email });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Bestellingen in Webwinkel \(MyOnlineStore\)/, 'kinds of data by name, not tables');
      assert.doesNotMatch(page.body, />orders<|shop\.customers/);
      assert.doesNotMatch(page.body, /Verzegeld archief/, 'staff are not told about the archive');
      const entries = await audited('customer.lookup');
      assert.equal(entries.length, before + 1);
      // Stored as her audit pseudonym, found through her reference while she is not erased.
      const hers = await t.services.audit.list({ subjectRef: subjectRef(t.services.secret, SANNE.email) });
      assert.ok(hers.some((e) => e.seq === entries[0]!.seq));
      assert.notEqual(entries[0]!.subjectRef, subjectRef(t.services.secret, SANNE.email));
      assert.equal(entries[0]!.actor, `user:${staff.user.id}`);
      assert.doesNotMatch(JSON.stringify(entries[0]), /@/);
      assert.doesNotMatch(t.logs(), /sanne\.deboer/i);
    });

    it('answers a lookup of less than two characters with 400, naming the field in Dutch', async () => {
      const page = await post('/admin/customers', staff, { email: 'x' });
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /id="lookup-error"[^>]*>E-mailadres: moet minstens 2 tekens lang zijn/);
    });

    it('opens the sealed archive only with a reason and a case reference, and audits the opening with those two', async () => {
      await t.services.executor!.erase({ email: SANNE.email });
      const lookup = await post('/admin/customers', officer, { email: SANNE.email });
      assert.match(lookup.body, /Geen gegevens gevonden/);
      assert.match(lookup.body, /<strong>\d+<\/strong> verzegelde gegevens/);
      assert.match(lookup.body, /<select id="archive-reason" name="reason"/);
      assert.match(lookup.body, /Geen namen of adressen/);
      const staffLookup = await post('/admin/customers', staff, { email: SANNE.email });
      assert.doesNotMatch(staffLookup.body, /verzegeld/i);

      const missing = await post('/admin/customers/archive', officer, {
        email: SANNE.email,
        reason: '',
        reference: '',
      });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Reden: kies waarom het archief wordt geopend/);
      assert.equal((await audited('archive.open')).length, 0);

      const opened = await post('/admin/customers/archive', officer, {
        email: SANNE.email,
        reason: 'belastingcontrole',
        reference: 'aanslag 2027/Q1',
      });
      assert.equal(opened.statusCode, 200);
      assert.match(opened.body, /Facturen in Webwinkel/);
      assert.match(opened.body, /de Boer/);
      const [entry] = await audited('archive.open');
      assert.equal(entry?.details?.reason, 'belastingcontrole');
      assert.equal(entry?.details?.reference, 'aanslag 2027/Q1');
      const hers = await t.services.audit.list({ subjectRef: subjectRef(t.services.secret, SANNE.email) });
      assert.ok(
        hers.some((e) => e.seq === entry?.seq),
        'the opening is in her part of the trail',
      );
      assert.equal(entry?.actor, `user:${officer.user.id}`);
    });

    it('refuses a free-text reason or a reference with a name, address, phone or account number, and keeps the audit trail clean', async () => {
      const before = (await audited('archive.open')).length;
      const refused: Array<[Record<string, string>, RegExp]> = [
        [
          { reason: 'Sanne de Boer, Kerkstraat 1 Utrecht, belastingcontrole', reference: 'dossier 1' },
          /Reden: kies waarom/,
        ],
        [
          { reason: 'belastingcontrole', reference: 'Sanne de Boer, Kerkstraat 1 Utrecht' },
          /Kenmerk: alleen letters, cijfers/,
        ],
        [{ reason: 'anders', reference: 'mail sanne.deboer@example.nl' }, /Kenmerk: alleen letters, cijfers/],
        [{ reason: 'rechtsvordering', reference: 'tel 06-12345678' }, /niet meer dan 8 cijfers achter elkaar/],
        [{ reason: 'autoriteit', reference: 'NL91 ABNA 0417 1643 00' }, /niet meer dan 8 cijfers achter elkaar/],
        [{ reason: 'anders', reference: 'x'.repeat(61) }, /ten hoogste 60 tekens/],
        [{ reason: 'anders', reference: '  ' }, /Kenmerk: is verplicht/],
      ];
      for (const [form, message] of refused) {
        const page = await post('/admin/customers/archive', officer, { email: SANNE.email, ...form });
        assert.equal(page.statusCode, 400, JSON.stringify(form));
        assert.match(page.body, message);
        assert.doesNotMatch(page.body, /invoices|Kerkstraat 1<\/dd>/);
        // Without an audited opening the page does not even say how much is sealed.
        assert.doesNotMatch(page.body, /<strong>\d+<\/strong> verzegelde gegevens/);
        assert.match(page.body, /action="\/admin\/customers\/archive"/, 'the form is shown again');
      }
      assert.equal((await audited('archive.open')).length, before);
      // A date in a reference is fine: eight digits.
      const ok = await post('/admin/customers/archive', officer, {
        email: SANNE.email,
        reason: 'autoriteit',
        reference: 'brief 2027-03-14 kenmerk AB/123',
      });
      assert.equal(ok.statusCode, 200);
      const [entry] = await audited('archive.open');
      assert.deepEqual(
        { reason: entry?.details?.reason, reference: entry?.details?.reference },
        { reason: 'autoriteit', reference: 'brief 2027-03-14 kenmerk AB/123' },
      );
    });

    it('approves an objection from its page: the request moves on, and the decision is audited', async () => {
      const id = await insertRequest(t.services, {
        type: 'objection',
        status: 'awaiting_decision',
        details: { purposes: ['website'] },
      });
      const page = await get(`/admin/requests/${id}`, officer);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`action="/admin/requests/${id}/approve"`));
      assert.match(page.body, /name="_csrf"/);
      const res = await post(`/admin/requests/${id}/approve`, officer);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/admin/requests/${id}?done=approve`);
      await t.drain();
      // Upheld: processing for the purpose stops; the data kept only for it is erased.
      assert.equal((await t.services.requests.get(id))?.status, 'completed');
      assert.ok((await t.services.requests.events(id)).some((e) => e.event === 'approved'));
      const entry = (await audited('request.approve')).find((e) => e.target === `request:${id}`);
      assert.equal(entry?.details?.from, 'awaiting_decision');
      assert.ok((await audited('request.view')).some((e) => e.target === `request:${id}`));
    });

    it('refuses a request page opened from another site with 403 and writes no audit entry, but opens it from the desk', async () => {
      const id = await insertRequest(t.services, { type: 'access', status: 'awaiting_identity' });
      const views = async () => (await audited('request.view')).filter((e) => e.target === `request:${id}`).length;
      const open = (site?: string) =>
        t.app.inject({
          method: 'GET',
          url: `/admin/requests/${id}`,
          headers: { cookie: officer.cookie, accept: 'text/html', ...(site ? { 'sec-fetch-site': site } : {}) },
        });
      const crossSite = await open('cross-site');
      assert.equal(crossSite.statusCode, 403);
      assert.match(crossSite.body, /andere site/);
      assert.match(
        crossSite.body,
        new RegExp(`<a href="/admin/requests/${id}">Open de pagina`),
        'one click opens it from here',
      );
      assert.doesNotMatch(crossSite.body, new RegExp(`<dd>${id}</dd>`));
      assert.equal(await views(), 0);
      for (const site of ['same-origin', 'same-site', 'none', undefined]) {
        assert.equal((await open(site)).statusCode, 200, `Sec-Fetch-Site: ${site}`);
      }
      assert.equal(await views(), 4);
    });

    it('rejects only with a reason (400 naming the field), then rejects and audits without the reason text', async () => {
      const id = await insertRequest(t.services, { type: 'rectification', status: 'awaiting_decision' });
      const missing = await post(`/admin/requests/${id}/reject`, officer, { reason: '' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /role="alert">Afwijzen: vul een reden in \(is verplicht\)/);
      assert.equal((await t.services.requests.get(id))?.status, 'awaiting_decision');
      const res = await post(`/admin/requests/${id}/reject`, officer, { reason: 'Uw gegevens kloppen al.' });
      assert.equal(res.statusCode, 303);
      assert.equal((await t.services.requests.get(id))?.status, 'rejected');
      const entry = (await audited('request.reject')).find((e) => e.target === `request:${id}`);
      assert.deepEqual(entry?.details, { type: 'rectification', from: 'awaiting_decision', reasonGiven: true });
    });

    it('extends once; a second extension shows a clear 409 page and changes nothing', async () => {
      const id = await insertRequest(t.services, { type: 'access', status: 'awaiting_identity' });
      const first = await post(`/admin/requests/${id}/extend`, officer, { reason: 'Veel systemen.' });
      assert.equal(first.statusCode, 303);
      const extended = await t.services.requests.get(id);
      assert.ok(extended?.extendedAt);
      const second = await post(`/admin/requests/${id}/extend`, officer, { reason: 'Nog eens.' });
      assert.equal(second.statusCode, 409);
      assert.match(
        second.body,
        /role="alert"[^>]*>Termijn verlengen kan niet: de termijn is al verlengd; de wet staat één verlenging/,
      );
      assert.equal((await t.services.requests.get(id))?.dueAt, extended?.dueAt);
      assert.equal((await audited('request.extend')).filter((e) => e.target === `request:${id}`).length, 1);
    });

    it('refuses a decision posted without the session’s form token, and changes nothing', async () => {
      const id = await insertRequest(t.services, {
        type: 'objection',
        status: 'awaiting_decision',
        details: { purposes: ['website'] },
      });
      const res = await postForm(t, `/admin/requests/${id}/approve`, {}, officer.cookie);
      assert.equal(res.statusCode, 403);
      const forged = await postForm(t, `/admin/requests/${id}/approve`, { _csrf: 'x'.repeat(43) }, officer.cookie);
      assert.equal(forged.statusCode, 403);
      assert.equal((await t.services.requests.get(id))?.status, 'awaiting_decision');
    });

    it('completes a request when its last task is marked done, with the note kept and the step audited', async () => {
      const id = await insertRequest(t.services, { type: 'erasure', status: 'waiting_on_tasks' });
      const taskId = newId();
      await t.store.db
        .insertInto('tasks')
        .values({
          id: taskId,
          request_id: id,
          system: 'webwinkelkeur',
          processor: 'webwinkelkeur',
          action: 'erase',
          contact: 'support@webwinkelkeur.nl',
          instructions: JSON.stringify({ nl: 'Vraag om verwijdering van de review.', en: 'Ask.' }),
          due_at: new Date(t.clock.now().getTime() + 5 * DAY).toISOString(),
          status: 'open',
          created_at: t.clock.now().toISOString(),
          done_at: null,
          note: null,
        })
        .execute();
      const dashboard = await get('/admin', officer);
      assert.match(dashboard.body, /WebwinkelKeur<\/strong>: verwijderen/, 'the processor by its name in the policy');
      const res = await post(`/admin/tasks/${taskId}/done`, officer, { note: 'Bevestigd per mail' });
      assert.equal(res.statusCode, 303);
      assert.equal((await t.services.requests.get(id))?.status, 'completed');
      const [task] = await t.services.requests.tasks({ requestId: id });
      assert.equal(task?.note, 'Bevestigd per mail');
      const entry = (await audited('task.done')).find((e) => e.target === `task:${taskId}`);
      assert.equal(entry?.details?.requestStatus, 'completed');
    });

    it('lets the officer download the export package with a form that carries the session’s token, and audits the download', async () => {
      const id = await insertRequest(t.services, { type: 'access', status: 'completed' });
      await t.services.exports.store(t.store.db, {
        requestId: id,
        fileName: 'export-2026-11-01.zip',
        zip: Buffer.from('PK-zip'),
      });
      const downloads = async () =>
        (await audited('export.download')).filter((e) => e.target === `request:${id}`).length;
      const page = await get(`/admin/requests/${id}`, officer);
      assert.match(page.body, new RegExp(`<form method="post" action="/admin/requests/${id}/export"`));
      // A GET (a link or redirect another site could start) no longer downloads, nor does a POST without the token.
      assert.equal((await get(`/admin/requests/${id}/export`, officer)).statusCode, 404);
      assert.equal((await postForm(t, `/admin/requests/${id}/export`, {}, officer.cookie)).statusCode, 403);
      assert.equal(await downloads(), 0);
      const file = await post(`/admin/requests/${id}/export`, officer);
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['content-type'], 'application/zip');
      assert.match(String(file.headers['content-disposition']), /attachment; filename="export-2026-11-01.zip"/);
      assert.equal(file.body, 'PK-zip');
      assert.equal(await downloads(), 1);
      const entry = (await audited('export.download')).find((e) => e.target === `request:${id}`);
      assert.equal(entry?.actor, `user:${officer.user.id}`);
      const row = await t.store.db
        .selectFrom('request_exports')
        .select('downloads')
        .where('request_id', '=', id)
        .executeTakeFirst();
      assert.equal(row?.downloads, 0, "the officer's download does not use up the person's");
    });

    it('shows the officer an open breach with its 72-hour clock run out, and staff nothing of it', async () => {
      const discovered = new Date(t.clock.now().getTime() - 96 * 3_600_000).toISOString();
      await t.services.registers.breaches.create(
        {
          discoveredAt: discovered,
          summary: 'Laptop met klantexport verloren',
          description: 'Een laptop met een export van bestellingen is in de trein blijven liggen.',
          categories: ['contact', 'order'],
          consequences: 'Mogelijk misbruik van adressen.',
          measures: 'Schijf op afstand gewist.',
          closed: '',
        },
        'system',
      );
      const page = await get('/admin', officer);
      assert.match(page.body, /<li class="overdue"><strong>Laptop met klantexport verloren<\/strong>/);
      assert.match(page.body, /24 uur te laat/);
      assert.doesNotMatch((await get('/admin', staff)).body, /Laptop met klantexport/);
    });

    const reviewedOn = (page: string) => /name="reviewed" value="([0-9a-f]{64})"/.exec(page)?.[1] ?? '';
    const flag = (email: string, restricted: number) =>
      t.store.db
        .insertInto('subject_flags')
        .values({
          subject_ref: subjectRef(TEST_SECRET, email),
          restricted,
          objection: 0,
          request_id: null,
          updated_at: new Date().toISOString(),
          objected: null,
          stopped: null,
        } as never)
        .onConflict((oc) => oc.column('subject_ref').doUpdateSet({ restricted }))
        .execute();

    it('refuses an approval when other people would go than the page showed, even as many', async () => {
      await t.services.retention!.daily();
      const plan = await t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('status', '=', 'waiting')
        .executeTakeFirstOrThrow();
      const before = await t.services.retention!.plan();
      assert.ok(before.emails.length >= 2, 'people past the term');
      const [kept, added] = [before.emails[0]!, before.emails[1]!];
      // B is restricted while the officer looks: not on the page.
      await flag(added, 1);
      const review = await get('/admin/retention', officer);
      const reviewed = reviewedOn(review.body);
      assert.ok(reviewed, 'the page carries the digest of whom it shows');
      assert.ok(!review.body.includes(added) && review.body.includes(kept));
      // Before the click A is restricted and B's restriction lifted: as many people, not the same.
      await flag(kept, 1);
      await flag(added, 0);
      const now = await t.services.retention!.plan();
      assert.equal(now.people.toErase, before.people.toErase - 1, 'one fewer than before either flag');
      const refused = await post('/admin/retention/approve', officer, {
        planId: plan.id,
        confirm: String(now.people.toErase),
        reviewed,
      });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /de lijst is veranderd sinds u hem bekeek/);
      assert.ok(refused.body.includes(added), 'the page shows the list as it is now');
      const withoutDigest = await post('/admin/retention/approve', officer, {
        planId: plan.id,
        confirm: String(now.people.toErase),
      });
      assert.equal(withoutDigest.statusCode, 409, 'a form without the page’s digest approves no one');
      assert.equal((await audited('retention.approve')).length, 0, 'nothing approved');
      assert.equal(
        (await t.store.db.selectFrom('jobs').selectAll().where('name', '=', 'retention.approved').execute()).length,
        0,
      );
      await flag(kept, 0);
    });

    it('approves a waiting retention plan only after the review, with the number of people typed, and once', async () => {
      await t.services.retention!.daily();
      // The daily job ran the rules in auto mode (the fiscal hold, the hub's terms) and left the sweep's plan.
      const runsBefore = (await t.store.db.selectFrom('retention_runs').selectAll().where('kind', '=', 'run').execute())
        .length;
      const plan = await t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      assert.ok(plan, 'approve mode: the daily job leaves a plan waiting');
      const planned = await t.services.retention!.plan();
      const dashboard = await get('/admin', officer);
      assert.doesNotMatch(dashboard.body, /action="\/admin\/retention\/approve"/, 'no one-click approval');
      assert.match(dashboard.body, /href="\/admin\/retention"/);
      const review = await get('/admin/retention', officer);
      assert.equal(review.statusCode, 200);
      for (const email of planned.emails.slice(0, 5)) assert.ok(review.body.includes(email), 'the people are listed');
      assert.match(review.body, /Bestellingen in Webwinkel/, 'what goes, per kind of data');
      assert.equal((await get('/admin/retention', staff)).statusCode, 403);
      assert.ok((await audited('retention.review')).length >= 1, 'looking at the list is audited');

      const wrong = await post('/admin/retention/approve', officer, {
        planId: plan.id,
        confirm: String(planned.people.toErase + 1),
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /het getal klopt niet/);
      const none = await post('/admin/retention/approve', officer, { planId: plan.id });
      assert.equal(none.statusCode, 400);
      assert.equal((await audited('retention.approve')).length, 0);

      const res = await post('/admin/retention/approve', officer, {
        planId: plan.id,
        confirm: String(planned.people.toErase),
        reviewed: reviewedOn(review.body),
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/admin?done=approved#retention');
      assert.match((await get('/admin?done=approved', officer)).body, /role="status">De run is goedgekeurd/);
      const again = await post('/admin/retention/approve', officer, {
        planId: plan.id,
        confirm: String(planned.people.toErase),
      });
      assert.equal(again.statusCode, 409);
      assert.equal((await audited('retention.approve')).length, 1);
      assert.equal((await audited('retention.approve'))[0]?.details?.confirmed, planned.people.toErase);
      await t.drain();
      const runs = await t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('kind', '=', 'run')
        .orderBy('created_at')
        .execute();
      assert.equal(runs.length, runsBefore + 1, 'the approval ran once');
      assert.equal(runs.at(-1)?.status, 'done');
      assert.equal(JSON.parse(runs.at(-1)!.summary).erased, planned.people.toErase);
      assert.match((await get('/admin', officer)).body, /Laatste run/);
    });
  });
}

describe('the client address behind a reverse proxy', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp('sqlite');
  });
  after(async () => {
    await t?.close();
  });

  it('takes the address the proxy added, not one the client wrote to the left of it', async () => {
    // As `inzage serve` builds it with INZAGE_TRUST_PROXY=true.
    const app = await buildApp({ ...t.deps, trustProxy: true });
    app.get('/test/client-ip', async (request) => ({ ip: request.ip }));
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/test/client-ip',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
      });
      assert.deepEqual(res.json(), { ip: '203.0.113.9' });
    } finally {
      await app.close();
    }
  });
});
