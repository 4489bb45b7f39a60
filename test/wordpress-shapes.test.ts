import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FoundRecord } from '../src/connectors/connector.ts';
import { type Sealer, SqlConnector } from '../src/connectors/sql/sql.connector.ts';
import { planSystem } from '../src/datamap/plan.ts';
import { FakeClock } from '../src/lib/clock.ts';
import {
  createWordPressShop,
  SHOP_DIALECTS,
  seedWordPressShop,
  skipShop,
  type WordPressShop,
} from './helpers/wordpress-shop.ts';

/**
 * The engine on the shapes real shops have (a WordPress/WooCommerce-like schema with a table prefix):
 * meta tables, row filters, a person inside a serialized or composite value, and look-alike addresses
 * that `=` under MySQL's collations or an unescaped LIKE would take for someone else.
 */
for (const dialect of SHOP_DIALECTS) {
  describe(`a WordPress-shaped shop on ${dialect}`, { skip: skipShop(dialect) }, () => {
    let shop: WordPressShop;
    const sealed: Array<{ subjectRef: string; keys: string[] }> = [];
    const sealer: Sealer = {
      subjectRef: (email) => `ref:${email}`,
      sealMany: async (groups) => {
        for (const g of groups) sealed.push({ subjectRef: g.subjectRef, keys: g.records.map((r) => r.recordKey) });
        return groups.length;
      },
    };
    const connector = () =>
      new SqlConnector({
        plan: planSystem('shop', shop.system),
        database: shop.database,
        sealer,
        hashValue: (v) => `h(${v})`,
        placeholder: '[verwijderd]',
        holds: new Map([['fiscal', { term: { years: 7 }, basis: 'AWR art. 52' }]]),
      });
    const now = new FakeClock(new Date('2026-07-01T12:00:00Z')).now();
    const byCollection = (records: FoundRecord[]) => {
      const out: Record<string, string[]> = {};
      for (const r of records) out[r.collection] = [...(out[r.collection] ?? []), r.key];
      for (const list of Object.values(out)) list.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
      return out;
    };
    const find = async (email: string) =>
      byCollection((await connector().find({ email })).findings.flatMap((f) => f.records));
    const meta = async (table: 'postmeta' | 'usermeta', owner: number) => {
      const column = table === 'postmeta' ? 'post_id' : 'user_id';
      const rows = await shop.rows(table, `${column} = ${owner}`);
      return Object.fromEntries(rows.map((r) => [String(r.meta_key), r.meta_value]));
    };

    before(async () => {
      shop = await createWordPressShop(dialect);
      await seedWordPressShop(shop);
    });
    after(() => shop?.drop());

    it('puts the prefix before every table of the map, meta tables included', () => {
      const plan = planSystem('shop', shop.system);
      assert.deepEqual(
        plan.collections.map((c) => [c.name, c.table]),
        [
          ['customers', `${shop.prefix}users`],
          ['orders', `${shop.prefix}posts`],
          ['reviews', `${shop.prefix}comments`],
          ['order_notes', `${shop.prefix}comments`],
          ['sessions', `${shop.prefix}woocommerce_sessions`],
        ],
      );
      assert.equal(plan.collections[1]!.meta?.table, `${shop.prefix}postmeta`);
    });

    it("finds an account's orders through a meta key, and shows each mapped meta key as a field", async () => {
      const result = await connector().find({ email: 'jan@example.nl' });
      const records = result.findings.flatMap((f) => f.records);
      assert.deepEqual(byCollection(records), {
        customers: ['1'],
        orders: ['10'],
        reviews: ['100'],
        order_notes: ['104'],
        sessions: ['1'],
      });
      const account = records.find((r) => r.collection === 'customers')!;
      assert.equal(account.data.billing_phone, '0612345678');
      assert.equal(account.categories.billing_phone, 'contact');
      assert.equal(account.data.nickname, undefined, 'a key the map does not name is not personal data here');
      const order = records.find((r) => r.collection === 'orders')!;
      assert.equal(order.data._customer_ip_address, '192.0.2.10');
      assert.equal(order.categories._customer_ip_address, 'technical');
      assert.equal(order.data.post_excerpt, 'Graag achterom');
      assert.equal(result.queries, 7, 'one statement per collection, and one per meta table');
    });

    it('finds a guest by a meta key and by containment, and never a look-alike: _ and % are not wildcards', async () => {
      assert.deepEqual(await find('a_b%c@example.nl'), { orders: ['11'], reviews: ['101'], sessions: ['2'] });
      assert.deepEqual(await find('axbyyc@example.nl'), {
        customers: ['3'],
        orders: ['12'],
        reviews: ['102'],
        order_notes: ['105'],
        sessions: ['3'],
      });
    });

    it('tells zoë@ from zoe@, as it tells case and trailing spaces apart from other letters', async () => {
      assert.deepEqual(await find('zoe@example.nl'), { customers: ['2'] });
      assert.deepEqual(await find('zoë@example.nl'), { orders: ['13'], sessions: ['5'] });
      assert.deepEqual(await find('ZOË@EXAMPLE.NL '.trim().toLowerCase()), { orders: ['13'], sessions: ['5'] });
      assert.deepEqual(await find('jan@example.nl.'), {});
    });

    it('keeps a row filter: a blog comment and a blog post are no part of reviews or orders', async () => {
      const result = await find('jan@example.nl');
      assert.ok(!result.reviews?.includes('103'));
      const expired = await connector().destroyExpiredHolds(now, false);
      assert.deepEqual(
        expired.map((e) => [e.collection, e.records]),
        [['orders', 1]],
      );
      assert.deepEqual(
        (await shop.rows('posts', `post_date_gmt is not null order by ${q()}ID${q()}`))
          .map((r) => Number(r.ID))
          .filter((n) => n >= 14),
        [20, 21, 22],
        'the order of 2010 is gone, the blog post of 2010 stays',
      );
      assert.deepEqual(await meta('postmeta', 14), {}, "the order's meta rows went with it");
    });

    it('erases a guest: meta keys by their strategies, the session deleted, the look-alike untouched', async () => {
      const report = await connector().erase({ email: 'a_b%c@example.nl' }, { now });
      assert.equal(report.status, 'erased', report.error);
      assert.deepEqual(await meta('postmeta', 11), {
        _customer_user: null,
        _billing_email: 'hmac:h(a_b%c@example.nl)',
        _billing_first_name: '[verwijderd]',
        _billing_address_index: null,
        _customer_ip_address: null,
        _order_total: '10.00',
      });
      assert.equal((await shop.rows('woocommerce_sessions', 'session_id = 2')).length, 0);
      assert.equal((await shop.rows('comments', `${q()}comment_ID${q()} = 101`)).length, 0);
      assert.deepEqual(await find('axbyyc@example.nl'), {
        customers: ['3'],
        orders: ['12'],
        reviews: ['102'],
        order_notes: ['105'],
        sessions: ['3'],
      });
      const order11 = sealed.find((s) => s.keys.includes('11'));
      assert.ok(order11, 'the order was sealed under its fiscal hold before its meta was erased');
      assert.deepEqual(await find('a_b%c@example.nl'), {});
    });

    it('corrects a first name in the account and in its orders, by the fields’ roles', async () => {
      const report = await connector().rectify({ email: 'jan@example.nl' }, { values: { first_name: 'Johan' } });
      assert.equal(report.status, 'rectified', report.error);
      assert.equal((await meta('usermeta', 1)).billing_first_name, 'Johan');
      assert.equal((await meta('postmeta', 10))._billing_first_name, 'Johan');
      assert.deepEqual(
        report.collections.map((c) => [c.collection, c.fields]),
        [
          ['customers', ['billing_first_name']],
          ['orders', ['_billing_first_name']],
        ],
      );
    });

    it('reaches the people of a category through meta keys and meta references', async () => {
      const people = (await connector().subjectsWithCategories(['technical'])).sort();
      assert.deepEqual(people, ['axbyyc@example.nl', 'jan@example.nl', 'zoë@example.nl']);
    });

    it('counts a meta key with a Unix time as activity, and an order as its account’s', async () => {
      const c = connector();
      const active = await c.activeAmong(['jan@example.nl', 'zoe@example.nl'], new Date('2026-01-01T00:00:00Z'));
      assert.deepEqual([...active], ['jan@example.nl']);
      const { inactive } = await c.inactiveBefore(new Date('2025-01-01T00:00:00Z'));
      assert.deepEqual(inactive.sort(), ['zoe@example.nl']);
    });

    it('erases only the fields of a category, meta keys included, and keeps the identity', async () => {
      const report = await connector().eraseCategories({ email: 'jan@example.nl' }, new Set(['technical']));
      assert.equal(report.status, 'erased', report.error);
      const account = await meta('usermeta', 1);
      assert.equal(account.session_tokens, undefined, 'a meta key that says delete loses its row');
      assert.equal(account.billing_email, 'jan@example.nl');
      assert.equal((await shop.rows('comments', `${q()}comment_ID${q()} = 100`))[0]?.comment_author_IP, '');
    });

    it('erases an account with all its meta rows, and leaves a session whose key only looks like its id', async () => {
      const report = await connector().erase({ email: 'jan@example.nl' }, { now });
      assert.equal(report.status, 'erased', report.error);
      assert.equal((await shop.rows('users', `${q()}ID${q()} = 1`)).length, 0);
      assert.deepEqual(await meta('usermeta', 1), {}, 'nickname, a key the map does not name, went with the account');
      const order = await meta('postmeta', 10);
      assert.equal(order._customer_user, null);
      assert.equal(order._billing_email, 'hmac:h(jan@example.nl)');
      assert.equal(order._order_total, '99.00');
      assert.deepEqual((await shop.rows('woocommerce_sessions')).map((r) => String(r.session_key)).sort(), [
        '1abc',
        't_guest2',
        't_guest3',
      ]);
      assert.equal((await shop.rows('comments', `${q()}comment_ID${q()} = 103`)).length, 1, 'a blog comment');
      assert.deepEqual(await find('jan@example.nl'), {});
    });

    it('erases several people in one sweep, and seals each held record under its own person', async () => {
      sealed.length = 0;
      const report = await connector().eraseMany(['zoë@example.nl', 'axbyyc@example.nl'], { now });
      assert.equal(report.status, 'erased', report.error);
      assert.deepEqual(sealed.map((s) => [s.subjectRef, s.keys]).sort(), [
        ['ref:axbyyc@example.nl', ['12']],
        ['ref:zoë@example.nl', ['13']],
      ]);
      assert.deepEqual(await find('zoë@example.nl'), {});
      assert.deepEqual(await find('axbyyc@example.nl'), {});
      assert.deepEqual(await find('zoe@example.nl'), { customers: ['2'] }, 'the look-alike stays');
      assert.deepEqual(
        (await shop.rows('woocommerce_sessions')).map((r) => String(r.session_key)),
        ['1abc'],
      );
    });

    /** The quote of an identifier in this dialect, for the few hand-written conditions above. */
    function q() {
      return dialect === 'mysql' ? '`' : '"';
    }
  });
}
