import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor, withPgClient } from '../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../test/helpers/demo-shop.ts';
import { CookieConsentRepository } from '../consent/cookie-consent.repository.ts';
import { newOrderedId } from '../lib/ids.ts';
import { lintPolicy } from '../policy/lint.ts';
import { SealedArchive } from './sealed-archive.ts';

const NOW = '2026-11-01T12:00:00.000Z';
const DAY = 24 * 3600 * 1000;
/** `n` calendar years (and `days` days) before NOW. */
const yearsAgo = (n: number, days = 0) => {
  const d = new Date(NOW);
  d.setUTCFullYear(d.getUTCFullYear() - n);
  return new Date(d.getTime() - days * DAY).toISOString();
};
const monthsAgo = (n: number, ms = 0) => {
  const d = new Date(NOW);
  d.setUTCMonth(d.getUTCMonth() - n);
  return new Date(d.getTime() - ms).toISOString();
};

/** Runs SQL on the test shop, SQLite or PostgreSQL, with `?` placeholders. */
async function shopSql(shop: TestShop, text: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  if (!shop.schema) {
    const db = new SqliteDatabase(shop.url);
    try {
      const statement = db.prepare(text);
      if (statement.reader) return statement.all(...params) as Array<Record<string, unknown>>;
      statement.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  let i = 0;
  return withPgClient(async (c) => {
    await c.query(`set search_path = ${shop.schema}`);
    return (
      await c.query(
        text.replace(/\?/g, () => `$${++i}`),
        params,
      )
    ).rows;
  }, shop.url);
}

let nextId = 900_000;

for (const dialect of DIALECTS) {
  describe(`every retention rule enforced, on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let shop: TestShop;
    let t: TestApp;
    before(async () => {
      shop = await createTestShop(dialect, 30);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
      t.clock.set(NOW);
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    const order = async (email: string, at: string, ip: string | null) => {
      const id = nextId++;
      await shopSql(
        shop,
        `insert into orders (id, number, email, billing_name, status, total_cents, ip_address, created_at) values (?, ?, ?, 'Test Persoon', 'delivered', 1234, ?, ?)`,
        [id, `IP-${id}`, email, ip, at],
      );
      return id;
    };

    it('clears the IP address of an order three months after it was placed, and keeps the order', async () => {
      const old = await order('ip-oud@example.com', monthsAgo(3, 1000), '203.0.113.7');
      const fresh = await order('ip-nieuw@example.com', monthsAgo(3), '203.0.113.8');
      const plan = await t.services.retention!.plan();
      const technical = plan.rules.find((r) => r.rule === 'technical-logs')!;
      assert.ok(
        technical.executors.some((e) => e.executor === 'collected-fields' && e.what === 'shop.orders: ip_address'),
      );
      await t.services.retention!.run();
      const rows = await shopSql(
        shop,
        'select id, ip_address, total_cents from orders where id in (?, ?) order by id',
        [old, fresh],
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.id), r.ip_address, Number(r.total_cents)]),
        [
          [old, null, 1234],
          [fresh, '203.0.113.8', 1234],
        ],
        'collected three months and a second ago: cleared; exactly three months ago: kept',
      );
    });

    it('deletes a request from the register five years after it was completed, with its timeline', async () => {
      const db = t.store.db;
      const request = (completedAt: string) => ({
        id: newOrderedId(),
        type: 'access',
        status: 'completed',
        language: 'nl',
        email: null,
        subject_ref: null,
        name: null,
        message: null,
        details: null,
        received_at: completedAt,
        verified_at: completedAt,
        due_at: completedAt,
        legal_due_at: completedAt,
        extended_at: null,
        completed_at: completedAt,
        outcome: 'answered',
        result: null,
        updated_at: completedAt,
      });
      const gone = request(yearsAgo(5, 1));
      const kept = request(yearsAgo(5, -1));
      await db.insertInto('requests').values([gone, kept]).execute();
      await db
        .insertInto('request_events')
        .values(
          [gone, kept].map((r) => ({
            id: newOrderedId(),
            request_id: r.id,
            at: r.completed_at!,
            event: 'completed',
            detail: null,
          })),
        )
        .execute();
      await t.services.retention!.run();
      const left = await db.selectFrom('requests').select('id').where('id', 'in', [gone.id, kept.id]).execute();
      assert.deepEqual(
        left.map((r) => r.id),
        [kept.id],
      );
      const events = await db
        .selectFrom('request_events')
        .select('request_id')
        .where('request_id', '=', gone.id)
        .execute();
      assert.deepEqual(events, [], 'its timeline goes with it');
    });

    it('deletes proof of contact consent five years after the withdrawal, and nothing still relied on', async () => {
      const consents = t.services.contactConsents;
      const choose = (email: string, granted: boolean, at: string) =>
        consents.record({
          email,
          purpose: 'later-contact',
          granted,
          text: 'Ja, houd me op de hoogte',
          source: 'checkout',
          at,
        });
      await choose('ingetrokken-lang@example.com', true, yearsAgo(8));
      await choose('ingetrokken-lang@example.com', false, yearsAgo(5, 1));
      await choose('ingetrokken-kort@example.com', true, yearsAgo(8));
      await choose('ingetrokken-kort@example.com', false, yearsAgo(5, -1));
      await choose('nooit-ingetrokken@example.com', true, yearsAgo(9));
      await choose('weer-gegeven@example.com', false, yearsAgo(7));
      await choose('weer-gegeven@example.com', true, yearsAgo(1));
      await t.services.retention!.run();
      const held = async (email: string) => (await consents.history(email)).length;
      assert.equal(await held('ingetrokken-lang@example.com'), 0, 'withdrawn five years and a day ago: gone');
      assert.equal(await held('ingetrokken-kort@example.com'), 2, 'withdrawn a day short of five years: kept');
      assert.equal(await held('nooit-ingetrokken@example.com'), 1, 'a consent in force is proof still needed');
      assert.equal(await held('weer-gegeven@example.com'), 2, 'given again after the withdrawal: kept');
    });

    it("deletes the banner's proof of a cookie choice five years after it lapsed: replaced, or past its own validity", async () => {
      const repo = new CookieConsentRepository(t.store.db);
      const choice = (consentId: string, createdAt: string) =>
        repo.add({
          consentId,
          choices: { necessary: true, analytics: false },
          policyVersion: '2026-11-01',
          bannerVersion: null,
          gpc: false,
          ipTruncated: '203.0.113.0',
          userAgentFamily: 'firefox',
          createdAt,
        });
      // Valid for 12 months: given 6 years and 2 days ago, it lapsed 5 years and 2 days ago.
      await choice('verlopen', yearsAgo(6, 2));
      // Given 5 years and 10 days ago, replaced 5 years and 5 days ago: the first lapsed then; the second lapses later.
      const first = await choice('vervangen', yearsAgo(5, 10));
      await choice('vervangen', yearsAgo(5, 5));
      // Valid until 12 months after: lapsed only 4 years and 360-odd days ago.
      await choice('net-niet', yearsAgo(6, -2));
      await t.services.retention!.run();
      const left = async (id: string) => (await repo.forVisitor(id)).map((r) => r.id);
      assert.deepEqual(await left('verlopen'), []);
      const replaced = await left('vervangen');
      assert.equal(replaced.length, 1);
      assert.ok(!replaced.includes(first), 'the replaced choice went; the one that replaced it is kept');
      assert.equal((await left('net-niet')).length, 1);
    });

    it('forgets a Google Analytics id the shop has not reported for fourteen months', async () => {
      const row = (ref: string, lastSeen: string) => ({
        subject_ref: ref,
        id_hash: newOrderedId(),
        kind: 'clientId' as const,
        ciphertext: 'x',
        first_seen_at: lastSeen,
        last_seen_at: lastSeen,
      });
      await t.store.db
        .insertInto('analytics_ids')
        .values([row('ga-oud', monthsAgo(14, 1000)), row('ga-recent', monthsAgo(14))])
        .execute();
      await t.services.retention!.run();
      const left = await t.store.db
        .selectFrom('analytics_ids')
        .select('subject_ref')
        .where('subject_ref', 'like', 'ga-%')
        .execute();
      assert.deepEqual(
        left.map((r) => r.subject_ref),
        ['ga-recent'],
      );
    });

    it('keeps an invoice sealed to the end of its financial year plus seven years, in Dutch time', async () => {
      const email = 'fiscaal@example.com';
      const id = nextId++;
      await shopSql(
        shop,
        `insert into customers (id, email, first_name, last_name, country, created_at, last_login_at) values (?, ?, 'Test', 'Persoon', 'NL', ?, ?)`,
        [id, email, yearsAgo(3), yearsAgo(3)],
      );
      await shopSql(
        shop,
        `insert into orders (id, number, customer_id, email, billing_name, status, total_cents, created_at) values (?, ?, ?, ?, 'Test Persoon', 'delivered', 1000, ?)`,
        [id, `F-${id}`, id, email, '2019-03-10T10:00:00.000Z'],
      );
      await shopSql(
        shop,
        `insert into invoices (id, order_id, number, issued_at, billing_name, billing_address, total_cents, vat_cents) values (?, ?, ?, ?, 'Test Persoon', 'Straat 1', 1000, 0)`,
        [id, id, `INV-${id}`, '2019-03-10T10:00:00.000Z'],
      );
      await t.services.retention!.run();
      const archive = new SealedArchive(t.store.db, TEST_SECRET, t.clock);
      const ref = archive.subjectRef(email);
      assert.deepEqual(
        (await archive.open(ref)).map((r) => `${r.collection}:${r.holdUntil}`),
        ['invoices:2026-12-31T23:00:00.000Z'],
      );
      t.clock.set('2026-12-31T22:59:59.000Z');
      await t.services.retention!.run();
      assert.equal((await archive.open(ref)).length, 1, 'still held on the last evening of 2026');
      t.clock.set('2026-12-31T23:00:00.000Z');
      const plan = await t.services.retention!.plan();
      assert.ok(plan.sealedToDestroy >= 1, 'at midnight in Amsterdam the plan counts it');
      await t.services.retention!.run();
      assert.equal((await archive.open(ref)).length, 0);
      t.clock.set(NOW);
    });

    it('counts an unpaid payment from its order date: sealed to its year end plus seven, destroyed once that is over', async () => {
      const email = 'onbetaald@example.com';
      const id = nextId++;
      await shopSql(
        shop,
        `insert into customers (id, email, first_name, last_name, country, created_at, last_login_at) values (?, ?, 'Test', 'Persoon', 'NL', ?, ?)`,
        [id, email, yearsAgo(3), yearsAgo(3)],
      );
      const cancelled = async (orderId: number, at: string) => {
        await shopSql(
          shop,
          `insert into orders (id, number, customer_id, email, billing_name, status, total_cents, created_at) values (?, ?, ?, ?, 'Test Persoon', 'cancelled', 1000, ?)`,
          [orderId, `C-${orderId}`, id, email, at],
        );
        await shopSql(
          shop,
          `insert into payments (id, order_id, provider, provider_payment_id, method, amount_cents, paid_at) values (?, ?, 'mollie', ?, 'ideal', 1000, null)`,
          [orderId, orderId, `tr_${orderId}`],
        );
      };
      const of2020 = nextId++;
      const of2018 = nextId++;
      await cancelled(of2020, '2020-05-04T10:00:00.000Z');
      await cancelled(of2018, '2018-05-04T10:00:00.000Z');
      const plan = await t.services.retention!.plan();
      assert.ok(plan.expiredHolds.some((h) => h.collection === 'payments' && h.records >= 1));
      await t.services.retention!.run();
      const left = await shopSql(shop, 'select id from payments where id in (?, ?)', [of2020, of2018]);
      assert.deepEqual(
        left.map((r) => Number(r.id)),
        [of2020],
        'the payment of 2018 is past its hold and gone; the one of 2020 stays anonymised',
      );
      const archive = new SealedArchive(t.store.db, TEST_SECRET, t.clock);
      assert.deepEqual(
        (await archive.open(archive.subjectRef(email))).map((r) => `${r.collection}:${r.recordKey}:${r.holdUntil}`),
        [`payments:${of2020}:2027-12-31T23:00:00.000Z`],
        'not "from today": the cancelled order of May 2020 is held to the end of 2027, the one of 2018 not at all',
      );
    });

    it('lists every rule of the policy in the plan, each enforced or saying what it does not reach', async () => {
      const plan = await t.services.retention!.plan();
      const policy = t.services.policy();
      assert.deepEqual(
        plan.rules.map((r) => r.rule),
        policy.retention.rules.map((r) => r.id),
      );
      for (const rule of plan.rules) assert.ok(rule.executors.length > 0, `${rule.rule} has an executor`);
      assert.match(plan.rules.find((r) => r.rule === 'analytics')!.notEnforced ?? '', /Google Analytics/);
      assert.deepEqual(
        lintPolicy(policy).filter((f) => f.rule === 'retention-without-executor'),
        [],
        'and the linter finds no rule without one',
      );
    });
  });
}
