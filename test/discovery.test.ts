import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAgainstDatabase } from '../src/datamap/check.ts';
import type { SqlSystem } from '../src/datamap/datamap.schema.ts';
import { checkDeclaredFormats, discoverUnmapped } from '../src/datamap/discovery.ts';
import {
  createWordPressShop,
  SHOP_DIALECTS,
  seedWordPressShop,
  skipShop,
  type WordPressShop,
} from './helpers/wordpress-shop.ts';

for (const dialect of SHOP_DIALECTS) {
  describe(`personal data nobody mapped, in a WordPress-shaped shop on ${dialect}`, { skip: skipShop(dialect) }, () => {
    let shop: WordPressShop;
    before(async () => {
      shop = await createWordPressShop(dialect);
      await seedWordPressShop(shop);
    });
    after(() => shop?.drop());

    it("finds a plug-in's table of addresses and an unnamed meta key, and no product names, never saying a value", async () => {
      await shop.exec(
        `insert into {postmeta} (meta_id, post_id, meta_key, meta_value) values (901, 10, '_gift_to', 'oma@example.nl'), (902, 11, '_gift_to', 'opa@example.nl')`,
      );
      const unmapped = await discoverUnmapped('shop', shop.system, shop.database.db);
      const seen = unmapped.map(
        (u) =>
          `${u.table.slice(shop.prefix.length)}.${u.column}${u.key ? `[${u.key}]` : ''} ${u.kind} ${u.matched}/${u.sampled}`,
      );
      assert.ok(seen.includes('newsletter_leads.email_address email 40/40'), seen.join('\n'));
      assert.ok(seen.includes('postmeta.meta_value[_gift_to] email 2/2'), seen.join('\n'));
      assert.ok(!seen.some((s) => s.startsWith('posts.post_title')), 'product names are not names of people');
      assert.ok(
        !seen.some((s) => s.startsWith('newsletter_leads.signed_up') || s.startsWith('newsletter_leads.source_page')),
      );
      assert.doesNotMatch(JSON.stringify(unmapped), /example\.(nl|org)/);
    });

    it('samples a bounded number of rows per column', async () => {
      const unmapped = await discoverUnmapped('shop', shop.system, shop.database.db, 10);
      const leads = unmapped.find((u) => u.table.endsWith('newsletter_leads') && u.kind === 'email');
      assert.deepEqual([leads?.matched, leads?.sampled], [10, 10]);
    });

    it('checks the meta tables and row filters against the database', async () => {
      assert.deepEqual(
        (await checkAgainstDatabase('shop', shop.system, shop.database.db)).filter((f) => f.severity === 'error'),
        [],
      );
      const broken = structuredClone(shop.system) as SqlSystem;
      broken.collections.orders!.meta!.owner = 'order_id';
      broken.collections.orders!.meta!.fields.post_title = { category: 'order', erase: 'keep' };
      broken.collections.orders!.where = { order_type: 'shop_order' };
      broken.collections.customers!.meta!.table = 'usermeta_gone';
      const text = (await checkAgainstDatabase('shop', broken, shop.database.db))
        .map((f) => `${f.path}: ${f.message}`)
        .join('\n');
      assert.match(text, /orders\.meta: column "order_id" does not exist/);
      assert.match(text, /orders\.meta\.fields\.post_title: is also a column of/);
      assert.match(text, /orders: column "order_type" does not exist/);
      assert.match(text, /customers\.meta: table ".*usermeta_gone" does not exist/);
    });

    it('warns when a field declared plain holds serialized values', async () => {
      assert.deepEqual(await checkDeclaredFormats('shop', shop.system, shop.database.db), []);
      const plain = structuredClone(shop.system) as SqlSystem;
      delete plain.collections.customers!.meta!.fields.session_tokens!.format;
      delete plain.collections.sessions!.fields.session_value!.format;
      const paths = (await checkDeclaredFormats('shop', plain, shop.database.db)).map((f) => f.path);
      assert.deepEqual(paths.sort(), [
        'systems.shop.collections.customers.meta.fields.session_tokens',
        'systems.shop.collections.sessions.fields.session_value',
      ]);
    });
  });
}
