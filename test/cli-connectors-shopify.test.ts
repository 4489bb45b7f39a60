import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ShopifyFake, startShopifyFake } from './fakes/shopify.fake.ts';
import { inzage } from './helpers/cli.ts';

/** A shop on Shopify: the example policy, and a data map whose webshop is Shopify's API (README, "Shopify"). */
const DATAMAP = `placeholder: '[verwijderd]'
systems:
  shopify:
    type: api
    name: Shopify
    connector: shopify
    processor: myonlinestore
    url: \${SHOPIFY_API_URL:-}
    credentials:
      shop: SHOPIFY_SHOP_DOMAIN
      accessToken: SHOPIFY_ACCESS_TOKEN
    options:
      apiVersion: '2025-07'
    contact: Shopify-admin van de winkel
    days: 30
    instructions:
      nl: Zoek de klant in Shopify en kies Persoonsgegevens wissen.
      en: Find the customer in Shopify and choose Erase personal data.
`;

describe('inzage connectors test, for a shop on Shopify', () => {
  let fake: ShopifyFake;
  let dir: string;
  const saved = { ...process.env };

  before(async () => {
    fake = await startShopifyFake();
    dir = mkdtempSync(join(tmpdir(), 'inzage-shopify-'));
    copyFileSync('examples/balkonzon/policy.yaml', join(dir, 'policy.yaml'));
    writeFileSync(join(dir, 'datamap.yaml'), DATAMAP);
    process.env.INZAGE_DATA_DIR = dir;
    process.env.INZAGE_CONFIG_DIR = dir;
  });
  after(async () => {
    process.env = saved;
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the variables a shop has not set yet', async () => {
    const { code, out } = await inzage('connectors', 'test');
    assert.equal(code, 0, out);
    assert.match(out, /^shopify \(shopify, .*not configured — SHOPIFY_SHOP_DOMAIN, SHOPIFY_ACCESS_TOKEN not set/m);
  });

  it('passes when Shopify answers the token, and fails with a plain answer when it refuses it', async () => {
    Object.assign(process.env, fake.env);
    const ok = await inzage('connectors', 'test');
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /^shopify \(shopify, processor myonlinestore\): ok$/m);
    assert.match(ok.out, /ok {3}shop: Shopify answered for the shop balkonzon\.myshopify\.com/);
    assert.doesNotMatch(ok.out, new RegExp(fake.accessToken));
    process.env.SHOPIFY_ACCESS_TOKEN = 'shpat_ffffffffffffffffffffffffffffffff';
    const refused = await inzage('connectors', 'test', '--json');
    assert.equal(refused.code, 1);
    const result = JSON.parse(refused.out) as { systems: Array<{ system: string; state: string }> };
    assert.equal(result.systems.find((s) => s.system === 'shopify')?.state, 'failed');
  });
});
