import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { CookieConsentRepository } from '../consent/cookie-consent.repository.ts';
import { migrateToLatest, openStore } from '../store/database.ts';
import { formatConsentStats, registerConsentCommands } from './consent.command.ts';

/** Runs `inzage consent …` in this process on a data folder of its own. */
async function consent(...args: string[]): Promise<string> {
  const out: string[] = [];
  const program = new Command('inzage').exitOverride();
  registerConsentCommands(program, { out: (s) => out.push(s), err: (s) => out.push(s) });
  await program.parseAsync(['consent', ...args], { from: 'user' });
  return out.join('\n');
}

describe('inzage consent stats', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-consent-cli-'));
  const saved = { ...process.env };
  before(() => {
    process.env.INZAGE_DATA_DIR = dataDir;
    // The policy without the data map: the stats need no shop database.
    const configDir = join(dataDir, 'config');
    mkdirSync(configDir);
    copyFileSync('examples/balkonzon/policy.yaml', join(configDir, 'policy.yaml'));
    process.env.INZAGE_CONFIG_DIR = configDir;
    delete process.env.INZAGE_DATABASE_URL;
  });
  after(() => {
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says so when nothing is recorded, and gives rates per policy version and category', async () => {
    assert.equal(await consent('stats'), 'no cookie choices recorded');
    const store = openStore({ dialect: 'sqlite', file: join(dataDir, 'inzage.db') });
    await migrateToLatest(store);
    const repo = new CookieConsentRepository(store.db);
    const base = { policyVersion: '2026-11-01', bannerVersion: 'b', ipTruncated: null, userAgentFamily: null };
    for (const [i, analytics] of [true, false, false, true].entries()) {
      await repo.add({
        ...base,
        consentId: `00000000-0000-4000-8000-00000000000${i}`,
        choices: { necessary: true, analytics },
        gpc: i === 2,
        createdAt: `2026-11-01T09:00:0${i}.000Z`,
      });
    }
    await store.close();
    assert.deepEqual((await consent('stats')).split('\n'), [
      'policy 2026-11-01: 4 visitor(s), 1 by Global Privacy Control',
      '  analytics   50.0 %  (2 of 4)',
      '  necessary  100.0 %  (4 of 4)',
    ]);
    const json = JSON.parse(await consent('stats', '--json'));
    assert.equal(json[0].categories.find((c: { id: string }) => c.id === 'analytics').rate, 0.5);
  });

  it('formats an empty list as one plain line', () => {
    assert.deepEqual(formatConsentStats([]), ['no cookie choices recorded']);
  });
});
