import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../test/helpers/demo-shop.ts';
import { insertRequest } from '../../test/helpers/requests.ts';
import { SANNE } from '../demo/demo-shop.ts';
import { DAY } from '../lib/clock.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { buildDesk } from './desk.build.ts';
import type { Desk } from './desk.ts';
import { urgencyOf } from './desk.ts';

describe('urgency of a deadline', () => {
  const now = new Date('2026-11-10T12:00:00Z');
  it('is overdue one minute after the due moment, and counts the days late', () => {
    assert.deepEqual(urgencyOf('2026-11-10T11:59:00Z', now), { urgency: 'overdue', days: -1 });
    assert.deepEqual(urgencyOf('2026-11-07T12:00:00Z', now), { urgency: 'overdue', days: -3 });
  });
  it('stands out when due within seven days, and not when due in eight', () => {
    assert.equal(urgencyOf('2026-11-10T12:01:00Z', now).urgency, 'soon');
    assert.equal(urgencyOf('2026-11-17T12:00:00Z', now).urgency, 'soon');
    assert.equal(urgencyOf('2026-11-18T12:00:00Z', now).urgency, 'ok');
  });
});

for (const dialect of DIALECTS) {
  describe(`the officer's desk read side on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let desk: Desk;
    before(async () => {
      t = await buildTestApp(dialect);
      desk = buildDesk(t.services).desk;
    });
    after(() => t?.close());
    beforeEach(async () => {
      await t.store.db.deleteFrom('request_events').execute();
      await t.store.db.deleteFrom('requests').execute();
    });

    it('lists open requests with the one due first on top, marking overdue and due within seven days', async () => {
      const later = await insertRequest(t.services, { dueInDays: 20 });
      const overdue = await insertRequest(t.services, { dueInDays: -2, status: 'awaiting_decision' });
      const soon = await insertRequest(t.services, { dueInDays: 3, status: 'waiting_on_tasks' });
      await insertRequest(t.services, { dueInDays: -40, status: 'completed' });
      const { requests } = await desk.dashboard();
      assert.deepEqual(
        requests.map((r) => [r.id, r.urgency]),
        [
          [overdue, 'overdue'],
          [soon, 'soon'],
          [later, 'ok'],
        ],
      );
      assert.equal(requests[0]!.daysLeft, -2);
    });

    it('counts requests per month over the last twelve months, without retention sweep entries', async () => {
      const now = t.clock.now(); // 2026-11-01
      await insertRequest(t.services, { receivedAt: '2026-11-01T08:00:00.000Z' });
      await insertRequest(t.services, { receivedAt: '2026-10-15T08:00:00.000Z' });
      await insertRequest(t.services, { receivedAt: '2026-10-31T23:59:59.000Z' });
      await insertRequest(t.services, { receivedAt: '2025-12-01T00:00:00.000Z' });
      await insertRequest(t.services, { receivedAt: '2025-11-30T23:00:00.000Z' });
      await insertRequest(t.services, {
        receivedAt: '2026-10-20T00:00:00.000Z',
        status: 'completed',
        outcome: 'retention',
        email: null,
      });
      const months = await desk.perMonth(now);
      assert.equal(months.length, 12);
      assert.equal(months[0]!.month, '2025-12');
      assert.equal(months[11]!.month, '2026-11');
      assert.deepEqual(
        months.filter((m) => m.count > 0),
        [
          { month: '2025-12', count: 1 },
          { month: '2026-10', count: 2 },
          { month: '2026-11', count: 1 },
        ],
      );
    });

    it('offers only the decisions the status allows, extension once, and lifting while restricted', async () => {
      const deciding = await insertRequest(t.services, { type: 'objection', status: 'awaiting_decision' });
      assert.deepEqual((await desk.request(deciding)).decisions, ['approve', 'reject', 'extend']);
      const extended = await insertRequest(t.services, {
        status: 'waiting_on_tasks',
        extendedAt: t.clock.now().toISOString(),
      });
      assert.deepEqual((await desk.request(extended)).decisions, []);
      const identity = await insertRequest(t.services, { status: 'awaiting_identity' });
      assert.deepEqual((await desk.request(identity)).decisions, ['reject', 'extend', 'verify-identity']);
      const email = 'beperkt@example.com';
      const restricted = await insertRequest(t.services, { type: 'restriction', status: 'completed', email });
      await t.services.requests.saveFlags(t.store.db, subjectRef(t.services.secret, email), {
        holds: [{ request: restricted, ground: 'restriction' }],
        objected: [],
        stopped: [],
        requestId: restricted,
      });
      const view = await desk.request(restricted);
      assert.deepEqual(view.decisions, ['lift']);
      assert.equal(view.restricted, true);
    });

    it('says when the daily retention run comes next, and shows a plan waiting for approval', async () => {
      const retention = await desk.retention(t.clock.now());
      // Without a data map there is no sweep to show.
      assert.equal(retention.available, false);
      const withMode = buildDeskWithMode(t);
      await t.store.db.deleteFrom('retention_runs').execute();
      await t.store.db
        .insertInto('retention_runs')
        .values({
          id: 'plan-1',
          kind: 'plan',
          status: 'waiting',
          at: t.clock.now().toISOString(),
          summary: JSON.stringify({ people: { toErase: 12 } }),
          created_at: t.clock.now().toISOString(),
        })
        .execute();
      const view = await withMode.retention(t.clock.now());
      assert.equal(view.mode, 'approve');
      assert.equal(view.waiting?.id, 'plan-1');
      assert.equal(view.waiting?.approved, false);
      assert.equal(view.nextRunAt, new Date(Math.floor(t.clock.now().getTime() / DAY + 1) * DAY).toISOString());
    });
  });
}

/** A desk that believes the retention sweep exists in approve mode, without a data map. */
function buildDeskWithMode(t: TestApp): Desk {
  const fake = { profileRule: () => ({ mode: 'approve' as const }) } as never;
  return buildDesk({ ...t.services, retention: fake }).desk;
}

for (const dialect of DIALECTS) {
  describe(`a customer lookup through the engine on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    let desk: Desk;
    before(async () => {
      shop = await createTestShop(dialect, 20);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
      desk = buildDesk(t.services).desk;
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    it('shows what is held where with the processors that receive it; staff see no sealed count', async () => {
      const staff = await desk.lookup(SANNE.email, 'staff');
      assert.equal(staff.engine, true);
      const orders = staff.collections.find((c) => c.collection === 'orders');
      assert.ok(orders && orders.count >= 3, 'her orders, the guest order included');
      assert.ok(staff.processors.length > 0);
      assert.equal(staff.sealed, undefined);
      assert.deepEqual(staff.flags, { restricted: false, objection: false });
      assert.equal((await desk.lookup(SANNE.email, 'officer')).sealed, 0);
    });

    it('shows an erased person as holding nothing, and the officer only a count of sealed records', async () => {
      await t.services.executor!.erase({ email: SANNE.email });
      const staff = await desk.lookup(SANNE.email, 'staff');
      assert.deepEqual(staff.collections, []);
      assert.equal(staff.sealed, undefined);
      const officer = await desk.lookup(SANNE.email, 'officer');
      assert.ok(officer.sealed! >= 2, 'her two invoices and their payments are sealed');
      const opened = await desk.openArchive(SANNE.email);
      assert.equal(opened.length, officer.sealed);
      assert.ok(opened.some((r) => r.collection === 'invoices'));
    });
  });
}
