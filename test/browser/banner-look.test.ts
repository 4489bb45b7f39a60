import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';
import { describeProblems, inspectPage, type PageReport, saveReports } from '../helpers/page-checks.ts';

/** A shop page that restyles the banner from outside, as a shop's own stylesheet would. */
const RESTYLED_SHOP = `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Winkel</title>
<script src="/banner.js" defer></script>
<style>
  :root { --inzage-button-bg: #14532d; --inzage-button-text: #ffffff; --inzage-radius: 0px; --inzage-font: Georgia, serif; }
  #inzage-consent { --inzage-bg: #fefce8; }
  #inzage-consent::part(title) { font-size: 30px; }
  #inzage-consent::part(button) { text-transform: uppercase; }
  /* Neither reaches in: the shadow DOM keeps out the shop's own rules for its elements. */
  button { background: red !important; }
</style></head><body><main><h1>Winkel</h1></main></body></html>`;

describe("the cookie banner's look in a real browser", { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await buildTestApp('sqlite', {
      extraRoutes: (app) => {
        app.get('/test/restyled-shop', async (_req, reply) => reply.type('text/html').send(RESTYLED_SHOP));
      },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phone(path: string, size = { width: 390, height: 844 }): Promise<Page> {
    const page = await browser.newPage({ viewport: size, locale: 'nl-NL' });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${base}${path}`);
    await page.getByRole('dialog').waitFor();
    return page;
  }
  const inside = (page: Page, selector: string, property: string) =>
    page.evaluate(
      ([sel, prop]) => {
        const el = document.getElementById('inzage-consent')!.shadowRoot!.querySelector(sel!)!;
        return getComputedStyle(el).getPropertyValue(prop!);
      },
      [selector, property],
    );
  const box = async (l: Locator) => (await l.boundingBox())!;

  it('covers at most 40% of a phone (390 × 844), with accept and reject side by side, the same and in view', async () => {
    const page = await phone('/demo/shop');
    const dialog = await box(page.getByRole('dialog'));
    const screen = 390 * 844;
    assert.ok(dialog.height <= 0.4 * 844, `the banner is ${dialog.height}px of 844px high`);
    assert.ok((dialog.width * dialog.height) / screen <= 0.4, 'and covers at most 40% of the screen');
    const accept = page.getByRole('button', { name: 'Alles accepteren' });
    const reject = page.getByRole('button', { name: 'Alles weigeren' });
    const [a, r] = [await box(accept), await box(reject)];
    assert.equal(a.y, r.y, 'on one row');
    assert.ok(Math.abs(a.width - r.width) < 1 && Math.abs(a.height - r.height) < 1, 'the same size');
    for (const b of [a, r]) assert.ok(b.y >= 0 && b.y + b.height <= 844, 'in view without scrolling');
    const look = (l: Locator) =>
      l.evaluate((b) => {
        const s = getComputedStyle(b);
        return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth];
      });
    assert.deepEqual(await look(accept), await look(reject), 'and they look exactly alike');
    assert.equal(await inside(page, '[role=dialog]', 'position'), 'fixed');
    // The whole text is there: it scrolls inside the banner, by wheel or keyboard.
    const text = page.locator('#inzage-consent p#x');
    assert.match((await text.textContent()) ?? '', /Analytische cookies van Google Analytics/);
    await page.close();
  });

  it("wears the shop's colour from branding.yaml, with text that reads on it", async () => {
    const page = await phone('/demo/shop');
    const accept = page.getByRole('button', { name: 'Alles accepteren' });
    const colours = await accept.evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
    assert.deepEqual(colours, ['rgb(194, 65, 12)', 'rgb(255, 255, 255)'], '#c2410c with white text');
    await page.close();
  });

  it('lets a shop restyle it with custom properties and ::part(), without touching the shadow DOM', async () => {
    const page = await phone('/test/restyled-shop');
    const accept = page.getByRole('button', { name: 'Alles accepteren' });
    const reject = page.getByRole('button', { name: 'Alles weigeren' });
    const style = (l: Locator) =>
      l.evaluate((b) => {
        const s = getComputedStyle(b);
        return { bg: s.backgroundColor, color: s.color, radius: s.borderTopLeftRadius, text: s.textTransform };
      });
    assert.deepEqual(await style(accept), {
      bg: 'rgb(20, 83, 45)',
      color: 'rgb(255, 255, 255)',
      radius: '0px',
      text: 'uppercase',
    });
    assert.deepEqual(await style(reject), await style(accept), 'a part styles every button alike');
    assert.equal(await inside(page, '[role=dialog]', 'background-color'), 'rgb(254, 252, 232)');
    assert.match(await inside(page, '[role=dialog]', 'font-family'), /Georgia/);
    assert.equal(await inside(page, 'h2', 'font-size'), '30px');
    const parts = await page.evaluate(() =>
      [...document.getElementById('inzage-consent')!.shadowRoot!.querySelectorAll('[part]')].map((e) =>
        e.getAttribute('part'),
      ),
    );
    assert.deepEqual(new Set(parts), new Set(['dialog', 'body', 'title', 'text', 'link', 'buttons', 'button']));
    await page.getByRole('button', { name: 'Instellingen' }).click();
    await page.getByRole('dialog', { name: 'Cookie-instellingen' }).waitFor();
    const more = await page.evaluate(() =>
      [...document.getElementById('inzage-consent')!.shadowRoot!.querySelectorAll('[part]')].map((e) =>
        e.getAttribute('part'),
      ),
    );
    for (const part of ['categories', 'category', 'cookies']) assert.ok(more.includes(part), part);
    await page.close();
  });

  it('passes axe and has no broken words or sideways scrolling, on both layers, on a phone and a laptop', async () => {
    const problems: string[] = [];
    const reports: PageReport[] = [];
    for (const size of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      const page = await phone('/demo/shop', size);
      const first = await inspectPage(page, 'banner-first-layer');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('dialog', { name: 'Cookie-instellingen' }).waitFor();
      const second = await inspectPage(page, 'banner-settings');
      for (const r of [first, second])
        if (describeProblems(r)) problems.push(`${r.name}-${r.width}: ${describeProblems(r)}`);
      reports.push(first, second);
      await page.close();
    }
    saveReports('banner', reports);
    assert.deepEqual(problems, []);
  });
});
