import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from '../../test/helpers/admin.ts';
import { buildTestApp, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';
import { FakeClock, HOUR, MINUTE } from '../lib/clock.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { breachClock, breachClockText } from './breaches.ts';
import { parseLocalDateTime, toLocalInput } from './register-input.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;

describe('the 72-hour clock of a breach', () => {
  const discoveredAt = '2026-11-02T08:00:00.000Z';
  const open = { discoveredAt, authorityNotifiedAt: null, authorityReason: null };

  it('counts down from discovery and is not overdue exactly at the deadline', () => {
    const clock = new FakeClock(discoveredAt);
    clock.advance(31 * HOUR);
    assert.equal(breachClockText(breachClock(open, clock.now())), 'nog 41 uur');
    clock.set('2026-11-05T08:00:00.000Z');
    const atDeadline = breachClock(open, clock.now());
    assert.equal(atDeadline.deadline.toISOString(), '2026-11-05T08:00:00.000Z');
    assert.equal(atDeadline.remainingMs, 0);
    assert.equal(atDeadline.overdue, false);
    clock.advance(1);
    assert.equal(breachClock(open, clock.now()).overdue, true);
    clock.advance(12 * HOUR + 30 * MINUTE);
    assert.equal(breachClockText(breachClock(open, clock.now())), '12 uur te laat');
    assert.equal(breachClockText(breachClock(open, clock.now()), 'en'), '12 hours late');
  });

  it('stops once the authority is told, and says when that was late', () => {
    const now = new Date('2026-11-10T00:00:00.000Z');
    const inTime = breachClock({ ...open, authorityNotifiedAt: '2026-11-04T08:00:00.000Z' }, now);
    assert.deepEqual([inTime.overdue, inTime.notified, inTime.late], [false, true, false]);
    const late = breachClock({ ...open, authorityNotifiedAt: '2026-11-06T08:00:00.000Z' }, now);
    assert.deepEqual([late.overdue, late.notified, late.late], [false, true, true]);
    const waived = breachClock({ ...open, authorityReason: 'versleutelde laptop, sleutel niet gelekt' }, now);
    assert.deepEqual([waived.overdue, waived.waived], [false, true]);
  });

  it('reads a form time as Dutch local time, in winter and in summer', () => {
    assert.equal(parseLocalDateTime('2026-11-26T14:30')?.toISOString(), '2026-11-26T13:30:00.000Z');
    assert.equal(parseLocalDateTime('2026-07-01T14:30')?.toISOString(), '2026-07-01T12:30:00.000Z');
    assert.equal(toLocalInput('2026-07-01T12:30:00.000Z'), '2026-07-01T14:30');
    assert.equal(parseLocalDateTime('gisteren'), undefined);
  });
});

for (const dialect of DIALECTS) {
  describe(`the registers over HTTP on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let officer: Login;
    let staff: Login;
    before(async () => {
      t = await buildTestApp(dialect);
      officer = await adminLogin(t, 'officer');
      staff = await adminLogin(t, 'staff');
    });
    after(async () => t?.close());

    const get = (url: string, who: Login) =>
      t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie, accept: 'text/html' } });
    const post = (url: string, who: Login, form: Record<string, string>) =>
      postForm(t, url, { _csrf: who.csrf, ...form }, who.cookie);
    /** Moves the clock; sessions expire when it jumps, so the officer logs in again. */
    const at = async (iso: string) => {
      t.clock.set(iso);
      officer = await adminLogin(t, 'officer');
    };
    const breach = {
      discoveredAt: '2026-11-01T09:30',
      summary: 'Laptop met klantexport gestolen',
      description: 'Een laptop met een export van bestellingen is uit een auto gestolen.',
      categories: 'contact',
      peopleCount: '120',
      recordsCount: '340',
      consequences: 'Namen en adressen kunnen in verkeerde handen komen.',
      measures: 'Wachtwoorden gewijzigd, apparaat op afstand gewist.',
    };

    it('refuses staff on every register page and on the policy page (403)', async () => {
      for (const url of [
        '/admin/registers',
        '/admin/registers/processors',
        '/admin/registers/disclosures',
        '/admin/registers/breaches',
        '/admin/registers/breaches/new',
        '/admin/policy',
      ]) {
        assert.equal((await get(url, staff)).statusCode, 403, url);
      }
      const res = await post('/admin/registers/breaches', staff, breach);
      assert.equal(res.statusCode, 403);
      assert.equal((await t.services.registers.breaches.list()).length, 0);
    });

    it('links the index to the three registers and the Art. 30 record', async () => {
      const res = await get('/admin/registers', officer);
      assert.equal(res.statusCode, 200);
      for (const href of [
        '/admin/registers/processors',
        '/admin/registers/disclosures',
        '/admin/registers/breaches',
        '/api/v1/policy/register',
      ])
        assert.ok(res.body.includes(`href="${href}"`), href);
    });

    it("lists the policy's processors and makes a pending agreement stand out", async () => {
      const res = await get('/admin/registers/processors', officer);
      assert.equal(res.statusCode, 200);
      const row = res.body.split('id="processor-jos-heeren-transport"')[1]!.split('</tr>')[0]!;
      assert.match(row, /class="status broken agreement-pending">NOG NIET GETEKEND/);
      assert.match(res.body, /Aandacht nodig: Jos Heeren Transport \(verwerkersovereenkomst nog niet getekend\)/);
      const signed = res.body.split('id="processor-mollie"')[1]!.split('</tr>')[0]!;
      assert.doesNotMatch(signed, /agreement-pending/);
    });

    it('records a breach, shows its clock in words, and lists it among the open breaches', async () => {
      await at('2026-11-02T16:30:00.000Z'); // 32 hours after 09:30 Dutch time (08:30 UTC) on 1 November
      const res = await post('/admin/registers/breaches', officer, breach);
      assert.equal(res.statusCode, 303, res.body);
      const open = await t.services.registers.breaches.openBreaches();
      assert.equal(open.length, 1);
      assert.equal(open[0]!.discoveredAt, '2026-11-01T08:30:00.000Z');
      assert.deepEqual(open[0]!.categories, ['contact']);
      assert.equal(open[0]!.peopleCount, 120);
      const list = await get('/admin/registers/breaches', officer);
      assert.match(list.body, /nog 40 uur/);
      await at('2026-11-04T20:30:00.000Z');
      assert.match((await get('/admin/registers/breaches', officer)).body, /12 uur te laat/);
      assert.equal((await t.services.audit.list({ action: 'register.breach.create' })).length, 1);
    });

    it('shows the form again with the field named and saves nothing when input is wrong', async () => {
      const before = (await t.services.registers.breaches.list()).length;
      const missing = await post('/admin/registers/breaches', officer, { ...breach, summary: '' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Niet opgeslagen: Kort: wat is er gebeurd: is verplicht/);
      assert.match(missing.body, /id="f-summary"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-summary"/);
      assert.match(missing.body, /Laptop met klantexport|Een laptop met een export/, 'what was typed stays');
      const unknown = await post('/admin/registers/breaches', officer, { ...breach, categories: 'horoscope' });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Soorten gegevens: is geen soort gegevens uit het privacybeleid/);
      const badTime = await post('/admin/registers/breaches', officer, { ...breach, discoveredAt: 'gisteren' });
      assert.equal(badTime.statusCode, 400);
      assert.match(badTime.body, /Ontdekt op \(Nederlandse tijd\): moet een datum en tijd zijn/);
      assert.equal((await t.services.registers.breaches.list()).length, before);
    });

    it('edits a breach: closing it needs the notifications settled, then it is closed', async () => {
      const [existing] = await t.services.registers.breaches.openBreaches();
      const url = `/admin/registers/breaches/${existing!.id}`;
      const page = await get(url, officer);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /value="2026-11-01T09:30"/);

      const refused = await post(url, officer, { ...breach, closed: 'on' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Niet gemeld, omdat: een gesloten datalek heeft/);
      assert.equal((await t.services.registers.breaches.get(existing!.id))?.status, 'open', 'nothing saved');

      const done = await post(url, officer, {
        ...breach,
        authorityNotifiedAt: '2026-11-02T10:00',
        authorityReference: 'AP-2026-123',
        subjectsReason: 'Geen hoog risico: het apparaat was versleuteld.',
        closed: 'on',
      });
      assert.equal(done.statusCode, 303, done.body);
      const closed = (await t.services.registers.breaches.get(existing!.id))!;
      assert.equal(closed.status, 'closed');
      assert.equal(closed.authorityNotifiedAt, '2026-11-02T09:00:00.000Z');
      assert.ok(closed.closedAt);
      assert.deepEqual(await t.services.registers.breaches.openBreaches(), []);
      assert.equal((await t.services.audit.list({ action: 'register.breach.update' })).length, 1);
    });

    it('records a disclosure, keeping the person only as a keyed reference, and edits it', async () => {
      await at('2026-11-20T10:00:00.000Z');
      const email = 'Sanne.deBoer@example.nl';
      const form = {
        disclosedOn: '2026-11-19',
        authority: 'Belastingdienst',
        legalBasis: 'art. 53 AWR (informatieplicht derden)',
        disclosed: 'Facturen van 2025 van één klant',
        about: 'Klant uit Groningen, zaak 2026/17',
        subjectEmail: email,
        resisted: 'on',
        resistance: 'Gevraagd de vordering te beperken tot 2025; toegewezen.',
        outcome: 'Alleen de facturen van 2025 verstrekt.',
      };
      const res = await post('/admin/registers/disclosures', officer, form);
      assert.equal(res.statusCode, 303, res.body);
      const row = await t.store.db.selectFrom('disclosures').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.subject_ref, subjectRef(t.services.secret, email));
      assert.doesNotMatch(JSON.stringify(row).toLowerCase(), /sanne\.deboer/, 'no address in clear');
      const list = await get('/admin/registers/disclosures', officer);
      assert.match(list.body, /Belastingdienst/);
      assert.doesNotMatch(list.body.toLowerCase(), /sanne\.deboer/);

      // An address typed into the free text is refused, naming the field.
      const leaky = await post('/admin/registers/disclosures', officer, { ...form, about: `klant ${email}` });
      assert.equal(leaky.statusCode, 400);
      assert.match(leaky.body, /Over wie \(in woorden\): hier geen e-mailadres/);
      const notResisted = await post('/admin/registers/disclosures', officer, { ...form, resistance: '' });
      assert.equal(notResisted.statusCode, 400);
      assert.match(notResisted.body, /Hoe: zeg hoe het verzoek is aangevochten/);

      const edit = await post(`/admin/registers/disclosures/${row.id}`, officer, {
        ...form,
        subjectEmail: '',
        outcome: 'Facturen van 2025 verstrekt; de rest geweigerd.',
      });
      assert.equal(edit.statusCode, 303, edit.body);
      const updated = (await t.services.registers.disclosures.get(row.id))!;
      assert.equal(updated.outcome, 'Facturen van 2025 verstrekt; de rest geweigerd.');
      assert.equal(updated.subjectRef, row.subject_ref, 'an empty address keeps the reference');
      assert.equal((await t.services.registers.disclosures.list()).length, 1);
      assert.equal((await t.services.audit.list({ action: 'register.disclosure.create' })).length, 1);
    });

    it('answers an unknown register entry with a 404 page', async () => {
      const res = await get('/admin/registers/breaches/00000000-0000-4000-8000-000000000000', officer);
      assert.equal(res.statusCode, 404);
      assert.equal((await get('/admin/registers/disclosures/not-an-id', officer)).statusCode, 404);
    });
  });
}
