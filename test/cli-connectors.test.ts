import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeProcessor } from './fakes/fake-processor.ts';
import { startMollieFake } from './fakes/mollie.fake.ts';
import { startMoneybirdFake } from './fakes/moneybird.fake.ts';
import { inzage } from './helpers/cli.ts';

describe('inzage connectors test', () => {
  let mollie: FakeProcessor;
  let moneybird: FakeProcessor;
  let dataDir: string;
  const saved = { ...process.env };

  before(async () => {
    mollie = await startMollieFake({ filler: 0 });
    moneybird = await startMoneybirdFake();
    dataDir = mkdtempSync(join(tmpdir(), 'inzage-connectors-'));
    process.env.INZAGE_DATA_DIR = dataDir;
    process.env.INZAGE_CONFIG_DIR = 'examples/balkonzon';
    Object.assign(process.env, mollie.env, moneybird.env);
  });
  after(async () => {
    process.env = saved;
    await mollie?.close();
    await moneybird?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes the configured processors that answer and names the variables the others lack', async () => {
    const { code, out } = await inzage('connectors', 'test');
    assert.equal(code, 0, out);
    assert.match(out, /^mollie \(mollie, processor mollie\): ok$/m);
    assert.match(out, /^moneybird \(moneybird, processor moneybird\): ok$/m);
    assert.match(out, /office365 .*not configured — MS_TENANT_ID, MS_CLIENT_ID, MS_CLIENT_SECRET not set/);
    assert.doesNotMatch(out, new RegExp(Object.values(mollie.env).join('|').replace(/[/.:]/g, '\\$&')));
  });

  it('fails, with a plain answer, when a configured processor cannot be reached', async () => {
    mollie.down(true);
    try {
      const { code, out } = await inzage('connectors', 'test', '--json');
      assert.equal(code, 1);
      const result = JSON.parse(out) as { ok: boolean; systems: Array<{ system: string; state: string }> };
      assert.equal(result.ok, false);
      assert.equal(result.systems.find((s) => s.system === 'mollie')?.state, 'failed');
      assert.equal(result.systems.find((s) => s.system === 'moneybird')?.state, 'ok');
    } finally {
      mollie.down(false);
    }
  });
});
