import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoShop } from '../src/demo/demo-shop.ts';
import { freePort } from '../test/helpers/serve.ts';

const ROOT = join(import.meta.dirname, '..');

/** Resident memory of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

/**
 * How `serve` is started: `bin/inzage.js` from the sources through tsx, or from the release (its bundle,
 * dist/bundle/); and, for comparison, the release's compiled modules one by one (dist/cli/main.js), as
 * the release ran before it was bundled.
 */
type Side = 'source' | 'dist' | 'modules';
const ENTRY: Record<Side, string> = {
  source: 'bin/inzage.js',
  dist: 'bin/inzage.js',
  modules: 'dist/cli/main.js',
};
const LABEL: Record<Side, string> = {
  source: 'sources (tsx)',
  dist: 'release (dist/bundle)',
  modules: 'release, modules unbundled (dist/cli/main.js)',
};

/** A data folder of its own for a side, with the demo shop in it. */
function dataFolder(demoShop: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-bench-start-'));
  copyFileSync(demoShop, join(dataDir, 'demo-shop.db'));
  return dataDir;
}

async function startOnce(from: Side, dataDir: string, idleMs: number): Promise<{ startMs: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [ENTRY[from], 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      INZAGE_HOST: '127.0.0.1',
      INZAGE_DATA_DIR: dataDir,
      // As in production: the cache of the parsed policy is signed with it from the first start on.
      INZAGE_SECRET: 'bench-start-secret-0123456789abcdef0123456789',
      INZAGE_LOG_LEVEL: 'warn',
      INZAGE_RUN_FROM: from === 'source' ? 'source' : 'dist',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c) => {
    err += c;
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve stopped: ${err}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const startMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, idleMs));
    return { startMs, rss: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `npm run bench -- start [--runs 3] [--idle-ms 3000]`: time from spawn to the first 200 on /healthz, and
 * the resident memory of `serve` after it sat idle, from the sources through tsx and from the built release.
 * Each side has a data folder of its own. Its first start (the hub created and migrated, the policy and data
 * map parsed and cached) is shown apart; the runs are restarts on that folder, as a server restarts.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string', default: '3' }, 'idle-ms': { type: 'string', default: '3000' } },
  });
  const runs = Number(values.runs);
  const idleMs = Number(values['idle-ms']);
  // @ts-expect-error a plain JavaScript module without types
  const { buildRelease } = (await import('../scripts/build.mjs')) as {
    buildRelease(o: { force: boolean }): Promise<boolean>;
  };
  await buildRelease({ force: false });
  const folder = mkdtempSync(join(tmpdir(), 'inzage-bench-shop-'));
  const demoShop = join(folder, 'demo-shop.db');
  await generateDemoShop({ customers: 1000, target: { kind: 'sqlite', file: demoShop } });
  const results: Record<Side, Array<{ startMs: number; rss: number }>> = { source: [], dist: [], modules: [] };
  const sides = ['source', 'dist', 'modules'] as const;
  const folders = Object.fromEntries(sides.map((side) => [side, dataFolder(demoShop)])) as Record<Side, string>;
  const first: Partial<Record<Side, { startMs: number; rss: number }>> = {};
  try {
    for (const from of sides) first[from] = await startOnce(from, folders[from], idleMs);
    // Alternated, so that a busy moment on the machine falls on both.
    for (let i = 0; i < runs; i++)
      for (const from of sides) results[from].push(await startOnce(from, folders[from], idleMs));
  } finally {
    for (const dir of [folder, ...Object.values(folders)]) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`serve: spawn → first 200 on /healthz, and RSS after ${idleMs} ms idle`);
  console.log('first start in a new data folder (hub created and migrated, policy and data map parsed):');
  for (const from of sides)
    console.log(`  ${LABEL[from]}  ${first[from]!.startMs.toFixed(0)} ms, RSS ${first[from]!.rss.toFixed(1)} MiB`);
  console.log(`restarts on that folder (${runs} runs each):`);
  for (const [from, rs] of Object.entries(results) as Array<[Side, Array<{ startMs: number; rss: number }>]>) {
    const starts = rs.map((r) => r.startMs);
    const rss = rs.map((r) => r.rss);
    console.log(
      `  ${LABEL[from]}  start median ${median(starts).toFixed(0)} ms (${Math.min(...starts).toFixed(0)}–${Math.max(...starts).toFixed(0)})  RSS median ${median(rss).toFixed(1)} MiB (${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)})  runs: ${starts.map((s) => s.toFixed(0)).join(', ')} ms`,
    );
  }
}
