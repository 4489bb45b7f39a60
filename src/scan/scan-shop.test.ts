import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../config/config.ts';
import { loadYamlFile } from '../config/yaml-file.ts';
import { InzageError } from '../lib/errors.ts';
import { Policy } from '../policy/policy.schema.ts';
import { DEFAULT_SCAN_CONFIG, loadScanConfig, type ScanConfig } from './scan-config.ts';
import { planScan } from './scan-shop.ts';

const loaded = loadYamlFile(new URL('../../examples/balkonzon/policy.yaml', import.meta.url).pathname, Policy);
if (!loaded.ok) throw new Error('the example policy does not load');
const policy = loaded.value;
const HUB = 'https://privacy.balkonzon.nl';

const plan = (urls: string[], config: Partial<ScanConfig> = {}, shopOrigins?: string) =>
  planScan({ urls, policy, config: { ...DEFAULT_SCAN_CONFIG, ...config }, baseUrl: HUB, shopOrigins });

describe('what inzage scan visits', () => {
  it("starts from the policy's website and scan.yaml's pages, with scan.yaml's limits", () => {
    const { options, adopted } = plan([], {
      pages: ['/zonnepanelen', 'https://www.balkonzon.nl/winkelwagen'],
      maxPages: 7,
    });
    assert.deepEqual(options.start, [
      'https://balkonzon.nl/',
      'https://balkonzon.nl/zonnepanelen',
      'https://www.balkonzon.nl/winkelwagen',
    ]);
    assert.deepEqual(adopted, []);
    assert.equal(options.maxPages, 7);
    assert.equal(options.pageTimeoutMs, 20_000);
    assert.equal(options.totalTimeoutMs, 300_000);
    assert.deepEqual(options.buttons.reject, ['Alles weigeren', 'Reject all'], "Inzage's own buttons");
  });

  it('counts the hub and INZAGE_SHOP_ORIGINS as the shop, and follows links on all of them by default', () => {
    const { options } = plan([], {}, 'https://winkel.example');
    for (const own of [HUB, 'https://winkel.example/a', 'https://cdn.balkonzon.nl/x.js']) {
      assert.ok(options.shop.ownsUrl(new URL(own)), own);
      assert.ok(options.crawl.ownsUrl(new URL(own)), own);
    }
    assert.ok(!options.shop.ownsUrl(new URL('https://www.googletagmanager.com/gtag/js')));
  });

  it("scans a named URL as the shop's own, says so when it is not configured, and follows links on its origin only", () => {
    const { options, adopted } = plan(['http://127.0.0.1:4000/demo/shop']);
    assert.deepEqual(options.start, ['http://127.0.0.1:4000/demo/shop']);
    assert.deepEqual(adopted, ['http://127.0.0.1:4000/demo/shop']);
    assert.ok(options.shop.ownsUrl(new URL(HUB)));
    assert.ok(!options.crawl.ownsUrl(new URL('https://balkonzon.nl/')), 'named pages keep the crawl to their origin');
    assert.deepEqual(plan(['https://balkonzon.nl/x']).adopted, []);
  });

  it('refuses a URL that is not http(s), and a scan.yaml page off the shop, naming the field', () => {
    assert.throws(
      () => plan(['javascript:alert(1)']),
      (e: unknown) => e instanceof InzageError && e.field === 'url',
    );
    assert.throws(
      () => plan([], { pages: ['https://elders.example/'] }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /scan\.yaml pages\[0\]: "https:\/\/elders\.example\/" is not a page/.test(e.message),
    );
    const noSite = { ...policy, controller: { ...policy.controller, website: undefined } };
    assert.throws(
      () => planScan({ urls: [], policy: noSite, config: DEFAULT_SCAN_CONFIG, baseUrl: HUB }),
      /no page to scan: name a URL, or set home in scan.yaml/,
    );
  });

  it('reads scan.yaml when there is one, and names the line of a mistake', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-scan-config-'));
    try {
      assert.equal(loadScanConfig(dir), DEFAULT_SCAN_CONFIG, 'no file: the defaults, no daily scan');
      writeFileSync(
        join(dir, 'scan.yaml'),
        'home: https://www.balkonzon.nl/\ndaily: true\nbanner: { accept: Prima, reject: [Nee, Weiger] }\n',
      );
      const config = loadScanConfig(dir);
      assert.equal(config.daily, true);
      assert.deepEqual(config.banner, { accept: ['Prima'], reject: ['Nee', 'Weiger'] });
      writeFileSync(join(dir, 'scan.yaml'), 'maxPages: 0\npagez: []\n');
      assert.throws(
        () => loadScanConfig(dir),
        (e: unknown) =>
          e instanceof ConfigError &&
          /scan\.yaml:1:\d+ maxPages: /.test(e.message) &&
          /scan\.yaml:2:\d+ pagez: unknown key/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
