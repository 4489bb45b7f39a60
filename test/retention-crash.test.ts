import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { withServices } from '../src/cli/context.ts';
import { generateDemoShop } from '../src/demo/demo-shop.ts';
import { FAILPOINT_EXIT_CODE, type Failpoint } from '../src/lib/failpoints.ts';
import { subjectRef } from '../src/requests/intake.service.ts';
import { type Dialect, openStore } from '../src/store/database.ts';
import { inzageProcess } from './helpers/cli-process.ts';
import { DIALECTS, POSTGRES_URL, skipFor, withPgClient } from './helpers/db.ts';
import { assertSameOutcome, captureOutcome, type Outcome } from './helpers/outcomes.ts';

const AT = '2026-11-26';
const SECRET = 'crash-test-secret-0123456789abcdef0123456789';
/** Small batches: the run has several, and the crash lands in its first. */
const RUN = ['retention', 'run', '--at', AT, '--yes', '--json', '--batch', '20'];

/** A data folder (shop and, on SQLite, the hub) with the hub in a PostgreSQL database of its own where asked. */
interface Setup {
  dir: string;
  env: Record<string, string | undefined>;
  hubUrl?: string;
}

const pgUrl = (database: string) => {
  const url = new URL(POSTGRES_URL!);
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * The pristine setup both runs start from: a demo shop, and a hub that knows some of the people past the
 * term (activity, contact consent with proof, Analytics ids) and one who is not (Sanne, who stays).
 */
async function pristine(dialect: Dialect): Promise<Setup & { database?: string; firstBatch: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-crash-'));
  await generateDemoShop({ customers: 300, target: { kind: 'sqlite', file: join(dir, 'demo-shop.db') } });
  const database = dialect === 'postgres' ? `inzage_crash_${process.pid}_${randomBytes(3).toString('hex')}` : undefined;
  if (database) await withPgClient((c) => c.query(`create database ${database}`));
  const env = {
    INZAGE_DATA_DIR: dir,
    INZAGE_CONFIG_DIR: 'examples/balkonzon',
    INZAGE_SECRET: SECRET,
    INZAGE_DATABASE_URL: database ? pgUrl(database) : undefined,
    INZAGE_SHOP_DATABASE_URL: undefined,
    INZAGE_FAILPOINTS: undefined,
  };
  const saved = { ...process.env };
  let firstBatch: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    await withServices(async (s) => {
      const plan = await s.retention!.plan(new Date(`${AT}T12:00:00Z`));
      assert.ok(plan.emails.length > 60, `${plan.emails.length} people past the term: several batches`);
      firstBatch = plan.emails.slice(0, 20);
      for (const email of [...plan.emails.slice(0, 45), 'sanne.deboer@example.nl']) {
        const ref = subjectRef(SECRET, email);
        await s.activity.record(ref, 'login', '2023-05-01T10:00:00.000Z');
        await s.contactConsents.record({
          email,
          purpose: 'later-contact',
          granted: true,
          text: 'Ja, houd me op de hoogte',
          source: 'checkout',
          at: '2023-05-01T10:00:00.000Z',
        });
        await s.analyticsIds.remember(s.store.db, ref, { clientId: `${ref.slice(0, 10)}.1712345678` });
      }
    });
  } finally {
    process.env = saved;
  }
  return { dir, env, firstBatch, ...(database ? { database, hubUrl: pgUrl(database) } : {}) };
}

const openHub = (setup: Setup) =>
  openStore(
    setup.hubUrl
      ? { dialect: 'postgres', url: setup.hubUrl }
      : { dialect: 'sqlite', file: join(setup.dir, 'inzage.db') },
  );

/**
 * What happens to three people of the first batch after it was planned, at fixed moments (so that two
 * setups given the same changes compare equal): one places an order, the officer restricts another's
 * processing (Art. 18), the third asks for access (a request still open).
 */
async function changeSincePlan(setup: Setup, [orders, restricted, asks]: string[]): Promise<void> {
  const shop = new SqliteDatabase(join(setup.dir, 'demo-shop.db'));
  try {
    const account = shop.prepare('select id from customers where lower(email) = ?').get(orders) as
      | { id: number }
      | undefined;
    shop
      .prepare(
        `insert into orders (id, number, customer_id, email, billing_name, status, total_cents, created_at)
         values (990001, 'T-990001', ?, ?, 'Terug Gekomen', 'paid', 4200, '2026-11-20T10:00:00.000Z')`,
      )
      .run(account?.id ?? null, orders!);
  } finally {
    shop.close();
  }
  const store = openHub(setup);
  try {
    await store.db
      .insertInto('subject_flags')
      .values({
        subject_ref: subjectRef(SECRET, restricted!),
        restricted: 1,
        objection: 0,
        request_id: 'restriction-by-officer',
        updated_at: '2026-11-25T09:00:00.000Z',
        objected: null,
        stopped: null,
        lifts_at: null,
        holds: JSON.stringify([{ request: 'restriction-by-officer', ground: 'restriction' }]),
      })
      .execute();
    await store.db
      .insertInto('requests')
      .values({
        id: 'access-since-plan',
        type: 'access',
        status: 'awaiting_verification',
        language: 'nl',
        email: asks!,
        subject_ref: subjectRef(SECRET, asks!),
        name: null,
        message: null,
        details: null,
        received_at: '2026-11-25T09:00:00.000Z',
        verified_at: null,
        due_at: '2026-12-25T22:59:59.999Z',
        legal_due_at: '2026-12-25T22:59:59.999Z',
        extended_at: null,
        completed_at: null,
        outcome: null,
        result: null,
        channel: null,
        updated_at: '2026-11-25T09:00:00.000Z',
      })
      .execute();
  } finally {
    await store.close();
  }
}

/** An outcome whose recorded runs leave out what a plan made before a change necessarily counts otherwise. */
function withoutPlanCounts(outcome: Outcome): Outcome {
  return {
    ...outcome,
    retentionRuns: outcome.retentionRuns.map((r) => {
      const run = JSON.parse(r as string) as { summary: Record<string, unknown> };
      const { people: _p, keptAtErasure: _k, ...summary } = run.summary;
      return JSON.stringify({ ...run, summary });
    }),
  };
}

/** An identical copy of a setup: the folder, and on PostgreSQL the hub's database made from it as a template. */
async function copyOf(base: Setup & { database?: string }, name: string): Promise<Setup & { database?: string }> {
  const dir = `${base.dir}-${name}`;
  cpSync(base.dir, dir, { recursive: true });
  const database = base.database ? `${base.database}_${name}` : undefined;
  if (database) await withPgClient((c) => c.query(`create database ${database} template ${base.database}`));
  return {
    dir,
    env: { ...base.env, INZAGE_DATA_DIR: dir, INZAGE_DATABASE_URL: database ? pgUrl(database) : undefined },
    ...(database ? { database, hubUrl: pgUrl(database) } : {}),
  };
}

async function outcomeOf(setup: Setup) {
  const store = openHub(setup);
  try {
    return await captureOutcome(store, { sqliteFile: join(setup.dir, 'demo-shop.db') });
  } finally {
    await store.close();
  }
}

async function retentionRegister(setup: Setup): Promise<number> {
  const store = openStore(
    setup.hubUrl
      ? { dialect: 'postgres', url: setup.hubUrl }
      : { dialect: 'sqlite', file: join(setup.dir, 'inzage.db') },
  );
  try {
    const rows = await store.db.selectFrom('requests').select('id').where('outcome', '=', 'retention').execute();
    return rows.length;
  } finally {
    await store.close();
  }
}

/** A run's JSON summary, without what differs by nature: its seconds, and what a resumed run says of the first. */
const summaryOf = (out: string) => {
  const { seconds: _, resumed, finishedFirst, ...rest } = JSON.parse(out) as Record<string, unknown>;
  return { resumed, finishedFirst, rest };
};

for (const dialect of DIALECTS) {
  describe(`a retention run killed between the shop and the hub (hub on ${dialect})`, {
    skip: skipFor(dialect),
  }, () => {
    let base: Setup & { database?: string; firstBatch: string[] };
    let steady: { out: string; outcome: Awaited<ReturnType<typeof outcomeOf>> };
    const made: Array<Setup & { database?: string }> = [];
    before(async () => {
      base = await pristine(dialect);
      made.push(base);
      // The run as it goes without a crash, on an identical copy: what every crashed run must come to.
      const copy = await copyOf(base, 'steady');
      made.push(copy);
      const uninterrupted = await inzageProcess(RUN, copy.env);
      assert.equal(uninterrupted.code, 0, uninterrupted.err);
      steady = { out: uninterrupted.out, outcome: await outcomeOf(copy) };
    });
    after(async () => {
      for (const s of made) {
        rmSync(s.dir, { recursive: true, force: true });
        if (s.database) await withPgClient((c) => c.query(`drop database if exists ${s.database} with (force)`));
      }
    });

    const cases: Array<{ point: Failpoint; registeredAtCrash: number }> = [
      // The batch journaled, nothing of it sealed or erased yet.
      { point: 'retention.before-shop-commit', registeredAtCrash: 0 },
      // The batch is erased in the shop, nothing of it in the hub yet.
      { point: 'retention.after-shop-commit', registeredAtCrash: 0 },
      // The first batch is recorded in full; the run dies before the next.
      { point: 'retention.after-hub-commit', registeredAtCrash: 20 },
    ];
    for (const { point, registeredAtCrash } of cases) {
      it(`killed at ${point}, then run again, records exactly what an uninterrupted run does`, async () => {
        const crashed = await copyOf(base, point.split('.')[1]!.replaceAll('-', '_'));
        made.push(crashed);

        const killed = await inzageProcess(RUN, { ...crashed.env, INZAGE_FAILPOINTS: point });
        assert.equal(killed.code, FAILPOINT_EXIT_CODE, killed.err);
        assert.match(killed.err, new RegExp(`failpoint ${point}`));
        assert.equal(await retentionRegister(crashed), registeredAtCrash, 'the crash came where it was meant to');

        const resumed = await inzageProcess(RUN, crashed.env);
        assert.equal(resumed.code, 0, resumed.err);
        const again = summaryOf(resumed.out);
        const once = summaryOf(steady.out);
        assert.equal(again.resumed, true, 'the second run finished the first');
        assert.deepEqual(again.rest, once.rest, 'and reports what the uninterrupted run reported');
        assert.equal(once.finishedFirst, undefined);
        assert.deepEqual(
          again.finishedFirst,
          {
            batches: registeredAtCrash ? 1 : 0,
            erased: registeredAtCrash,
            pendingBatches: registeredAtCrash ? 0 : 1,
            failedBatches: 0,
            stepsBegun: [],
          },
          'and says what the interrupted run had done',
        );

        assertSameOutcome(await outcomeOf(crashed), steady.outcome);
      });
    }

    it('killed before the shop commit, resumed after three of its people changed, erases none of those three', async () => {
      const changed = base.firstBatch.slice(1, 4);
      // What the run does when the changes came before it planned: those three are never planned.
      const planned = await copyOf(base, 'changed_first');
      made.push(planned);
      await changeSincePlan(planned, changed);
      const uninterrupted = await inzageProcess(RUN, planned.env);
      assert.equal(uninterrupted.code, 0, uninterrupted.err);

      // The same changes after the batch was planned and journaled, while its process lay dead.
      const crashed = await copyOf(base, 'changed_later');
      made.push(crashed);
      const killed = await inzageProcess(RUN, { ...crashed.env, INZAGE_FAILPOINTS: 'retention.before-shop-commit' });
      assert.equal(killed.code, FAILPOINT_EXIT_CODE, killed.err);
      await changeSincePlan(crashed, changed);
      const resumed = await inzageProcess(RUN, crashed.env);
      assert.equal(resumed.code, 0, resumed.err);

      const once = JSON.parse(uninterrupted.out) as Record<string, any>;
      const again = JSON.parse(resumed.out) as Record<string, any>;
      assert.equal(again.resumed, true);
      assert.deepEqual(again.keptAtErasure, { active: 1, restricted: 1, openRequest: 1 }, 'kept at the re-check');
      assert.deepEqual(once.keptAtErasure, { active: 0, restricted: 0, openRequest: 0 });
      assert.equal(again.people.toErase - 3, once.people.toErase, 'planned three more, kept those three');
      assert.equal(again.erased, once.erased, 'erased as many as the run that never planned them');
      for (const summary of [once, again]) {
        delete summary.seconds;
        delete summary.resumed;
        delete summary.finishedFirst;
        delete summary.people;
        delete summary.keptAtErasure;
      }
      assert.deepEqual(again, once, 'and reports the same otherwise');
      // The shop (their rows, and nothing of theirs sealed), the register, the audit trail, the hub's traces.
      assertSameOutcome(withoutPlanCounts(await outcomeOf(crashed)), withoutPlanCounts(await outcomeOf(planned)));
      const shop = new SqliteDatabase(join(crashed.dir, 'demo-shop.db'), { readonly: true });
      try {
        for (const email of changed) {
          const left = shop
            .prepare(
              'select (select count(*) from customers where lower(email) = ?) + (select count(*) from orders where lower(email) = ?) as n',
            )
            .get(email, email) as { n: number };
          assert.ok(left.n > 0, 'their account or orders are still there');
        }
      } finally {
        shop.close();
      }
    });
  });
}
