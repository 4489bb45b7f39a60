import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Sealer, SqlConnector } from '../src/connectors/sql/sql.connector.ts';
import { SqlText } from '../src/connectors/sql/sql-text.ts';
import type { SqlSystem } from '../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { planSystem } from '../src/datamap/plan.ts';
import { createWordPressShop, type WordPressShop } from './helpers/wordpress-shop.ts';

/**
 * A collection whose rows are told apart after the database narrowed them (an address inside a composite
 * value) and that also finds a person through a plain meta key: erasing one person must read the meta
 * values the post-filter decides by, or a row that is the person's only through the meta key is dropped
 * from the erasure (and the final check then finds them still there).
 */
const MAP = `
systems:
  shop:
    type: sql
    url: \${SHOP_URL}
    tablePrefix: \${WP_PREFIX}
    processor: myonlinestore
    collections:
      orders:
        table: posts
        primaryKey: ID
        where: { post_type: [shop_order] }
        identity: [post_excerpt]
        fields:
          post_excerpt: contact null composite
          post_title: order keep
        meta:
          table: postmeta
          owner: post_id
          identity: [_billing_email]
          fields:
            _billing_email: contact null
`;

describe('erasing a person found through a meta key of a collection decided by containment (sqlite)', () => {
  let shop: WordPressShop;
  let dir: string;
  let system: SqlSystem;
  const sealer: Sealer = { subjectRef: (email) => `ref:${email}`, sealMany: async (groups) => groups.length };

  before(async () => {
    shop = await createWordPressShop('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'inzage-meta-map-'));
    const file = join(dir, 'datamap.yaml');
    writeFileSync(file, MAP);
    const loaded = loadDataMap(file, { SHOP_URL: shop.system.url, WP_PREFIX: shop.prefix });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    system = loaded.value.systems.shop as SqlSystem;
    const insert = async (table: string, values: Record<string, unknown>) => {
      const q = new SqlText('sqlite');
      const columns = Object.keys(values);
      await shop.exec(
        `insert into {${table}} (${columns.map((c) => q.id(c)).join(', ')}) values (${columns.map((c) => q.param(values[c])).join(', ')})`,
        q.params,
      );
    };
    // Order 1: the address only in its meta; order 2: only inside the composite value; order 3: someone else.
    await insert('posts', {
      ID: 1,
      post_type: 'shop_order',
      post_status: 'wc-completed',
      post_title: 'Order 1',
      post_excerpt: 'Jan, Dorpsstraat 1',
    });
    await insert('postmeta', {
      meta_id: 1,
      post_id: 1,
      meta_key: '_billing_email',
      meta_value: 'meta.only@example.nl',
    });
    await insert('posts', {
      ID: 2,
      post_type: 'shop_order',
      post_status: 'wc-completed',
      post_title: 'Order 2',
      post_excerpt: 'Jan meta.only@example.nl 0612345678',
    });
    await insert('posts', {
      ID: 3,
      post_type: 'shop_order',
      post_status: 'wc-completed',
      post_title: 'Order 3',
      post_excerpt: 'Piet other@example.nl',
    });
    await insert('postmeta', { meta_id: 3, post_id: 3, meta_key: '_billing_email', meta_value: 'other@example.nl' });
  });
  after(async () => {
    await shop?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('erases both orders of the person, the one known only by its meta key too, and leaves the other', async () => {
    const connector = new SqlConnector({
      plan: planSystem('shop', system),
      database: shop.database,
      sealer,
      hashValue: (v) => `h(${v})`,
      placeholder: '[verwijderd]',
      holds: new Map(),
    });
    const found = (await connector.find({ email: 'meta.only@example.nl' })).findings.flatMap((f) => f.records);
    assert.deepEqual(found.map((r) => r.key).sort(), ['1', '2']);
    const report = await connector.erase({ email: 'meta.only@example.nl' }, { now: new Date('2026-07-01T12:00:00Z') });
    assert.equal(report.status, 'erased', report.error);
    const meta = await shop.rows('postmeta', `meta_key = '_billing_email'`);
    assert.deepEqual(meta.map((r) => [Number(r.post_id), r.meta_value]).sort(), [
      [1, null],
      [3, 'other@example.nl'],
    ]);
    const posts = await shop.rows('posts');
    assert.deepEqual(posts.map((r) => [Number(r.ID), r.post_excerpt]).sort(), [
      [1, null],
      [2, null],
      [3, 'Piet other@example.nl'],
    ]);
  });
});

/**
 * Two collections on one table, one with its meta rows and one without: a row both find is deleted by
 * the first, and the second must still delete the meta rows it keeps elsewhere (a phone and an address
 * would otherwise stay in postmeta, under a row that is gone).
 */
const TWO = `
systems:
  shop:
    type: sql
    url: \${SHOP_URL}
    tablePrefix: \${WP_PREFIX}
    processor: myonlinestore
    collections:
      with_meta:
        table: posts
        primaryKey: ID
        where: { post_type: [shop_order] }
        fields:
          post_title: order delete
        meta:
          table: postmeta
          owner: post_id
          identity: [_billing_email]
          fields:
            _billing_email: contact delete
            _billing_phone: contact delete
      plain:
        table: posts
        primaryKey: ID
        where: { post_type: [shop_order] }
        identity: [post_excerpt]
        fields:
          post_excerpt: contact delete
`;

describe('one row found by two collections of one table, only one of them with meta rows (sqlite)', () => {
  let shop: WordPressShop;
  let dir: string;
  before(async () => {
    shop = await createWordPressShop('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'inzage-meta-map-'));
  });
  after(async () => {
    await shop?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('deletes the row once and its meta rows too', async () => {
    const file = join(dir, 'datamap.yaml');
    writeFileSync(file, TWO);
    const loaded = loadDataMap(file, { SHOP_URL: shop.system.url, WP_PREFIX: shop.prefix });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    await shop.exec(
      `insert into {posts} ("ID", post_type, post_status, post_title, post_excerpt) values (1, 'shop_order', 'wc-completed', 'Order 1', 'twee@example.nl')`,
    );
    await shop.exec(
      `insert into {postmeta} (meta_id, post_id, meta_key, meta_value) values (1, 1, '_billing_email', 'twee@example.nl'), (2, 1, '_billing_phone', '0612345678')`,
    );
    const connector = new SqlConnector({
      plan: planSystem('shop', loaded.value.systems.shop as SqlSystem),
      database: shop.database,
      sealer: { subjectRef: (email) => `ref:${email}`, sealMany: async (groups) => groups.length },
      hashValue: (v) => `h(${v})`,
      placeholder: '[verwijderd]',
      holds: new Map(),
    });
    const report = await connector.erase({ email: 'twee@example.nl' }, { now: new Date('2026-07-01T12:00:00Z') });
    assert.equal(report.status, 'erased', report.error);
    assert.deepEqual(await shop.rows('posts'), []);
    assert.deepEqual(await shop.rows('postmeta'), [], 'no phone or address left under a deleted row');
  });
});
