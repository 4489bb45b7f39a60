import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RUN_FROM } from './run-from.ts';

const BIN = fileURLToPath(new URL('../../bin/inzage.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `inzage …` as a process of its own, as a user would (and as a failpoint needs: it ends the whole
 * process). `env` is added to a copy of this process's environment; a value of `undefined` removes one.
 */
export function inzageProcess(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; out: string; err: string }> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, INZAGE_RUN_FROM: RUN_FROM, ...env }))
    if (v !== undefined) merged[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }),
    );
  });
}
