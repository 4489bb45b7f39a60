import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, createAdminUser } from '../helpers/admin.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';
import { createDeskFixture, type DeskFixture, pagesBeforeLogin } from '../helpers/desk-fixture.ts';

/**
 * Every back-office page in a real Chromium, at a phone's width (390 px) and a laptop's (1280 px): no
 * sideways scrolling, no word broken over two lines, and no violation axe-core finds (its default rules:
 * WCAG 2.x A and AA, and best practices). Each page is kept as a screenshot in test-results/screenshots/desk/,
 * and the axe results as a table in test-results/axe-desk.md.
 */

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OUT = join(process.cwd(), 'test-results');
const SHOTS = join(OUT, 'screenshots', 'desk');
const WIDTHS = [390, 1280] as const;

interface Finding {
  page: string;
  width: number;
  violations: Array<{ id: string; impact: string | null | undefined; targets: string[] }>;
  scroll: { scroll: number; client: number };
  broken: string[];
}

/** Words of letters that the layout split over two lines (hyphens and spaces are where words may break). */
function brokenWords(): string[] {
  const broken: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode as Text;
    const el = node.parentElement;
    if (!el || el.closest('code, script, style, svg, .visually-hidden, .skip, option, title')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    for (const m of (node.textContent ?? '').matchAll(/\p{L}{2,}/gu)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}

describe('every back-office page at 390 and 1280 px, with axe-core', { skip: BROWSER_SKIP }, () => {
  let f: DeskFixture;
  let browser: Browser;
  let base: string;
  const findings: Finding[] = [];

  before(async () => {
    f = await createDeskFixture();
    await f.t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = f.t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    if (findings.length) writeFileSync(join(OUT, 'axe-desk.md'), axeTable(findings));
    await f?.close();
  });

  /** A browser context carrying the session of the officer or the staff member (the same cookie a login sets). */
  async function contextFor(who: 'officer' | 'staff' | 'nobody', width: number): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width, height: 900 } });
    if (who !== 'nobody') {
      const [name, value] = (who === 'officer' ? f.officer : f.staff).cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: `${base}/admin`, httpOnly: true, sameSite: 'Lax' }]);
    }
    return context;
  }

  /** Checks the page as it is now and keeps its screenshot; the findings go into the table. */
  async function inspect(page: Page, name: string, width: number): Promise<Finding> {
    await page.waitForLoadState('load');
    const scroll = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    const broken = await page.evaluate(brokenWords);
    await page.evaluate(AXE);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<unknown> } }).axe.run(document, {
        resultTypes: ['violations'],
      }),
    )) as { violations: Array<{ id: string; impact?: string | null; nodes: Array<{ target: string[] }> }> };
    if (name !== 'self-check') await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    const finding: Finding = {
      page: name,
      width,
      scroll,
      broken,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      })),
    };
    findings.push(finding);
    return finding;
  }

  /** What is wrong with a page, in a line each; empty when it is clean. */
  const problemsOf = (finding: Finding): string[] => {
    const where = `${finding.page} at ${finding.width} px`;
    const problems: string[] = [];
    if (finding.scroll.scroll > finding.scroll.client)
      problems.push(`${where}: ${finding.scroll.scroll} px wide in a ${finding.scroll.client} px window`);
    if (finding.broken.length) problems.push(`${where}: words broken over two lines: ${finding.broken.join(', ')}`);
    for (const v of finding.violations)
      problems.push(`${where}: axe ${v.id} (${v.impact}) at ${v.targets.join(' | ')}`);
    return problems;
  };
  let pending: string[] = [];
  const assertClean = (finding: Finding) => {
    pending.push(...problemsOf(finding));
  };
  /** Every problem of the pages of one test at once, so that one run shows them all. */
  const settle = () => {
    const all = pending;
    pending = [];
    assert.deepEqual(all, []);
  };

  it('would notice a violation, a broken word and a page too wide (the checks can fail)', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 600 } });
    await page.setContent(
      '<!doctype html><html lang="nl"><head><title>x</title></head><body><main><h1>x</h1>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="width:60px;overflow-wrap:anywhere">verwerkersovereenkomst</p>' +
        '<div style="width:600px">breed</div></main></body></html>',
    );
    const finding = await inspect(page, 'self-check', 390);
    findings.pop();
    assert.ok(
      finding.violations.some((v) => v.id === 'image-alt'),
      JSON.stringify(finding.violations),
    );
    assert.deepEqual(finding.broken, ['verwerkersovereenkomst']);
    assert.ok(finding.scroll.scroll > finding.scroll.client);
    await page.close();
  });

  for (const width of WIDTHS) {
    it(`shows every page the desk reaches by a link at ${width} px: fits, no broken words, no axe violations`, async () => {
      for (const who of ['officer', 'staff'] as const) {
        const context = await contextFor(who, width);
        const page = await context.newPage();
        for (const p of f.pages.filter((x) => x.who === who)) {
          const res = await page.goto(`${base}${p.url}`);
          assert.equal(res?.status(), 200, p.name);
          assertClean(await inspect(page, p.name, width));
        }
        await context.close();
      }
      settle();
    });

    it(`shows the pages behind a form at ${width} px: lookup, search, the archive opened, a refusal`, async () => {
      const context = await contextFor('officer', width);
      const page = await context.newPage();

      await page.goto(`${base}/admin/customers`);
      await page.getByLabel('E-mailadres, een deel ervan, of een naam').fill('example');
      await page.getByRole('button', { name: 'Opzoeken' }).click();
      await page.getByRole('heading', { name: /gevonden/ }).waitFor();
      assertClean(await inspect(page, 'customer-search', width));

      await page
        .getByRole('button', { name: /^Bekijken/ })
        .first()
        .click();
      await page.getByRole('heading', { name: 'Wat we bewaren, en waar' }).waitFor();
      assertClean(await inspect(page, 'customer-lookup', width));

      await page.goto(`${base}/admin/customers`);
      await page.getByLabel('E-mailadres, een deel ervan, of een naam').fill(f.erasedEmail);
      await page.getByRole('button', { name: 'Opzoeken' }).click();
      await page.getByLabel('Reden').selectOption('belastingcontrole');
      await page.getByLabel('Kenmerk (zaak- of briefnummer)').fill('aanslag 2027/Q1');
      await page.getByRole('button', { name: 'Archief openen' }).click();
      await page.getByText(/is vastgelegd in het auditlog/).waitFor();
      assertClean(await inspect(page, 'archive-opened', width));

      await page.goto(`${base}/admin/retention`);
      await page.getByLabel(/Typ het aantal personen/).fill('999999');
      await page.getByRole('button', { name: 'Goedkeuren en uitvoeren' }).click();
      await page.getByText(/het getal klopt niet/).waitFor();
      assertClean(await inspect(page, 'retention-refused', width));
      await context.close();
      settle();
    });

    it(`shows the pages before login at ${width} px: login, the code step, the setup link with its QR code`, async () => {
      const context = await contextFor('nobody', width);
      const page = await context.newPage();
      for (const p of await pagesBeforeLogin(f.t)) {
        await page.goto(`${base}${p.url}`);
        if (p.name === 'setup') assert.equal(await page.locator('svg[role="img"].qr').count(), 1, 'a QR code');
        assertClean(await inspect(page, p.name, width));
      }
      const { user } = await createAdminUser(f.t, 'officer');
      await page.goto(`${base}/admin/login`);
      await page.getByLabel('E-mailadres').fill(user.email);
      await page.getByLabel('Wachtwoord').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.getByLabel('Code').waitFor();
      assertClean(await inspect(page, 'login-code', width));
      await context.close();
      settle();
    });

    it(`shows the desk in English at ${width} px just as cleanly`, async () => {
      await f.t.services.admin.users.setLanguage(f.officer.user.id, 'en');
      try {
        const context = await contextFor('officer', width);
        const page = await context.newPage();
        for (const p of f.pages.filter((x) =>
          ['dashboard', 'request-erasure', 'audit', 'retention'].includes(x.name),
        )) {
          await page.goto(`${base}${p.url}`);
          assert.equal(await page.getAttribute('html', 'lang'), 'en');
          assertClean(await inspect(page, `${p.name}-en`, width));
        }
        await context.close();
      } finally {
        await f.t.services.admin.users.setLanguage(f.officer.user.id, 'nl');
      }
      settle();
    });
  }
});

function axeTable(findings: Finding[]): string {
  const rows = findings.map(
    (f) =>
      `| ${f.page} | ${f.width} | ${f.violations.length} | ${f.violations.map((v) => `${v.id} (${v.impact})`).join(', ') || '—'} |`,
  );
  return ['| page | width | axe violations | rules |', '|---|---|---|---|', ...rows, ''].join('\n');
}
