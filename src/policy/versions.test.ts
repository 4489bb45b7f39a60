import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { buildTestApp, loadExamplePolicy, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor, withPgClient } from '../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../test/helpers/demo-shop.ts';
import {
  editPolicyYaml,
  examplePolicyYaml,
  withEditorialChange,
  withReviewProcessor,
} from '../../test/helpers/policy-change.ts';
import { DAY, MINUTE } from '../lib/clock.ts';
import { InzageError } from '../lib/errors.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { Dialect } from '../store/database.ts';
import { PolicyChangeNotifier } from './notify.ts';
import { versionState } from './versions.ts';

/**
 * Who has a review, worked out by hand on the shop's own tables: the review's author, and the owner
 * of the order it belongs to (the guest address on the order, or the account behind it).
 */
const REVIEWERS_SQL = `
  select distinct lower(trim(e)) as e from (
    select r.author_email as e from reviews r
    union select o.email from reviews r join orders o on o.id = r.order_id
    union select c.email from reviews r join orders o on o.id = r.order_id join customers c on c.id = o.customer_id
  ) x where e like '%@%'`;
const EVERYONE_SQL = `select count(distinct lower(trim(email))) as n from customers`;

async function shopQuery(dialect: Dialect, shop: TestShop, text: string): Promise<Array<Record<string, unknown>>> {
  if (dialect === 'sqlite') {
    const db = new SqliteDatabase(shop.url, { readonly: true });
    try {
      return db.prepare(text).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  }
  return withPgClient(async (c) => {
    await c.query(`set search_path to ${shop.schema}`);
    return (await c.query(text)).rows;
  }, shop.url);
}

const rejects = async (p: Promise<unknown>, code: string) => {
  await assert.rejects(p, (err: unknown) => err instanceof InzageError && err.code === code);
};

for (const dialect of DIALECTS) {
  describe(`policy versions and change notification on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    before(async () => {
      shop = await createTestShop(dialect, 120);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });
    const versions = () => t.services.registers.policyVersions;
    const policyMails = async () =>
      (await t.services.outbox.messages({ limit: 100_000 })).filter((m) => m.template === 'policy-changed');

    it('counts the policy file as version 1 before anything is published, effective from its own date', async () => {
      const first = await versions().recordFirst(examplePolicyYaml(), loadExamplePolicy());
      assert.equal(first.number, 1);
      assert.equal(first.effectiveAt, '2026-11-01T00:00:00.000Z');
      assert.equal(first.diff, null);
      await versions().recordFirst(withEditorialChange(), loadExamplePolicy());
      assert.equal((await versions().list()).length, 1, 'recorded once');
    });

    it('refuses to publish the same content again ("nothing changed")', async () => {
      await rejects(versions().publish({ yaml: examplePolicyYaml(), actor: 'cli' }), 'CONFLICT');
      // Only the label and the date differ: still nothing changed.
      const relabelled = editPolicyYaml((doc) => {
        doc.set('version', '2026-12-01');
        doc.set('effectiveDate', '2026-12-01');
      });
      await rejects(versions().publish({ yaml: relabelled, actor: 'cli' }), 'CONFLICT');
    });

    it('refuses a policy with lint errors, and an effective date in the past', async () => {
      const broken = editPolicyYaml((doc) => {
        doc.deleteIn(['processors', 0, 'purpose']);
      });
      const preview = await versions().preview(broken);
      assert.equal(preview.ok, false);
      await rejects(versions().publish({ yaml: broken, actor: 'cli' }), 'POLICY_INVALID');
      await rejects(
        versions().publish({
          yaml: withEditorialChange(),
          actor: 'cli',
          effective: new Date(t.clock.now().getTime() - DAY),
        }),
        'VALIDATION_FAILED',
      );
      assert.equal((await versions().list()).length, 1);
    });

    it('publishes an editorial change: effective on its date, the previous version ends then, and nobody is mailed', async () => {
      const effective = new Date(t.clock.now().getTime() + 10 * DAY);
      const v2 = await versions().publish({ yaml: withEditorialChange(), actor: 'cli', effective });
      assert.equal(v2.number, 2);
      assert.equal(v2.effectiveAt, effective.toISOString());
      assert.equal(v2.material, false);
      assert.equal(v2.notify.status, 'none');
      const v1 = (await versions().get(1))!;
      assert.equal(v1.supersededAt, effective.toISOString());
      assert.equal((await versions().inForce())?.number, 1, 'the old version holds until the date');
      assert.equal((await versions().inForce(new Date(effective.getTime() + 1)))?.number, 2);
      assert.equal(versionState(v1, t.clock.now()), 'in-force');
      assert.equal(versionState(v2, t.clock.now()), 'pending');
      assert.equal(versionState(v1, effective), 'superseded');
      await t.drain();
      assert.deepEqual(await policyMails(), []);
    });

    it('mails exactly the people with a review when a processor for reviews is added, each once, in their language', async () => {
      const expected = (await shopQuery(dialect, shop, REVIEWERS_SQL)).map((r) => String(r.e)).sort();
      const everyone = Number((await shopQuery(dialect, shop, EVERYONE_SQL))[0]?.n);
      assert.ok(expected.length > 0 && expected.length < everyone, 'only some people have a review');

      // One reviewer asked for access in English before: their message is in English.
      const english = expected[0]!;
      const now = t.clock.now().toISOString();
      await t.store.db
        .insertInto('requests')
        .values({
          id: '00000000-0000-4000-8000-000000000001',
          type: 'access',
          status: 'completed',
          language: 'en',
          email: english,
          subject_ref: subjectRef(t.services.secret, english),
          name: null,
          message: null,
          details: null,
          received_at: now,
          verified_at: now,
          due_at: now,
          legal_due_at: now,
          extended_at: null,
          completed_at: now,
          outcome: null,
          result: null,
          updated_at: now,
        })
        .execute();

      const effective = new Date(t.clock.now().getTime() + 30 * DAY);
      const v3 = await versions().publish({
        yaml: withReviewProcessor(withEditorialChange()),
        actor: 'cli',
        effective,
      });
      assert.equal(v3.material, true);
      assert.deepEqual(v3.diff?.affectedCategories, ['review']);
      assert.equal(v3.notify.status, 'queued');
      assert.equal((await versions().get(2))?.supersededAt, effective.toISOString());

      // The worker queues the messages, then sends them as their time comes (60 a minute by default).
      for (let minute = 0; minute < 10; minute++) {
        await t.drain();
        t.clock.advance(MINUTE);
      }
      await t.drain();
      const mails = await policyMails();
      assert.deepEqual(mails.map((m) => m.to).sort(), expected, 'exactly the reviewers');
      assert.ok(mails.every((m) => m.status === 'sent'));
      const toEnglish = mails.find((m) => m.to === english)!;
      assert.match(toEnglish.subject, /^Our privacy policy changes on/);
      assert.match(toEnglish.text, /New recipient: Trustpilot/);
      const toDutch = mails.find((m) => m.to !== english)!;
      assert.match(toDutch.subject, /^Ons privacybeleid verandert per/);
      assert.ok(toDutch.links.some((l) => l.endsWith('/privacy/versions/3?lang=nl')));

      const progress = await t.services.registers.policyNotifier.progress(v3.id);
      assert.deepEqual(progress, {
        status: 'done',
        affected: expected.length,
        queued: expected.length,
        sent: expected.length,
        failed: 0,
      });
      const stored = (await versions().get(3))!;
      assert.equal(stored.notify.sent, expected.length);
      assert.equal(stored.notify.affected, expected.length);

      // Running the job again (a retry) mails nobody twice.
      await t.services.registers.policyNotifier.run(v3.id);
      assert.equal((await policyMails()).length, expected.length);

      const audit = await t.services.audit.list({ action: 'policy.publish' });
      assert.equal(audit.length, 2);
      assert.equal((await t.services.audit.list({ action: 'policy.notify.start' })).length, 1);
    });
  });
}

describe('the change notification is throttled', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp('sqlite');
  });
  after(async () => t?.close());

  it('sends at most the configured number a minute, the rest in the minutes after', async () => {
    const people = Array.from({ length: 25 }, (_, i) => `person${String(i).padStart(2, '0')}@example.nl`);
    const versions = t.services.registers.policyVersions;
    await versions.recordFirst(examplePolicyYaml(), loadExamplePolicy());
    const notifier = new PolicyChangeNotifier({
      db: t.store.db,
      versions,
      outbox: t.services.outbox,
      clock: t.clock,
      subjectRef: (e) => subjectRef(t.services.secret, e),
      perMinute: 10,
      subjectsWithCategories: async (categories) => (categories.includes('review') ? people : []),
    });
    const v2 = await versions.publish({ yaml: withReviewProcessor(), actor: 'cli' });
    await notifier.run(v2.id);
    const sentSoFar = async () => (await notifier.progress(v2.id)).sent;

    await t.drain();
    assert.equal(await sentSoFar(), 10, 'the first minute');
    t.clock.advance(30_000);
    await t.drain();
    assert.equal(await sentSoFar(), 10, 'not more within the minute');
    t.clock.advance(30_000);
    await t.drain();
    assert.equal(await sentSoFar(), 20, 'the second minute');
    t.clock.advance(MINUTE);
    await t.drain();
    assert.equal(await sentSoFar(), 25);
    assert.equal((await notifier.progress(v2.id)).status, 'done');
  });
});
