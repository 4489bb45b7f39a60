import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAILPOINTS } from './failpoints.ts';

const root = join(import.meta.dirname, '..', '..');

/** Every source file under `dir`, tests excluded: where a failpoint must actually sit. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('failpoints', () => {
  it('are the names docs/failpoints.md lists, each placed in the code', () => {
    const doc = readFileSync(join(root, 'docs', 'failpoints.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z-]+\.[a-z-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual([...documented].sort(), [...FAILPOINTS].sort());
    const code = sources(join(root, 'src'))
      .filter((f) => !f.endsWith('failpoints.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const name of FAILPOINTS) assert.ok(code.includes(`'${name}'`), `${name} is placed somewhere`);
  });
});
