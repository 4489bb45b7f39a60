import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES } from './errors.ts';

describe('error codes', () => {
  it('are documented in docs/errors.md, each with its status, and nothing else is', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.equal(documented.get(code), status, `${code} is missing from docs/errors.md or has another status`);
    }
    assert.deepEqual([...documented.keys()].sort(), Object.keys(ERROR_CODES).sort());
  });
});
