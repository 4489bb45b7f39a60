import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error a plain JavaScript module without types
import * as buildModule from '../scripts/build.mjs';
import { spawnServe } from './helpers/serve.ts';

const { staleReason, BUNDLED_PACKAGES, packageOf } = buildModule as {
  staleReason(root?: string): string | undefined;
  BUNDLED_PACKAGES: Set<string>;
  packageOf(spec: string): string;
};
const ROOT = join(import.meta.dirname, '..');

describe('the release in dist/', () => {
  it('is stale when it is missing, when a source is newer than its stamp, and current otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'inzage-release-'));
    try {
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'src', 'a.ts'), '');
      utimesSync(join(root, 'src', 'a.ts'), 1000, 1000);
      assert.equal(staleReason(root), 'dist/ is missing');
      mkdirSync(join(root, 'dist', 'bundle'), { recursive: true });
      writeFileSync(join(root, 'dist', '.build-stamp'), JSON.stringify({ sources: 1_000_000 }));
      assert.equal(staleReason(root), 'dist/bundle/ is missing', 'built before the release was bundled');
      writeFileSync(join(root, 'dist', 'bundle', 'inzage.js'), '');
      assert.equal(staleReason(root), undefined);
      utimesSync(join(root, 'src', 'a.ts'), 2000, 2000);
      assert.equal(staleReason(root), 'the sources changed since the last build');
      // A test file is not part of the release: changing one does not make dist/ stale.
      utimesSync(join(root, 'src', 'a.ts'), 1000, 1000);
      writeFileSync(join(root, 'src', 'a.test.ts'), '');
      assert.equal(staleReason(root), undefined);
      rmSync(join(root, 'src'), { recursive: true });
      assert.equal(staleReason(root), undefined, 'a release without sources runs what it has');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const built = existsSync(join(ROOT, 'dist', '.build-stamp')) && staleReason(ROOT) === undefined;
  it('serves /healthz and a prebuilt /banner.js from dist/ without tsx or esbuild', {
    skip: built ? false : 'dist/ is not built from these sources (npm run build; .ci/run builds it first)',
  }, async () => {
    const serve = await spawnServe({ INZAGE_RUN_FROM: 'dist', NODE_OPTIONS: '' });
    try {
      assert.ok(await serve.running(), serve.err());
      // `serve --no-worker`: the store and migrations are fine; no worker reports (it runs elsewhere).
      const health = (await (await fetch(`${serve.base}/healthz`)).json()) as {
        checks: Record<string, { ok: boolean }>;
      };
      assert.equal(health.checks.store?.ok, true);
      assert.equal(health.checks.migrations?.ok, true);
      const banner = await fetch(`${serve.base}/banner.js`);
      assert.equal(banner.status, 200);
      const code = await banner.text();
      assert.match(code, /const __INZAGE_CONFIG__=\{"v":"[0-9a-f]{12}"/);
      assert.doesNotThrow(() => new Function(code), 'the wrapped banner parses');
      assert.doesNotMatch(serve.err(), /building the release/);
      // The portal's stylesheet, which its module reads from beside itself in the release.
      const css = await fetch(`${serve.base}/assets/portal.css`);
      assert.equal(css.status, 200);
      assert.ok((await css.text()).length > 1000);
    } finally {
      await serve.stop();
    }
    // Node 22.8 and later: V8's compiled code of the bundle is kept in dist/ (written at exit) for the next start.
    if (typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
      const cache = join(ROOT, 'dist', '.compile-cache');
      assert.ok(
        existsSync(cache) && readdirSync(cache, { recursive: true }).length > 0,
        'the compile cache is written in dist/',
      );
    }
  });

  it('runs from the bundle, which loads none of the compiled modules one by one (fewer files at start)', {
    skip: built ? false : 'dist/ is not built from these sources (npm run build; .ci/run builds it first)',
  }, () => {
    const folder = join(ROOT, 'dist', 'bundle');
    const imports = readdirSync(folder).flatMap((file) =>
      [
        // Import and export statements where a statement starts (a line's start, or after `;` or `}`: the bundle's
        // whitespace is minified, and with it the packages' comments and their examples), and import().
        ...readFileSync(join(folder, file), 'utf8').matchAll(
          /(?:^|[;}])\s*(?:import|export)\b[^;'"]*?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm,
        ),
      ].map((m) => (m[1] ?? m[2])!),
    );
    const relative = imports.filter((i) => i.startsWith('.'));
    assert.ok(relative.length > 0, 'the commands are chunks of their own, loaded when they run');
    assert.deepEqual(
      relative.filter((i) => !/^\.\/chunk-[A-Z0-9]+\.js$/.test(i)),
      [],
      'only chunks of the bundle are imported',
    );
    assert.deepEqual(
      [...new Set(imports.filter((i) => BUNDLED_PACKAGES.has(packageOf(i))))],
      [],
      'Kysely, zod, date-fns and the others are inside, not imported from node_modules',
    );
    assert.ok(imports.includes('fastify'), 'CommonJS packages stay in node_modules');
    // Each processor's API client is in a chunk that only a factory's import() reaches: a start loads none.
    const files = readdirSync(folder).filter((f) => f.endsWith('.js'));
    const source = (f: string) => readFileSync(join(folder, f), 'utf8');
    const staticImports = new Set(
      files.flatMap((f) =>
        [...source(f).matchAll(/(?:^|[;}])\s*(?:import|export)\b[^;'"]*?["'](\.\/chunk-[A-Z0-9]+\.js)["']/gm)].map(
          (m) => m[1]!.slice(2),
        ),
      ),
    );
    for (const api of [
      'MollieApi',
      'MoneybirdApi',
      'MyOnlineStoreApi',
      'GraphMailbox',
      'ShopifyApi',
      'GoogleAnalyticsApi',
      'WebwinkelKeurApi',
    ]) {
      const holders = files.filter((f) => new RegExp(`\\b(?:class ${api}\\b|${api}=class\\b)`).test(source(f)));
      assert.equal(holders.length, 1, `${api} is in one file of the bundle`);
      assert.notEqual(holders[0], 'inzage.js', `${api} is not in the bundle's entry`);
      assert.ok(!staticImports.has(holders[0]!), `${api}'s chunk is loaded by import() only`);
    }
    assert.match(readFileSync(join(ROOT, 'bin', 'inzage.js'), 'utf8'), /dist\/bundle\/inzage\.js/);
  });
});
