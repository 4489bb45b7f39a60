import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { checkAgainstPolicy } from './check.ts';
import type { SqlSystem } from './datamap.schema.ts';
import { loadDataMap } from './datamap.ts';
import { planSystem } from './plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'inzage-shapes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** Loads a map of one SQL system `shop` whose collections are the given YAML lines. */
const load = (collections: string[], vars: Record<string, string> = {}, system: string[] = []) => {
  const file = join(dir, `map-${++n}.yaml`);
  const lines = ['systems:', '  shop:', '    type: sql', '    url: sqlite:shop.db', '    processor: myonlinestore'];
  writeFileSync(
    file,
    [...lines, ...system.map((l) => `    ${l}`), '    collections:', ...collections.map((l) => `      ${l}`)].join(
      '\n',
    ),
  );
  return loadDataMap(file, vars);
};
const problems = (result: ReturnType<typeof load>) =>
  result.ok ? [] : result.problems.map((p) => `${p.path}${p.line ? `@${p.line}` : ''}: ${p.message}`);

const ORDERS = [
  'orders:',
  '  table: posts',
  '  primaryKey: ID',
  '  where: { post_type: [shop_order, shop_order_refund], post_status: wc-completed }',
  '  meta:',
  '    table: postmeta',
  '    owner: post_id',
  '    identity: [_billing_email]',
  '    references: { _customer_user: customers.ID }',
  '    fields:',
  '      _billing_email: contact hash',
  '      _customer_ip_address: technical null',
  '      _billing_address_index: contact null composite',
  '      _billing_phone: { category: contact, erase: null, role: phone }',
];
const CUSTOMERS = [
  'customers:',
  '  table: users',
  '  primaryKey: ID',
  '  identity: [user_email]',
  '  fields: { user_email: contact delete }',
];

describe('the data map for real shops', () => {
  it('reads meta tables, row filters and formats in their short forms', () => {
    const loaded = load([...CUSTOMERS, ...ORDERS]);
    assert.ok(loaded.ok, problems(loaded).join('\n'));
    const plan = planSystem('shop', loaded.value.systems.shop as SqlSystem);
    const orders = plan.collections.find((c) => c.name === 'orders')!;
    assert.deepEqual(orders.where, [
      { column: 'post_type', values: ['shop_order', 'shop_order_refund'] },
      { column: 'post_status', values: ['wc-completed'] },
    ]);
    assert.deepEqual(orders.meta?.identity, [{ key: '_billing_email', format: 'plain' }]);
    assert.deepEqual(orders.meta?.references, [{ key: '_customer_user', parent: 'customers', parentColumn: 'ID' }]);
    assert.equal(orders.meta?.fields._billing_address_index?.format, 'composite');
    assert.equal(orders.meta?.fields._billing_phone?.erase, 'null', 'YAML reads `erase: null` as the strategy');
    assert.equal(orders.categories._customer_ip_address, 'technical');
    assert.deepEqual(
      plan.collections.map((c) => c.name),
      ['customers', 'orders'],
      'a meta reference makes the account a parent of its orders',
    );
  });

  it('puts a prefix from the environment before every table, meta tables included', () => {
    const system = ['tablePrefix: ${WOO_TABLE_PREFIX:-wp_}'];
    const fallback = load([...CUSTOMERS, ...ORDERS], {}, system);
    assert.ok(fallback.ok);
    const own = load([...CUSTOMERS, ...ORDERS], { WOO_TABLE_PREFIX: 'shop7_' }, system);
    assert.ok(own.ok);
    const tables = (map: typeof own) =>
      map.ok
        ? planSystem('shop', map.value.systems.shop as SqlSystem).collections.flatMap((c) => [c.table, c.meta?.table])
        : [];
    assert.deepEqual(tables(fallback), ['wp_users', undefined, 'wp_posts', 'wp_postmeta']);
    assert.deepEqual(tables(own), ['shop7_users', undefined, 'shop7_posts', 'shop7_postmeta']);
    const bad = load(CUSTOMERS, { WOO_TABLE_PREFIX: 'wp_; drop table' }, system);
    assert.match(
      problems(bad).join('\n'),
      /systems\.shop\.tablePrefix@\d+: "wp_; drop table" must be letters, digits and _ only/,
    );
  });

  it('refuses mask and hash on a serialized value, naming the line', () => {
    const loaded = load([
      'sessions:',
      '  table: woocommerce_sessions',
      '  identity: [session_value]',
      '  fields:',
      '    session_value: technical mask serialized',
      '  meta:',
      '    table: sessionmeta',
      '    owner: session_id',
      '    fields:',
      '      tokens: { category: technical, erase: hash, format: serialized }',
    ]);
    const text = problems(loaded).join('\n');
    assert.match(
      text,
      /collections\.sessions\.fields\.session_value@11: "mask" would edit a serialized value in place/,
    );
    assert.match(
      text,
      /collections\.sessions\.meta\.fields\.tokens@\d+: "hash" would edit a serialized value in place/,
    );
  });

  it('refuses a meta reference to nothing, a cycle through meta keys, and a key that is also a column field', () => {
    const loaded = load([
      'a:',
      '  identity: [email]',
      '  fields: { email: contact delete, note: contact null }',
      '  meta: { table: a_meta, owner: a_id, references: { b_ref: b.id }, fields: { note: contact null } }',
      'b:',
      '  references: { a_id: a.id }',
      'c:',
      '  meta: { table: c_meta, owner: c_id, references: { x: nowhere.id } }',
    ]);
    const text = problems(loaded).join('\n');
    assert.match(text, /c\.meta\.references\.x@\d+: refers to "nowhere"/);
    assert.match(text, /references form a cycle: a → b → a/);
    assert.match(text, /a\.meta\.fields\.note@\d+: is also a column's field of this collection/);
  });

  it('lints meta keys against the policy like columns', () => {
    const loaded = load([
      ...CUSTOMERS,
      'orders:',
      '  table: posts',
      '  primaryKey: ID',
      '  meta:',
      '    table: postmeta',
      '    owner: post_id',
      '    identity: [_billing_email]',
      '    references: { _customer_user: customers.ID }',
      '    fields:',
      '      _billing_email: contact keep',
      '      _gift_note: cadeau null',
      '      _form: contact mask json',
      '      _customer_user: account keep',
    ]);
    assert.ok(loaded.ok, problems(loaded).join('\n'));
    const map = loaded.value;
    const text = checkAgainstPolicy(map, loadExamplePolicy())
      .filter((f) => f.path.startsWith('systems.shop'))
      .map((f) => `${f.severity} ${f.path}: ${f.message}`)
      .join('\n');
    assert.match(text, /error systems\.shop\.collections\.orders\.meta\.fields\._gift_note: category "cadeau"/);
    assert.match(
      text,
      /warning systems\.shop\.collections\.orders\.meta\.fields\._billing_email: an identity field that erasure keeps/,
    );
    assert.match(
      text,
      /warning systems\.shop\.collections\.orders\.meta\.fields\._form: "mask" replaces the whole JSON value/,
    );
    assert.match(
      text,
      /warning systems\.shop\.collections\.orders\.meta\.fields\._customer_user: customers rows are deleted, but the meta key _customer_user/,
    );
  });
});
