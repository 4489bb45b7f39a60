import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, MINUTE, SECOND } from '../lib/clock.ts';
import type { Store } from '../store/database.ts';
import { RateLimitRepository } from './rate-limit.repository.ts';

for (const dialect of DIALECTS) {
  describe(`rate limit counters on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    let other: Store;
    const clock = new FakeClock();
    before(async () => {
      store = await createTestStore(dialect, { shared: true });
      other = store.openAnother();
    });
    after(async () => {
      await other?.close();
      await store?.drop();
    });

    it('counts every hit of a burst sent at once through two connection pools', async () => {
      const pools = [new RateLimitRepository(store.db, clock), new RateLimitRepository(other.db, clock)];
      const windows = await Promise.all(Array.from({ length: 40 }, (_, i) => pools[i % 2]!.hit('burst', MINUTE)));
      assert.deepEqual(
        windows.map((w) => w.hits).sort((x, y) => x - y),
        Array.from({ length: 40 }, (_, i) => i + 1),
        'each hit saw a count of its own',
      );
      assert.equal((await pools[1]!.read('burst')).hits, 40);
    });

    it('starts a window again once it has ended, and forgets ended windows', async () => {
      const limits = new RateLimitRepository(store.db, clock);
      const first = await limits.hit('window', MINUTE);
      clock.advance(30 * SECOND);
      const second = await limits.hit('window', MINUTE);
      assert.equal(second.hits, 2);
      assert.equal(second.resetsAt.getTime(), first.resetsAt.getTime(), 'the window does not move with each hit');
      clock.advance(30 * SECOND);
      assert.equal((await limits.read('window')).hits, 0);
      const again = await limits.hit('window', MINUTE);
      assert.deepEqual(again, { hits: 1, resetsAt: new Date(clock.now().getTime() + MINUTE) });
      clock.advance(MINUTE);
      assert.ok((await limits.sweep()) >= 1);
      assert.equal(
        await store.db.selectFrom('rate_limits').selectAll().where('key', '=', 'window').executeTakeFirst(),
        undefined,
      );
    });
  });
}
