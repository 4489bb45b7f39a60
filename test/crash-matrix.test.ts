import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateDemoShop, SANNE } from '../src/demo/demo-shop.ts';
import { FAILPOINT_EXIT_CODE, type Failpoint } from '../src/lib/failpoints.ts';
import { type CrashSite, crashSite, outcomeOf, runProcess } from './helpers/crash.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

/**
 * The crash matrix (issue 14, docs/failpoints.md): each failpoint kills a real `inzage worker --once`
 * process at its place; a second run takes over, and everything that matters (shop, register, timeline,
 * tasks, mails, audit chain, sealed archive, exports) must equal what one uninterrupted run leaves.
 */
const SCENARIOS = {
  // Sanne's erasure, entered by the officer with her identity checked: it runs at the first worker.
  erasure: ['requests', 'create', '--type', 'erasure', '--email', SANNE.email, '--identity-checked'],
  // Her access request: the package is stored, then linked in an e-mail.
  access: ['requests', 'create', '--type', 'access', '--email', SANNE.email, '--identity-checked'],
  // A request without a checked identity: the worker's first job is the verification e-mail.
  verification: ['requests', 'create', '--type', 'access', '--email', SANNE.email],
} as const;

const MATRIX: Array<[Failpoint, keyof typeof SCENARIOS]> = [
  ['erasure.before-shop-commit', 'erasure'],
  ['erasure.after-seal', 'erasure'],
  ['erasure.after-shop-commit', 'erasure'],
  ['export.after-store', 'access'],
  ['mail.after-send', 'verification'],
];

for (const dialect of DIALECTS) {
  describe(`the crash matrix on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let templateDir: string;
    let shopTemplate: string;
    const sites: CrashSite[] = [];
    const baselines = new Map<string, Record<string, unknown>>();
    before(async () => {
      templateDir = mkdtempSync(join(tmpdir(), 'inzage-crash-shop-'));
      shopTemplate = join(templateDir, 'demo-shop.db');
      await generateDemoShop({ customers: 30, target: { kind: 'sqlite', file: shopTemplate } });
    });
    after(async () => {
      for (const s of sites) await s.close();
      rmSync(templateDir, { recursive: true, force: true });
    });

    const prepared = async (scenario: keyof typeof SCENARIOS) => {
      const site = await crashSite(dialect, shopTemplate);
      sites.push(site);
      const created = await runProcess(site, [...SCENARIOS[scenario]]);
      assert.equal(created.code, 0, created.err);
      return site;
    };

    const baseline = async (scenario: keyof typeof SCENARIOS) => {
      const known = baselines.get(scenario);
      if (known) return known;
      const site = await prepared(scenario);
      const run = await runProcess(site, ['worker', '--once']);
      assert.equal(run.code, 0, run.err);
      const outcome = await outcomeOf(site);
      baselines.set(scenario, outcome);
      return outcome;
    };

    for (const [failpoint, scenario] of MATRIX) {
      it(`${failpoint}: killed there and run again, it records what an uninterrupted run does`, async () => {
        const expected = await baseline(scenario);
        const site = await prepared(scenario);
        const killed = await runProcess(site, ['worker', '--once'], [failpoint]);
        assert.equal(killed.code, FAILPOINT_EXIT_CODE, `the process died at ${failpoint}: ${killed.err}`);
        assert.match(killed.err, new RegExp(`failpoint ${failpoint.replace('.', '\\.')}`));
        const resumed = await runProcess(site, ['worker', '--once']);
        assert.equal(resumed.code, 0, resumed.err);
        assert.deepEqual(await outcomeOf(site), expected);
      });
    }
  });
}
