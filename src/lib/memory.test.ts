import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { canReturnMemory, collectGarbage, collectGarbageIfGrown, returnMemory } from './memory.ts';

const used = () => getHeapStatistics().used_heap_size;

describe('collecting garbage between batches', () => {
  it('collects without the --expose-gc flag, and only once enough garbage has piled up', () => {
    collectGarbage();
    const live = used();
    let garbage: string[] | undefined = Array.from({ length: 1_500_000 }, (_, i) => `person-${i}@example.com`);
    assert.ok(garbage.length > 0);
    garbage = undefined;
    assert.ok(used() > live + 64 * 1024 * 1024, 'more garbage than the slack is still on the heap');
    collectGarbageIfGrown();
    assert.ok(used() < live + 16 * 1024 * 1024, 'collected: it was more than the slack');
    const small = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    const before = used();
    collectGarbageIfGrown();
    assert.ok(used() >= before - 1024 * 1024 && small.length === 1000, 'a little garbage is left for later');
  });
});

describe('giving memory back after the start', () => {
  it('shrinks the heap to what is alive, where a plain collection keeps the freed pages', {
    skip: canReturnMemory ? false : `V8 ${process.versions.v8} has no memory-returning collection (Node 22 and later)`,
  }, () => {
    const total = () => getHeapStatistics().total_heap_size;
    let garbage: string[] | undefined = Array.from({ length: 1_500_000 }, (_, i) => `person-${i}@example.com`);
    assert.ok(garbage.length > 0);
    garbage = undefined;
    collectGarbage();
    const kept = total();
    returnMemory();
    assert.ok(total() < kept / 2, `heap ${kept} → ${total()} bytes`);
  });
});
