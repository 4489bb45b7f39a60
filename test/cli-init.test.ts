import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import { checkAgainstPolicy, checkApiSystems } from '../src/datamap/check.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { INIT_PLATFORMS } from '../src/init/starting-config.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { inzage } from './helpers/cli.ts';

describe('inzage init', () => {
  const root = mkdtempSync(join(tmpdir(), 'inzage-init-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const platform of INIT_PLATFORMS) {
    it(`writes a starting folder for ${platform}: a data map that fits the policy, and a skeleton whose open points lint names`, async () => {
      const dir = join(root, platform);
      const result = await inzage('init', '--platform', platform, '--out', dir);
      assert.equal(result.code, 0, result.err);
      assert.deepEqual(readdirSync(dir).sort(), ['datamap.yaml', 'policy.yaml']);
      assert.match(result.out, /open points in the policy/);
      assert.match(result.out, /template-text: controller\.name/);
      assert.match(result.out, /the processor agreement is not signed yet/);

      const lint = await inzage('policy', 'lint', join(dir, 'policy.yaml'));
      assert.equal(lint.code, 1, 'the skeleton is not a finished policy');
      assert.match(lint.out, /\[NAAM VAN UW BEDRIJF\]/);

      const policy = loadYamlFile(join(dir, 'policy.yaml'), Policy);
      assert.ok(policy.ok, 'the skeleton loads');
      const map = loadDataMap(join(dir, 'datamap.yaml'), { INZAGE_SHOP_DATABASE_URL: 'mysql://shop@localhost/shop' });
      assert.ok(map.ok, JSON.stringify(!map.ok && map.problems));
      const errors = [...checkAgainstPolicy(map.value, policy.value), ...checkApiSystems(map.value, {})].filter(
        (f) => f.severity === 'error',
      );
      assert.deepEqual(errors, []);
    });
  }

  it('refuses a folder that is not empty, and writes nothing into it', async () => {
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const result = await inzage('init', '--platform', 'woocommerce', '--out', dir);
    assert.equal(result.code, 1);
    assert.match(result.err, /is not empty/);
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });

  it('refuses a platform it does not know', async () => {
    const result = await inzage('init', '--platform', 'magento', '--out', join(root, 'magento'));
    assert.notEqual(result.code, 0);
    assert.match(result.err, /woocommerce, prestashop, shopify, myonlinestore, sql/);
  });
});
