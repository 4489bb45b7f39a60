import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { InzageError } from '../lib/errors.ts';

/** Debian's Chromium (apt-get install chromium); INZAGE_CHROMIUM names another. Never a downloaded build. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * The flags the browser tests use: headless, no sandbox (containers), no GPU, no QUIC, and nothing
 * that phones home by itself (background networking, component updates, sync): every request the scan
 * sees is one the shop's pages made. Playwright gives each launch a fresh, temporary `--user-data-dir`
 * (it refuses one in `args`) and removes it at close; each pass also gets a browser context of its own.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** No browser to scan with: a setting is missing, not a fault of the shop. */
export function chromiumMissing(explicit?: string): InzageError {
  return new InzageError(
    'NOT_CONFIGURED',
    explicit
      ? `no browser at ${explicit}`
      : "Chromium not found: install Debian's chromium (apt-get install chromium) or set INZAGE_CHROMIUM",
    { field: explicit ? 'INZAGE_CHROMIUM' : undefined },
  );
}

export async function launchChromium(explicit?: string): Promise<Browser> {
  const executablePath = findChromium(explicit);
  if (!executablePath) throw chromiumMissing(explicit);
  // Loaded when a scan starts: the browser driver is large, and the server and most commands never scan.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
}
