import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { buildTestApp, loadExamplePolicy, TEST_SECRET, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';
import { createTestShop, type TestShop } from '../../test/helpers/demo-shop.ts';
import { DashboardPage } from '../http/admin/dashboard-page.tsx';
import { deskNames } from '../http/admin/desk-names.ts';
import { DAY, MINUTE } from '../lib/clock.ts';
import { subjectRef } from '../requests/intake.service.ts';
import type { RetentionPlan } from '../retention/retention.service.ts';
import { DeskRepository } from './desk.repository.ts';
import { LARGE_FIRST_SWEEP } from './desk-retention.ts';
import { approveRetentionPlan } from './retention-approval.ts';

for (const dialect of DIALECTS) {
  describe(`an approved retention run on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let shop: TestShop;
    before(async () => {
      shop = await createTestShop(dialect, 40);
      t = await buildTestApp(dialect, { dataMap: shop.dataMap });
    });
    after(async () => {
      await t?.close();
      await shop?.drop();
    });

    const waitingPlan = async () => {
      await t.services.retention!.daily();
      return t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('status', '=', 'waiting')
        .executeTakeFirstOrThrow();
    };
    const runs = async () =>
      (await t.store.db.selectFrom('retention_runs').selectAll().where('kind', '=', 'run').execute()).length;
    const approve = async (planId: string, confirmed: number, people?: string) =>
      t.store.db
        .transaction()
        .execute((trx) =>
          approveRetentionPlan(
            { desk: new DeskRepository(t.store.db), jobs: t.services.jobs },
            { planId, confirmed, actor: 'user:officer-1', ...(people ? { people } : {}) },
            trx,
          ),
        );
    const reviewed = async () => t.services.retention!.peopleDigest((await t.services.retention!.plan()).emails);

    it('erases no one when more people would go than the officer confirmed, and leaves the new plan waiting', async () => {
      const plan = await waitingPlan();
      const seen = (JSON.parse(plan.summary) as RetentionPlan).people.toErase;
      await approve(plan.id, seen);
      // Half a year on, before the worker gets to it: more customers have passed the two years.
      t.clock.advance(200 * DAY);
      const more = (await t.services.retention!.plan()).people.toErase;
      assert.ok(more > seen, `${more} > ${seen}`);
      const before = await runs();
      await t.drain();
      assert.equal(await runs(), before, 'no run');
      const waiting = await t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('status', '=', 'waiting')
        .execute();
      assert.equal(waiting.length, 1);
      assert.notEqual(waiting[0]!.id, plan.id);
      assert.equal((JSON.parse(waiting[0]!.summary) as RetentionPlan).people.toErase, more);
    });

    it('erases no one when as many but other people would go than the officer reviewed', async () => {
      const plan = await waitingPlan();
      const seen = (JSON.parse(plan.summary) as RetentionPlan).people.toErase;
      const { emails } = await t.services.retention!.plan();
      assert.ok(emails.length > 1);
      // The officer reviewed a list with one person who is not in the plan now, and without one who is.
      const other = t.services.retention!.peopleDigest([...emails.slice(1), 'iemand-anders@example.com']);
      await approve(plan.id, seen, other);
      const before = await runs();
      await t.drain();
      assert.equal(await runs(), before, 'no run');
      assert.equal((await t.services.retention!.plan()).people.toErase, seen, 'nobody erased');
      const waiting = await t.store.db
        .selectFrom('retention_runs')
        .select('id')
        .where('status', '=', 'waiting')
        .execute();
      assert.equal(waiting.length, 1, 'a new plan waits for a new review');
      assert.notEqual(waiting[0]!.id, plan.id);
    });

    it('runs the plan when the number and the people still hold, in the name of the officer who approved it', async () => {
      const plan = await waitingPlan();
      const seen = (JSON.parse(plan.summary) as RetentionPlan).people.toErase;
      await approve(plan.id, seen, await reviewed());
      const ids = async () =>
        (await t.store.db.selectFrom('retention_runs').select('id').where('kind', '=', 'run').execute()).map(
          (r) => r.id,
        );
      const before = new Set(await ids());
      await t.drain();
      const added = (await ids()).filter((id) => !before.has(id));
      assert.equal(added.length, 1, 'one run');
      const run = await t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('id', '=', added[0]!)
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(run.summary).erased, seen);
      const [entry] = await t.services.audit.list({ action: 'retention.run' });
      assert.equal(entry?.actor, 'user:officer-1');
    });

    const flag = (email: string, restricted: number) =>
      t.store.db
        .insertInto('subject_flags')
        .values({
          subject_ref: subjectRef(TEST_SECRET, email),
          restricted,
          objection: 0,
          request_id: null,
          updated_at: t.clock.now().toISOString(),
          objected: null,
          stopped: null,
        } as never)
        .onConflict((oc) => oc.column('subject_ref').doUpdateSet({ restricted }))
        .execute();
    const journalRows = () =>
      t.store.db.selectFrom('retention_journal').select('status').where('status', '=', 'running').execute();

    /**
     * An approved run of people past the term, one of them (returned) restricted while the officer reviews:
     * not approved. The run erases its batches and dies before it is recorded; then the restriction is lifted.
     */
    const approvedRunDies = async () => {
      await t.drain();
      t.clock.advance(400 * DAY);
      const [outside] = (await t.services.retention!.plan()).emails;
      assert.ok(outside, 'people past the term');
      await flag(outside, 1);
      const plan = await waitingPlan();
      const seen = (JSON.parse(plan.summary) as RetentionPlan).people.toErase;
      assert.ok(seen > 0);
      await approve(plan.id, seen, await reviewed());
      const audit = t.services.audit;
      const record = audit.record.bind(audit);
      let dies = true;
      audit.record = async (entry, db) => {
        if (dies && entry.action === 'retention.run') {
          dies = false;
          throw new Error('the process dies before the run is recorded');
        }
        return record(entry, db);
      };
      const runsBefore = await runs();
      try {
        await t.drain();
      } finally {
        audit.record = record;
      }
      assert.equal(await runs(), runsBefore, 'not recorded');
      assert.equal((await journalRows()).length, 1, 'the run is left in the journal');
      const stored = await t.store.db.selectFrom('retention_journal').select('options').executeTakeFirstOrThrow();
      assert.match(stored.options, /"approved":\{"digest":"[0-9a-f]{64}"/, 'with the approval it runs under');
      assert.doesNotMatch(stored.options, /@/, 'whom it covers encrypted');
      assert.deepEqual((await t.services.retention!.plan()).emails, [], 'its people are erased');
      await flag(outside, 0);
      assert.deepEqual((await t.services.retention!.plan()).emails, [outside], 'free to go now, never approved');
      return { seen, outside, runsBefore };
    };

    it('resumes the approved run when its job is retried after it died, and erases no one it did not approve', async () => {
      const { seen, outside, runsBefore } = await approvedRunDies();
      t.clock.advance(10 * MINUTE);
      await t.drain();
      assert.equal(await runs(), runsBefore + 1, 'the approved run is recorded');
      assert.deepEqual(await journalRows(), [], 'and its journal closed');
      const [entry] = await t.services.audit.list({ action: 'retention.run' });
      assert.equal(entry?.actor, 'user:officer-1');
      assert.equal((entry?.details as { erased?: number } | undefined)?.erased, seen);
      assert.deepEqual((await t.services.retention!.plan()).emails, [outside], 'the one not approved stays');
    });

    it('never lets the daily job erase, in an approved run it takes over, anyone the officer did not approve', async () => {
      const { seen, outside, runsBefore } = await approvedRunDies();
      t.clock.advance(11 * MINUTE);
      await t.services.retention!.daily();
      assert.deepEqual(await journalRows(), [], 'the approved run is finished');
      const last = await t.store.db
        .selectFrom('retention_runs')
        .selectAll()
        .where('kind', '=', 'run')
        .orderBy('created_at', 'desc')
        .execute();
      assert.ok(last.length > runsBefore);
      assert.ok(
        last.some((r) => JSON.parse(r.summary).resumed && JSON.parse(r.summary).erased === seen),
        'the resumed run erased the approved people only',
      );
      assert.deepEqual((await t.services.retention!.plan()).emails, [outside], 'the one not approved stays');
      // The job's retry finds no run left: it plans, and the plan (someone not reviewed) waits.
      t.clock.advance(10 * MINUTE);
      await t.drain();
      assert.deepEqual((await t.services.retention!.plan()).emails, [outside]);
    });

    it('refuses a number that is not a whole number, and a plan approved twice', async () => {
      const plan = await waitingPlan();
      await assert.rejects(approve(plan.id, -1), /whole number/);
      await approve(plan.id, 0);
      await assert.rejects(approve(plan.id, 0), /approved already/);
    });
  });
}

describe('a first large sweep on the dashboard', () => {
  const view = (toErase: number, lastRun: boolean) => ({
    now: '2026-11-01T10:00:00.000Z',
    requests: [],
    tasks: [],
    perMonth: [{ month: '2026-11', count: 0 }],
    retention: {
      available: true,
      mode: 'approve' as const,
      nextRunAt: '2026-11-02T00:00:00.000Z',
      ...(lastRun ? { lastRun: { id: 'r', at: '2026-10-31T00:00:00.000Z', summary: { erased: 2 } as never } } : {}),
      waiting: {
        id: 'p',
        at: '2026-11-01T00:00:00.000Z',
        approved: false,
        summary: { people: { known: 900, pastTerm: toErase, restricted: 0, openRequest: 0, toErase } } as never,
      },
    },
  });
  const render = (toErase: number, lastRun: boolean) =>
    renderToStaticMarkup(
      DashboardPage({
        view: view(toErase, lastRun),
        role: 'officer',
        csrf: 'x',
        lang: 'nl',
        names: deskNames(loadExamplePolicy(), undefined, 'nl'),
      }),
    );

  it('is never a one-click routine: it says what it is and leads to the review, with no approve button', () => {
    const html = render(500, false);
    assert.match(html, /Eerste opruiming: 500 personen hebben/);
    assert.match(html, /geen dagelijkse routine/);
    assert.match(html, /href="\/admin\/retention"/);
    assert.doesNotMatch(html, /action="\/admin\/retention\/approve"/);
  });

  it('is an ordinary plan once a run has been done, or when it is small', () => {
    assert.doesNotMatch(render(500, true), /Eerste opruiming/);
    assert.doesNotMatch(render(LARGE_FIRST_SWEEP, false), /Eerste opruiming/);
    assert.doesNotMatch(render(500, true), /action="\/admin\/retention\/approve"/, 'never one click');
  });
});
