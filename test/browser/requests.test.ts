import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { SANNE } from '../../src/demo/demo-shop.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';
import { createTestShop, type TestShop } from '../helpers/demo-shop.ts';

describe('a person makes requests through the portal in a real browser', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let shop: TestShop;
  let browser: Browser;
  let base: string;
  let stop = false;
  let worker: Promise<void>;
  before(async () => {
    shop = await createTestShop('sqlite', 40);
    t = await buildTestApp('sqlite', { dataMap: shop.dataMap });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // The worker runs beside the server, as in `inzage serve`.
    worker = (async () => {
      while (!stop) {
        await t.drain();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    browser = await launchBrowser();
  });
  after(async () => {
    stop = true;
    await worker;
    await browser?.close();
    await t?.close();
    await shop?.drop();
  });

  const local = (href: string) => `${base}${new URL(href, base).pathname}`;

  /** Opens the dev mailbox and follows the first link of the newest message with this subject. */
  async function followMail(page: Page, subject: RegExp): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await page.goto(`${base}/dev/mailbox?to=${encodeURIComponent(SANNE.email)}`);
      const article = page
        .locator('article')
        .filter({ has: page.getByRole('heading', { name: subject }) })
        .first();
      if ((await article.count()) > 0) {
        const href = await article.locator('ul a, pre a, a[href^="http"]').first().getAttribute('href');
        assert.ok(href, 'the message has a link');
        // Mails link to INZAGE_BASE_URL; this server listens on a port of its own.
        await page.goto(local(href));
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`no mail with subject ${subject}`);
  }

  async function request(page: Page, section: string, button: RegExp): Promise<void> {
    // First the choice of right, by a plain link; then that right's form alone.
    await page.goto(`${base}/`);
    await page.locator(`li#${section} a`).click();
    assert.equal(await page.locator('form[action="/requests"]').count(), 1);
    const form = page.locator(`section#${section} form`);
    await form.getByLabel('E-mailadres', { exact: true }).fill(SANNE.email);
    await form.getByRole('button', { name: button }).click();
    await page.getByRole('heading', { name: /Controleer uw e-mail/ }).waitFor();
  }

  it('asks for access, confirms with one click, and downloads the zip', async () => {
    const page = await browser.newPage({
      locale: 'nl-NL',
      acceptDownloads: true,
      viewport: { width: 390, height: 844 },
    });
    await request(page, 'access', /Vraag inzage aan/);
    await followMail(page, /Bevestig uw verzoek/);
    await page.getByRole('button', { name: /Bevestig mijn verzoek/ }).click();
    await page.getByRole('heading', { name: /bevestigd/i }).waitFor();

    await page.goto(`${base}/dev/mailbox?to=${encodeURIComponent(SANNE.email)}`);
    let href: string | null = null;
    for (let i = 0; i < 50 && !href; i++) {
      await page.reload();
      href = await page
        .locator('a[href*="/requests/download/"]')
        .first()
        .getAttribute('href')
        .catch(() => null);
      if (!href) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(href, 'the mailbox has the download link');
    // The link opens a page (mail scanners open links too); its one button downloads.
    await page.goto(local(href));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download het zip-bestand' }).click(),
    ]);
    const files = unzipSync(readFileSync((await download.path())!));
    assert.ok(files['index.html'] && files['data.json']);
    assert.match(Buffer.from(files['index.html']!).toString('utf8'), /Sanne/);
    await page.close();
  });

  it('asks for erasure, confirms, and reads what was erased and what is kept', async () => {
    const page = await browser.newPage({ locale: 'nl-NL' });
    await request(page, 'erasure', /verwijder/i);
    await followMail(page, /Bevestig uw verzoek/);
    await page.getByRole('button', { name: /Bevestig mijn verzoek/ }).click();
    await page.getByRole('heading', { name: /bevestigd/i }).waitFor();
    for (let i = 0; i < 50; i++) {
      await page.goto(`${base}/dev/mailbox?to=${encodeURIComponent(SANNE.email)}`);
      if ((await page.locator('article', { hasText: 'erased' }).count()) > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const text = await page.locator('article', { hasText: 'erased' }).first().textContent();
    assert.match(text ?? '', /rijksbelastingen|AWR/);
    assert.equal((await t.services.executor!.find({ email: SANNE.email })).records.length, 0);
    await page.close();
  });
});
