import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { cliDataDir, freshDataDir, inzage } from './helpers/cli.ts';

describe('inzage user and inzage audit', () => {
  let dataDir = '';
  let remove = () => {};
  before(async () => {
    ({ dataDir, remove } = await cliDataDir(5));
  });
  after(() => remove());

  /** Changes the hub's file as someone with database access would, behind Inzage's back. */
  const tamper = (statement: string) => {
    const db = new SqliteDatabase(join(dataDir, 'inzage.db'));
    try {
      db.prepare(statement).run();
    } finally {
      db.close();
    }
  };

  it('adds an account with a one-time setup link, lists, resets and disables it', async () => {
    const add = await inzage('user', 'add', '--email', 'Enrico@Balkonzon.test', '--role', 'officer');
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /http:\/\/localhost:8080\/admin\/setup\/[A-Za-z0-9_-]{43}/);
    const list = await inzage('user', 'list');
    assert.match(list.out, /officer\s+awaiting setup\s+no totp\s+enrico@balkonzon\.test/);
    const reset = await inzage('user', 'reset', '--email', 'enrico@balkonzon.test');
    assert.equal(reset.code, 0, reset.err);
    assert.notEqual(reset.out.split('\n').at(-1), add.out.split('\n').at(-1));
    const disable = await inzage('user', 'disable', '--email', 'enrico@balkonzon.test');
    assert.match(disable.out, /disabled/);
    assert.match((await inzage('user', 'list', '--json')).out, /"disabled": true/);
  });

  it('refuses a wrong role, a malformed address and an unknown account with a message', async () => {
    const role = await inzage('user', 'add', '--email', 'a@balkonzon.test', '--role', 'admin');
    assert.equal(role.code, 1);
    assert.match(role.err, /--role must be officer or staff/);
    const email = await inzage('user', 'add', '--email', 'not-an-address', '--role', 'staff');
    assert.equal(email.code, 1);
    assert.match(email.err, /e-mail address/);
    const unknown = await inzage('user', 'disable', '--email', 'nobody@balkonzon.test');
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /No account/);
  });

  it('verifies an intact chain with exit 0, and names the first changed or removed entry with exit 1', async () => {
    const ok = await inzage('audit', 'verify');
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^3 entries, chain intact$/, 'user add, reset and disable were audited');
    const listed = JSON.parse((await inzage('audit', 'list', '--json', '--limit', '2')).out);
    assert.deepEqual(
      listed.map((e: { action: string }) => e.action),
      ['user.disable', 'user.reset'],
    );
    assert.doesNotMatch(JSON.stringify(listed), /@/);

    tamper(`update audit_log set actor = 'system' where seq = 2`);
    const changed = await inzage('audit', 'verify');
    assert.equal(changed.code, 1);
    assert.match(changed.err, /chain broken at entry 2: entry 2 was changed/);

    tamper(`delete from audit_log where seq = 2`);
    const removed = await inzage('audit', 'verify');
    assert.equal(removed.code, 1);
    assert.match(removed.err, /chain broken at entry 2: entry 2 is missing/);
  });
});

describe('inzage user before the first start', () => {
  let remove = () => {};
  before(() => {
    ({ remove } = freshDataDir());
  });
  after(() => remove());

  it('adds the first account and verifies the audit trail without the shop being there', async () => {
    const add = await inzage('user', 'add', '--email', 'eerste@balkonzon.test', '--role', 'officer');
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /\/admin\/setup\//);
    const verify = await inzage('audit', 'verify');
    assert.equal(verify.code, 0, verify.err);
  });
});
