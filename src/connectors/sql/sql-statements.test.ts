import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import type { SqlSystem } from '../../datamap/datamap.schema.ts';
import { planSystem } from '../../datamap/plan.ts';
import { SqlConnector } from './sql.connector.ts';
import { openSqlDatabase, type SqlDatabase } from './sql-database.ts';

const field = { category: 'contact', erase: 'delete' } as const;
const SYSTEM: SqlSystem = {
  type: 'sql',
  url: 'sqlite::memory:',
  collections: {
    customers: { primaryKey: 'id', identity: ['email'], references: {}, activity: [], fields: { email: field } },
    orders: { primaryKey: 'id', identity: [], references: { customer_id: 'customers.id' }, activity: [], fields: {} },
    notes: {
      primaryKey: 'id',
      identity: [],
      references: { order_id: 'orders.id' },
      activity: [],
      fields: { body: field },
    },
    reviews: { primaryKey: 'id', identity: ['email'], references: {}, activity: [], fields: { email: field } },
  },
};

describe('the statements of a find and an erasure', () => {
  it('reads a child only after its parent, and collections that do not depend on each other side by side', async () => {
    const inner = openSqlDatabase('sqlite::memory:');
    await inner.run('create table customers (id integer primary key, email text)', []);
    await inner.run('create table orders (id integer primary key, customer_id integer)', []);
    await inner.run('create table notes (id integer primary key, order_id integer, body text)', []);
    await inner.run('create table reviews (id integer primary key, email text)', []);
    await inner.run("insert into customers values (1, 'jan@example.nl')", []);
    await inner.run('insert into orders values (10, 1)', []);
    await inner.run("insert into notes values (100, 10, 'betaald')", []);
    await inner.run("insert into reviews values (7, 'jan@example.nl')", []);
    const events: string[] = [];
    const table = (text: string) => /from "(\w+)"/.exec(text)?.[1] ?? '?';
    const database: SqlDatabase = {
      ...inner,
      run: async (text, params) => {
        events.push(`start ${table(text)}`);
        const rows = await inner.run(text, params);
        events.push(`end ${table(text)}`);
        return rows;
      },
    };
    const connector = new SqlConnector({
      plan: planSystem('shop', SYSTEM),
      database,
      sealer: { subjectRef: (e) => e, sealMany: async (groups) => groups.length },
      hashValue: (v) => v,
      placeholder: '[verwijderd]',
      holds: new Map(),
    });
    try {
      const { findings } = await connector.find({ email: 'jan@example.nl' });
      assert.deepEqual(
        findings.map((f) => [f.collection, f.records.map((r) => r.key)]),
        [
          ['customers', ['1']],
          ['orders', ['10']],
          ['notes', ['100']],
          ['reviews', ['7']],
        ],
      );
      const at = (event: string) => events.indexOf(event);
      assert.ok(at('start orders') > at('end customers'), 'an order is looked up after its account is found');
      assert.ok(at('start notes') > at('end orders'), 'a note after its order');
      assert.ok(at('start reviews') < at('end customers'), 'reviews, found by address alone, do not wait');
    } finally {
      await inner.close();
    }
  });

  it("reads the meta values an erasure seals, and not those that go with their owner's row", async () => {
    const db = openSqlDatabase('sqlite::memory:');
    await db.run('create table customers (id integer primary key, email text)', []);
    await db.run(
      'create table customer_meta (id integer primary key, user_id integer, meta_key text, meta_value text)',
      [],
    );
    await db.run('create table orders (id integer primary key, customer_id integer, created text)', []);
    await db.run(
      'create table order_meta (id integer primary key, order_id integer, meta_key text, meta_value text)',
      [],
    );
    await db.run("insert into customers values (1, 'jan@example.nl')", []);
    await db.run("insert into customer_meta values (1, 1, 'phone', '0612345678'), (2, 1, 'unnamed', 'x')", []);
    await db.run("insert into orders values (10, 1, '2026-10-01T00:00:00Z')", []);
    await db.run("insert into order_meta values (1, 10, '_billing_phone', '0612345678')", []);
    const system: SqlSystem = {
      type: 'sql',
      url: 'sqlite::memory:',
      collections: {
        customers: {
          primaryKey: 'id',
          identity: ['email'],
          references: {},
          activity: [],
          fields: { email: field },
          meta: {
            table: 'customer_meta',
            owner: 'user_id',
            key: 'meta_key',
            value: 'meta_value',
            identity: [],
            references: {},
            activity: [],
            fields: { phone: field },
          },
        },
        orders: {
          primaryKey: 'id',
          identity: [],
          references: { customer_id: 'customers.id' },
          activity: [],
          legalHold: { hold: 'fiscal', from: 'created' },
          fields: { created: { category: 'order', erase: 'keep' } },
          meta: {
            table: 'order_meta',
            owner: 'order_id',
            key: 'meta_key',
            value: 'meta_value',
            identity: [],
            references: {},
            activity: [],
            fields: { _billing_phone: { category: 'contact', erase: 'null' } },
          },
        },
      },
    };
    const read: string[] = [];
    const sealed: Array<Record<string, unknown>> = [];
    const connector = new SqlConnector({
      plan: planSystem('shop', system),
      database: {
        ...db,
        run: (text, params) => {
          if (text.startsWith('select')) read.push(/from "(\w+)"/.exec(text)?.[1] ?? '?');
          return db.run(text, params);
        },
      },
      sealer: {
        subjectRef: (e) => e,
        sealMany: async (groups) => {
          for (const g of groups) for (const r of g.records) sealed.push(r.data);
          return groups.length;
        },
      },
      hashValue: (v) => v,
      placeholder: '[verwijderd]',
      holds: new Map([['fiscal', { term: { years: 7 }, basis: 'AWR art. 52' }]]),
    });
    try {
      const report = await connector.erase({ email: 'jan@example.nl' }, { now: new Date('2026-11-01T00:00:00Z') });
      assert.equal(report.status, 'erased', report.error);
      assert.ok(!read.includes('customer_meta'), 'the account goes with all its meta rows: none is read');
      assert.deepEqual(
        sealed.map((r) => r._billing_phone),
        ['0612345678'],
        'the held order is sealed with its meta keys',
      );
      assert.deepEqual(await db.run('select count(*) as n from customer_meta', []), [{ n: 0 }]);
      assert.deepEqual(await db.run('select meta_value from order_meta', []), [{ meta_value: null }]);
      const access = await connector.find({ email: 'jan@example.nl' });
      assert.deepEqual(
        access.findings.flatMap((f) => f.records),
        [],
        'nothing of the person is left',
      );
    } finally {
      await db.close();
    }
  });

  it('deletes a row two collections of one table found once, and erases each collection as before', async () => {
    // WooCommerce with compatibility sync: a note hangs off the order in both storages.
    const db = openSqlDatabase('sqlite::memory:');
    await db.run('create table orders (id integer primary key, email text)', []);
    await db.run('create table hpos_orders (id integer primary key, email text)', []);
    await db.run('create table comments (id integer primary key, post_id integer, kind text, body text)', []);
    await db.run("insert into orders values (10, 'jan@example.nl'), (11, 'piet@example.nl')", []);
    await db.run("insert into hpos_orders values (10, 'jan@example.nl'), (11, 'piet@example.nl')", []);
    await db.run("insert into comments values (1, 10, 'note', 'betaald'), (2, 11, 'note', 'piet betaalde')", []);
    const note = { category: 'correspondence', erase: 'delete' } as const;
    const email = { category: 'contact', erase: 'delete' } as const;
    const system: SqlSystem = {
      type: 'sql',
      url: 'sqlite::memory:',
      collections: {
        orders: { primaryKey: 'id', identity: ['email'], references: {}, activity: [], fields: { email } },
        hpos_orders: { primaryKey: 'id', identity: ['email'], references: {}, activity: [], fields: { email } },
        notes: {
          table: 'comments',
          primaryKey: 'id',
          identity: [],
          references: { post_id: 'orders.id' },
          activity: [],
          where: { kind: 'note' },
          fields: { body: note },
        },
        hpos_notes: {
          table: 'comments',
          primaryKey: 'id',
          identity: [],
          references: { post_id: 'hpos_orders.id' },
          activity: [],
          where: { kind: 'note' },
          fields: { body: note },
        },
      },
    };
    const deletes: string[] = [];
    const connector = new SqlConnector({
      plan: planSystem('shop', system),
      database: {
        ...db,
        transaction: (fn) =>
          db.transaction((trx) =>
            fn({
              run: (text, params) => {
                if (text.startsWith('delete')) deletes.push(/from "(\w+)"/.exec(text)?.[1] ?? '?');
                return trx.run(text, params);
              },
            }),
          ),
      },
      sealer: { subjectRef: (e) => e, sealMany: async (groups) => groups.length },
      hashValue: (v) => v,
      placeholder: '[verwijderd]',
      holds: new Map(),
    });
    try {
      const report = await connector.erase({ email: 'jan@example.nl' }, { now: new Date('2026-11-01T00:00:00Z') });
      assert.equal(report.status, 'erased', report.error);
      assert.deepEqual(deletes.sort(), ['comments', 'hpos_orders', 'orders'], 'the note is deleted once');
      assert.deepEqual(
        report.collections.map((c) => [c.collection, c.found, c.deleted]),
        [
          ['orders', 1, 1],
          ['hpos_orders', 1, 1],
          ['notes', 1, 1],
          ['hpos_notes', 1, 1],
        ],
      );
      assert.deepEqual(await db.run('select id from comments', []), [{ id: 2 }], "another person's note stays");
    } finally {
      await db.close();
    }
  });

  it("reads a row's children while its meta values are read, unless a child needs one of them", async () => {
    const db = openSqlDatabase('sqlite::memory:');
    await db.run('create table customers (id integer primary key, email text)', []);
    await db.run(
      'create table customer_meta (id integer primary key, user_id integer, meta_key text, meta_value text)',
      [],
    );
    await db.run('create table orders (id integer primary key, customer_id integer, card text)', []);
    await db.run("insert into customers values (1, 'jan@example.nl')", []);
    await db.run("insert into customer_meta values (1, 1, 'phone', '0612345678'), (2, 1, 'card', 'c-9')", []);
    await db.run("insert into orders values (10, 1, 'c-9')", []);
    const customers = (meta: Record<string, string>) => ({
      primaryKey: 'id',
      identity: ['email'],
      references: {},
      activity: [],
      fields: { email: field },
      meta: {
        table: 'customer_meta',
        owner: 'user_id',
        key: 'meta_key',
        value: 'meta_value',
        identity: [],
        references: {},
        activity: [],
        fields: Object.fromEntries(Object.keys(meta).map((k) => [k, field])),
      },
    });
    const events: string[] = [];
    const traced: SqlDatabase = {
      ...db,
      run: async (text, params) => {
        const table = /from "(\w+)"/.exec(text)?.[1] ?? '?';
        events.push(`start ${table}`);
        const rows = await db.run(text, params);
        events.push(`end ${table}`);
        return rows;
      },
    };
    const find = async (system: SqlSystem) => {
      events.length = 0;
      const c = new SqlConnector({
        plan: planSystem('shop', system),
        database: traced,
        sealer: { subjectRef: (e) => e, sealMany: async (groups) => groups.length },
        hashValue: (v) => v,
        placeholder: '[verwijderd]',
        holds: new Map(),
      });
      const { findings } = await c.find({ email: 'jan@example.nl' });
      return findings.map((f) => [f.collection, f.records.map((r) => r.data)]);
    };
    try {
      const byId: SqlSystem = {
        type: 'sql',
        url: 'sqlite::memory:',
        collections: {
          customers: customers({ phone: '' }),
          orders: {
            primaryKey: 'id',
            identity: [],
            references: { customer_id: 'customers.id' },
            activity: [],
            fields: {},
          },
        },
      };
      assert.deepEqual(await find(byId), [
        ['customers', [{ id: 1, email: 'jan@example.nl', phone: '0612345678' }]],
        ['orders', [{ id: 10, customer_id: 1, card: 'c-9' }]],
      ]);
      assert.ok(events.indexOf('start orders') < events.indexOf('end customer_meta'), 'the orders do not wait');
      // A child that points at a meta key waits for the meta values.
      const byMetaKey: SqlSystem = {
        type: 'sql',
        url: 'sqlite::memory:',
        collections: {
          customers: customers({ phone: '', card: '' }),
          orders: { primaryKey: 'id', identity: [], references: { card: 'customers.card' }, activity: [], fields: {} },
        },
      };
      const found = await find(byMetaKey);
      assert.deepEqual(found[1], ['orders', [{ id: 10, customer_id: 1, card: 'c-9' }]]);
      assert.ok(events.indexOf('start orders') > events.indexOf('end customer_meta'), 'the orders wait for the card');
    } finally {
      await db.close();
    }
  });
});

describe("the shop's SQLite file", () => {
  it('syncs every commit, also when the file was in WAL mode before Inzage opened it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-shop-'));
    try {
      const file = join(dir, 'shop.db');
      // The shop's own application made the file and put it in WAL mode, as most do.
      const own = new SqliteDatabase(file);
      own.pragma('journal_mode = WAL');
      own.exec('create table customers (id integer primary key, email text)');
      own.close();
      const reopened = new SqliteDatabase(file);
      // What a connection that says nothing gets: NORMAL, no sync at commit (the premise of this test).
      assert.equal(reopened.pragma('synchronous', { simple: true }), 1);
      reopened.close();
      const shop = openSqlDatabase(`sqlite:${file}`);
      try {
        // FULL (2): an erasure's commit is on disk before the hub records the erasure as done.
        assert.deepEqual(await shop.run('pragma synchronous', []), [{ synchronous: 2 }]);
      } finally {
        await shop.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
