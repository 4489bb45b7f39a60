import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { SANNE } from '../src/demo/demo-shop.ts';
import { cliDataDir, inzage } from './helpers/cli.ts';
import { assertNoTraceOfSanne } from './helpers/traces.ts';

describe('inzage subject, on the demo shop', () => {
  let dataDir = '';
  let remove = () => {};
  before(async () => {
    ({ dataDir, remove } = await cliDataDir(200));
  });
  after(() => remove());

  it('finds what is held about Sanne, where, and who else receives it', async () => {
    const { code, out } = await inzage('subject', 'find', '--email', 'Sanne.DeBoer@Example.NL');
    assert.equal(code, 0);
    assert.match(out, /shop\.orders\s+4\b/);
    assert.match(out, /MoneyBird/);
    assert.match(out, /\(8 queries\)/);
    const json = JSON.parse((await inzage('subject', 'find', '--email', SANNE.email, '--json')).out);
    assert.equal(json.records.filter((r: { collection: string }) => r.collection === 'invoices').length, 2);
    // Looking at a person from the terminal is audited like a lookup in the back office, without the address.
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{ actor: string; action: string }>;
    assert.equal(trail.filter((e) => e.actor === 'cli' && e.action === 'customer.lookup').length, 2);
    assert.doesNotMatch(JSON.stringify(trail), /sanne/i);
  });

  it('writes her export as a zip with data.json, CSVs and index.html', async () => {
    const file = join(dataDir, 'sanne.zip');
    const { code } = await inzage('subject', 'export', '--email', SANNE.email, '--out', file);
    assert.equal(code, 0);
    const files = unzipSync(readFileSync(file));
    assert.ok(files['data.json'] && files['index.html'] && files['csv/shop/orders.csv']);
    const data = JSON.parse(Buffer.from(files['data.json']!).toString('utf8'));
    assert.ok(data.records.every((r: { system: string; collection: string }) => r.system && r.collection));
  });

  it('refuses an address that is not one, with a message and a non-zero exit', async () => {
    const { code, err } = await inzage('subject', 'find', '--email', 'not-an-address');
    assert.notEqual(code, 0);
    assert.match(err, /--email: "not-an-address" is not an e-mail address/);
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  });

  it('erases her: no text column keeps her address, name, phone or street, and her invoices are sealed', async () => {
    const dry = await inzage('subject', 'erase', '--email', SANNE.email, '--dry-run');
    assert.match(dry.out, /dry run: nothing was changed/);
    const { code, out } = await inzage('subject', 'erase', '--email', SANNE.email);
    assert.equal(code, 0, out);
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{ action: string }>;
    assert.equal(trail.filter((e) => e.action === 'subject.erase').length, 1, 'the dry run is not an erasure');
    assert.match(out, /invoices\s+found 2, anonymised 2, sealed \d until \d{4}-\d\d-\d\d \(fiscal/);

    const shop = new Database(join(dataDir, 'demo-shop.db'), { readonly: true });
    const hub = new Database(join(dataDir, 'inzage.db'), { readonly: true });
    try {
      await assertNoTraceOfSanne((table) => shop.prepare(`select * from ${table}`).all() as Record<string, unknown>[]);
      const sealed = hub.prepare("select count(*) as n from sealed_records where collection = 'invoices'").get() as {
        n: number;
      };
      assert.ok(sealed.n >= 1);
    } finally {
      shop.close();
      hub.close();
    }
    const again = await inzage('subject', 'erase', '--email', SANNE.email);
    assert.equal(again.code, 0);
    assert.match(again.out, /shop: nothing-found/);
  });
});
