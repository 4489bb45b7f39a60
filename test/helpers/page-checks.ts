import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * What every page must pass in the browser tests (issue 16's quality bar): no sideways scrolling, no word
 * broken in half, no axe-core violation; and a screenshot to look at. The screenshots go to
 * `tmp/screenshots/` in the checkout (ignored by git), or INZAGE_SCREENSHOT_DIR.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const SCREENSHOT_DIR =
  process.env.INZAGE_SCREENSHOT_DIR ?? new URL('../../tmp/screenshots/', import.meta.url).pathname;

/** The widths every page is looked at: a phone (390 × 844, an iPhone 12–15) and a laptop. */
export const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's violations on the page as it is now (WCAG 2.0–2.2 A and AA, and axe's best practices). The
 * script is evaluated in the page rather than added as a <script>: the page keeps its own CSP.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
    }
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
}

/** How many pixels the page is wider than the window (0 when it does not scroll sideways). */
export const sidewaysOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));

/**
 * Words the browser broke across two lines (letters and digits, two or more, split at no hyphen or
 * space), in the page and in open shadow roots. A word in a box that scrolls sideways is not broken;
 * an address (with `/` or `@`) is no word.
 */
export function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(BROKEN_WORDS) as Promise<string[]>;
}

// A string, not a function: tsx would wrap the inner function in a `__name` helper the page does not have.
const BROKEN_WORDS = `(() => {
  const broken = [];
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.shadowRoot) visit(node.shadowRoot);
        continue;
      }
      const parent = node.parentElement;
      if (!parent || ['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION'].includes(parent.tagName)) continue;
      for (const token of (node.textContent || '').matchAll(/\\S+/g)) {
        // An address (a link, an e-mail address, a path) is no word: it may wrap where it must.
        if (/[/@]/.test(token[0])) continue;
        for (const m of token[0].matchAll(/[\\p{L}\\p{N}]{2,}/gu)) {
          const range = document.createRange();
          range.setStart(node, token.index + m.index);
          range.setEnd(node, token.index + m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(m[0]);
        }
      }
    }
  };
  visit(document.body);
  return broken;
})()`;

export interface PageReport {
  name: string;
  width: number;
  screenshot: string;
  overflow: number;
  brokenWords: string[];
  violations: AxeViolation[];
}

/**
 * Screenshots the page (whole length) as `<name>-<width>.png` and runs every check on it; without a
 * screenshot when `screenshot: false` (a page opened up too long to picture, checked all the same).
 */
export async function inspectPage(
  page: Page,
  name: string,
  options: { screenshot?: boolean } = {},
): Promise<PageReport> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const screenshot = options.screenshot === false ? '' : join(SCREENSHOT_DIR, `${name}-${width}.png`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  return {
    name,
    width,
    screenshot,
    overflow: await sidewaysOverflow(page),
    brokenWords: await brokenWords(page),
    violations: await axeViolations(page),
  };
}

/** Keeps a test file's reports as `<file>.json` beside the screenshots, for the axe table in a closing note. */
export function saveReports(file: string, reports: readonly PageReport[]): void {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(join(SCREENSHOT_DIR, `${file}.json`), `${JSON.stringify(reports, null, 2)}\n`);
}

/** One line per problem, for an assertion message that says what to fix. */
export function describeProblems(r: PageReport): string {
  return [
    r.overflow > 0 ? `${r.overflow}px wider than the window` : '',
    r.brokenWords.length > 0 ? `broken words: ${r.brokenWords.join(', ')}` : '',
    ...r.violations.map((v) => `axe ${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 3).join(' ')}`),
  ]
    .filter(Boolean)
    .join('\n');
}
