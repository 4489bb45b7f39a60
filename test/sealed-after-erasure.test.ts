import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { SANNE } from '../src/demo/demo-shop.ts';
import { SealedArchive } from '../src/retention/sealed-archive.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
  links: string[];
  template: string;
}

/**
 * Art. 15 after Art. 17: a person whose invoices are sealed under the fiscal hold (AWR art. 52(4)) and who
 * asks what is left is told what is sealed, how much and until when — never "no data" — through a real
 * download; and the per-person key of the archive (a keyed reference, recital 26) goes with the hold.
 */
for (const dialect of DIALECTS) {
  describe(`sealed records after an erasure on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let shop: TestShop;
    let t: TestApp;
    before(async () => {
      shop = await createTestShop(dialect, 30);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });
    const mails = async (to: string) =>
      (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(to)}` })).json() as Mail[];
    const confirm = async (type: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: { type, email: SANNE.email },
      });
      assert.equal(res.statusCode, 202, res.body);
      await t.drain();
      const verify = (await mails(SANNE.email)).find((m) => m.template === 'verify')!;
      await t.app.inject({ method: 'POST', url: new URL(verify.links[0]!).pathname });
      await t.drain();
      return res.json().id as string;
    };
    const keysOf = async (ref: string) =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from archive_keys where subject_ref = ${ref}`.execute(
            t.store.db,
          )
        ).rows[0]?.n ?? 0,
      );

    it('lists the sealed invoices in the access answer that follows an erasure, and destroys their key with the hold', async () => {
      const erasure = await confirm('erasure');
      // The processors reached by hand confirm; only then is the erasure complete and the hub forgets her.
      for (const task of await t.services.requests.tasks({ requestId: erasure, open: true }))
        await t.services.handling.completeTask(task.id);
      await t.drain();
      assert.equal((await t.services.requests.get(erasure))?.status, 'completed');
      const archive = new SealedArchive(t.store.db, t.services.config.secret, t.clock);
      const ref = archive.subjectRef(SANNE.email);
      assert.equal(await keysOf(ref), 1, 'the erasure sealed her invoices under a key of her own');

      await confirm('access');
      const ready = (await mails(SANNE.email)).find((m) => m.template === 'access-ready');
      assert.ok(ready, 'an answer with a package, not a "no data" e-mail');
      assert.doesNotMatch(ready.text, /geen (persoons)?gegevens over u/i);
      const link = new URL(ready.links.find((l) => l.includes('/requests/download/'))!).pathname;
      const zip = await t.app.inject({ method: 'POST', url: link });
      assert.equal(zip.statusCode, 200);
      const data = JSON.parse(Buffer.from(unzipSync(zip.rawPayload)['data.json']!).toString('utf8'));
      for (const key of ['purposes', 'retention', 'recipients', 'sources', 'rights', 'sealed'])
        assert.ok(key in data, `data.json has ${key}`);
      assert.equal(data.records.length, 0, 'nothing of her is left in the shop');
      const sealed = data.sealed as Array<{ count: number; until: string; untilText: string }>;
      assert.ok(sealed.length > 0, 'the sealed invoices are listed');
      // Sealed under the fiscal hold: to the end of a financial year's last day in Dutch time, said as that day.
      for (const s of sealed) {
        assert.ok(s.count > 0);
        assert.match(s.untilText, /^31 december 20\d\d$/);
      }

      // Past the last hold: the records and the key that could open them are gone, and with them the
      // only keyed reference to her that the archive held.
      const destroyed = await archive.destroyExpired(new Date(Date.UTC(2040, 0, 1)));
      assert.ok(destroyed >= sealed.reduce((n, s) => n + s.count, 0));
      assert.equal(await archive.count(ref), 0);
      assert.equal(await keysOf(ref), 0, 'her archive key went with the hold');
    });
  });
}
