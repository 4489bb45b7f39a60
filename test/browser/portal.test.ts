import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';

describe('the public pages in a real browser', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the whole Dutch policy on a phone without sideways scrolling and without scripts', async () => {
    const page = await browser.newPage({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
      locale: 'nl-NL',
    });
    const response = await page.goto(`${base}/privacy`);
    assert.equal(response?.status(), 200);
    assert.equal((await page.locator('h1').first().textContent())?.trim(), 'Privacybeleid Balkonzon b.v.');
    const headings = await page.locator('h2').allInnerTexts();
    for (const h of ['Over de gegevensverwerking', 'Bewaartermijnen', 'Uw rechten', 'Cookies', 'Contactgegevens']) {
      assert.ok(
        headings.some((x) => x.includes(h)),
        `heading ${h} is shown`,
      );
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await page.close();
  });

  it('switches to English from the portal and keeps the language on the policy link', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 }, locale: 'nl-NL' });
    await page.goto(`${base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await page.getByRole('link', { name: 'English' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: 'Read our privacy policy' }).click();
    assert.match(page.url(), /\/privacy\?lang=en$/);
    assert.ok((await page.locator('h2').allInnerTexts()).some((x) => x.includes('Your rights')));
    const fontSize = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(fontSize >= 16, `body text is ${fontSize}px`);
    await page.close();
  });
});
