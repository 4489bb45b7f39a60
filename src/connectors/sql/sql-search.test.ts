import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadExamplePolicy } from '../../../test/helpers/app.ts';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../../test/helpers/demo-shop.ts';
import { SANNE } from '../../demo/demo-shop.ts';
import { buildExecutor } from '../../executor/build.ts';
import type { Executor } from '../../executor/executor.ts';
import { FakeClock } from '../../lib/clock.ts';
import { searchWords } from './sql-search.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

describe('the words of a search', () => {
  it('are lower-cased, at least two characters each, and at most four', () => {
    assert.deepEqual(searchWords('  Sanne  de Boer '), ['sanne', 'de', 'boer']);
    assert.deepEqual(searchWords('a b'), []);
    assert.deepEqual(searchWords('aa bb cc dd ee'), ['aa', 'bb', 'cc', 'dd']);
  });
});

for (const dialect of DIALECTS) {
  describe(`finding people by part of an address or a name on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let hub: TestStore;
    let shop: TestShop;
    let executor: Executor;

    before(async () => {
      hub = await createTestStore(dialect);
      shop = await createTestShop(dialect, 60);
      const clock = new FakeClock('2026-11-01T12:00:00.000Z');
      executor = buildExecutor({
        dataMap: shop.dataMap,
        policy: loadExamplePolicy(),
        hub: hub.db,
        secret: SECRET,
        clock,
      });
    });
    after(async () => {
      await executor?.close();
      await shop?.drop();
      await hub?.drop();
    });

    it('finds Sanne by part of her address, by her name, and by first and last name together, in any case', async () => {
      for (const term of ['sanne.deboer@', 'DEBOER@EXAMPLE', 'Sanne de Boer', 'boer sanne']) {
        const found = await executor.search(term);
        const sanne = found.people.find((p) => p.email === SANNE.email);
        assert.ok(sanne, term);
        assert.ok(sanne.names.includes('Sanne de Boer'), `${term}: ${sanne.names.join(', ')}`);
        assert.ok(sanne.places.some((p) => p.collection === 'customers'));
      }
    });

    it('takes % and _ as the characters they are, not as wildcards', async () => {
      assert.deepEqual((await executor.search('%%')).people, []);
      assert.deepEqual((await executor.search('__')).people, []);
    });

    it('shows at most the limit, one entry per address, and says that there were more', async () => {
      const found = await executor.search('example', 5);
      assert.equal(found.people.length, 5);
      assert.equal(found.more, true);
      assert.equal(new Set(found.people.map((p) => p.email)).size, 5);
      assert.deepEqual(found.failed, []);
    });

    it('no longer finds a person once they are erased: hashed and masked values do not match', async () => {
      await executor.erase({ email: SANNE.email });
      assert.deepEqual(
        (await executor.search('sanne')).people.filter((p) => p.email.includes('sanne.deboer')),
        [],
      );
      assert.deepEqual((await executor.search('hmac')).people, []);
    });
  });
}
