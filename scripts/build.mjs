#!/usr/bin/env node
// `npm run build`: the release in dist/ — plain JavaScript from tsc, the CSS files beside it, the CLI and
// server bundled into dist/bundle/ (fewer files to load at start), and the consent banner prebuilt (bundled
// and minified once), so that production runs with no TypeScript compiler or bundler. Built into a folder
// of its own and swapped in, under a lock: two processes that find dist/ stale at once build it once, and
// a reader never sees half a build.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, '.build-stamp');
const LOCK = join(ROOT, '.dist.lock');

/** The newest modification time of what a build reads (sources, package.json, tsconfig, this script). */
export function newestSource(root = ROOT) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', join('scripts', 'build.mjs')])
    if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** Why dist/ must be built first, or undefined when it is current. */
export function staleReason(root = ROOT) {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return 'dist/ is missing';
  if (!existsSync(join(root, 'src'))) return undefined; // a release without sources: dist/ is all there is
  // A dist/ built before the release was bundled has no bundle for bin/inzage.js to run.
  if (!existsSync(join(root, 'dist', 'bundle', 'inzage.js'))) return 'dist/bundle/ is missing';
  let built = 0;
  try {
    built = JSON.parse(readFileSync(stamp, 'utf8')).sources;
  } catch {
    return 'dist/.build-stamp is unreadable';
  }
  return newestSource(root) > built ? 'the sources changed since the last build' : undefined;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the build lock (a folder: mkdir is atomic); a lock older than 5 minutes is a dead build's. */
function lock() {
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      return true;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - statSync(LOCK).mtimeMs > 5 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      else if (waited > 5 * 60_000) throw new Error(`another build holds ${LOCK}; remove it if none runs`);
      sleep(200);
      if (staleReason() === undefined) return false; // someone else built it meanwhile
    }
  }
}

function compile(out) {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`tsc failed (exit ${run.status})`);
}

function copyAssets(out) {
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/\.(ts|tsx)$/.test(entry.name)) {
        const target = join(out, relative(join(ROOT, 'src'), path));
        mkdirSync(dirname(target), { recursive: true });
        cpSync(path, target);
      }
    }
  };
  walk(join(ROOT, 'src'));
}

/** The banner bundled once with its config and CSS left as free names; the server wraps it per policy. */
async function prebuildBanner(out) {
  const { build, transform } = await import('esbuild');
  const folder = join(out, 'consent', 'banner');
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'consent', 'banner', 'banner.ts')],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
  });
  writeFileSync(join(folder, 'banner.prebuilt.js'), result.outputFiles[0].text);
  const css = readFileSync(join(ROOT, 'src', 'consent', 'banner', 'banner.css'), 'utf8');
  writeFileSync(join(folder, 'banner.min.css'), (await transform(css, { loader: 'css', minify: true })).code.trim());
}

/**
 * Packages bundled into dist/bundle/: ES modules in hundreds of small files (kysely alone loads 263), each
 * a separate parse, link and evaluation in Node's module loader. The others stay in node_modules: CommonJS
 * packages load quickly by `require`, and some find files of their own at run time (pino's transports,
 * better-sqlite3's binding, playwright, esbuild). A package that another package outside imports too stays
 * outside (preact, which preact-render-to-string imports): two copies would not know each other's hooks.
 */
export const BUNDLED_PACKAGES = new Set(['kysely', 'zod', 'date-fns', '@date-fns/tz', 'csv-stringify', 'colord']);

/** The package an import names: `kysely` for `kysely/helpers/sqlite`, `@date-fns/tz` for `@date-fns/tz/x`. */
export const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * The CLI and server bundled, dist/bundle/inzage.js: start-up spent most of its time loading some 1,000
 * module files one by one (issue 18). What a command loads when it runs (`await import`) becomes a chunk
 * of its own, so `inzage --help` still loads little. The compiled files stay in dist/ with their CSS:
 * each module's `import.meta.url` is rewritten to the address of its own compiled file, so that what a
 * module reads from beside itself is found as before.
 */
async function bundleCli(out) {
  const { build } = await import('esbuild');
  await build({
    // Module names in the bundle are relative to the release (http/server.js), not to the build folder.
    absWorkingDir: out,
    entryPoints: { inzage: join(out, 'cli', 'main.js') },
    outdir: join(out, 'bundle'),
    splitting: true,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    // V8 keeps every loaded module's source text in the heap (to compile functions when first called): without the
    // comments and whitespace the bundle is 2.5 MB instead of 3.1, and a restart idles 2-4 MiB lower. Names stay,
    // so stack traces still say which function; their line and column point into the bundle, as before.
    minifyWhitespace: true,
    // Warnings too: a `require` or `import.meta` esbuild cannot carry over would fail only at run time.
    logLevel: 'warning',
    // CommonJS inside the bundle (none of ours) would call `require`; an ES module has none of its own.
    banner: {
      js: "import { createRequire as inzageCreateRequire } from 'node:module';\nconst require = inzageCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'inzage-release',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('node:') || !BUNDLED_PACKAGES.has(packageOf(args.path))
              ? { external: true }
              : undefined,
          );
          b.onLoad({ filter: /\.js$/ }, (args) => {
            if (relative(out, args.path).startsWith('..')) return undefined; // a package's file, not ours
            const contents = readFileSync(args.path, 'utf8');
            if (!contents.includes('import.meta.url')) return { contents, loader: 'js' };
            const own = JSON.stringify(relative(join(out, 'bundle'), args.path).split('\\').join('/'));
            return {
              contents: contents.replaceAll('import.meta.url', `new URL(${own}, import.meta.url).href`),
              loader: 'js',
            };
          });
        },
      },
    ],
  });
}

/** Builds dist/ when `force` or when it is stale; returns true when it built. */
export async function buildRelease({ force = false, say = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (!force && staleReason() === undefined) return false;
  if (!lock()) return false;
  const out = join(ROOT, `.dist-${process.pid}`);
  try {
    if (!force && staleReason() === undefined) return false;
    const started = Date.now();
    const sources = newestSource();
    rmSync(out, { recursive: true, force: true });
    compile(out);
    copyAssets(out);
    await prebuildBanner(out);
    await bundleCli(out);
    // The stamp carries the newest source's time as read before tsc: a file saved meanwhile makes dist/ stale.
    writeFileSync(join(out, '.build-stamp'), `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`);
    const old = join(ROOT, `.dist-old-${process.pid}`);
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(out, DIST);
    rmSync(old, { recursive: true, force: true });
    say(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildRelease({ force: !process.argv.includes('--if-stale') });
}
