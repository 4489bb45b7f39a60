import { ConfigError } from '../config/config.ts';
import { parseShopOrigins } from '../consent/cookie-consent.ts';
import { validationFailed } from '../lib/errors.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { compareWithPolicy } from './findings.ts';
import { ShopOrigins } from './patterns.ts';
import type { ScanReport } from './scan.types.ts';
import type { ScanConfig } from './scan-config.ts';
import { INZAGE_BUTTONS, runScan, type ScanOptions } from './scanner.ts';

export interface ShopScanInput {
  /** URLs named on the command line; none: the home page and scan.yaml's pages. */
  urls: string[];
  policy: Policy;
  config: ScanConfig;
  /** INZAGE_BASE_URL: the hub serves the banner, so its origin is the shop's own. */
  baseUrl: string;
  /** INZAGE_SHOP_ORIGINS as found in the environment. */
  shopOrigins?: string;
  /** INZAGE_CHROMIUM. */
  chromium?: string;
  /** Limits from the command line, over scan.yaml's. */
  limits?: { maxPages?: number; pageTimeoutSeconds?: number; totalTimeoutSeconds?: number };
}

export interface ScanPlan {
  options: ScanOptions;
  /** Named URLs outside the configured origins, scanned as the shop's own because they were named. */
  adopted: string[];
}

/**
 * Which pages, which origins are the shop's own, and which limits. The shop's own: the policy's website,
 * INZAGE_SHOP_ORIGINS, the hub (INZAGE_BASE_URL, which serves the banner), scan.yaml's home page; and a
 * URL named on the command line, which the person asked to scan as the shop's.
 */
export function planScan(input: ShopScanInput): ScanPlan {
  const { policy, config } = input;
  const urls = input.urls.map((u) => {
    if (!URL.canParse(u) || !/^https?:$/.test(new URL(u).protocol)) {
      throw validationFailed(`"${u}" is not an http(s) URL`, 'url');
    }
    return new URL(u).toString();
  });
  const home = config.home ?? policy.controller.website;
  let configured: Set<string>;
  try {
    configured = parseShopOrigins(input.shopOrigins, input.baseUrl);
  } catch (err) {
    throw new ConfigError([{ file: 'environment', path: 'INZAGE_SHOP_ORIGINS', message: (err as Error).message }]);
  }
  if (home) configured.add(new URL(home).origin);
  const own = new ShopOrigins(configured);
  const adopted = urls.filter((u) => !own.ownsUrl(new URL(u)));
  const shop = new ShopOrigins([...configured, ...adopted.map((u) => new URL(u).origin)]);
  const start = urls.length > 0 ? urls : defaultPages(home, config, own);
  return {
    adopted,
    options: {
      start,
      shop,
      // Named pages: their links are followed on their own origins only (the person asked for those).
      crawl: urls.length > 0 ? new ShopOrigins(urls.map((u) => new URL(u).origin)) : shop,
      maxPages: input.limits?.maxPages ?? config.maxPages,
      pageTimeoutMs: (input.limits?.pageTimeoutSeconds ?? config.pageTimeoutSeconds) * 1000,
      totalTimeoutMs: (input.limits?.totalTimeoutSeconds ?? config.totalTimeoutSeconds) * 1000,
      buttons: config.banner ?? INZAGE_BUTTONS,
      chromium: input.chromium,
    },
  };
}

/** The home page, then scan.yaml's pages (paths on the home page's origin, or URLs of the shop). */
function defaultPages(home: string | undefined, config: ScanConfig, own: ShopOrigins): string[] {
  if (!home) {
    throw validationFailed(
      'no page to scan: name a URL, or set home in scan.yaml (or controller.website in the policy)',
      'url',
    );
  }
  const pages = [new URL(home).toString()];
  config.pages.forEach((p, i) => {
    const url = URL.canParse(p, home) ? new URL(p, home) : undefined;
    if (!url || !own.ownsUrl(url)) {
      throw new ConfigError([
        { file: 'scan.yaml', path: `pages[${i}]`, message: `"${p}" is not a page on the shop's own origins` },
      ]);
    }
    if (!pages.includes(url.toString())) pages.push(url.toString());
  });
  return pages;
}

/** Scans and compares with the policy: the whole report, findings included. */
export async function scanShop(input: ShopScanInput, plan = planScan(input)): Promise<ScanReport> {
  const seen = await runScan(plan.options);
  return { ...seen, findings: compareWithPolicy(seen, input.policy) };
}
