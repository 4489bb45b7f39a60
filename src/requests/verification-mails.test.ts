import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { HOUR, MINUTE } from '../lib/clock.ts';
import {
  mayResend,
  nextSendAt,
  VERIFICATION_MAILS_PER_HOUR,
  VerificationMailLedger,
  type VerificationSend,
} from './verification-mails.ts';

const NOW = new Date('2026-11-01T09:00:00.000Z');
const at = (minutes: number, request = 'r1'): VerificationSend => ({
  at: new Date(NOW.getTime() + minutes * MINUTE).toISOString(),
  request,
});

describe('when the next verification e-mail to an address may go', () => {
  it('goes now while the last hour has had fewer than five', () => {
    assert.deepEqual(nextSendAt([], NOW), NOW);
    assert.deepEqual(nextSendAt([at(-50), at(-40), at(-30), at(-20)], NOW), NOW);
  });

  it('waits until the oldest of the last five is an hour old', () => {
    const five = [at(-50), at(-40), at(-30), at(-20), at(-10)];
    assert.deepEqual(nextSendAt(five, NOW), new Date(NOW.getTime() + 10 * MINUTE));
  });

  it('never goes before an e-mail already planned, so any hour holds at most five', () => {
    const planned = [at(-50), at(-40), at(-30), at(-20), at(-10), at(10)];
    const next = nextSendAt(planned, NOW);
    assert.deepEqual(next, new Date(NOW.getTime() + 20 * MINUTE));
    const times = [...planned.map((s) => new Date(s.at).getTime()), next.getTime()].sort((a, b) => a - b);
    for (let i = VERIFICATION_MAILS_PER_HOUR; i < times.length; i++) {
      assert.ok(times[i]! - times[i - VERIFICATION_MAILS_PER_HOUR]! >= HOUR);
    }
  });

  it('sends a link again only after 15 minutes, and only when the hour has room now', () => {
    assert.equal(mayResend([at(-14)], 'r1', NOW), false);
    assert.equal(mayResend([at(-15)], 'r1', NOW), true);
    assert.equal(mayResend([at(-1, 'r2')], 'r1', NOW), true, 'another request’s e-mail does not count');
    const full = [at(-50, 'r2'), at(-40, 'r3'), at(-30, 'r4'), at(-20, 'r5'), at(-16)];
    assert.equal(mayResend(full, 'r1', NOW), false);
  });
});

for (const dialect of DIALECTS) {
  describe(`the verification e-mail ledger on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    const ledger = new VerificationMailLedger();
    before(async () => {
      store = await createTestStore(dialect);
    });
    after(async () => {
      await store?.drop();
    });

    it('keeps the last hour’s sends and those to come, and forgets an address quiet for an hour', async () => {
      await store.db.transaction().execute(async (trx) => {
        assert.deepEqual(await ledger.lock(trx, 'ref-a', NOW), []);
        await ledger.save(trx, 'ref-a', [at(-90), at(-30), at(30, 'r2')]);
        await ledger.lock(trx, 'ref-b', NOW);
        await ledger.save(trx, 'ref-b', [at(-30)]);
        await ledger.lock(trx, 'ref-c', NOW);
        await ledger.save(trx, 'ref-c', [at(-30), at(90, 'r3')]);
      });
      const later = new Date(NOW.getTime() + 45 * MINUTE);
      const seen = await store.db.transaction().execute((trx) => ledger.lock(trx, 'ref-a', later));
      assert.deepEqual(seen, [at(30, 'r2')], 'older than an hour is dropped');
      // 80 minutes on: ref-b has been quiet for an hour; ref-a posted 35 minutes ago; ref-c has an e-mail to come.
      assert.equal(await ledger.sweep(store.db, new Date(NOW.getTime() + 80 * MINUTE)), 1);
      assert.equal(await ledger.sweep(store.db, new Date(NOW.getTime() + 106 * MINUTE)), 1, 'ref-a');
      assert.equal(await ledger.sweep(store.db, new Date(NOW.getTime() + 149 * MINUTE)), 0, 'ref-c sent at 90');
      assert.equal(await ledger.sweep(store.db, new Date(NOW.getTime() + 150 * MINUTE)), 1, 'ref-c');
      assert.equal((await store.db.selectFrom('verification_mails').selectAll().execute()).length, 0);
    });
  });
}
