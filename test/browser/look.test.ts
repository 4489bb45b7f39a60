import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { renderMail } from '../../src/notify/templates.ts';
import { adminLogin } from '../helpers/admin.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';
import {
  brokenWords,
  describeProblems,
  inspectPage,
  type PageReport,
  saveReports,
  sidewaysOverflow,
  VIEWPORTS,
} from '../helpers/page-checks.ts';
import { insertRequest } from '../helpers/requests.ts';

const EXAMPLE_DIR = new URL('../../examples/balkonzon/', import.meta.url).pathname;

/**
 * The shop's look and the policy pages at a phone's and a laptop's width (issue 16's quality bar): a
 * screenshot of each (tmp/screenshots/), no sideways scrolling, no word broken in half, no axe violation.
 */
describe('the portal, /privacy and the policy pages of the back office, looked at', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let configDir: string;
  let cookie: { name: string; value: string };
  const reports: PageReport[] = [];

  before(async () => {
    // A config folder of the test's own: the editor writes its policy.yaml.
    configDir = mkdtempSync(join(tmpdir(), 'inzage-look-'));
    for (const f of ['policy.yaml', 'branding.yaml', 'logo.svg'])
      copyFileSync(join(EXAMPLE_DIR, f), join(configDir, f));
    t = await buildTestApp('sqlite', { env: { INZAGE_CONFIG_DIR: configDir } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const officer = await adminLogin(t, 'officer');
    const [name, value] = officer.cookie.split('=') as [string, string];
    cookie = { name, value };
    browser = await launchBrowser();
  });
  after(async () => {
    saveReports('look', reports);
    await browser?.close();
    await t?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  async function visit(width: number, asOfficer = false): Promise<{ context: BrowserContext; page: Page }> {
    const viewport = VIEWPORTS.find((v) => v.width === width)!;
    const context = await browser.newContext({ viewport, locale: 'nl-NL' });
    if (asOfficer) await context.addCookies([{ ...cookie, domain: '127.0.0.1', path: '/admin' }]);
    return { context, page: await context.newPage() };
  }
  const check = async (page: Page, name: string, options?: { screenshot?: boolean }) => {
    const report = await inspectPage(page, name, options);
    reports.push(report);
    return describeProblems(report) ? [`${name}-${report.width}: ${describeProblems(report)}`] : [];
  };

  it('shows the portal and /privacy, in Dutch and English, cleanly at 390 and 1280 px', async () => {
    const pages: Array<[string, string]> = [
      ['portal', '/'],
      ['portal-en', '/?lang=en'],
      ['portal-objection', '/?right=objection'],
      ['portal-rectification-en', '/?right=rectification&lang=en'],
      ['portal-sent', '/requests/sent?type=erasure'],
      ['privacy', '/privacy'],
      ['privacy-en', '/privacy?lang=en'],
      ['privacy-versions', '/privacy/versions'],
      ['privacy-version-1', '/privacy/versions/1'],
    ];
    // A request's status page: a request awaiting the officer's decision, and its link.
    const id = await insertRequest(t.services, { type: 'objection', status: 'awaiting_decision' });
    const status = await t.services.statusPages.issue(t.services.requests.db, id);
    pages.push(
      ['portal-status', new URL(status.link).pathname],
      ['portal-status-en', `${new URL(status.link).pathname}?lang=en`],
    );
    const problems: string[] = [];
    for (const { width } of VIEWPORTS) {
      const { context, page } = await visit(width);
      for (const [name, path] of pages) {
        assert.equal((await page.goto(`${base}${path}`))?.status(), 200, path);
        problems.push(...(await check(page, name)));
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  it("puts the shop's logo, name and colour in the header of /privacy, with the ways on", async () => {
    const { context, page } = await visit(390);
    await page.goto(`${base}/privacy`);
    const header = page.locator('header.site');
    assert.equal((await header.locator('.brand').textContent())?.trim(), 'Balkonzon');
    assert.equal(await header.locator('img.logo').evaluate((img: HTMLImageElement) => img.naturalWidth > 0), true);
    assert.equal(await header.evaluate((h) => getComputedStyle(h).backgroundColor), 'rgb(194, 65, 12)');
    await page.getByRole('link', { name: 'Eerdere versies van dit beleid' }).click();
    assert.match(page.url(), /\/privacy\/versions\?lang=nl$/);
    await page.goBack();
    await page.getByRole('link', { name: 'Read this policy in English' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Your rights' }).click();
    assert.match(page.url(), /\/\?lang=en$/, 'and on to the portal');
    await context.close();
  });

  it("lets a keyboard scroll /privacy's wide tables on a phone", async () => {
    const { context, page } = await visit(390);
    await page.goto(`${base}/privacy`);
    const wide = await page.$$eval('section.table', (regions) =>
      regions.map((r, i) => ({ i, wide: r.scrollWidth > r.clientWidth })).filter((r) => r.wide),
    );
    assert.ok(wide.length > 0, 'some table is wider than a phone');
    // Tab until a table that scrolls has focus, then scroll it with the arrow key.
    let focused = '';
    for (let i = 0; i < 200 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a?.matches('section.table') && a.scrollWidth > a.clientWidth ? (a.getAttribute('aria-label') ?? '') : '';
      });
    }
    assert.match(focused, /^Tabel: /, 'the table is reached by Tab, and named');
    const before = await page.evaluate(() => (document.activeElement as HTMLElement).scrollLeft);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    // Chromium scrolls by keyboard smoothly: wait for it to move.
    await page
      .waitForFunction((x) => (document.activeElement as HTMLElement).scrollLeft > x, before, { timeout: 3000 })
      .catch(() => undefined);
    const scrolled = await page.evaluate(() => (document.activeElement as HTMLElement).scrollLeft);
    assert.ok(scrolled > before, `scrolled from ${before} to ${scrolled}`);
    assert.equal(await sidewaysOverflow(page), 0, 'the page itself does not scroll sideways');
    await context.close();
  });

  it('shows the policy pages of the back office cleanly, the form opened up too', async () => {
    const problems: string[] = [];
    for (const { width } of VIEWPORTS) {
      const { context, page } = await visit(width, true);
      await page.goto(`${base}/admin/policy`);
      problems.push(...(await check(page, 'admin-policy')));
      await page.goto(`${base}/admin/policy/edit`);
      problems.push(...(await check(page, 'admin-policy-edit')));
      // Every part of the form open, and both previews: checked, too long to picture.
      await page.evaluate(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
      });
      problems.push(...(await check(page, 'admin-policy-edit-open', { screenshot: false })));
      await page.goto(`${base}/admin/policy/edit?mode=yaml`);
      problems.push(...(await check(page, 'admin-policy-edit-yaml')));
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  it('shows an officer what a change does before it is saved, and publishing after saving', async () => {
    const problems: string[] = [];
    for (const { width } of VIEWPORTS) {
      const { context, page } = await visit(width, true);
      await page.goto(`${base}/admin/policy/edit`);
      await page.locator('summary', { hasText: 'Partijen' }).click();
      await page
        .getByRole('textbox', { name: 'Partijen › Mollie › Gegevens' })
        .fill('contact, order, payment, account');
      await page.getByRole('button', { name: 'Controleren' }).click();
      await page.getByText('Gewijzigd bij: Mollie — ontvangt nu ook klantaccount').waitFor();
      problems.push(...(await check(page, 'admin-policy-edit-checked')));
      if (width === 1280) {
        await page.getByRole('button', { name: 'Opslaan' }).click();
        await page.getByText('Publiceer als versie 2').waitFor();
        problems.push(...(await check(page, 'admin-policy-saved')));
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  it("wears the shop's look in an e-mail, readable on a phone", async () => {
    const problems: string[] = [];
    const mail = renderMail(
      'verify',
      'nl',
      { type: 'access', link: `${base}/r/verify/${'x'.repeat(43)}`, expiresAt: '2026-11-03T09:00:00.000Z' },
      {
        shopName: 'Balkonzon b.v.',
        privacyEmail: 'enrico@balkonzon.nl',
        baseUrl: base,
        branding: {
          ...t.services.branding,
          logo: { src: '/assets/brand-logo', absolute: `${base}/assets/brand-logo` },
        },
      },
    );
    for (const { width } of VIEWPORTS) {
      const { context, page } = await visit(width);
      await page.goto(`${base}/privacy`); // an origin for the logo; the mail replaces the page
      await page.setContent(mail.html, { waitUntil: 'load' });
      const report = await inspectPage(page, 'mail-verify');
      // An e-mail is no page of the site: no landmarks to find; the other checks hold.
      const missing = report.violations.filter((v) => !['region', 'landmark-one-main'].includes(v.id));
      reports.push({ ...report, violations: missing });
      if (report.overflow > 0 || report.brokenWords.length > 0 || missing.length > 0)
        problems.push(`mail-${width}: ${describeProblems({ ...report, violations: missing })}`);
      assert.equal(await page.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth > 0), true);
      assert.deepEqual(await brokenWords(page), []);
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
});
