import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';

describe('the portal takes every address a shop can hold, in a real browser', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    t = await buildTestApp('sqlite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const email of ['zoë@example.nl', 'a_b%c@example.nl', 'jan@bücher.de']) {
    it(`sends a request for ${email} as typed, without the browser refusing or rewriting it`, async () => {
      const page = await browser.newPage({ locale: 'nl-NL' });
      await page.goto(`${base}/?right=access`);
      const form = page.locator('section#access form');
      await form.getByLabel('E-mailadres', { exact: true }).fill(email);
      await form.getByRole('button', { name: /Vraag inzage aan/ }).click();
      await page.getByRole('heading', { name: /Controleer uw e-mail/ }).waitFor();
      await t.drain();
      const mails = (await t.app.inject({ url: '/api/v1/dev/mailbox' })).json() as Array<{ to: string }>;
      assert.ok(
        mails.some((m) => m.to === email),
        `a verification e-mail to ${email}: ${mails.map((m) => m.to).join(', ')}`,
      );
      await page.close();
    });
  }
});
