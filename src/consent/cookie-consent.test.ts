import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliCompressSync } from 'node:zlib';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { brandColors } from '../lib/branding.ts';
import { BannerBuilder, bannerConfig, brandCss } from './cookie-consent.banner.ts';
import { consentRates, parseShopOrigins, truncateIp, userAgentFamily } from './cookie-consent.ts';

describe('truncating the address a proof came from', () => {
  it('zeroes the last octet of an IPv4 address', () => {
    assert.equal(truncateIp('192.168.10.254'), '192.168.10.0');
    assert.equal(truncateIp('::ffff:198.51.100.9'), '198.51.100.0');
  });

  it('cuts an IPv6 address to its /48', () => {
    assert.equal(truncateIp('2001:0db8:85a3:08d3:1319:8a2e:0370:7348'), '2001:db8:85a3::');
    assert.equal(truncateIp('2001:db8::1'), '2001:db8::');
    assert.equal(truncateIp('fe80::1%eth0'), 'fe80::');
    assert.equal(truncateIp('::1'), '::');
  });

  it('keeps nothing of what is not an address', () => {
    assert.equal(truncateIp(undefined), null);
    assert.equal(truncateIp('unknown'), null);
  });
});

describe('the browser family', () => {
  it('names the family and nothing more', () => {
    const ua = {
      chrome: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      edge: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0',
      firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      safari:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
      bot: 'Mozilla/5.0 (compatible; Googlebot/2.1)',
    };
    for (const [family, s] of Object.entries(ua)) assert.equal(userAgentFamily(s), family);
    assert.equal(userAgentFamily(undefined), null);
    assert.equal(userAgentFamily('curl/8.0'), 'other');
  });
});

describe('the shop origins', () => {
  it("always allows the hub's own origin and adds the configured ones", () => {
    assert.deepEqual(
      [...parseShopOrigins(' https://www.balkonzon.nl ,http://localhost:8080/', 'https://privacy.balkonzon.nl/')],
      ['https://privacy.balkonzon.nl', 'https://www.balkonzon.nl', 'http://localhost:8080'],
    );
    assert.deepEqual([...parseShopOrigins('', 'http://localhost:3000')], ['http://localhost:3000']);
  });

  it('names every entry that is not an origin', () => {
    assert.throws(() => parseShopOrigins('*,ftp://x.example', 'http://h'), /\*, ftp:\/\/x\.example/);
  });
});

describe('consent rates', () => {
  it('sums visitors per policy version and category', () => {
    const rates = consentRates([
      { policyVersion: '2', choices: { necessary: true, analytics: true }, gpc: false, visitors: 3 },
      { policyVersion: '2', choices: { necessary: true, analytics: false }, gpc: true, visitors: 1 },
    ]);
    assert.deepEqual(rates, [
      {
        policyVersion: '2',
        visitors: 4,
        byGpc: 1,
        categories: [
          { id: 'necessary', granted: 4, rate: 1 },
          { id: 'analytics', granted: 3, rate: 0.75 },
        ],
      },
    ]);
  });
});

describe('the banner script', () => {
  const policy = loadExamplePolicy();

  it("takes categories, cookies, version, validity and mode from the policy's cookie section", () => {
    const config = bannerConfig(policy, 'https://privacy.balkonzon.nl');
    assert.equal(config.pv, policy.version);
    assert.deepEqual(config.valid, [0, 12, 0]);
    assert.deepEqual(
      config.cats.map((c) => [c.id, c.req, c.sig]),
      [
        ['necessary', true, []],
        ['analytics', false, ['analytics_storage']],
      ],
    );
    assert.deepEqual(
      config.cats[1]!.cookies.map((k) => k.n),
      ['_ga', '_ga_<container-id>'],
    );
    assert.deepEqual(config.adv, [], 'basic mode unless the policy says advanced');
    const advanced = structuredClone(policy);
    advanced.cookies.services[0]!.consentMode = 'advanced';
    assert.deepEqual(bannerConfig(advanced, 'x').adv, ['google-analytics']);
  });

  it('is at most 6 KB with brotli, and built once per policy', async () => {
    const builder = new BannerBuilder();
    const first = await builder.get(policy, 'https://privacy.balkonzon.nl');
    const size = brotliCompressSync(first.code).length;
    assert.ok(size <= 6 * 1024, `banner.js is ${size} bytes with brotli`);
    assert.equal(await builder.get(policy, 'https://privacy.balkonzon.nl'), first);
    const next = await builder.get({ ...policy, version: 'next' }, 'https://privacy.balkonzon.nl');
    assert.notEqual(next.version, first.version, 'a new policy version is a new banner version');
  });

  it("builds the shop's colours in as defaults a shop's own custom properties still override", async () => {
    const branding = { name: 'Balkonzon', ...brandColors('#ffd400') };
    assert.equal(
      brandCss(branding),
      `:host{--_brand:#ffd400;--_brand-text:#000000;--_brand-link:${branding.linkColor}}`,
    );
    assert.equal(brandCss(undefined), '');
    const builder = new BannerBuilder();
    const plain = await builder.get(policy, 'https://privacy.balkonzon.nl');
    const yellow = await builder.get(policy, 'https://privacy.balkonzon.nl', branding);
    assert.ok(yellow.code.includes('--_brand:#ffd400'));
    assert.ok(yellow.code.includes('var(--inzage-button-bg, var(--_brand, #1a1a1a))'), 'the shop’s property first');
    assert.notEqual(yellow.version, plain.version, 'a new colour is a new banner version');
  });
});
