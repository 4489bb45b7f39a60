import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

for (const dialect of DIALECTS) {
  describe(`shop API keys on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(async () => {
      await t?.close();
    });

    const status = (key: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/subjects/status?email=sanne.deboer%40example.nl',
        headers: { authorization: `Bearer ${key}` },
      });

    it('refuses a key once it is revoked, and keeps other keys working', async () => {
      const revoked = await t.services.apiKeys.create('old shop');
      const kept = await t.services.apiKeys.create('shop');
      assert.equal((await status(revoked.key)).statusCode, 200);
      assert.equal(await t.services.apiKeys.revoke(revoked.id), true);
      const refused = await status(revoked.key);
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, 'UNAUTHORIZED');
      assert.equal((await status(kept.key)).statusCode, 200);
      assert.equal(await t.services.apiKeys.revoke(revoked.id), false, 'a revoked key stays revoked');
      const rows = await t.store.db.selectFrom('api_keys').select('hash').execute();
      assert.ok(
        rows.every((r) => r.hash !== revoked.key && r.hash !== kept.key),
        'only hashes are stored',
      );
    });
  });
}
