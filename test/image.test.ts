import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error a plain JavaScript module without types
import * as buildModule from '../scripts/build.mjs';
import { spawnServe } from './helpers/serve.ts';

const { staleReason } = buildModule as { staleReason(root?: string): string | undefined };
const ROOT = join(import.meta.dirname, '..');

describe('the container image', () => {
  it('is built by scripts/image.sh in two stages, runs as a user of its own, and checks /healthz', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /FROM node:24\S* AS build/);
    assert.match(dockerfile, /RUN sh scripts\/image\.sh build && sh scripts\/image\.sh release \/release/);
    assert.match(dockerfile, /COPY --from=build \/release \/app/);
    assert.match(dockerfile, /^USER inzage$/m);
    // The release's folder is not the user's to write: the compile cache goes in the data volume, beside the
    // policy cache (DATA_DIR/cache, owner-only), not in it: Node would make that folder readable by all.
    assert.match(dockerfile, /NODE_COMPILE_CACHE=\/var\/lib\/inzage\/(?!cache\/)\S+/);
    assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m);
    assert.match(readFileSync(join(ROOT, 'scripts', 'image.sh'), 'utf8'), /npm ci --omit=dev/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const tool of ['tsx', 'esbuild', 'typescript'])
      assert.equal(pkg.dependencies[tool], undefined, `${tool} is not a production dependency`);
    const compose = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
    for (const part of ['image: postgres:', 'command: ["serve", "--no-worker"]', 'command: ["worker"]'])
      assert.ok(compose.includes(part), part);
  });

  const built = existsSync(join(ROOT, 'dist', '.build-stamp')) && staleReason(ROOT) === undefined;
  it('the release the image holds runs without sources: serve answers /healthz', {
    skip: built ? false : 'dist/ is not built from these sources (npm run build; .ci/run builds it first)',
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'inzage-image-'));
    try {
      execFileSync('sh', [join(ROOT, 'scripts', 'image.sh'), 'release', out], {
        env: { ...process.env, INZAGE_IMAGE_SKIP_INSTALL: '1' },
        stdio: 'pipe',
      });
      assert.equal(existsSync(join(out, 'src')), false, 'no TypeScript sources in the image');
      assert.equal(existsSync(join(out, 'dist', 'consent', 'banner', 'banner.prebuilt.js')), true);
      assert.equal(existsSync(join(out, 'dist', '.compile-cache')), false, "no compile cache of this machine's runs");
      // The test brings the dependencies the image would install (its own node_modules).
      symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
      const serve = await spawnServe({ INZAGE_RUN_FROM: 'dist' }, { cwd: out });
      try {
        assert.ok(await serve.running(), serve.err());
        const health = (await (await fetch(`${serve.base}/healthz`)).json()) as {
          checks: Record<string, { ok: boolean }>;
        };
        assert.equal(health.checks.store?.ok, true);
      } finally {
        await serve.stop();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
