import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FAILPOINTS } from './failpoints.ts';

describe('failpoints', () => {
  it('are the ones docs/failpoints.md lists, no more and no fewer', () => {
    const doc = readFileSync('docs/failpoints.md', 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z-]+\.[a-z-]+)` \|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, [...FAILPOINTS].sort());
    assert.ok(documented.includes('retention.before-shop-commit'));
  });
});
