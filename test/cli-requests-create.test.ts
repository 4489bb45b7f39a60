import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cliDataDir, inzage } from './helpers/cli.ts';

interface Created {
  id: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  legalDueAt: string;
  channel: string;
}

describe('inzage requests create: a request by e-mail or post, entered with the day it arrived', () => {
  let remove = () => {};
  before(async () => {
    ({ remove } = await cliDataDir(20));
  });
  after(() => remove());

  const registerSize = async () => (JSON.parse((await inzage('requests', 'list', '--json')).out) as unknown[]).length;

  it('counts the deadlines from --received and prints id, status, receivedAt, dueAt and legalDueAt as JSON', async () => {
    const res = await inzage(
      'requests',
      'create',
      '--type',
      'access',
      '--email',
      'per.post@example.com',
      '--received',
      '2026-01-31',
      '--channel',
      'post',
      '--name',
      'Per Post',
      '--json',
    );
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out) as Created;
    assert.equal(r.status, 'awaiting_verification');
    assert.equal(r.receivedAt, '2026-01-30T23:00:00.000Z'); // 31 January, 00:00 in Amsterdam
    // One month ends on Saturday 28 February 2026, so on Monday 2 March; 30 days end on 2 March too.
    assert.equal(r.legalDueAt, '2026-03-02T22:59:59.999Z');
    assert.equal(r.dueAt, '2026-03-02T22:59:59.999Z');
    const shown = JSON.parse((await inzage('requests', 'show', r.id, '--json')).out) as Created & { name: string };
    assert.equal(shown.channel, 'post');
    assert.equal(shown.name, 'Per Post');
    assert.match((await inzage('requests', 'list')).out, new RegExp(`${r.id}.*received 2026-01-31`));
  });

  it('with --identity-checked starts handling at once and records the officer’s check in the audit trail', async () => {
    const res = await inzage(
      'requests',
      'create',
      '--type',
      'erasure',
      '--email',
      'aan.de.balie@example.com',
      '--channel',
      'in-person',
      '--identity-checked',
      '--json',
    );
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out) as Created;
    assert.equal(r.status, 'verified');
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{
      actor: string;
      action: string;
      target: string;
      details: Record<string, unknown>;
    }>;
    const entry = trail.find((e) => e.action === 'request.create' && e.target === `request:${r.id}`);
    assert.equal(entry?.actor, 'cli');
    assert.equal(entry?.details.identityChecked, true);
    assert.equal(entry?.details.channel, 'in-person');
    assert.doesNotMatch(JSON.stringify(trail), /aan\.de\.balie/);
  });

  it('says in words what it entered without --json', async () => {
    const res = await inzage(
      'requests',
      'create',
      '--type',
      'portability',
      '--email',
      'mail@example.com',
      '--received',
      '2026-03-31',
    );
    assert.equal(res.code, 0, res.err);
    assert.match(
      res.out,
      /entered request .*: awaiting_verification; received 2026-03-31, due 2026-04-30 \(legal deadline 2026-04-30/,
    );
    assert.match(res.out, /verification link/);
  });

  for (const [received, message] of [
    ['2999-01-01', /--received is in the future/],
    ['2026-02-30', /--received must be a day of the calendar as YYYY-MM-DD/],
    ['31-01-2026', /--received must be a day of the calendar as YYYY-MM-DD/],
  ] as const) {
    it(`refuses --received ${received} with a clear message, a non-zero exit, and nothing stored`, async () => {
      const before = await registerSize();
      const res = await inzage(
        'requests',
        'create',
        '--type',
        'access',
        '--email',
        'x@example.com',
        '--received',
        received,
      );
      assert.notEqual(res.code, 0);
      assert.match(res.err, message);
      assert.doesNotMatch(res.err, /\n\s+at /);
      assert.equal(await registerSize(), before);
    });
  }

  it('refuses to extend a request whose legal month has ended, saying so, and records nothing', async () => {
    const created = await inzage(
      'requests',
      'create',
      '--type',
      'access',
      '--email',
      'lang.geleden@example.com',
      '--received',
      '2026-01-31',
      '--identity-checked',
      '--json',
    );
    const { id } = JSON.parse(created.out) as Created;
    assert.match((await inzage('requests', 'show', id)).out, /came by: email/);
    const res = await inzage('requests', 'extend', id, '--reason', 'Veel verzoeken');
    assert.notEqual(res.code, 0);
    assert.match(res.err, /the legal deadline of 2 March 2026 has passed/);
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{
      action: string;
      target: string;
    }>;
    assert.equal(trail.filter((e) => e.action === 'request.extend' && e.target === `request:${id}`).length, 0);
  });

  it('refuses an unknown channel and a missing --email', async () => {
    const channel = await inzage(
      'requests',
      'create',
      '--type',
      'access',
      '--email',
      'x@example.com',
      '--channel',
      'fax',
    );
    assert.notEqual(channel.code, 0);
    assert.match(channel.err, /--channel must be one of email, post, phone, in-person/);
    const missing = await inzage('requests', 'create', '--type', 'access');
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /--email/);
  });
});
