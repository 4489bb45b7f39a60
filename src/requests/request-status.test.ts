import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOSED_STATUSES } from './request.types.ts';
import { assertMove, NEXT_STATUSES, OPEN_STATUSES } from './request-status.ts';

describe('the status table', () => {
  it('refuses a move it does not list: a closed request never reopens, work at processors is not rejected', () => {
    assert.throws(() => assertMove(['completed'], 'in_progress'), /cannot move from completed to in_progress/);
    assert.throws(() => assertMove(['rejected'], 'verified'));
    assert.throws(() => assertMove(['waiting_on_tasks'], 'rejected'));
    assert.throws(() => assertMove(['awaiting_verification'], 'in_progress'), 'verification comes first');
    // One status of several not allowed is enough to refuse.
    assert.throws(() => assertMove(['verified', 'expired'], 'in_progress'));
    assert.doesNotThrow(() => assertMove(['verified', 'awaiting_decision'], 'rejected'));
  });

  it('leaves no closed status with a way out, and every open one with a way to close', () => {
    for (const s of CLOSED_STATUSES) assert.deepEqual(NEXT_STATUSES[s], [], s);
    for (const s of OPEN_STATUSES) assert.ok(NEXT_STATUSES[s].includes('completed'), s);
  });
});
