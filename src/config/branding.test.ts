import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import { DEFAULT_PRIMARY_COLOR, readableOnWhite, textOn } from '../lib/branding.ts';
import { BRAND_LOGO_PATH, loadBranding } from './branding.ts';
import { ConfigError, loadConfig } from './config.ts';

extend([a11yPlugin]);
const contrast = (a: string, b: string) => colord(a).contrast(b);
const EXAMPLE = resolve('examples/balkonzon');
const defaults = { name: 'Balkonzon b.v.', baseUrl: 'https://privacy.balkonzon.nl' };
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function folder(branding?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-branding-'));
  dirs.push(dir);
  if (branding !== undefined) writeFileSync(join(dir, 'branding.yaml'), branding);
  return dir;
}

describe('branding.yaml', () => {
  it("without the file, uses the policy's name and Inzage's own colour", () => {
    const result = loadBranding(folder(), defaults);
    assert.ok(result.ok);
    assert.equal(result.value.name, 'Balkonzon b.v.');
    assert.equal(result.value.primaryColor, DEFAULT_PRIMARY_COLOR);
    assert.equal(result.value.logo, undefined);
    assert.equal(result.value.shopUrl, undefined);
  });

  it("reads the example's name, logo file, colour and shop address", () => {
    const result = loadBranding(EXAMPLE, defaults);
    assert.ok(result.ok);
    assert.equal(result.value.name, 'Balkonzon');
    assert.equal(result.value.primaryColor, '#c2410c');
    assert.equal(result.value.shopUrl, 'https://balkonzon.nl');
    assert.deepEqual(result.value.logo, {
      src: BRAND_LOGO_PATH,
      absolute: `https://privacy.balkonzon.nl${BRAND_LOGO_PATH}`,
      file: { path: join(EXAMPLE, 'logo.svg'), contentType: 'image/svg+xml' },
    });
  });

  it('takes a logo on the shop’s own https server as it is', () => {
    const result = loadBranding(folder('logo: https://balkonzon.nl/logo.png\n'), defaults);
    assert.ok(result.ok);
    assert.deepEqual(result.value.logo, {
      src: 'https://balkonzon.nl/logo.png',
      absolute: 'https://balkonzon.nl/logo.png',
    });
  });

  it('keeps text on any colour and links in it readable at 4.5:1 (WCAG 2.2 SC 1.4.3)', () => {
    for (const colour of ['#ffd400', '#c2410c', '#777777', '#0b6e4f', '#ffffff', '#000000', '#7fdbff']) {
      assert.ok(contrast(textOn(colour), colour) >= 4.5, `text on ${colour}`);
      const link = readableOnWhite(colour);
      assert.ok(contrast(link, '#ffffff') >= 4.5, `link ${link} for ${colour}`);
    }
    assert.equal(readableOnWhite('#0b6e4f'), '#0b6e4f', 'a dark enough colour is used as it is');
    assert.equal(textOn('#ffd400'), '#000000', 'black on yellow');
    assert.equal(textOn('#c2410c'), '#ffffff', 'white on dark orange');
    const result = loadBranding(folder("primaryColor: 'rgb(255 212 0)'\n"), defaults);
    assert.ok(result.ok);
    assert.equal(result.value.primaryColor, '#ffd400', 'any CSS colour, kept as #rrggbb');
  });

  it('names the file, line and key of every mistake', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['primaryColor: orangeish\n', 'primaryColor', /must be a CSS colour/],
      ['colour: red\n', 'colour', /unknown key/],
      ['shopUrl: balkonzon.nl\n', 'shopUrl', /must be an http\(s\) URL/],
      ['logo: ../policy.yaml\n', 'logo', /inside the config folder/],
      ['logo: missing.png\n', 'logo', /file not found: missing.png/],
      ['logo: http://balkonzon.nl/logo.png\n', 'logo', /an https:\/\/ URL/],
      ['logo: "javascript:alert(1)"\n', 'logo', /an https:\/\/ URL/],
      ['logo: branding.yaml\n', 'logo', /must be an .svg, .png/],
    ];
    for (const [yaml, path, message] of cases) {
      const dir = folder(`name: Balkonzon\n${yaml}`);
      const result = loadBranding(dir, defaults);
      assert.ok(!result.ok, yaml);
      assert.equal(result.problems.length, 1, yaml);
      const [p] = result.problems;
      assert.equal(p!.file, join(dir, 'branding.yaml'));
      assert.equal(p!.path, path);
      assert.equal(p!.line, 2, yaml);
      assert.match(p!.message, message);
    }
  });

  it('refuses a logo larger than 200 kB', () => {
    const dir = folder('logo: big.png\n');
    writeFileSync(join(dir, 'big.png'), Buffer.alloc(201 * 1024));
    const result = loadBranding(dir, defaults);
    assert.ok(!result.ok);
    assert.match(result.problems[0]!.message, /201 kB; a logo may be at most 200 kB/);
  });

  it('stops the start with the policy’s and the branding’s problems listed together', () => {
    const dir = folder('primaryColor: nope\n');
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\neffectiveDate: soon\n');
    copyFileSync(join(EXAMPLE, 'logo.svg'), join(dir, 'logo.svg'));
    const data = folder();
    assert.throws(
      () => loadConfig({ INZAGE_DATA_DIR: data, INZAGE_CONFIG_DIR: dir, INZAGE_SECRET: 'x'.repeat(32) }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /branding\.yaml:1:\d+ primaryColor: must be a CSS colour/);
        assert.match(err.message, /policy\.yaml:2:\d+ effectiveDate/);
        return true;
      },
    );
  });
});
