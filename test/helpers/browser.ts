import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = [process.env.INZAGE_TEST_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => !!p,
);

export const CHROMIUM = CANDIDATES.find((p) => existsSync(p));

/** `skip` for node:test: in CI a missing browser is a failure, elsewhere a clear skip. */
export const BROWSER_SKIP: string | false =
  CHROMIUM || process.env.CI
    ? false
    : 'Chromium not found (apt-get install chromium, or set INZAGE_TEST_CHROMIUM): browser tests skipped';

export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is required for browser tests in CI; .ci/run installs it');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
