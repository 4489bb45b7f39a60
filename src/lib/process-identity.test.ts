import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certainlyGone, type ProcessIdentity, readPidNamespace, sameProcess, thisProcess } from './process-identity.ts';

describe('process identity', () => {
  const me: ProcessIdentity = { host: 'web', pid: 100, pidNs: 'pid:[4026531836]' };
  const none = () => false;

  it('reads the pid namespace on Linux, says so where a platform has none, and gives null when it cannot', () => {
    assert.equal(
      readPidNamespace('linux', () => 'pid:[4026531836]'),
      'pid:[4026531836]',
    );
    assert.equal(readPidNamespace('darwin'), 'host:darwin');
    const denied = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    assert.equal(readPidNamespace('linux', denied), null);
    assert.equal(
      readPidNamespace('linux', () => 'something else'),
      null,
    );
    if (process.platform === 'linux') assert.match(thisProcess().pidNs ?? '', /^pid:\[\d+\]$/);
  });

  it('declares a holder gone only in its own host and pid namespace, when its pid is missing there', () => {
    assert.equal(certainlyGone({ ...me, pid: 200 }, me, none), true);
    assert.equal(
      certainlyGone({ ...me, pid: 200 }, me, () => true),
      false,
      'its pid is still there',
    );
    assert.equal(certainlyGone({ ...me, pid: 200, host: 'db' }, me, none), false, 'another host');
    assert.equal(certainlyGone({ ...me, pid: 200, pidNs: 'pid:[4026530001]' }, me, none), false, 'another container');
    assert.equal(certainlyGone({ ...me, pid: 200, pidNs: null }, me, none), false, 'namespace unknown');
    assert.equal(certainlyGone({ ...me, pid: 200 }, { ...me, pidNs: null }, none), false, 'ours unknown');
    assert.equal(certainlyGone(me, me, none), false, 'this very process');
  });

  it('is the same process only with the same host, pid and a known, equal namespace', () => {
    assert.equal(sameProcess(me, { ...me }), true);
    assert.equal(sameProcess(me, { ...me, pidNs: 'pid:[4026530001]' }), false, 'pid 100 of another container');
    assert.equal(sameProcess({ ...me, pidNs: null }, { ...me, pidNs: null }), false);
  });
});
