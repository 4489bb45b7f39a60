import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.ts';
import { skipFor, withPgClient } from '../../test/helpers/db.ts';
import { createTestShop, exampleDataMap } from '../../test/helpers/demo-shop.ts';
import type { SqlSystem } from '../datamap/datamap.schema.ts';
import { generateDemoShop } from '../demo/demo-shop.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { RetentionService } from './retention.service.ts';
import { SealedArchive } from './sealed-archive.ts';

const NOW = '2026-11-01T12:00:00.000Z';
const day = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const years = (n: number) => n * 365.25 * day;
/** Exactly `n` calendar years before NOW, give or take some days. */
const yearsAgo = (n: number, plusDays = 0) => {
  const d = new Date(NOW);
  d.setUTCFullYear(d.getUTCFullYear() - n);
  return new Date(d.getTime() - plusDays * day).toISOString();
};

/** A shop with only the people a test puts in (plus Sanne, who is active). */
async function emptyShop(dir: string): Promise<SqliteDatabase.Database> {
  const file = join(dir, 'demo-shop.db');
  await generateDemoShop({ customers: 1, target: { kind: 'sqlite', file } });
  return new SqliteDatabase(file);
}

let nextId = 1000;
function customer(shop: SqliteDatabase.Database, email: string, lastSeen: string): number {
  const id = nextId++;
  shop
    .prepare(
      `insert into customers (id, email, first_name, last_name, country, created_at, last_login_at) values (?, ?, 'Test', 'Persoon', 'NL', ?, ?)`,
    )
    .run(id, email, lastSeen, lastSeen);
  return id;
}
function orderWithInvoice(shop: SqliteDatabase.Database, customerId: number, email: string, at: string): number {
  const id = nextId++;
  shop
    .prepare(
      `insert into orders (id, number, customer_id, email, billing_name, status, total_cents, created_at) values (?, ?, ?, ?, 'Test Persoon', 'delivered', 1000, ?)`,
    )
    .run(id, `T-${id}`, customerId, email, at);
  shop
    .prepare(
      `insert into invoices (id, order_id, number, issued_at, billing_name, billing_address, total_cents, vat_cents) values (?, ?, ?, ?, 'Test Persoon', 'Straat 1', 1000, 0)`,
    )
    .run(id, id, `F-${id}`, at);
  return id;
}

describe('retention with a fake clock', () => {
  let dir: string;
  let shop: SqliteDatabase.Database;
  let t: TestApp;
  let retention: RetentionService;
  const exists = (email: string) =>
    (shop.prepare('select count(*) as n from customers where lower(email) = ?').get(email) as { n: number }).n > 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inzage-retention-'));
    shop = await emptyShop(dir);
    const dataMap = exampleDataMap(join(dir, 'demo-shop.db'));
    t = await buildTestApp('sqlite', { dataMap });
    t.clock.set(NOW);
    retention = t.services.retention!;
  });
  after(async () => {
    shop?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('erases a person one day past two years and keeps one a day short of it', async () => {
    customer(shop, 'net-te-laat@example.com', yearsAgo(2, 1));
    customer(shop, 'net-op-tijd@example.com', yearsAgo(2, -1));
    const plan = await retention.plan();
    assert.ok(plan.emails.includes('net-te-laat@example.com'));
    assert.ok(!plan.emails.includes('net-op-tijd@example.com'));
    await retention.run();
    assert.equal(exists('net-te-laat@example.com'), false);
    assert.equal(exists('net-op-tijd@example.com'), true);
  });

  it('counts a contact moment the shop reports as renewing the term', async () => {
    customer(shop, 'belde-laatst@example.com', ago(years(3)));
    await t.services.activity.record(subjectRef(TEST_SECRET, 'belde-laatst@example.com'), 'contact', ago(30 * day));
    await retention.run();
    assert.equal(exists('belde-laatst@example.com'), true);
  });

  it('forgets what the hub itself held about a person it erased: activity and consent proof', async () => {
    const email = 'vergeten-in-hub@example.com';
    const ref = subjectRef(TEST_SECRET, email);
    customer(shop, email, ago(years(3)));
    await t.services.activity.record(ref, 'login', ago(years(3)));
    await t.services.contactConsents.record({
      email,
      purpose: 'later-contact',
      granted: true,
      text: 'Ja, houd me op de hoogte',
      textVersion: 'checkout-3',
      source: 'checkout',
      at: ago(years(3)),
    });
    const held = async (table: 'subject_activity' | 'contact_consents') =>
      (await t.store.db.selectFrom(table).select('subject_ref').where('subject_ref', '=', ref).execute()).length;
    assert.equal(await held('contact_consents'), 1);
    await retention.run();
    assert.equal(exists(email), false);
    assert.equal(await held('subject_activity'), 0);
    assert.equal(await held('contact_consents'), 0);
  });

  it('reminds a person once, some weeks before the two years run out, and nobody else', async () => {
    const policy = t.services.policy();
    const withReminder = {
      ...policy,
      retention: {
        ...policy.retention,
        rules: policy.retention.rules.map((r) => (r.id === 'profile' ? { ...r, reminderDaysBefore: 28 } : r)),
      },
    };
    const reminding = new RetentionService({
      executor: t.services.executor!,
      archive: new SealedArchive(t.store.db, TEST_SECRET, t.clock),
      requests: t.services.requests,
      policy: () => withReminder,
      clock: t.clock,
      secret: TEST_SECRET,
      mail: t.services.outbox,
      contactAllowed: t.services.contactConsents.contactAllowedFor,
    });
    customer(shop, 'bijna-twee-jaar@example.com', yearsAgo(2, -10));
    customer(shop, 'nog-even@example.com', yearsAgo(2, -40));
    customer(shop, 'beperkt-bijna@example.com', yearsAgo(2, -5));
    customer(shop, 'geen-toestemming@example.com', yearsAgo(2, -12));
    // Telecommunicatiewet art. 11.7(1): only who consented to later contact is invited to log in or order.
    for (const email of ['bijna-twee-jaar@example.com', 'beperkt-bijna@example.com']) {
      await t.services.contactConsents.record({
        email,
        purpose: 'later-contact',
        granted: true,
        text: 'Ja, houd me op de hoogte',
        source: 'checkout',
        at: ago(years(2)),
      });
    }
    await t.services.requests.saveFlags(t.store.db, subjectRef(TEST_SECRET, 'beperkt-bijna@example.com'), {
      holds: [{ request: 'req-test', ground: 'restriction' }],
      objected: [],
      stopped: [],
      requestId: 'req-test',
    });
    // Earlier tests left people in the shop too (one a day short of two years): only these three count here.
    const mine = [
      'bijna-twee-jaar@example.com',
      'nog-even@example.com',
      'beperkt-bijna@example.com',
      'geen-toestemming@example.com',
    ];
    const reminded = async () =>
      (await t.services.outbox.messages())
        .filter((m) => m.subject.includes('binnenkort verwijderd') && mine.includes(m.to))
        .map((m) => m.to)
        .sort();

    const first = await reminding.remind(new Date(NOW));
    assert.deepEqual(await reminded(), ['bijna-twee-jaar@example.com']);
    // Without contact consent: geen-toestemming, and net-op-tijd whom the first test left a day short of two years.
    assert.equal(first.withoutConsent, 2, 'nobody is invited to order without consent to later contact');
    assert.equal(first.skipped, 3, 'nor is the restricted person mailed');

    const nextDay = await reminding.remind(new Date(Date.parse(NOW) + day));
    assert.equal(nextDay.reminded, 0);
    assert.deepEqual(await reminded(), ['bijna-twee-jaar@example.com'], 'nobody is told twice');
    const [mail] = (await t.services.outbox.messages()).filter((m) => m.to === 'bijna-twee-jaar@example.com');
    assert.match(mail!.text, /Binnen 28 dagen verwijderen wij/);
    assert.match(mail!.text, /https:\/\/balkonzon\.nl/);
    assert.match(mail!.text, /toestemming gaf u later te benaderen/);
    assert.match(mail!.text, /\/consent\/withdraw/, 'and says how to stop such messages (Tw art. 11.7(4))');
  });

  it('seals an invoice until the end of its financial year plus seven years, and destroys the sealed copy at Dutch midnight', async () => {
    // AWR art. 52(4): an invoice of 10 March 2019 is held until the end of 31 December 2026 (Amsterdam),
    // although it is more than seven years old on 1 November 2026; one of 2018 is past its hold.
    const id = customer(shop, 'oude-klant@example.com', ago(years(3)));
    const of2019 = orderWithInvoice(shop, id, 'oude-klant@example.com', '2019-03-10T10:00:00.000Z');
    const of2018 = orderWithInvoice(shop, id, 'oude-klant@example.com', '2018-12-31T22:30:00.000Z');
    const plan = await retention.plan();
    const invoiceRule = plan.rules.find((r) => r.rule === 'invoices')!;
    assert.ok(invoiceRule.executors.some((e) => e.executor === 'legal-hold-expiry' && e.what === 'shop.invoices'));
    await retention.run();
    const invoices = shop
      .prepare('select id, billing_name from invoices where id in (?, ?)')
      .all(of2019, of2018) as Array<{ id: number; billing_name: string }>;
    assert.deepEqual(
      invoices.map((i) => i.id),
      [of2019],
      'the invoice of the financial year 2018 is gone; the one of 2019 is still held',
    );
    assert.equal(invoices[0]!.billing_name, '[verwijderd]');
    const archive = new SealedArchive(t.store.db, TEST_SECRET, t.clock);
    const ref = archive.subjectRef('oude-klant@example.com');
    const sealed = await archive.open(ref);
    assert.deepEqual(
      sealed.map((r) => `${r.collection}:${r.recordKey}:${r.holdUntil}`),
      [`invoices:${of2019}:2026-12-31T23:00:00.000Z`],
    );

    // One second before midnight in Amsterdam on 31 December 2026 it is still held; at midnight it goes.
    t.clock.set('2026-12-31T22:59:59.000Z');
    await retention.run();
    assert.equal((await archive.open(ref)).length, 1, 'held to the end of the last day');
    t.clock.set('2026-12-31T23:00:00.000Z');
    await retention.run();
    assert.deepEqual(await archive.open(ref), [], 'destroyed when its hold ended');
    t.clock.set(NOW);
  });

  it('holds an unpaid payment from its order date, not from today', async () => {
    const email = 'onbetaald@example.com';
    const id = customer(shop, email, ago(years(3)));
    const order = nextId++;
    shop
      .prepare(
        `insert into orders (id, number, customer_id, email, billing_name, status, total_cents, created_at) values (?, ?, ?, ?, 'Test Persoon', 'cancelled', 1000, ?)`,
      )
      .run(order, `T-${order}`, id, email, '2020-05-04T10:00:00.000Z');
    shop
      .prepare(
        `insert into payments (id, order_id, provider, provider_payment_id, method, amount_cents, paid_at) values (?, ?, 'mollie', ?, 'ideal', 1000, null)`,
      )
      .run(order, order, `tr_${order}`);
    await retention.run();
    const archive = new SealedArchive(t.store.db, TEST_SECRET, t.clock);
    const sealed = await archive.open(archive.subjectRef(email));
    assert.deepEqual(
      sealed.map((r) => `${r.collection}:${r.holdUntil}`),
      ['payments:2027-12-31T23:00:00.000Z'],
      'the cancelled order of May 2020 is held to the end of 2027',
    );
  });

  it('leaves a restricted person alone until the officer decides', async () => {
    customer(shop, 'beperkt@example.com', ago(years(4)));
    await t.services.requests.saveFlags(t.store.db, subjectRef(TEST_SECRET, 'beperkt@example.com'), {
      holds: [{ request: 'r1', ground: 'restriction' }],
      objected: [],
      stopped: [],
      requestId: 'r1',
    });
    const plan = await retention.plan();
    assert.ok(!plan.emails.includes('beperkt@example.com'));
    assert.ok(plan.people.restricted >= 1);
    await retention.run();
    assert.equal(exists('beperkt@example.com'), true);
  });

  it('finishes a run killed midway with nothing lost and nothing erased twice', async () => {
    const people = Array.from({ length: 6 }, (_, i) => `stil-${i}@example.com`);
    for (const email of people) {
      const id = customer(shop, email, ago(years(3)));
      orderWithInvoice(shop, id, email, ago(years(3)));
    }
    const registered = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('outcome', '=', 'retention')
            .executeTakeFirst()
        )?.n,
      );
    const before = await registered();
    let calls = 0;
    const executor = t.services.executor!;
    const dying = Object.create(executor) as typeof executor;
    dying.eraseMany = async (emails, options) => {
      if (++calls === 2) throw new Error('killed');
      return executor.eraseMany(emails, options);
    };
    const small = (ex: typeof executor) =>
      new RetentionService({
        executor: ex,
        archive: new SealedArchive(t.store.db, TEST_SECRET, t.clock),
        requests: t.services.requests,
        policy: t.services.policy,
        clock: t.clock,
        secret: TEST_SECRET,
        batchSize: 2,
      });
    await assert.rejects(() => small(dying).run(), /killed/);
    assert.ok(people.some(exists) && !people.every(exists), 'stopped halfway');
    await small(executor).run();
    assert.equal(people.filter(exists).length, 0);
    assert.equal((await registered()) - before, people.length, 'one register entry per person, none twice');
    const doubled = shop.prepare("select count(*) as n from orders where email like 'hmac:hmac%'").get() as {
      n: number;
    };
    assert.equal(doubled.n, 0, 'no address hashed twice');
  });

  it('keeps a person inactive in the shop but active in another system', async () => {
    const crmFile = join(dir, 'crm.db');
    const crm = new SqliteDatabase(crmFile);
    crm.exec('create table contacts (id integer primary key, email text not null, last_seen text not null)');
    crm.prepare('insert into contacts values (1, ?, ?)').run('ook-elders@example.com', ago(20 * day));
    crm.close();
    customer(shop, 'ook-elders@example.com', ago(years(3)));
    const dataMap = exampleDataMap(join(dir, 'demo-shop.db'));
    dataMap.systems.crm = {
      type: 'sql',
      url: crmFile,
      collections: {
        contacts: {
          primaryKey: 'id',
          identity: ['email'],
          references: {},
          activity: ['last_seen'],
          fields: { email: { category: 'contact', erase: 'delete', placeholder: undefined, role: 'email' } },
        },
      },
    } satisfies SqlSystem;
    const other = await buildTestApp('sqlite', { dataMap });
    try {
      other.clock.set(NOW);
      const plan = await other.services.retention!.plan();
      assert.ok(!plan.emails.includes('ook-elders@example.com'));
    } finally {
      await other.close();
    }
  });
});

describe('retention run on a fresh demo shop on PostgreSQL', { skip: skipFor('postgres') }, () => {
  it('erases who is past the term, keeps who became active since the plan, and destroys invoices past seven years', async () => {
    const shop = await createTestShop('postgres', 200);
    const t = await buildTestApp('postgres', { dataMap: shop.dataMap });
    try {
      t.clock.set(NOW);
      const plan = await t.services.retention!.plan();
      assert.ok(plan.people.toErase > 20);
      // After the plan, two planned customers become active: one logs in, the other's order (found through
      // the account, as the re-check's join of orders to customers does) is placed.
      const [login, ordered] = await withPgClient(async (c) => {
        const { rows } = await c.query<{ email: string; order_id: number }>(
          `select lower(trim(c.email)) as email, min(o.id) as order_id from ${shop.schema}.customers c
             join ${shop.schema}.orders o on o.customer_id = c.id
           where lower(trim(c.email)) = any($1) group by 1 order by 1 limit 2`,
          [plan.emails],
        );
        assert.equal(rows.length, 2);
        const yesterday = ago(day);
        await c.query(`update ${shop.schema}.customers set last_login_at = $1 where lower(trim(email)) = $2`, [
          yesterday,
          rows[0]!.email,
        ]);
        await c.query(`update ${shop.schema}.orders set created_at = $1, email = '' where id = $2`, [
          yesterday,
          rows[1]!.order_id,
        ]);
        return rows.map((r) => r.email);
      }, shop.url);
      const summary = await t.services.retention!.run(undefined, undefined, plan);
      assert.equal(summary.keptAtErasure.active, 2);
      assert.equal(summary.erased, plan.people.toErase - 2);
      assert.equal(summary.failedBatches, 0);
      for (const email of [login!, ordered!])
        assert.ok((await t.services.executor!.find({ email })).records.length > 0, `${email} is kept`);
      const again = await t.services.retention!.plan();
      assert.equal(again.people.toErase, 0, 'who was kept is active now, so not past the term');
      assert.ok(again.expiredHolds.every((h) => h.records === 0));
    } finally {
      await t.close();
      await shop.drop();
    }
  });
});

describe('retention run on a fresh demo shop', () => {
  it('leaves nobody inactive for more than two years and no invoice older than seven years', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-retention-demo-'));
    const file = join(dir, 'demo-shop.db');
    await generateDemoShop({ customers: 300, target: { kind: 'sqlite', file } });
    const t = await buildTestApp('sqlite', { dataMap: exampleDataMap(file) });
    try {
      t.clock.set(NOW);
      const summary = await t.services.retention!.run();
      assert.ok(summary.erased > 30, `erased ${summary.erased}`);
      const shop = new SqliteDatabase(file, { readonly: true });
      const cutoff2 = ago(years(2));
      // The fiscal hold ends per financial year: on 1 November 2026 the years up to 2018 have gone.
      const cutoff7 = '2018-12-31T23:00:00.000Z';
      // Every address in the shop, with its newest activity anywhere.
      const stale = shop
        .prepare(
          `with activity(e, at) as (
             select lower(trim(email)), max(created_at, coalesce(last_login_at, '')) from customers
             union all select lower(trim(o.email)), o.created_at from orders o
             union all select lower(trim(c.email)), o.created_at from orders o join customers c on c.id = o.customer_id
             union all select lower(trim(author_email)), created_at from reviews
             union all select lower(trim(email)), occurred_at from contact_moments
             union all select lower(trim(c.email)), m.occurred_at from contact_moments m join customers c on c.id = m.customer_id)
           select e, max(at) as last from activity where e like '%@%' and e not like 'hmac:%' group by e having max(at) < ?`,
        )
        .all(cutoff2);
      assert.deepEqual(stale, [], 'nobody past the two years');
      const oldInvoices = shop.prepare('select count(*) as n from invoices where issued_at < ?').get(cutoff7) as {
        n: number;
      };
      assert.equal(oldInvoices.n, 0, 'no invoice of a financial year whose seven years have run out');
      shop.close();
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
