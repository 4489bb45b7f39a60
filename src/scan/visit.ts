import type { BrowserContext, Frame, Page, Request } from 'playwright-core';
import type { JarCookie, PassRecorder } from './pass-recorder.ts';
import { PROBE_BINDING, PROBE_SCRIPT, type ProbeMessage } from './probe.ts';
import type { StorageSeen } from './scan.types.ts';

/**
 * The browser side of a pass: wires a fresh context's events into its recorder, loads pages within
 * their time limit, clicks a banner, and reads the jar and web storage.
 */

/** How long a page may keep loading things before it counts as settled anyway, within its own limit. */
const SETTLE_MAX_MS = 5000;

export interface Wiring {
  page: Page;
  /** Requests of the pass not yet finished or failed: the page is quiet when there are none. */
  inFlight(): number;
  /** A new page: what the last one left unfinished no longer counts. */
  forgetInFlight(): void;
  /** Waits (at most `ms`) for request headers still being read, so that every Cookie header is counted. */
  flush(ms: number): Promise<void>;
}

export async function wirePass(context: BrowserContext, recorder: PassRecorder): Promise<Wiring> {
  await context.exposeBinding(PROBE_BINDING, (_source, message: ProbeMessage) => recorder.probe(message));
  await context.addInitScript({ content: PROBE_SCRIPT });
  const pending = new Set<Promise<unknown>>();
  const inFlight = new Set<Request>();
  context.on('requestfinished', (request) => inFlight.delete(request));
  context.on('requestfailed', (request) => inFlight.delete(request));
  const track = (p: Promise<unknown>) => {
    const tracked = p.catch(() => {}).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  context.on('request', (request) => {
    inFlight.add(request);
    const carried = recorder.request({ url: request.url(), type: request.resourceType(), at: Date.now() });
    track(request.allHeaders().then((h) => carried('cookie' in h)));
  });
  context.on('response', (response) => {
    const at = Date.now();
    track(
      response.headersArray().then((headers) => {
        const setCookies = headers
          .filter((h) => h.name.toLowerCase() === 'set-cookie')
          .flatMap((h) => h.value.split('\n'));
        if (setCookies.length) recorder.responseCookies({ url: response.url(), setCookies, at });
      }),
    );
  });
  const page = await context.newPage();
  // Scripts that ran, inline and external, from the debugger's list; pauses are skipped (a `debugger;`
  // statement in the shop's code must not stop the scan).
  const cdp = await context.newCDPSession(page);
  cdp.on('Debugger.scriptParsed', (e) => recorder.script(e.url, Date.now()));
  await cdp.send('Debugger.enable');
  await cdp.send('Debugger.setSkipAllPauses', { skip: true });
  return {
    page,
    inFlight: () => inFlight.size,
    forgetInFlight: () => inFlight.clear(),
    flush: async (ms) => {
      if (pending.size === 0) return;
      await Promise.race([Promise.all([...pending]), new Promise((r) => setTimeout(r, ms))]);
    },
  };
}

export interface Visit {
  /** The page arrived (whatever its status): there is a page to look at and click on. */
  loaded: boolean;
  ok: boolean;
  /** Why not: a timeout, a refused connection, an HTTP status. */
  message?: string;
}

/** How a page is given time to do what it does after it loaded. */
export interface Settle {
  /** No request in flight for this long: the network is quiet (playwright's networkidle uses 500 ms). */
  quietMs: number;
  /** Then this long for timers: tags often fire a moment after load. */
  dwellMs: number;
}

/** Waits until the pass's requests have been quiet for `quietMs`, then `dwellMs`; never past `end`. */
export async function settle(wiring: Wiring, how: Settle, end: number): Promise<void> {
  const until = Math.min(end, Date.now() + SETTLE_MAX_MS);
  let quietSince = Date.now();
  while (Date.now() < until) {
    if (wiring.inFlight() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= how.quietMs) break;
    await wiring.page.waitForTimeout(25);
  }
  await wiring.page.waitForTimeout(Math.max(0, Math.min(how.dwellMs, end - Date.now())));
}

/** Loads a page and lets it settle, within `ms`. */
export async function visitPage(wiring: Wiring, url: string, ms: number, how: Settle): Promise<Visit> {
  const { page } = wiring;
  const end = Date.now() + ms;
  wiring.forgetInFlight();
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: ms }).catch((err: unknown) => {
      // A page still leaving the one before (an error page, a script's redirect): once more.
      if (!/interrupted by another navigation/.test(String(err))) throw err;
      return page.goto(url, { waitUntil: 'load', timeout: Math.max(1, end - Date.now()) });
    });
    await settle(wiring, how, end);
    const status = response?.status() ?? 0;
    return status >= 400 ? { loaded: true, ok: false, message: `HTTP ${status}` } : { loaded: true, ok: true };
  } catch (err) {
    return { loaded: false, ok: false, message: firstLine(err) };
  }
}

/**
 * Links on the page, absolute, without their fragment; not those in Inzage's banner (its shadow root
 * links to the hub's policy page, which is not the shop's), not `rel=nofollow` nor `download` ones.
 * As a string: tsx names inner functions with a helper the page does not have.
 */
const READ_LINKS = `Array.prototype.slice
  .call(document.querySelectorAll('a[href]:not([download])'))
  .filter(function (a) { return !/\\bnofollow\\b/i.test(a.getAttribute('rel') || ''); })
  .map(function (a) { return String(a.href).split('#')[0]; })`;

export async function linksOn(page: Page): Promise<string[]> {
  return (page.evaluate(READ_LINKS) as Promise<string[]>).catch(() => []);
}

export async function readJar(context: BrowserContext): Promise<JarCookie[]> {
  return (await context.cookies()).map((c) => ({
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path,
    expires: c.expires,
  }));
}

/** The keys in localStorage and sessionStorage of every frame of the page. */
export async function readStorage(page: Page): Promise<{ kind: StorageSeen['kind']; origin: string; key: string }[]> {
  const all = await Promise.all(page.frames().map((f) => storageOf(f)));
  return all.flat();
}

/** As a string: tsx names inner functions with a helper the page does not have. */
const READ_STORAGE = `(() => {
  var out = [];
  try {
    [['localStorage', localStorage], ['sessionStorage', sessionStorage]].forEach(function (pair) {
      for (var i = 0; i < pair[1].length; i++) out.push({ kind: pair[0], origin: location.origin, key: pair[1].key(i) });
    });
  } catch (e) {}
  return out;
})()`;

async function storageOf(frame: Frame): Promise<{ kind: StorageSeen['kind']; origin: string; key: string }[]> {
  return frame.evaluate(READ_STORAGE).catch(() => []) as Promise<
    { kind: StorageSeen['kind']; origin: string; key: string }[]
  >;
}

/** The texts of a banner's buttons: from scan.yaml, or Inzage's own in Dutch and English. */
export interface BannerButtons {
  accept: string[];
  reject: string[];
}

/**
 * Clicks *Alles weigeren* or *Alles accepteren*: Inzage's banner (its buttons in its shadow root), or a
 * button or link in any frame whose name is one of the configured texts. Waits up to `ms` for one.
 */
export async function clickBanner(
  page: Page,
  choice: 'reject' | 'accept',
  buttons: BannerButtons,
  ms: number,
): Promise<'inzage-banner' | 'configured-banner' | 'banner-not-found'> {
  const inzage = page.locator(`#inzage-consent button[data-a="${choice === 'accept' ? '1' : '0'}"]`).first();
  const end = Date.now() + ms;
  do {
    if (await inzage.isVisible().catch(() => false)) {
      await inzage.click({ timeout: clickTimeout(end) });
      return 'inzage-banner';
    }
    for (const frame of page.frames()) {
      for (const text of buttons[choice]) {
        const named = frame
          .getByRole('button', { name: text, exact: true })
          .or(frame.getByRole('link', { name: text, exact: true }))
          .first();
        if (await named.isVisible().catch(() => false)) {
          await named.click({ timeout: clickTimeout(end) });
          return 'configured-banner';
        }
      }
    }
    await page.waitForTimeout(100);
  } while (Date.now() < end);
  return 'banner-not-found';
}

/**
 * The wait for the banner to appear may use up its time; a banner found is then still given time to take
 * the click (Playwright also waits for the navigation a click starts), or a slow machine fails the scan.
 */
const CLICK_MS = 5000;
const clickTimeout = (end: number) => Math.max(CLICK_MS, end - Date.now());

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').slice(0, 300);
}
