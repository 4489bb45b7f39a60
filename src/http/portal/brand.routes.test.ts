import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, EXAMPLE_POLICY_FILE, type TestApp } from '../../../test/helpers/app.ts';

const html = { accept: 'text/html' };

describe("the shop's look on the portal and /privacy", () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('serves the logo file from the config folder, sandboxed, with a validator', async () => {
    const res = await t.app.inject({ url: '/assets/brand-logo' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/svg+xml');
    assert.match(res.body, /^<svg /);
    assert.match(String(res.headers['content-security-policy']), /sandbox/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    const again = await t.app.inject({
      url: '/assets/brand-logo',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });

  it("puts the shop's logo, name, colour and the way back to the shop in the portal's header", async () => {
    const res = await t.app.inject({ url: '/', headers: html });
    assert.match(res.body, /<html lang="nl">/);
    assert.match(res.body, /<body style="--brand:#c2410c;--on-brand:#ffffff;--accent:#c2410c">/);
    assert.match(
      res.body,
      /<a class="brand" href="\/\?lang=nl"><img class="logo" src="\/assets\/brand-logo" alt(="")? height="32"\/><span>Balkonzon<\/span><\/a>/,
    );
    assert.match(res.body, /<a class="shop-link" href="https:\/\/balkonzon.nl">Terug naar balkonzon.nl<\/a>/);
    assert.match(res.body, /<title>[^<]* · Balkonzon<\/title>/);
    const en = await t.app.inject({ url: '/?lang=en', headers: html });
    assert.match(en.body, />Back to balkonzon.nl</);
  });

  it('gives /privacy a header with the shop, the portal, earlier versions and the other language', async () => {
    const res = await t.app.inject({ url: '/privacy' });
    assert.equal(res.statusCode, 200);
    const body = res.body;
    assert.match(body, /<header class="site">.*<span>Balkonzon<\/span>/s);
    assert.match(body, /<a href="\/\?lang=nl">Uw rechten<\/a>/, 'the portal');
    assert.match(body, /<a href="\/privacy\/versions\?lang=nl">Eerdere versies van dit beleid<\/a>/);
    assert.match(
      body,
      /<a href="\/privacy\?lang=en" hreflang="en" lang="en">(English|Read this policy in English)<\/a>/,
    );
    assert.match(body, /<h1>Privacybeleid Balkonzon b.v.<\/h1>/);
    const en = await t.app.inject({ url: '/privacy?lang=en' });
    assert.match(en.body, /<a href="\/privacy\/versions\?lang=en">Earlier versions of this policy<\/a>/);
    assert.match(
      en.body,
      /<a href="\/privacy\?lang=nl" hreflang="nl" lang="nl">Lees dit beleid in het Nederlands<\/a>/,
    );
  });

  it('puts every table of /privacy in a named region that takes keyboard focus, so it scrolls by keyboard', async () => {
    const body = (await t.app.inject({ url: '/privacy' })).body;
    const tables = body.match(/<table>/g) ?? [];
    const regions = [...body.matchAll(/<section class="table" aria-label="([^"]+)" tabindex="0"><table>/g)];
    assert.ok(tables.length >= 4, `${tables.length} tables`);
    assert.equal(regions.length, tables.length);
    assert.ok(regions.every((m) => m[1]!.startsWith('Tabel: ')));
    assert.equal(new Set(regions.map((m) => m[1])).size, regions.length, 'each region has a name of its own');
  });
});

describe('a config folder without branding.yaml', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inzage-nobrand-'));
    copyFileSync(EXAMPLE_POLICY_FILE, join(dir, 'policy.yaml'));
    t = await buildTestApp('sqlite', { env: { INZAGE_CONFIG_DIR: dir } });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the policy's name in Inzage's colour, without a logo or a link to a shop", async () => {
    const res = await t.app.inject({ url: '/', headers: html });
    assert.match(res.body, /<span>Balkonzon b.v.<\/span>/);
    assert.match(res.body, /--brand:#0b6e4f/);
    assert.doesNotMatch(res.body, /<img|shop-link/);
    assert.equal((await t.app.inject({ url: '/assets/brand-logo' })).statusCode, 404);
  });
});

describe('a logo on the shop’s own server', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inzage-urlbrand-'));
    copyFileSync(EXAMPLE_POLICY_FILE, join(dir, 'policy.yaml'));
    writeFileSync(join(dir, 'branding.yaml'), 'logo: https://cdn.balkonzon.nl/img/logo.png\n');
    t = await buildTestApp('sqlite', { env: { INZAGE_CONFIG_DIR: dir } });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is loaded from there, and the pages’ Content-Security-Policy allows that origin for images only', async () => {
    const res = await t.app.inject({ url: '/', headers: html });
    assert.match(res.body, /<img class="logo" src="https:\/\/cdn.balkonzon.nl\/img\/logo.png"/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /img-src 'self' data: https:\/\/cdn.balkonzon.nl(;|$)/);
    assert.doesNotMatch(csp.replace(/img-src[^;]*/, ''), /cdn\.balkonzon/);
  });
});
