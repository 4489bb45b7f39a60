import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, MINUTE } from '../lib/clock.ts';
import { AnalyticsIds, forgetAnalyticsIds, MAX_ANALYTICS_IDS } from './analytics-ids.ts';
import { subjectRef } from './intake.service.ts';

const SECRET = 'a-forty-character-secret-for-these-tests';
const ref = (email: string) => subjectRef(SECRET, email);

for (const dialect of DIALECTS) {
  describe(`Analytics ids per person on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    let clock: FakeClock;
    let ids: AnalyticsIds;
    const rows = (subject: string) =>
      store.db.selectFrom('analytics_ids').selectAll().where('subject_ref', '=', subject).execute();

    before(async () => {
      store = await createTestStore(dialect);
      clock = new FakeClock();
      ids = new AnalyticsIds({ db: store.db, secret: SECRET, clock });
    });
    after(() => store?.drop());

    it('keeps a client id and a user id encrypted, and gives them back for the person', async () => {
      const sanne = ref('sanne@example.nl');
      await ids.remember(store.db, sanne, { clientId: '1234567890.1712345678', userId: 'klant-1001' });
      assert.deepEqual(await ids.idsFor(sanne), { clientIds: ['1234567890.1712345678'], userIds: ['klant-1001'] });
      const stored = JSON.stringify(await rows(sanne));
      assert.ok(!stored.includes('1234567890'), 'no client id in the table');
      assert.ok(!stored.includes('1712345678'), 'no part of it either');
      assert.ok(!stored.includes('klant-1001'), 'no user id in the table');
      assert.deepEqual(await ids.idsFor(ref('nobody@example.nl')), { clientIds: [], userIds: [] });
    });

    it('stores an id reported a thousand times once, and notes when it was last seen', async () => {
      const piet = ref('piet@example.nl');
      await ids.remember(store.db, piet, { clientId: '111.222' });
      const first = (await rows(piet))[0]!;
      for (let i = 0; i < 1000; i++) {
        if (i === 999) clock.advance(MINUTE);
        await ids.remember(store.db, piet, { clientId: '111.222' });
      }
      const [row, ...more] = await rows(piet);
      assert.equal(more.length, 0);
      assert.equal(row!.first_seen_at, first.first_seen_at);
      assert.equal(row!.last_seen_at, clock.now().toISOString());
      assert.equal(row!.ciphertext, first.ciphertext, 'the stored value is not rewritten');
      // The same value as a user id is another id.
      await ids.remember(store.db, piet, { userId: '111.222' });
      assert.deepEqual(await ids.idsFor(piet), { clientIds: ['111.222'], userIds: ['111.222'] });
    });

    it(`keeps the ${MAX_ANALYTICS_IDS} most recently reported ids of a person and drops the oldest`, async () => {
      const kees = ref('kees@example.nl');
      for (let i = 1; i <= MAX_ANALYTICS_IDS + 5; i++) {
        clock.advance(MINUTE);
        await ids.remember(store.db, kees, { clientId: `${i}.1700000000` });
        // The first one keeps being reported: it is current, not old.
        if (i > 1) await ids.remember(store.db, kees, { clientId: '1.1700000000' });
      }
      const { clientIds } = await ids.idsFor(kees);
      assert.equal(clientIds.length, MAX_ANALYTICS_IDS);
      assert.ok(clientIds.includes('1.1700000000'), 'the id still being reported stays');
      for (const dropped of [2, 3, 4, 5, 6]) assert.ok(!clientIds.includes(`${dropped}.1700000000`), `${dropped}`);
      assert.ok(clientIds.includes(`${MAX_ANALYTICS_IDS + 5}.1700000000`));
    });

    it('binds each stored id to its person: a row copied to someone else does not decrypt', async () => {
      const anna = ref('anna@example.nl');
      const bob = ref('bob@example.nl');
      await ids.remember(store.db, anna, { clientId: '999.888' });
      const row = (await rows(anna))[0]!;
      await store.db
        .insertInto('analytics_ids')
        .values({ ...row, subject_ref: bob })
        .execute();
      await assert.rejects(() => ids.idsFor(bob));
      await forgetAnalyticsIds(store.db, [bob]);
    });

    it('forgets the ids of the people given, and only theirs, inside a transaction', async () => {
      const gone = [ref('weg-1@example.nl'), ref('weg-2@example.nl')];
      const stays = ref('blijft@example.nl');
      for (const [i, subject] of [...gone, stays].entries())
        await ids.remember(store.db, subject, { clientId: `${i}.42`, userId: `u-${i}` });
      const deleted = await store.db.transaction().execute((trx) => ids.forget(trx, gone));
      assert.equal(deleted, 4);
      for (const subject of gone) assert.equal((await rows(subject)).length, 0);
      assert.deepEqual(await ids.idsFor(stays), { clientIds: ['2.42'], userIds: ['u-2'] });
      assert.equal(await forgetAnalyticsIds(store.db, []), 0);
    });
  });
}
