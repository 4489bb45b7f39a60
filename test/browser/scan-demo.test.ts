import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Finding, ScanReport } from '../../src/scan/scan.types.ts';
import { BROWSER_SKIP, CHROMIUM } from '../helpers/browser.ts';
import { freshDataDir, inzage } from '../helpers/cli.ts';
import { freePort, type ServeProcess, spawnServe } from '../helpers/serve.ts';

/**
 * The README's demo: `inzage serve` as a newcomer starts it, and `inzage scan` of its demo shop, whose
 * offer page carries a pixel from the hub's other loopback name that sets a cookie before any choice.
 */
describe('inzage scan of the demo shop', { skip: BROWSER_SKIP }, () => {
  let serve: ServeProcess;
  let port: string;
  const KEYS = ['PORT', 'INZAGE_CHROMIUM', 'INZAGE_DATA_DIR', 'INZAGE_CONFIG_DIR'] as const;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  let data: { remove(): void };

  before(async () => {
    serve = await spawnServe({ INZAGE_DEMO_PIXEL: '1' });
    assert.ok(await serve.running(), serve.err());
    port = new URL(serve.base).port;
    data = freshDataDir();
    Object.assign(process.env, { PORT: port, INZAGE_CHROMIUM: CHROMIUM });
  });
  after(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    data?.remove();
    await serve?.stop();
  });

  it('finds the pixel: an undeclared cookie and host before consent and after "Alles weigeren", exit 1', async () => {
    const { code, out } = await inzage('scan', `http://localhost:${port}/demo/shop`, '--max-pages', '4', '--json');
    const report = JSON.parse(out) as ScanReport;
    assert.equal(code, 1);
    assert.ok(report.pages.includes(`http://localhost:${port}/demo/shop/aanbieding?lang=nl`), report.pages.join(' '));
    assert.deepEqual(
      report.passes.map((p) => [p.name, p.choice]),
      [
        ['no-choice', 'none'],
        ['reject', 'inzage-banner'],
        ['accept', 'inzage-banner'],
      ],
    );
    const errors = report.findings
      .filter((f) => f.severity === 'error')
      .map((f: Finding) => [f.kind, f.name, f.host, f.page, f.pass]);
    const offer = `http://localhost:${port}/demo/shop/aanbieding?lang=nl`;
    assert.deepEqual(errors, [
      ['cookie-before-consent', '_demo_px', 'localhost', offer, 'no-choice'],
      ['host-before-consent', '127.0.0.1', '127.0.0.1', offer, 'no-choice'],
      ['cookie-after-reject', '_demo_px', 'localhost', offer, 'reject'],
      ['host-after-reject', '127.0.0.1', '127.0.0.1', offer, 'reject'],
      ['undeclared-cookie', '_demo_px', 'localhost', offer, 'no-choice'],
      ['undeclared-host', '127.0.0.1', '127.0.0.1', offer, 'no-choice'],
    ]);
    const cookie = report.passes[0]!.cookies.find((c) => c.name === '_demo_px')!;
    assert.deepEqual(cookie.setBy, { kind: 'script', url: `http://127.0.0.1:${port}/demo/pixel.js` });
    const ping = report.passes[0]!.requests.find((r) => r.url.endsWith('/demo/pixel.gif'))!;
    assert.deepEqual(ping.identifiers, ['id']);
    assert.ok(
      report.passes[1]!.cookies.some((c) => c.name === 'inzage_consent'),
      "the banner's own cookie is no finding",
    );
  });

  it('passes (exit 0) where the demo shop does what the policy says, with warnings for what it never uses', async () => {
    const { code, out } = await inzage('scan', `http://localhost:${port}/demo/shop?lang=en`, '--max-pages', '1');
    assert.equal(code, 0, out);
    assert.match(out, /0 errors, \d+ warnings/);
    assert.match(out, /declared-not-seen\s+www\.googletagmanager\.com/);
    assert.match(out, /after "Alles weigeren" \(clicked on Inzage's banner\)/);
  });

  it('says which argument is wrong, without a stack trace', async () => {
    // One line that says what is wrong, after the line a command that got as far as running starts with.
    const lastLine = (err: string) => err.replace(/^inzage: data folder .*\n/, '');
    const { code, err } = await inzage('scan', 'ftp://example.org/');
    assert.equal(code, 1);
    assert.equal(lastLine(err), 'error: "ftp://example.org/" is not an http(s) URL (url)');
    const limit = await inzage('scan', '--max-pages', '0', `http://localhost:${port}/demo/shop`);
    assert.equal(limit.code, 1);
    assert.equal(lastLine(limit.err), 'error: --max-pages: "0" is not a number between 1 and 500 (max-pages)');
  });

  it('fails, rather than passes, when it could load no page at all', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/`;
    const { code, out, err } = await inzage('scan', nobody);
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(err, /is not one of the shop's origins .* scanned as the shop's own because it was named/);
    assert.match(
      err,
      /error: no page of the shop could be loaded: http:\/\/127\.0\.0\.1:\d+\/: .*ERR_CONNECTION_REFUSED/,
    );
    assert.doesNotMatch(err, /INZAGE_DEBUG|at .*\.ts:\d+/);
  });
});
