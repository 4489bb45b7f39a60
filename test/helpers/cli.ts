import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import { generateDemoShop } from '../../src/demo/demo-shop.ts';

/** Runs `inzage …` in this process and returns its exit code and what it printed. */
export async function inzage(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  process.exitCode = undefined;
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  process.exitCode = undefined;
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * A fresh data folder with the example config, as on a new machine before the first `npm start`: no
 * demo shop yet. Returns the folder and a function that removes it.
 */
export function freshDataDir(): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-cli-'));
  process.env.INZAGE_DATA_DIR = dataDir;
  process.env.INZAGE_CONFIG_DIR = 'examples/balkonzon';
  delete process.env.INZAGE_DATABASE_URL;
  delete process.env.INZAGE_SHOP_DATABASE_URL;
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A newcomer's setup for CLI tests: a fresh data folder (see above) with a demo shop of this size. */
export async function cliDataDir(customers: number): Promise<{ dataDir: string; remove(): void }> {
  const fresh = freshDataDir();
  await generateDemoShop({ customers, target: { kind: 'sqlite', file: join(fresh.dataDir, 'demo-shop.db') } });
  return fresh;
}
