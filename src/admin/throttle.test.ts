import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, MINUTE } from '../lib/clock.ts';
import { ACCOUNT_FAILURES, LOCKOUT_DURATION, LoginThrottle } from './throttle.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

for (const dialect of DIALECTS) {
  describe(`login throttle on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    let clock: FakeClock;
    let throttle: LoginThrottle;
    before(async () => {
      store = await createTestStore(dialect);
    });
    after(async () => {
      await store?.drop();
    });
    beforeEach(async () => {
      await store.db.deleteFrom('admin_login_throttle').execute();
      clock = new FakeClock();
      throttle = new LoginThrottle({ db: store.db, clock, secret: SECRET });
    });

    const keysFrom = (client: number) => throttle.keysFor('enrico@balkonzon.test', `192.0.2.${client}`);
    const admitted = async (client: number) => (await throttle.admit(keysFrom(client))).admitted;

    it('admits at most 5 attempts for one account however many arrive at once, from any client', async () => {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => admitted(i + 1)));
      assert.equal(results.filter(Boolean).length, ACCOUNT_FAILURES);
      const clients = await store.db
        .selectFrom('admin_login_throttle')
        .select('failures')
        .where('key', 'like', 'client:%')
        .execute();
      assert.equal(
        clients.reduce((sum, r) => sum + Number(r.failures), 0),
        ACCOUNT_FAILURES,
        'a refused attempt is not counted on its client either',
      );
    });

    it('keeps the lock that failures set while a right password was still being checked', async () => {
      const keys = keysFrom(1);
      for (let i = 0; i < ACCOUNT_FAILURES; i++) assert.ok(await admitted(1));
      // Four of the five admitted were wrong and one of them starts the lock; the right one ends last.
      const starts = [];
      for (let i = 0; i < ACCOUNT_FAILURES - 1; i++) starts.push(await throttle.fail(keys));
      assert.equal(starts.filter(Boolean).length, 1);
      await throttle.succeed(keys);
      const refused = await throttle.admit(keys);
      assert.deepEqual(refused, { admitted: false, until: new Date(clock.now().getTime() + LOCKOUT_DURATION) });
      clock.advance(LOCKOUT_DURATION);
      assert.ok(await admitted(1), 'a lock that has ended starts the count again');
    });

    it('refuses while the attempt that reached the limit is still being checked, until its window ends', async () => {
      for (let i = 0; i < ACCOUNT_FAILURES; i++) assert.ok(await admitted(1));
      const refused = await throttle.admit(keysFrom(2));
      assert.deepEqual(refused, { admitted: false, until: new Date(clock.now().getTime() + 15 * MINUTE) });
    });

    it('gives the count of a right password back, and clears the account at a login', async () => {
      const keys = keysFrom(1);
      for (let i = 0; i < ACCOUNT_FAILURES - 1; i++) {
        assert.ok(await admitted(1));
        await throttle.fail(keys);
      }
      assert.ok(await admitted(1));
      await throttle.release(keys);
      assert.ok(await admitted(1), 'the released attempt left room for one more');
      await throttle.succeed(keys);
      for (let i = 0; i < ACCOUNT_FAILURES; i++) assert.ok(await admitted(1), 'the login cleared the count');
    });

    it('counts a known browser’s attempts on its device alone, so a locked account does not stop it', async () => {
      for (let i = 0; i < ACCOUNT_FAILURES; i++) {
        assert.ok(await admitted(i + 1));
        await throttle.fail(keysFrom(i + 1));
      }
      assert.equal(await admitted(99), false, 'the account is locked');
      const device = throttle.keysForDevice('nonce-of-the-officers-browser');
      for (let i = 0; i < ACCOUNT_FAILURES; i++) {
        assert.ok((await throttle.admit(device)).admitted);
        await throttle.fail(device);
      }
      assert.equal((await throttle.admit(device)).admitted, false, 'its own lockout after five failures');
      assert.ok((await throttle.admit(throttle.keysForDevice('another-browser'))).admitted);
    });
  });
}
