import type { Browser } from 'playwright-core';
import { InzageError } from '../lib/errors.ts';
import { launchChromium } from './browser.ts';
import { PassRecorder } from './pass-recorder.ts';
import type { ShopOrigins } from './patterns.ts';
import { PASSES, type PassName, type PassReport, type ScanReport } from './scan.types.ts';
import {
  type BannerButtons,
  clickBanner,
  linksOn,
  readJar,
  readStorage,
  type Settle,
  settle,
  visitPage,
  wirePass,
} from './visit.ts';

export interface ScanOptions {
  /** The pages to start from (the given URLs, or the home page and scan.yaml's pages). */
  start: string[];
  shop: ShopOrigins;
  /** Whose links are followed: the shop's origins, or only those of the URLs named on the command line. */
  crawl: ShopOrigins;
  maxPages: number;
  pageTimeoutMs: number;
  totalTimeoutMs: number;
  buttons: BannerButtons;
  /** INZAGE_CHROMIUM; Debian's chromium by default. */
  chromium?: string;
  /** How a page is given time to settle after it loaded; 500 ms quiet and 500 ms for timers by default. */
  settle?: Settle;
  /** How long to look for the banner on the first page; 5 s by default. */
  bannerWaitMs?: number;
  /** A browser already running (the tests share one); it stays open. By default one is launched and closed. */
  browser?: Browser;
}

/** Inzage's own buttons, Dutch and English, for when scan.yaml names no banner. */
export const INZAGE_BUTTONS: BannerButtons = {
  accept: ['Alles accepteren', 'Accept all'],
  reject: ['Alles weigeren', 'Reject all'],
};

const BANNER_WAIT_MS = 5000;
const SETTLE: Settle = { quietMs: 500, dwellMs: 500 };
const FILE_LINK = /\.(pdf|zip|jpe?g|png|gif|svg|webp|ico|mp4|mp3|csv|xml|json|txt|docx?|xlsx?)$/i;

/**
 * Visits the shop's pages in Chromium in three passes, each in a fresh context: without a choice, after
 * *Alles weigeren*, after *Alles accepteren*. The first pass finds the pages (the start pages, then links
 * to the shop's own origins, up to `maxPages`); the other two then visit the same ones side by side, the
 * banner clicked on the first. The report has no findings yet: `compareWithPolicy` adds them.
 */
export async function runScan(options: ScanOptions): Promise<Omit<ScanReport, 'findings'>> {
  const started = Date.now();
  const deadline = started + options.totalTimeoutMs;
  const browser = options.browser ?? (await launchChromium(options.chromium));
  const run = { deadline, incomplete: undefined as string | undefined, visits: 0 };
  try {
    const first = await runPass(browser, 'no-choice', undefined, options, run);
    const pages = first.visited;
    const passes: PassReport[] = [first.report];
    if (!run.incomplete) {
      // The two choices in contexts of their own, at the same time: they share nothing but the pages.
      const choices = await Promise.all(
        PASSES.filter((p) => p !== 'no-choice').map((name) => runPass(browser, name, pages, options, run)),
      );
      passes.push(...choices.map((c) => c.report));
    }
    return {
      pages,
      passes,
      startedAt: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ...(run.incomplete ? { incomplete: run.incomplete } : {}),
    };
  } finally {
    if (!options.browser) await browser.close();
  }
}

interface RunState {
  deadline: number;
  incomplete: string | undefined;
  visits: number;
}

async function runPass(
  browser: Browser,
  name: PassName,
  known: string[] | undefined,
  options: ScanOptions,
  run: RunState,
): Promise<{ report: PassReport; visited: string[] }> {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  const recorder = new PassRecorder(name, options.shop);
  let choice: PassReport['choice'] = 'none';
  const queue = [...(known ?? options.start.map(normalise))];
  const visited: string[] = [];
  let loaded = 0;
  try {
    const wiring = await wirePass(context, recorder);
    const { page } = wiring;
    let lastLook = 0;
    const look = async () => {
      const at = Date.now();
      await wiring.flush(1000);
      recorder.jar(await readJar(context), at, lastLook);
      recorder.storage(await readStorage(page), at);
      lastLook = at;
    };
    while (queue.length > 0 && visited.length < (known ? known.length : options.maxPages)) {
      const remaining = run.deadline - Date.now();
      if (remaining <= 0) {
        run.incomplete = `stopped at the total time limit (${options.totalTimeoutMs / 1000} s) in the ${name} pass, after ${run.visits} page visits`;
        break;
      }
      const url = queue.shift()!;
      recorder.beginPage(url);
      const budget = Math.min(options.pageTimeoutMs, remaining);
      const visit = await visitPage(wiring, url, budget, options.settle ?? SETTLE);
      run.visits++;
      visited.push(url);
      if (!visit.ok) recorder.error(url, visit.message ?? 'did not load');
      if (!known) {
        for (const link of await linksOn(page)) {
          if (isShopPage(link, options) && !visited.includes(link) && !queue.includes(link)) queue.push(link);
        }
      }
      if (visit.loaded) loaded++;
      if (name !== 'no-choice' && choice === 'none' && visit.loaded) {
        // Before the click: what the page did without a choice. Then the choice, and this page again.
        await look();
        recorder.choose(Date.now());
        choice = await clickBanner(
          page,
          name,
          options.buttons,
          Math.min(options.bannerWaitMs ?? BANNER_WAIT_MS, budget),
        );
        await settle(wiring, options.settle ?? SETTLE, Date.now() + budget);
        await look();
        queue.unshift(url);
        visited.pop();
        continue;
      }
      await look();
    }
    await wiring.flush(2000);
  } finally {
    await context.close();
  }
  const report = recorder.report(choice);
  if (name === 'no-choice' && loaded === 0 && visited.length > 0) {
    // Nothing to judge: a scan that saw no page must not pass as a clean one.
    throw new InzageError(
      'SCAN_FAILED',
      `no page of the shop could be loaded: ${report.errors.map((e) => `${e.page}: ${e.message}`).join('; ')}`,
    );
  }
  return { report, visited };
}

function normalise(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.toString();
}

/** A link worth visiting: the shop's own, over http(s), not a file to download. */
function isShopPage(link: string, options: ScanOptions): boolean {
  if (!URL.canParse(link)) return false;
  const url = new URL(link);
  return /^https?:$/.test(url.protocol) && options.crawl.ownsUrl(url) && !FILE_LINK.test(url.pathname);
}
