import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiRegistry } from '../../src/http/api/api-route.ts';
import { type ConsentRouteDeps, registerConsentRoutes } from '../../src/http/api/consents.routes.ts';
import { installErrorHandlers } from '../../src/http/errors.ts';
import { registerDemoShopRoutes } from '../../src/http/portal/demo-shop.routes.tsx';
import { systemClock } from '../../src/lib/clock.ts';
import type { Policy } from '../../src/policy/policy.schema.ts';
import { loadExamplePolicy } from '../helpers/app.ts';
import { BROWSER_SKIP, launchBrowser } from '../helpers/browser.ts';
import { createTestStore, type TestStore } from '../helpers/db.ts';

/** The hub as the banner meets it: helmet with the app's CSP, the consent routes, the demo shop, a real store. */
async function startHub(deps: ConsentRouteDeps): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  installErrorHandlers(app);
  registerConsentRoutes(app, new ApiRegistry(), deps);
  registerDemoShopRoutes(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
const urlOf = (app: FastifyInstance) => {
  const a = app.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
};

type Entry = unknown[] | Record<string, unknown>;
const dataLayer = (page: Page) =>
  page.evaluate(
    () =>
      ((window as unknown as { dataLayer?: unknown[] }).dataLayer ?? []).map((e) =>
        e && typeof e === 'object' && 'callee' in (e as object) ? Array.from(e as ArrayLike<unknown>) : e,
      ) as Entry[],
  );
const consentCalls = (entries: Entry[], kind: 'default' | 'update') =>
  entries
    .filter((e): e is unknown[] => Array.isArray(e) && e[0] === 'consent' && e[1] === kind)
    .map((e) => e[2] as Record<string, unknown>);
const grants = (signals: Record<string, unknown>) => Object.values(signals).includes('granted');
/** What has focus, looking into the banner's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.getElementById('inzage-consent')?.shadowRoot?.activeElement ?? document.activeElement;
    if (!a) return '';
    if (a.getAttribute('role') === 'dialog') return 'dialog';
    return (a.getAttribute('data-c') ?? a.textContent ?? a.tagName).trim();
  });
const ran = (page: Page) => page.evaluate(() => (window as unknown as { __analyticsRan?: boolean }).__analyticsRan);

async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the cookie banner in a real browser', { skip: BROWSER_SKIP }, () => {
  const policy = loadExamplePolicy();
  let store: TestStore;
  let hub: FastifyInstance;
  let base: string;
  let browser: Browser;
  const deps: ConsentRouteDeps = {
    policy: () => policy,
    baseUrl: 'http://127.0.0.1',
    store: undefined as never,
    clock: systemClock,
  };
  const contexts: BrowserContext[] = [];

  before(async () => {
    store = await createTestStore('sqlite');
    deps.store = store;
    hub = await startHub(deps);
    base = urlOf(hub);
    deps.baseUrl = base;
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await hub?.close();
    await store?.drop();
  });

  /** A fresh visitor: its own storage, no script errors, and every request for the gated script noted. */
  async function visitor(options: { gpc?: boolean; locale?: string } = {}) {
    const context = await browser.newContext({
      locale: options.locale ?? 'nl-NL',
      viewport: { width: 390, height: 800 },
    });
    contexts.push(context);
    if (options.gpc) {
      // As a string: tsx would wrap the getter in a `__name` helper the page does not have.
      await context.addInitScript({
        content: "Object.defineProperty(navigator, 'globalPrivacyControl', { get: () => true });",
      });
    }
    const page = await context.newPage();
    const errors: string[] = [];
    const analyticsRequests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on(
      'console',
      (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()),
    );
    page.on(
      'response',
      (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`),
    );
    page.on('request', (r) => r.url().includes('/demo/analytics.js') && analyticsRequests.push(r.url()));
    return { context, page, errors, analyticsRequests };
  }
  const proofs = (consentId: string) =>
    store.db.selectFrom('cookie_consents').selectAll().where('consent_id', '=', consentId).orderBy('id').execute();
  const consentIdOf = (page: Page) =>
    page.evaluate(() => (window as unknown as { inzageConsent: { id(): string | null } }).inzageConsent.id());

  it('on reject runs no analytics, keeps every Consent Mode signal denied and stores the proof', async () => {
    const { page, errors, analyticsRequests } = await visitor();
    await page.goto(`${base}/demo/shop`);
    const dialog = page.getByRole('dialog', { name: 'Cookies' });
    await dialog.waitFor();
    await page.getByRole('button', { name: 'Alles weigeren' }).click();
    await dialog.waitFor({ state: 'detached' });
    const id = (await consentIdOf(page))!;
    await until('the proof', async () => (await proofs(id)).length === 1);
    const [row] = await proofs(id);
    assert.deepEqual(JSON.parse(row!.choices), { analytics: false, necessary: true });
    assert.equal(row!.policy_version, policy.version);
    assert.equal(row!.gpc, 0);
    assert.equal(row!.ip_truncated, '127.0.0.0');
    assert.match(row!.banner_version ?? '', /^[0-9a-f]{12}$/);

    await page.reload();
    await page.waitForFunction(() => document.readyState === 'complete');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await page.getByRole('dialog').count(), 0, 'the choice holds on the next page');
    assert.equal(await ran(page), undefined);
    assert.deepEqual(analyticsRequests, [], 'the gated script is never even fetched');
    const entries = await dataLayer(page);
    const [defaults] = consentCalls(entries, 'default');
    assert.deepEqual(defaults, {
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'denied',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'denied',
      wait_for_update: 500,
    });
    assert.ok(Array.isArray(entries[0]) && entries[0][1] === 'default', 'the defaults come before anything else');
    assert.equal(consentCalls(entries, 'update').length, 1, 'the stored choice is applied on the next page');
    assert.ok(!consentCalls(entries, 'update').some(grants), 'no update grants anything');
    assert.deepEqual(errors, []);
  });

  it('on accept runs the gated script after an update that grants analytics', async () => {
    const { page, errors } = await visitor();
    await page.goto(`${base}/demo/shop`);
    await page.getByRole('button', { name: 'Alles accepteren' }).click();
    await page.waitForFunction(() => (window as unknown as { __analyticsRan?: boolean }).__analyticsRan === true);
    const entries = await dataLayer(page);
    const update = entries.findIndex((e) => Array.isArray(e) && e[1] === 'update');
    const pageView = entries.findIndex((e) => !Array.isArray(e) && e.event === 'page_view');
    const signals = (entries[update] as unknown[])[2] as Record<string, string>;
    assert.equal(signals.analytics_storage, 'granted');
    assert.equal(signals.ad_storage, 'denied', 'only what the category covers is granted');
    assert.ok(update >= 0 && update < pageView, 'the update comes before the tag');
    await until('the proof', async () => (await proofs((await consentIdOf(page))!)).length === 1);

    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __analyticsRan?: boolean }).__analyticsRan === true);
    assert.equal(await page.getByRole('dialog').count(), 0);
    await page.locator('#analytics-ran', { hasText: 'yes' }).waitFor();
    assert.deepEqual(errors, []);
  });

  it('works by keyboard alone: focus goes in, stays in, Escape accepts nothing, and focus comes back', async () => {
    const { page } = await visitor();
    await page.goto(`${base}/demo/shop`);
    await page.getByRole('dialog').waitFor();
    assert.equal(await focused(page), 'dialog', 'focus moves into the dialog');
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    assert.deepEqual(seen, [
      'Privacybeleid',
      'Alles accepteren',
      'Alles weigeren',
      'Instellingen',
      'Privacybeleid',
      'Alles accepteren',
    ]);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'Instellingen', 'Shift+Tab wraps to the last control');
    await page.keyboard.press('Escape');
    assert.equal(await page.getByRole('dialog').count(), 1, 'Escape does not close the first layer');
    assert.equal(await consentIdOf(page), null, 'and records no choice');

    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Cookie-instellingen' }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /Noodzakelijke cookies/ }).isDisabled(), true);
    assert.equal(
      await page.getByRole('checkbox', { name: 'Analytische cookies' }).isChecked(),
      false,
      'nothing ticked in advance',
    );
    for (let i = 0; i < 10 && (await focused(page)) !== 'analytics'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    for (let i = 0; i < 10 && (await focused(page)) !== 'Keuze opslaan'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __analyticsRan?: boolean }).__analyticsRan === true);
    assert.equal(await page.getByRole('dialog').count(), 0);

    // Reopen from the footer link by keyboard; Escape closes (a choice exists) and focus returns to the link.
    const link = page.getByRole('link', { name: 'Cookie-instellingen' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Cookie-instellingen' }).waitFor();
    assert.equal(await focused(page), 'dialog');
    assert.equal(await page.getByRole('checkbox', { name: 'Analytische cookies' }).isChecked(), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.equal(await focused(page), 'Cookie-instellingen', 'focus returns to where it was');
  });

  it('honours Global Privacy Control: non-essential denied without a banner, and recorded', async () => {
    const { page, analyticsRequests } = await visitor({ gpc: true });
    await page.goto(`${base}/demo/shop`);
    await page.waitForFunction(() =>
      (window as unknown as { inzageConsent?: { id(): string | null } }).inzageConsent?.id(),
    );
    assert.equal(await page.getByRole('dialog').count(), 0);
    const id = (await consentIdOf(page))!;
    await until('the proof', async () => (await proofs(id)).length === 1);
    const [row] = await proofs(id);
    assert.equal(row!.gpc, 1);
    assert.deepEqual(JSON.parse(row!.choices), { analytics: false, necessary: true });
    assert.equal(await ran(page), undefined);
    assert.deepEqual(analyticsRequests, []);
    assert.ok(!consentCalls(await dataLayer(page), 'update').some(grants));
  });

  it('asks again when the policy version changes, under the same consent id', async () => {
    const { page } = await visitor();
    // Intercepting skips the HTTP cache: the shop's visitors see a new banner within its max-age (5 min).
    await page.route('**/banner.js', (route) => route.continue());
    await page.goto(`${base}/demo/shop`);
    await page.getByRole('button', { name: 'Alles accepteren' }).click();
    const id = (await consentIdOf(page))!;
    await until('the first proof', async () => (await proofs(id)).length === 1);
    const next: Policy = { ...policy, version: `${policy.version}-b` };
    deps.policy = () => next;
    try {
      await page.reload();
      await page.getByRole('dialog', { name: 'Cookies' }).waitFor();
      assert.equal(await ran(page), undefined, 'the old consent does not cover the new policy');
      await page.getByRole('button', { name: 'Alles weigeren' }).click();
      await until('the second proof', async () => (await proofs(id)).length === 2);
      assert.deepEqual(
        (await proofs(id)).map((r) => r.policy_version),
        [policy.version, next.version],
      );
    } finally {
      deps.policy = () => policy;
    }
  });

  it("loads a gated Google tag before consent, signals denied, only when the policy's service says advanced", async () => {
    const advanced = structuredClone(policy);
    advanced.cookies.services[0]!.consentMode = 'advanced';
    deps.policy = () => advanced;
    try {
      const { page } = await visitor();
      await page.goto(`${base}/demo/shop`);
      await page.getByRole('dialog').waitFor();
      await page.waitForFunction(() => (window as unknown as { __analyticsRan?: boolean }).__analyticsRan === true);
      const entries = await dataLayer(page);
      assert.equal(consentCalls(entries, 'default')[0]!.analytics_storage, 'denied');
      assert.equal(consentCalls(entries, 'update').length, 0, 'no choice yet: the signals stay denied');
    } finally {
      deps.policy = () => policy;
    }
  });

  it('speaks English on an English page, and lets a visitor withdraw consent, removing its cookies', async () => {
    const { context, page } = await visitor({ locale: 'en-GB' });
    await page.goto(`${base}/demo/shop?lang=en`);
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as unknown as { __analyticsRan?: boolean }).__analyticsRan === true);
    await context.addCookies([
      { name: '_ga', value: 'GA1.1.123', url: base },
      { name: '_ga_ABC123', value: 'GS1.1', url: base },
    ]);
    assert.match(await page.evaluate(() => document.cookie), /_ga_ABC123=/);
    await page.evaluate(() => (window as unknown as { inzageConsent: { open(): void } }).inzageConsent.open());
    await page.getByRole('checkbox', { name: 'Analytics cookies' }).uncheck();
    await page.getByRole('button', { name: 'Save choice' }).click();
    const cookies = await page.evaluate(() => document.cookie);
    assert.doesNotMatch(cookies, /_ga/);
    assert.match(cookies, /inzage_consent=/);
    const updates = consentCalls(await dataLayer(page), 'update');
    assert.equal(updates.at(-1)!.analytics_storage, 'denied');
  });

  it('is fixed in place, gives accept and reject the same weight, and keeps still under reduced motion', async () => {
    const { page } = await visitor();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${base}/demo/shop`);
    await page.getByRole('dialog').waitFor();
    const style = await page.evaluate(() => {
      const d = document.getElementById('inzage-consent')!.shadowRoot!.querySelector('[role=dialog]')!;
      const s = getComputedStyle(d);
      return { position: s.position, animation: s.animationName };
    });
    assert.deepEqual(style, { position: 'fixed', animation: 'none' });
    const accept = page.getByRole('button', { name: 'Alles accepteren' });
    const reject = page.getByRole('button', { name: 'Alles weigeren' });
    const [a, r] = [await accept.boundingBox(), await reject.boundingBox()];
    assert.equal(a!.height, r!.height);
    assert.ok(Math.abs(a!.width - r!.width) < 1, `accept ${a!.width}px, reject ${r!.width}px wide`);
    const look = (l: typeof accept) =>
      l.evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
    assert.deepEqual(await look(accept), await look(reject));
  });

  it('keeps a choice it could not deliver and posts it on a later page', async () => {
    const { page } = await visitor();
    await page.route('**/api/v1/consents', (route) => route.abort());
    await page.goto(`${base}/demo/shop`);
    await page.getByRole('button', { name: 'Alles weigeren' }).click();
    const id = (await consentIdOf(page))!;
    await page.waitForFunction(() => (localStorage.getItem('inzage_consent_queue') ?? '').includes('consentId'));
    assert.equal((await proofs(id)).length, 0);
    await page.unroute('**/api/v1/consents');
    await page.reload();
    await until('the queued proof', async () => (await proofs(id)).length === 1);
    assert.equal(await page.evaluate(() => localStorage.getItem('inzage_consent_queue')), '[]');
  });

  it('works from a shop on another origin, in the language its script tag asks, posting proof through CORS', async () => {
    const shop = Fastify();
    shop.get('/', async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          `<!doctype html><html lang="nl"><head><script src="${base}/banner.js" data-lang="en" defer></script></head><body><h1>Winkel</h1></body></html>`,
        ),
    );
    await shop.listen({ port: 0, host: '127.0.0.1' });
    after(() => shop.close());
    const shopOrigin = urlOf(shop).replace('127.0.0.1', 'localhost');
    deps.shopOrigins = shopOrigin;
    deps.baseUrl = `${base}/`; // a new base drops the cached origins, as a restart would
    const { page, errors } = await visitor();
    try {
      await page.goto(`${shopOrigin}/`);
      await page.getByRole('button', { name: 'Accept all' }).click(); // data-lang="en" wins over <html lang="nl">
      const id = (await consentIdOf(page))!;
      await until('the cross-origin proof', async () => (await proofs(id)).length === 1);
      assert.deepEqual(errors, []);
    } finally {
      deps.shopOrigins = undefined;
      deps.baseUrl = base;
    }
  });

  it('ignores a choice planted in a cookie or localStorage, runs none of it, and records a fresh one, on a page without CSP', async () => {
    // A shop page with no Content Security Policy: only the banner's own care stands between a planted
    // cookie and the page (a sibling subdomain can set a cookie for the whole domain).
    const shop = Fastify();
    shop.get('/', async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          `<!doctype html><html lang="nl"><head><script src="${base}/banner.js" defer></script></head><body><h1>Winkel</h1></body></html>`,
        ),
    );
    await shop.listen({ port: 0, host: '127.0.0.1' });
    after(() => shop.close());
    const shopOrigin = urlOf(shop);
    deps.shopOrigins = shopOrigin;
    deps.baseUrl = `${base}//`; // a base not used before drops the cached origins, as a restart would
    const hostile = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">';
    const planted = JSON.stringify({
      id: hostile,
      c: { necessary: true, analytics: false },
      pv: policy.version,
      t: Date.now(),
      gpc: false,
    });
    try {
      for (const where of ['cookie', 'localStorage'] as const) {
        const { context, page, errors } = await visitor();
        if (where === 'cookie')
          await context.addCookies([{ name: 'inzage_consent', value: encodeURIComponent(planted), url: shopOrigin }]);
        else
          await context.addInitScript({
            content: `localStorage.getItem('inzage_consent') || localStorage.setItem('inzage_consent', ${JSON.stringify(planted)});`,
          });
        await page.goto(`${shopOrigin}/`);
        await page.waitForFunction(() => (window as unknown as { inzageConsent?: unknown }).inzageConsent);
        await page.evaluate(() => (window as unknown as { inzageConsent: { open(): void } }).inzageConsent.open());
        await page.getByRole('dialog', { name: 'Cookie-instellingen' }).waitFor();
        const shown = await page.evaluate(() => {
          const root = document.getElementById('inzage-consent')!.shadowRoot!;
          const a = root.querySelector('a[href*="/api/v1/consents/"]');
          return { text: a?.textContent, images: root.querySelectorAll('img').length, href: a?.getAttribute('href') };
        });
        // A stored choice that this banner could not have written counts as none: nothing of it is shown.
        assert.notEqual(shown.text, hostile, `${where}: the planted id is not taken`);
        assert.equal(shown.images, 0, `${where}: no element was made from it`);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);

        // A choice made now gets an id that the hub accepts as proof, not the planted one.
        await page.getByRole('button', { name: 'Keuze opslaan' }).click();
        const id = (await consentIdOf(page))!;
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        await until('the proof under a fresh id', async () => (await proofs(id)).length === 1).catch((e) => {
          throw new Error(`${e.message}: ${errors.join('; ')}`);
        });
        assert.deepEqual(errors, [], where);
      }
      // A well-formed choice in a cookie only (a sibling subdomain can set one) grants nothing until the hub
      // holds proof of it: analytics stays denied and the banner asks.
      const forged = JSON.stringify({
        id: '0b5c3d2e-1f4a-4b6c-8d7e-9f0a1b2c3d4e',
        c: { necessary: true, analytics: true },
        pv: policy.version,
        t: Date.now(),
        gpc: false,
      });
      const { context, page } = await visitor();
      await context.addCookies([{ name: 'inzage_consent', value: encodeURIComponent(forged), url: shopOrigin }]);
      await page.goto(`${shopOrigin}/`);
      await page.waitForFunction(() => (window as unknown as { inzageConsent?: unknown }).inzageConsent);
      await new Promise((r) => setTimeout(r, 500)); // the hub is asked, and has no such proof
      const seen = await page.evaluate(() => ({
        choices: (window as unknown as { inzageConsent: { choices(): unknown } }).inzageConsent.choices(),
        granted: JSON.stringify((window as unknown as { dataLayer: unknown[] }).dataLayer).includes('"granted"'),
        banner: !!document.getElementById('inzage-consent'),
      }));
      assert.deepEqual(seen, { choices: null, granted: false, banner: true }, 'the forged cookie counts as no choice');
    } finally {
      deps.shopOrigins = undefined;
      deps.baseUrl = base;
    }
  });
});
