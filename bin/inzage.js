#!/usr/bin/env node
// Production runs the release in dist/ (plain JavaScript, `npm run build`; dist/bundle/ holds the CLI and
// server bundled): no TypeScript compiler or bundler at run time. A clone whose dist/ is missing or
// older than its sources builds it first, in a few seconds and once, so `npm ci && npm start` just works.
// INZAGE_RUN_FROM=source runs the TypeScript sources through tsx instead (development and the test suite,
// which test the sources as they are).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

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
  // Node 22.8 and later keep V8's compiled code of the bundle on disk: a restart then skips most of compiling
  // 3 MB of JavaScript. In dist/, the release's own folder (a build replaces it, cache and all), not in the
  // shared temporary folder Node would choose, where another local user could plant code for it to run.
  // Node checks each entry against the file's contents, and runs without the cache where dist/ cannot be
  // written (a read-only image). NODE_COMPILE_CACHE chooses another folder; NODE_DISABLE_COMPILE_CACHE=1
  // turns it off.
  module.enableCompileCache?.(
    process.env.NODE_COMPILE_CACHE ? undefined : fileURLToPath(new URL('dist/.compile-cache', root)),
  );
  await import('../dist/bundle/inzage.js');
}
