import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliDataDir, freshDataDir, inzage } from './helpers/cli.ts';

describe('inzage retention and subjects, on the demo shop', () => {
  let remove = () => {};
  before(async () => {
    ({ remove } = await cliDataDir(150));
  });
  after(() => remove());

  it('plans in counts, runs without a terminal, and finds nothing left to do after', async () => {
    const sync = await inzage('subjects', 'sync', '--json');
    assert.equal(sync.code, 0, sync.err);
    assert.ok(JSON.parse(sync.out).pastTerm > 0);
    const plan = JSON.parse((await inzage('retention', 'plan', '--at', '2026-11-26', '--json')).out);
    assert.ok(plan.people.toErase > 0);
    assert.equal(plan.emails, undefined, 'the plan shows counts, not addresses');
    const run = await inzage('retention', 'run', '--at', '2026-11-26', '--yes');
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, new RegExp(`erased ${plan.people.toErase} people`));
    assert.match(run.out, /not swept \(processors keep their own terms\): .*mollie/);
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{
      actor: string;
      action: string;
      details: { erased: number };
    }>;
    const recorded = trail.find((e) => e.action === 'retention.run');
    assert.equal(recorded?.actor, 'cli');
    assert.equal(recorded?.details.erased, plan.people.toErase);
    const again = JSON.parse((await inzage('retention', 'plan', '--at', '2026-11-26', '--json')).out);
    assert.equal(again.people.toErase, 0);
    const register = await inzage('requests', 'list');
    assert.match(register.out, /erasure\s+completed.*\(identity erased\)/);
  });

  it('refuses a run dated in the future, before erasing anyone, with a non-zero exit', async () => {
    const runs = async () =>
      (JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{ action: string }>).filter(
        (e) => e.action === 'retention.run',
      ).length;
    const recorded = await runs();
    const before = JSON.parse((await inzage('retention', 'plan', '--at', '2099-01-01', '--json')).out);
    assert.ok(before.people.toErase > 0, 'a run dated then would erase people');
    const ahead = await inzage('retention', 'run', '--at', '2099-01-01', '--yes', '--json');
    assert.notEqual(ahead.code, 0);
    assert.match(ahead.err, /--at: 2099-01-01T12:00:00\.000Z is in the future .*erase people before their term ends/);
    assert.equal(ahead.out, '', 'no summary: nothing ran');
    const after = JSON.parse((await inzage('retention', 'plan', '--at', '2099-01-01', '--json')).out);
    assert.equal(after.people.toErase, before.people.toErase, 'nobody was erased');
    assert.equal(await runs(), recorded, 'and no run recorded');
  });

  it('refuses a date that is not one', async () => {
    const bad = await inzage('retention', 'plan', '--at', 'gisteren');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--at: "gisteren" is not a date/);
  });
});

describe('inzage retention before the first start', () => {
  let dataDir = '';
  let remove = () => {};
  before(() => {
    ({ dataDir, remove } = freshDataDir());
  });
  after(() => remove());

  it('writes the demo shop as the first start would, says so once, and plans on it', async () => {
    const first = await inzage('retention', 'plan', '--json');
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /wrote the demo shop \(1,000 customers\)/);
    assert.ok(existsSync(join(dataDir, 'demo-shop.db')));
    assert.ok(JSON.parse(first.out).people.known >= 1000);
    const again = await inzage('requests', 'list');
    assert.equal(again.code, 0, again.err);
    assert.doesNotMatch(again.err, /demo shop/);
  });
});
