import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiSystem } from '../src/datamap/datamap.schema.ts';
import { PROCESS_JOB, subjectRef } from '../src/requests/intake.service.ts';
import { type GoogleAnalyticsFake, startGoogleAnalyticsFake } from './fakes/google-analytics.fake.ts';
import { adminLogin } from './helpers/admin.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';
import { insertRequest } from './helpers/requests.ts';

const SANNE = 'sanne.deboer@example.nl';
const SANNE_CLIENT = '1234567890.1712345678';
const OTHER_CLIENT = '2222222222.1700000000';
const CLOSER_USER = 'klant-7001';

for (const dialect of DIALECTS) {
  describe(`Google Analytics ids from the shop to an erasure on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let ga: GoogleAnalyticsFake;
    let shop: TestShop;
    let t: TestApp;
    let key: string;

    before(async () => {
      ga = await startGoogleAnalyticsFake();
      shop = await createTestShop(dialect, 60);
      (shop.dataMap.systems['google-analytics'] as ApiSystem).url = ga.url;
      t = await buildTestApp(dialect, {
        dataMap: shop.dataMap,
        executor: { env: ga.env, apis: { sleep: async () => {}, http: { maxRetries: 2 } } },
      });
      key = (await t.services.apiKeys.create('shop')).key;
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
      await ga?.close();
    });

    const send = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/events', payload, headers: { authorization: `Bearer ${key}` } });
    const stored = (email: string) =>
      t.store.db
        .selectFrom('analytics_ids')
        .selectAll()
        .where('subject_ref', '=', subjectRef(TEST_SECRET, email))
        .execute();
    const noticesOf = async (id: string) =>
      (await t.services.notices.forRequest(id)).map((n) => `${n.action} ${n.system} ${n.status}`);

    it('stores a client id sent with an event encrypted, and the same id sent twice once', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await send({ email: SANNE, type: 'login', analytics: { clientId: SANNE_CLIENT } });
        assert.equal(res.statusCode, 202);
      }
      const rows = await stored(SANNE);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.kind, 'clientId');
      assert.ok(!JSON.stringify(rows).includes(SANNE_CLIENT), 'the raw id is not in the table');
      assert.deepEqual(await t.services.analyticsIds.idsFor(subjectRef(TEST_SECRET, ` ${SANNE.toUpperCase()}`)), {
        clientIds: [SANNE_CLIENT],
        userIds: [],
      });
    });

    it('refuses ids that are not Analytics ids, naming the field, and stores nothing', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ clientId: 'GA1.1.1234567890.1712345678' }, 'analytics.clientId'],
        [{ clientId: 'abc.def' }, 'analytics.clientId'],
        [{ clientId: 1234567890.5 }, 'analytics.clientId'],
        [{ userId: 'x'.repeat(257) }, 'analytics.userId'],
        [{ userId: 'klant\n1001' }, 'analytics.userId'],
        [{ userId: '   ' }, 'analytics.userId'],
        [{ clientIds: ['1.2'] }, 'analytics'],
      ];
      for (const [analytics, field] of cases) {
        const res = await send({ email: 'fout@example.nl', type: 'login', analytics });
        assert.equal(res.statusCode, 400, JSON.stringify(analytics));
        assert.equal(res.json().error.code, 'VALIDATION_FAILED');
        assert.equal(res.json().error.field, field, JSON.stringify(analytics));
      }
      assert.equal(
        (await send({ email: 'goed@example.nl', type: 'login', analytics: { userId: 'x'.repeat(256) } })).statusCode,
        202,
      );
      assert.equal((await stored('fout@example.nl')).length, 0);
    });

    it('asks Google Analytics to delete exactly the client id the shop reported, then forgets it', async () => {
      await send({ email: 'iemand-anders@example.nl', type: 'login', analytics: { clientId: OTHER_CLIENT } });
      const before = ga.deletions.length;
      const id = await insertRequest(t.services, { type: 'erasure', email: SANNE });
      await t.services.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` });
      await t.drain();
      assert.deepEqual(
        ga.deletions.slice(before).map((d) => [d.kind, d.value]),
        [['clientId', SANNE_CLIENT]],
      );
      assert.ok((await noticesOf(id)).includes('erase google-analytics done'));
      const ga19 = (await t.services.notices.forRequest(id)).find((n) => n.system === 'google-analytics')!;
      assert.match(ga19.answer, /^deletion submitted for 1 client id/);
      assert.ok(['waiting_on_tasks', 'completed'].includes((await t.services.requests.get(id))!.status));
      assert.equal((await stored(SANNE)).length, 0, 'the hub forgets the id with the person');
      assert.equal((await stored('iemand-anders@example.nl')).length, 1, "someone else's id stays");
    });

    it('passes the ids sent with account.closed on to the erasure it starts', async () => {
      const before = ga.deletions.length;
      const res = await send({
        email: 'sluit-af@example.nl',
        type: 'account.closed',
        analytics: { userId: CLOSER_USER },
      });
      assert.equal(res.statusCode, 202);
      await t.drain();
      assert.deepEqual(
        ga.deletions.slice(before).map((d) => [d.kind, d.value]),
        [['userId', CLOSER_USER]],
      );
      assert.equal((await stored('sluit-af@example.nl')).length, 0);
    });

    it('forgets the ids of the people a retention run erases', async () => {
      const { emails } = await t.services.retention!.plan();
      assert.ok(emails.length > 0, 'someone in the demo shop is past the term');
      const stale = emails[0]!;
      await t.services.analyticsIds.remember(t.store.db, subjectRef(TEST_SECRET, stale), { clientId: '3333.4444' });
      const summary = await t.services.retention!.run();
      assert.equal(summary.erased, emails.length);
      assert.equal((await stored(stale)).length, 0);
      assert.equal((await stored('iemand-anders@example.nl')).length, 1, 'an active person keeps theirs');
    });

    it('writes no Analytics id and no e-mail address to the log', () => {
      const log = t.logs();
      assert.ok(log.includes('/api/v1/events'), 'requests were logged');
      for (const secret of [SANNE_CLIENT, OTHER_CLIENT, CLOSER_USER, '3333.4444', 'sanne.deboer', 'sluit-af', 'fout@'])
        assert.ok(!log.includes(secret), secret);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`Google Analytics ids while the officer erases by hand on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let ga: GoogleAnalyticsFake;
    let shop: TestShop;
    let t: TestApp;
    let key: string;

    before(async () => {
      // A Viewer key: Analytics refuses the deletion, so the officer has to do it by hand.
      ga = await startGoogleAnalyticsFake({ canEdit: false });
      shop = await createTestShop(dialect, 20);
      (shop.dataMap.systems['google-analytics'] as ApiSystem).url = ga.url;
      t = await buildTestApp(dialect, {
        dataMap: shop.dataMap,
        executor: { env: ga.env, apis: { sleep: async () => {}, http: { maxRetries: 2 } } },
      });
      key = (await t.services.apiKeys.create('shop')).key;
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
      await ga?.close();
    });

    const stored = (email: string) =>
      t.store.db
        .selectFrom('analytics_ids')
        .selectAll()
        .where('subject_ref', '=', subjectRef(TEST_SECRET, email))
        .execute();

    it("keeps the ids for the officer's Analytics task and forgets them when that task is done", async () => {
      const email = 'met-de-hand@example.nl';
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: { email, type: 'login', analytics: { clientId: SANNE_CLIENT } },
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(res.statusCode, 202);
      const id = await insertRequest(t.services, { type: 'erasure', email });
      await t.services.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` });
      await t.drain();
      assert.equal((await t.services.requests.get(id))?.status, 'waiting_on_tasks');
      const tasks = await t.services.requests.tasks({ requestId: id });
      const gaTask = tasks.find((x) => x.system === 'google-analytics');
      assert.equal(gaTask?.action, 'erase');
      assert.equal((await stored(email)).length, 1, 'kept while the Analytics task is open');
      assert.deepEqual(await t.services.handling.analyticsIdsForTask(gaTask!.id), {
        clientIds: [SANNE_CLIENT],
        userIds: [],
      });
      // The officer sees the reported id beside the task, on the request's page.
      const officer = await adminLogin(t, 'officer');
      const page = await t.app.inject({
        method: 'GET',
        url: `/admin/requests/${id}`,
        headers: { cookie: officer.cookie },
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`bezoekers-id ${SANNE_CLIENT.replace('.', '\\.')}`));
      const others = tasks.filter((x) => x.id !== gaTask!.id);
      assert.ok(others.length > 0);
      assert.equal(await t.services.handling.analyticsIdsForTask(others[0]!.id), undefined, 'only for Analytics');
      await t.services.handling.completeTask(others[0]!.id);
      assert.equal((await stored(email)).length, 1, 'another task done changes nothing');
      await t.services.handling.completeTask(gaTask!.id);
      assert.equal((await stored(email)).length, 0, 'forgotten with the Analytics task');
      assert.equal(await t.services.handling.analyticsIdsForTask(gaTask!.id), undefined);
      for (const rest of others.slice(1)) await t.services.handling.completeTask(rest.id);
      assert.equal((await t.services.requests.get(id))?.status, 'completed');
    });
  });
}
