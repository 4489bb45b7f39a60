import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../src/cli/program.ts';
import { generateDemoShop } from '../src/demo/demo-shop.ts';

async function inzage(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.exitCode = undefined;
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  process.exitCode = undefined;
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('inzage retention and subjects, on the demo shop', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-cli-retention-'));
  before(async () => {
    process.env.INZAGE_DATA_DIR = dataDir;
    process.env.INZAGE_CONFIG_DIR = 'examples/balkonzon';
    delete process.env.INZAGE_DATABASE_URL;
    delete process.env.INZAGE_SHOP_DATABASE_URL;
    await generateDemoShop({ customers: 150, target: { kind: 'sqlite', file: join(dataDir, 'demo-shop.db') } });
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

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
    const again = JSON.parse((await inzage('retention', 'plan', '--at', '2026-11-26', '--json')).out);
    assert.equal(again.people.toErase, 0);
    const register = await inzage('requests', 'list');
    assert.match(register.out, /erasure\s+completed.*\(identity erased\)/);
  });

  it('refuses a date that is not one', async () => {
    const bad = await inzage('retention', 'plan', '--at', 'gisteren');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--at: "gisteren" is not a date/);
  });
});
