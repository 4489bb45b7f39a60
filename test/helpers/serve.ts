import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoShop } from '../../src/demo/demo-shop.ts';
import { RUN_FROM } from './run-from.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * A port nobody listens on right now, for a process started later. It is picked below Linux's ephemeral
 * range (32768–60999): a port from there could be handed to another test's `listen(0)` between this check
 * and the child's bind, and the child would stop with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

export interface ServeProcess {
  child: ChildProcess;
  base: string;
  dataDir: string;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Waits until the output says the server runs (or the process ends); true when it runs. */
  running(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * `inzage serve` as a newcomer starts it (`npm start` runs `node bin/inzage.js serve`), in a fresh
 * data folder of its own with a small demo shop (the first start's 1,000 customers take seconds).
 * The environment of the test process is left out except what a shell always has.
 */
export async function spawnServe(
  env: Record<string, string> = {},
  options: {
    /** The folder it runs in (its bin/inzage.js); the checkout by default. */ cwd?: string;
    /** The command and its options: `serve --no-worker` by default, or e.g. `worker`. */
    args?: string[];
  } = {},
): Promise<ServeProcess> {
  let dataDir = env.INZAGE_DATA_DIR;
  if (!dataDir) {
    dataDir = mkdtempSync(join(tmpdir(), 'inzage-serve-'));
    await generateDemoShop({ customers: 10, target: { kind: 'sqlite', file: join(dataDir, 'demo-shop.db') } });
  }
  const port = await freePort();
  const out: string[] = [];
  const err: string[] = [];
  const child = spawn(process.execPath, ['bin/inzage.js', ...(options.args ?? ['serve', '--no-worker'])], {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      INZAGE_DATA_DIR: dataDir,
      INZAGE_DEMO: '0',
      INZAGE_LOG_LEVEL: 'warn',
      INZAGE_RUN_FROM: RUN_FROM,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => out.push(String(c)));
  child.stderr!.on('data', (c) => err.push(String(c)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    base,
    dataDir: dataDir!,
    out: () => out.join(''),
    err: () => err.join(''),
    exited,
    running: async () => {
      for (let i = 0; i < 600; i++) {
        if (child.exitCode !== null) return false;
        // `serve`: "… is running at <address>"; `worker`: "Inzage worker <id> is running".
        if (/ is running( at|$)/m.test(out.join(''))) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`inzage ${(options.args ?? ['serve'])[0]} neither started nor stopped: ${err.join('')}`);
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (!env.INZAGE_DATA_DIR) rmSync(dataDir!, { recursive: true, force: true });
    },
  };
}
