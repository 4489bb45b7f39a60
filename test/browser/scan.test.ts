import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Policy } from '../../src/policy/policy.schema.ts';
import { compareWithPolicy } from '../../src/scan/findings.ts';
import type { Finding, ScanReport } from '../../src/scan/scan.types.ts';
import { DEFAULT_SCAN_CONFIG, type ScanConfig } from '../../src/scan/scan-config.ts';
import { planScan, scanShop } from '../../src/scan/scan-shop.ts';
import { page, type ScanSite, startScanSite } from '../fakes/scan-site.ts';
import { loadExamplePolicy } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';

/**
 * `inzage scan` in Chromium against a shop on 127.0.0.1 with Inzage's real banner and a tag vendor on
 * 127.0.0.2. The vendor is the policy's Google Analytics (its host declared), so each page shows one way
 * a shop can differ from its policy, and the clean page none.
 */
const GATED_TAG = '<script type="text/plain" data-category="analytics" src="{{TAGS}}/tag.js"></script>';

const PAGES: Record<string, string> = {
  '/clean': page('Schoon', GATED_TAG),
  '/undeclared-cookie': page(
    'Eigen cookie',
    `${GATED_TAG}<script>document.cookie = 'tracker_id=ab12cd34ef56;path=/;max-age=86400';</script>`,
  ),
  '/early-widget': page('Widget', `${GATED_TAG}<script src="{{TAGS}}/widget.js"></script>`),
  // The shop's own snippet: it waits for any choice and then tracks, "Alles weigeren" or not.
  '/ignores-reject': page(
    'Koppig',
    `${GATED_TAG}<script>
      function track() {
        document.cookie = '_ga=GA1.1.' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000) + ';path=/;max-age=63072000';
        new Image().src = '{{TAGS}}/collect?cid=' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000);
      }
      if (document.cookie.indexOf('inzage_consent=') >= 0) track();
      document.addEventListener('inzage:consent', track);
    </script>`,
  ),
  // A Google tag configured in the head, before the banner's deferred script gives the default.
  '/early-config': page(
    'Te vroeg',
    GATED_TAG,
    "<script>window.dataLayer = window.dataLayer || []; function gtag() { dataLayer.push(arguments); } gtag('js', new Date()); gtag('config', 'G-EARLY');</script>",
  ),
  // A banner of another make, named in scan.yaml by its buttons; it loads the tag on "Prima".
  '/other-banner': `<html lang="nl"><head><title>Ander</title></head><body><h1>Ander</h1>
    <div id="cmp"><button id="yes">Prima</button> <button id="no">Nee, bedankt</button></div>
    <script>
      function load() { var s = document.createElement('script'); s.src = '{{TAGS}}/tag.js'; document.head.appendChild(s); }
      var chosen = localStorage.getItem('cmp');
      if (chosen) document.getElementById('cmp').remove();
      if (chosen === 'yes') load();
      document.getElementById('yes').onclick = function () { localStorage.setItem('cmp', 'yes'); document.getElementById('cmp').remove(); load(); };
      document.getElementById('no').onclick = function () { localStorage.setItem('cmp', 'no'); document.getElementById('cmp').remove(); };
    </script></body></html>`,
  '/links': page(
    'Links',
    '<a href="/clean">schoon</a> <a href="/early-widget">widget</a> <a href="/undeclared-cookie">eigen</a> <a href="{{TAGS}}/elsewhere">elders</a> <a href="/brochure.pdf">pdf</a>',
  ),
};

/** The example policy, with Google Analytics's hosts being the local vendor. */
function testPolicy(change: (p: Policy) => void = () => {}): Policy {
  const policy = loadExamplePolicy();
  const ga = policy.cookies.services.find((s) => s.id === 'google-analytics')!;
  ga.hosts = ['127.0.0.2'];
  change(policy);
  return policy;
}

const kinds = (findings: Finding[]) => findings.map((f) => `${f.kind} ${f.name} ${f.pass ?? '-'}`).sort();

describe('inzage scan in a real browser', { skip: BROWSER_SKIP }, () => {
  let site: ScanSite;
  let browser: Browser;

  before(async () => {
    site = await startScanSite(testPolicy(), PAGES);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function scan(
    path: string,
    options: { policy?: Policy; config?: Partial<ScanConfig>; maxPages?: number; totalMs?: number } = {},
  ): Promise<ScanReport> {
    const input = {
      urls: [`${site.shop}${path}`],
      policy: options.policy ?? testPolicy(),
      config: { ...DEFAULT_SCAN_CONFIG, maxPages: 1, ...options.config },
      baseUrl: site.shop,
      limits: { maxPages: options.maxPages },
    };
    const plan = planScan(input);
    // Quicker than a real shop needs: these pages do all they do at once.
    Object.assign(plan.options, { browser, settle: { quietMs: 150, dwellMs: 100 }, bannerWaitMs: 1500 });
    if (options.totalMs) plan.options.totalTimeoutMs = options.totalMs;
    return scanShop(input, plan);
  }

  it('finds nothing on a clean page: the gated tag runs after "Alles accepteren" only, and all it does is declared', async () => {
    const report = await scan('/clean');
    assert.deepEqual(report.findings, []);
    const [none, reject, accept] = report.passes;
    assert.deepEqual(
      report.passes.map((p) => [p.name, p.choice]),
      [
        ['no-choice', 'none'],
        ['reject', 'inzage-banner'],
        ['accept', 'inzage-banner'],
      ],
    );
    assert.deepEqual(none!.cookies, []);
    assert.deepEqual(none!.requests, [], 'nothing reaches the vendor before a choice');
    assert.deepEqual(
      reject!.cookies.map((c) => c.name),
      ['inzage_consent'],
      'after a refusal only the choice itself is kept',
    );
    const ga = accept!.cookies.find((c) => c.name === '_ga')!;
    assert.equal(ga.party, 'first');
    assert.equal(ga.setBy.kind, 'script');
    assert.equal(ga.setBy.url, `${site.tags}/tag.js`, 'set by the vendor script, on the shop');
    assert.ok(ga.expires && Date.parse(ga.expires) > Date.now() + 365 * 86400_000);
    const ping = accept!.requests.find((r) => r.url.endsWith('/collect'))!;
    assert.equal(ping.host, '127.0.0.2');
    assert.equal(ping.type, 'image');
    assert.deepEqual(ping.identifiers, ['cid'], 'the client id travels in the query');
    assert.ok(accept!.scripts.some((s) => s.url === `${site.tags}/tag.js` && s.afterChoice));
    assert.deepEqual(
      accept!.consentMode
        .filter((c) => c.page.endsWith('/clean'))
        .map((c) => c.call)
        .slice(0, 2),
      ['default', 'update'],
    );
    assert.equal(accept!.consentMode.find((c) => c.call === 'update')!.signals.analytics_storage, 'granted');
    assert.ok(reject!.storage.some((s) => s.kind === 'localStorage' && s.key === 'inzage_consent'));
  });

  it('reports a cookie the policy does not declare, set before any choice (and again after "Alles weigeren")', async () => {
    const report = await scan('/undeclared-cookie');
    assert.deepEqual(kinds(report.findings), [
      'cookie-after-reject tracker_id reject',
      'cookie-before-consent tracker_id no-choice',
      'undeclared-cookie tracker_id no-choice',
    ]);
    const first = report.findings.find((f) => f.kind === 'cookie-before-consent')!;
    assert.equal(first.severity, 'error');
    assert.equal(first.page, `${site.shop}/undeclared-cookie`);
    assert.equal(first.host, '127.0.0.1');
    const cookie = report.passes[0]!.cookies.find((c) => c.name === 'tracker_id')!;
    assert.deepEqual(cookie.setBy, { kind: 'script', url: `${site.shop}/undeclared-cookie` }, 'an inline script');
  });

  it("reports a third party's script loaded before consent; undeclared, it is an undeclared host as well", async () => {
    const report = await scan('/early-widget');
    assert.deepEqual(kinds(report.findings), [
      'host-after-reject 127.0.0.2 reject',
      'host-before-consent 127.0.0.2 no-choice',
    ]);
    const widget = report.passes[0]!.requests.find((r) => r.url.endsWith('/widget.js'))!;
    assert.equal(widget.type, 'script');
    assert.equal(widget.cookie, false);
    const undeclared = compareWithPolicy(
      report,
      testPolicy((p) => {
        p.cookies.services.find((s) => s.id === 'google-analytics')!.hosts = [];
      }),
    );
    assert.ok(undeclared.some((f) => f.kind === 'undeclared-host' && f.host === '127.0.0.2'));
  });

  it('reports a tag that goes on after "Alles weigeren", and not before the choice', async () => {
    const report = await scan('/ignores-reject');
    assert.deepEqual(kinds(report.findings), ['cookie-after-reject _ga reject', 'host-after-reject 127.0.0.2 reject']);
    const cookie = report.passes[1]!.cookies.find((c) => c.name === '_ga' && c.afterChoice)!;
    assert.equal(cookie.setBy.url, `${site.shop}/ignores-reject`);
  });

  it('warns about a declared cookie that was never set, and about nothing else', async () => {
    const policy = testPolicy((p) => {
      p.cookies.services
        .find((s) => s.id === 'google-analytics')!
        .cookies.push({ name: '_gid', purpose: { nl: 'x', en: 'x' }, lifetime: { days: 1 } });
    });
    const report = await scan('/clean', { policy });
    assert.deepEqual(report.findings, [
      { kind: 'declared-not-seen', severity: 'warning', name: '_gid', host: null, page: null, pass: null },
    ]);
  });

  it("reports a Google tag configured before Consent Mode's default", async () => {
    const report = await scan('/early-config');
    assert.deepEqual(
      report.findings.filter((f) => f.kind === 'consent-mode-order').map((f) => [f.name, f.pass]),
      [
        ['config G-EARLY', 'no-choice'],
        ['config G-EARLY', 'reject'],
        ['config G-EARLY', 'accept'],
      ],
    );
    const tags = report.passes[2]!.tags;
    assert.ok(
      tags.some((t) => t.what === 'config G-TEST' && t.afterDefault),
      'the gated tag came after the default',
    );
  });

  it('clicks a banner named in scan.yaml by its button texts', async () => {
    const report = await scan('/other-banner', { config: { banner: { accept: ['Prima'], reject: ['Nee, bedankt'] } } });
    assert.deepEqual(
      report.passes.map((p) => p.choice),
      ['none', 'configured-banner', 'configured-banner'],
    );
    assert.ok(!report.passes[1]!.cookies.some((c) => c.name === '_ga'), 'refused: no tag');
    assert.ok(
      report.passes[2]!.cookies.some((c) => c.name === '_ga' && c.afterChoice),
      'accepted: the tag ran',
    );
    const none = await scan('/other-banner');
    assert.equal(none.passes[1]!.choice, 'banner-not-found', "without its texts Inzage's own are looked for");
  });

  it("follows links to the shop's own pages only, up to --max-pages, and stops at the total time limit", async () => {
    const report = await scan('/links', { maxPages: 3 });
    assert.deepEqual(report.pages, [`${site.shop}/links`, `${site.shop}/clean`, `${site.shop}/early-widget`]);
    assert.ok(
      report.passes.every((p) => p.requests.every((r) => !r.url.endsWith('/elsewhere'))),
      'the vendor was not visited',
    );
    const cut = await scan('/links', { maxPages: 3, totalMs: 1 });
    assert.match(cut.incomplete ?? '', /total time limit/);
    assert.deepEqual(cut.pages, []);
  });
});
