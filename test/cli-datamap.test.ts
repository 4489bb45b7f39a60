import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cliDataDir, inzage } from './helpers/cli.ts';

interface Finding {
  severity: string;
  path: string;
  message: string;
}

const CARRIER = 'systems.shop.collections.shipments.fields.carrier';

describe('inzage datamap check, on the demo shop', () => {
  let dataDir = '';
  let remove = () => {};
  before(async () => {
    ({ dataDir, remove } = await cliDataDir(40));
  });
  after(() => remove());

  it('finds every carrier and payment provider of the demo shop in the policy', async () => {
    const { code, out } = await inzage('datamap', 'check', '--json');
    const { ok, findings } = JSON.parse(out) as { ok: boolean; findings: Finding[] };
    assert.equal(code, 0, out);
    assert.equal(ok, true);
    assert.deepEqual(
      findings.filter((f) => /names no party/.test(f.message)),
      [],
    );
  });

  it('warns about a carrier in the shop that names no party of the policy', async () => {
    const shop = new Database(join(dataDir, 'demo-shop.db'));
    try {
      const order = shop.prepare('select id from orders limit 1').get() as { id: number };
      shop
        .prepare(
          "insert into shipments (id, order_id, carrier, recipient_name, country) values (?, ?, 'GLS', 'X', 'NL')",
        )
        .run(990_001, order.id);
    } finally {
      shop.close();
    }
    const { code, out } = await inzage('datamap', 'check', '--json');
    const { findings } = JSON.parse(out) as { findings: Finding[] };
    const hit = findings.find((f) => f.path === CARRIER);
    assert.equal(hit?.severity, 'warning');
    assert.match(hit?.message ?? '', /"GLS" receives personal data but names no party of the policy/);
    assert.equal(code, 0, 'a warning does not fail the check');
    const text = await inzage('datamap', 'check');
    assert.match(text.out, /warning systems\.shop\.collections\.shipments\.fields\.carrier: "GLS"/);
  });

  it('shows a table a plug-in added with e-mail addresses on the first check, and no column of product names', async () => {
    const shop = new Database(join(dataDir, 'demo-shop.db'));
    try {
      shop.exec('create table plugin_wishlists (id integer primary key, shopper text, owner_name text, product text)');
      const add = shop.prepare('insert into plugin_wishlists (shopper, owner_name, product) values (?, ?, ?)');
      const products = ['Balkon zonnepaneel 400 Wp', 'Micro-omvormer 800 W', 'Gevelbeugel zwart', 'Schuko-kabel 5 m'];
      for (let i = 0; i < 30; i++)
        add.run(`wens${i}@example.nl`, i % 2 ? 'Sanne de Boer' : 'Jan Jansen', products[i % 4]);
    } finally {
      shop.close();
    }
    const { code, out } = await inzage('datamap', 'check', '--json');
    assert.equal(code, 0, 'personal data nobody mapped is a warning');
    const { unmapped } = JSON.parse(out) as { unmapped: Array<Record<string, unknown>> };
    assert.deepEqual(
      unmapped.filter((u) => u.table === 'plugin_wishlists'),
      [
        { system: 'shop', table: 'plugin_wishlists', column: 'shopper', kind: 'email', matched: 30, sampled: 30 },
        { system: 'shop', table: 'plugin_wishlists', column: 'owner_name', kind: 'name', matched: 30, sampled: 30 },
      ],
    );
    assert.doesNotMatch(out, /wens\d+@|Sanne de Boer/, 'never a value');
    const text = await inzage('datamap', 'check');
    assert.match(
      text.out,
      /warning unmapped shop\.plugin_wishlists\.shopper: e-mail addresses in 30 of 30 sampled rows/,
    );
  });
});
