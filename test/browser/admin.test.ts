import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SANNE } from '../../src/demo/demo-shop.ts';
import { ADMIN_PASSWORD, totpNow } from '../helpers/admin.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';
import { createTestShop, type TestShop } from '../helpers/demo-shop.ts';

describe('the officer and the staff at the back office in a real browser', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let shop: TestShop;
  let browser: Browser;
  let base: string;
  let stop = false;
  let worker: Promise<void>;
  let officerTotp: string;
  const officerEmail = 'enrico@balkonzon.test';
  const staffEmail = 'klantenservice@balkonzon.test';

  /** An account set up through the service, as the setup link would: password, and TOTP for an officer. */
  async function account(email: string, role: 'officer' | 'staff'): Promise<string | undefined> {
    const users = t.services.admin.users;
    const { setupLink } = await users.add(email, role);
    const token = setupLink.split('/').at(-1)!;
    const setup = await users.openSetup(token);
    if (setup.state !== 'ready') throw new Error(`setup link is ${setup.state}`);
    const secret = role === 'officer' ? setup.totpSecret : undefined;
    await users.completeSetup(token, {
      password: ADMIN_PASSWORD,
      totpCode: secret ? totpNow(secret, t.clock) : undefined,
    });
    return secret;
  }

  before(async () => {
    shop = await createTestShop('sqlite', 40);
    t = await buildTestApp('sqlite', { dataMap: shop.dataMap });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    worker = (async () => {
      while (!stop) {
        await t.drain();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    officerTotp = (await account(officerEmail, 'officer'))!;
    await account(staffEmail, 'staff');
    browser = await launchBrowser();
  });
  after(async () => {
    stop = true;
    await worker;
    await browser?.close();
    await t?.close();
    await shop?.drop();
  });

  /** Sanne asks for a correction and confirms it: the request then waits for the officer's decision. */
  async function rectificationAwaitingDecision(): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/requests',
      payload: { type: 'rectification', email: SANNE.email, corrections: { phone: '06-87654321' } },
    });
    assert.equal(res.statusCode, 202, res.body);
    const { id } = res.json() as { id: string };
    await waitFor(async () => (await t.services.requests.get(id))?.status === 'awaiting_verification');
    let link: string | undefined;
    await waitFor(async () => {
      const mails = (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(SANNE.email)}` })).json();
      link = (mails as Array<{ template: string; links: string[] }>).find((m) => m.template === 'verify')?.links[0];
      return !!link;
    });
    await t.app.inject({ method: 'POST', url: new URL(link!).pathname });
    await waitFor(async () => (await t.services.requests.get(id))?.status === 'awaiting_decision');
    return id;
  }

  async function login(page: Page, email: string, totpSecret?: string): Promise<void> {
    await page.goto(`${base}/admin`);
    // Without a session, /admin leads to the login page.
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel(/Wachtwoord/).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    if (totpSecret) {
      // A code is accepted once: a second login waits for the authenticator's next one.
      t.clock.advance(30_000);
      await page.getByLabel('Code').fill(totpNow(totpSecret, t.clock));
      await page.getByRole('button', { name: 'Bevestigen' }).click();
    }
    await page.getByRole('heading', { name: 'Openstaande verzoeken', exact: false }).waitFor();
  }

  it('lets the officer log in with password and TOTP and handle a request from the dashboard to completion', async () => {
    const id = await rectificationAwaitingDecision();
    const page = await browser.newPage({ locale: 'nl-NL', viewport: { width: 1200, height: 900 } });
    await login(page, officerEmail, officerTotp);

    const row = page.locator(`tr[data-request="${id}"]`);
    await assert.doesNotReject(row.waitFor());
    assert.match((await row.textContent()) ?? '', /wacht op uw besluit/);
    await row.getByRole('link').click();
    await page.getByRole('button', { name: 'Goedkeuren' }).click();
    await page.getByText('Goedgekeurd; het verzoek wordt nu uitgevoerd.').waitFor();

    // The worker applies the correction; processors without an API are left as tasks.
    await waitFor(async () => (await t.services.requests.get(id))?.status !== 'verified');
    await waitFor(async () =>
      ['waiting_on_tasks', 'completed'].includes((await t.services.requests.get(id))?.status ?? ''),
    );
    for (let i = 0; i < 20; i++) {
      await page.goto(`${base}/admin/requests/${id}`);
      const button = page.getByRole('button', { name: 'Taak afgerond' }).first();
      if ((await button.count()) === 0) break;
      await page.locator('input[name="note"]').first().fill('Bevestigd door de verwerker');
      await button.click();
      await page.getByText('De taak is afgerond.').waitFor();
    }
    await page.goto(`${base}/admin/requests/${id}`);
    assert.equal(await page.locator('dd[data-status]').getAttribute('data-status'), 'completed');
    assert.equal((await t.services.requests.get(id))?.status, 'completed');
    const decisions = await t.services.audit.list({ action: 'request.approve' });
    assert.ok(
      decisions.some((e) => e.target === `request:${id}`),
      'the approval is in the audit trail',
    );
    await page.close();
  });

  it('lets the officer enter a letter with the day it arrived, and shows its deadlines as Dutch dates', async () => {
    const page = await browser.newPage({ locale: 'nl-NL', viewport: { width: 1200, height: 900 } });
    await login(page, officerEmail, officerTotp);
    await page.goto(`${base}/admin/requests`);
    await page.getByRole('link', { name: 'Verzoek invoeren' }).click();
    await page.getByLabel('Recht').selectOption('access');
    await page.getByLabel(/E-mailadres van de persoon/).fill('per.brief@example.com');
    await page.getByLabel('Ontvangen op').fill('2026-10-30');
    await page.getByLabel('Binnengekomen via').selectOption('post');
    await page.getByRole('button', { name: 'Verzoek invoeren' }).click();
    await page.getByText('Het verzoek is ingevoerd; de persoon krijgt een bevestigingslink per e-mail.').waitFor();
    const facts = (await page.locator('dl.facts').textContent()) ?? '';
    assert.match(facts, /30 oktober 2026, per post/);
    assert.match(facts, /29 november 2026/); // the promise of 30 days
    assert.match(facts, /30 november 2026/); // one month (GDPR Art. 12(3))
    await page.close();
  });

  it('shows the dashboard on a 390 px wide phone without sideways scrolling', async () => {
    const page = await browser.newPage({ locale: 'nl-NL', viewport: { width: 390, height: 844 } });
    await login(page, officerEmail, officerTotp);
    await page.goto(`${base}/admin`);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `the page is ${scroll}px wide in a ${client}px viewport`);
    assert.equal(await page.locator('svg[role="img"] title').textContent(), 'Verzoeken per maand');
    await page.close();
  });

  it('gives staff a 403 on an officer page and no way into the sealed archive', async () => {
    await t.services.executor!.erase({ email: SANNE.email });
    const anyRequest = (await t.services.requests.list({ limit: 1 }))[0]!;
    const page = await browser.newPage({ locale: 'nl-NL', viewport: { width: 390, height: 844 } });
    await login(page, staffEmail);

    const refused = await page.goto(`${base}/admin/requests/${anyRequest.id}`);
    assert.equal(refused?.status(), 403);
    await page.getByRole('heading', { name: 'Geen toegang' }).waitFor();

    await page.goto(`${base}/admin/customers`);
    await page.getByLabel('E-mailadres').fill(SANNE.email);
    await page.getByRole('button', { name: 'Opzoeken' }).click();
    await page.getByRole('heading', { name: 'Wat we bewaren, en waar' }).waitFor();
    assert.equal(await page.getByText(/verzegeld/i).count(), 0, 'staff are not told about the archive');

    // Posting the officer's form by hand, with a valid token, is refused all the same.
    const status = await page.evaluate(async (email) => {
      const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const body = new URLSearchParams({ _csrf: csrf, email, reason: 'belastingcontrole', reference: 'aanslag 2027' });
      const res = await fetch('/admin/customers/archive', { method: 'POST', body, headers: { accept: 'text/html' } });
      const text = await res.text();
      return { code: res.status, leaked: /Kerkstraat|invoices/.test(text) };
    }, SANNE.email);
    assert.deepEqual(status, { code: 403, leaked: false });
    await page.close();
  });
});

async function waitFor(check: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting');
}
