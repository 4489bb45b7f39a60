#!/usr/bin/env node
// Production runs the release in dist/ (plain JavaScript, `npm run build`; dist/bundle/ holds the CLI and
// server bundled): no TypeScript compiler or bundler at run time. A clone whose dist/ is missing or
// older than its sources builds it first, in a few seconds and once, so `npm ci && npm start` just works.
// INZAGE_RUN_FROM=source runs the TypeScript sources through tsx instead (development and the test suite,
// which test the sources as they are).
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const fromSource = process.env.INZAGE_RUN_FROM === 'source';

if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  if (existsSync(new URL('scripts/build.mjs', root)) && existsSync(new URL('src', root))) {
    const { buildRelease, staleReason } = await import('../scripts/build.mjs');
    const reason = staleReason();
    if (reason) {
      process.stderr.write(`building the release first: ${reason} (npm run build)\n`);
      await buildRelease({ force: false });
    }
  }
  await import('../dist/bundle/inzage.js');
}
