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
 * A newcomer's setup for CLI tests: the example config, a data folder of its own with a demo shop.
 * Returns the folder and a function that removes it.
 */
export async function cliDataDir(customers: number): Promise<{ dataDir: string; remove(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-cli-'));
  process.env.INZAGE_DATA_DIR = dataDir;
  process.env.INZAGE_CONFIG_DIR = 'examples/balkonzon';
  delete process.env.INZAGE_DATABASE_URL;
  delete process.env.INZAGE_SHOP_DATABASE_URL;
  await generateDemoShop({ customers, target: { kind: 'sqlite', file: join(dataDir, 'demo-shop.db') } });
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}
