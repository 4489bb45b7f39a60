import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';
import { exampleDataMap } from '../../test/helpers/demo-shop.ts';
import { insertRequest } from '../../test/helpers/requests.ts';
import type { SystemErasure } from '../connectors/connector.ts';
import { generateDemoShop } from '../demo/demo-shop.ts';
import { MINUTE } from '../lib/clock.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { RetentionJournal } from './journal.ts';
import { RetentionService } from './retention.service.ts';
import { SealedArchive } from './sealed-archive.ts';

const NOW = '2026-11-01T12:00:00.000Z';
const LONG_AGO = '2023-03-01T10:00:00.000Z';

/**
 * What a retention run may and may not do to a person, on both dialects of the hub: refuse a moment ahead,
 * erase only who is still free to go when their batch runs, register only whom it found, forget them in the
 * hub as an erasure by request does, state its options, and never run twice at once.
 */
for (const dialect of DIALECTS) {
  describe(`a retention run, person by person (hub on ${dialect})`, { skip: skipFor(dialect) }, () => {
    let dir: string;
    let shop: SqliteDatabase.Database;
    let t: TestApp;
    let nextId = 5000;
    const customer = (email: string) =>
      shop
        .prepare(
          `insert into customers (id, email, first_name, last_name, country, created_at, last_login_at) values (?, ?, 'Oud', 'Klant', 'NL', ?, ?)`,
        )
        .run(nextId++, email, LONG_AGO, LONG_AGO);
    const exists = (email: string) =>
      (shop.prepare('select count(*) as n from customers where lower(email) = ?').get(email) as { n: number }).n > 0;
    const registered = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('outcome', '=', 'retention')
            .executeTakeFirst()
        )?.n,
      );
    const ref = (email: string) => subjectRef(TEST_SECRET, email);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'inzage-retention-sweep-'));
      const file = join(dir, 'demo-shop.db');
      await generateDemoShop({ customers: 1, target: { kind: 'sqlite', file } });
      shop = new SqliteDatabase(file);
      t = await buildTestApp(dialect, { dataMap: exampleDataMap(file) });
      t.clock.set(NOW);
    });
    after(async () => {
      shop?.close();
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a run dated in the future and erases nobody', async () => {
      customer('toekomst@example.com');
      const ahead = new Date(Date.parse(NOW) + 60_000);
      await assert.rejects(() => t.services.retention!.run(ahead), { code: 'VALIDATION_FAILED', field: 'at' });
      assert.equal(exists('toekomst@example.com'), true);
      await t.services.retention!.run();
      assert.equal(exists('toekomst@example.com'), false, 'dated now, it goes');
    });

    it('keeps someone restricted or with a request opened after the plan, and says so in the summary', async () => {
      for (const email of ['beperkt-later@example.com', 'vraagt-later@example.com', 'gaat@example.com'])
        customer(email);
      const planned = await t.services.retention!.plan();
      assert.ok(
        planned.emails.includes('beperkt-later@example.com') && planned.emails.includes('vraagt-later@example.com'),
      );
      // After the plan (the officer's review, a long run): a restriction (Art. 18) and an access request.
      await t.services.requests.saveFlags(t.store.db, ref('beperkt-later@example.com'), {
        holds: [{ request: 'r-later', ground: 'restriction' }],
        objected: [],
        stopped: [],
        requestId: 'r-later',
      });
      await insertRequest(t.services, { email: 'vraagt-later@example.com', status: 'verified' });
      const summary = await t.services.retention!.run(undefined, undefined, planned);
      assert.equal(exists('beperkt-later@example.com'), true);
      assert.equal(exists('vraagt-later@example.com'), true);
      assert.equal(exists('gaat@example.com'), false);
      assert.deepEqual(summary.keptAtErasure, { active: 0, restricted: 1, openRequest: 1 });
      assert.equal(summary.erased, planned.people.toErase - 2);
    });

    it('registers only the people it found and erased, not everyone it planned', async () => {
      for (const email of ['gevonden-1@example.com', 'gevonden-2@example.com', 'al-weg@example.com']) customer(email);
      const planned = await t.services.retention!.plan();
      // Erased meanwhile by other means (a request, the shop itself): planned, but nothing left to find.
      shop.prepare('delete from customers where email = ?').run('al-weg@example.com');
      const before = await registered();
      // The hub's store is told of the register rows as they are added (PostgreSQL keeps it analyzed).
      const grew = t.store.grew;
      const grown: number[] = [];
      t.store.grew = (table, rows) => {
        if (table === 'requests') grown.push(rows);
        return grew(table, rows);
      };
      const summary = await t.services.retention!.run(undefined, undefined, planned).finally(() => {
        t.store.grew = grew;
      });
      assert.equal(summary.erased, 2, 'the two it found (those kept before are kept again)');
      assert.equal(exists('gevonden-1@example.com') || exists('gevonden-2@example.com'), false);
      assert.equal((await registered()) - before, 2, 'one register entry per person found and erased');
      assert.equal(
        grown.reduce((a, b) => a + b, 0),
        2,
        'the store heard of each register row',
      );
    });

    it('forgets what the hub holds about the person it erased, as an erasure by request does', async () => {
      const email = 'veel-in-hub@example.com';
      customer(email);
      const db = t.store.db;
      // An access request answered long ago: the register still names them, their package is stored, its link lives.
      const old = await insertRequest(t.services, { email, status: 'completed', receivedAt: LONG_AGO });
      const stored = await t.services.exports.store(db, {
        requestId: old,
        fileName: 'inzage.zip',
        zip: new Uint8Array([1]),
      });
      await t.services.requests.issueToken(db, old, 'download', stored.expiresAt, 3);
      // An objection to direct marketing honoured for good (Art. 21(3)): a flag, not a restriction.
      await t.services.requests.saveFlags(db, ref(email), {
        holds: [],
        objected: [],
        stopped: ['later-contact'],
        requestId: old,
      });
      await t.services.activity.record(ref(email), 'login', LONG_AGO);

      const summary = await t.services.retention!.run();
      assert.ok(summary.erased >= 1);
      assert.equal(exists(email), false);
      const request = await db.selectFrom('requests').selectAll().where('id', '=', old).executeTakeFirstOrThrow();
      assert.deepEqual(
        [request.email, request.subject_ref],
        [null, null],
        'the register keeps the request without identity',
      );
      const packages = await db
        .selectFrom('request_exports')
        .select('ciphertext')
        .where('request_id', '=', old)
        .execute();
      assert.deepEqual(
        packages.map((p) => p.ciphertext),
        [null],
        'their package is destroyed',
      );
      assert.equal(
        (await db.selectFrom('request_tokens').where('request_id', '=', old).selectAll().execute()).length,
        0,
      );
      assert.equal(
        (await db.selectFrom('subject_flags').where('subject_ref', '=', ref(email)).selectAll().execute()).length,
        0,
      );
      assert.equal(
        (await db.selectFrom('subject_activity').where('subject_ref', '=', ref(email)).selectAll().execute()).length,
        0,
      );
    });

    it('states its options in the summary it returns and the one it stores', async () => {
      customer('opties@example.com');
      const summary = await t.services.retention!.run(undefined, undefined, undefined, 'cli', {
        sweep: true,
        rules: 'all',
        batchSize: 7,
      });
      assert.deepEqual(summary.options, { at: NOW, dryRun: false, sweep: true, rules: 'all', batchSize: 7 });
      assert.equal(summary.resumed, false);
      assert.equal(summary.finishedFirst, undefined, 'only a resumed run says what the first one did');
      const stored = await t.store.db
        .selectFrom('retention_runs')
        .select('summary')
        .where('kind', '=', 'run')
        .execute();
      const options = stored.map((r) => JSON.parse(r.summary).options);
      assert.ok(
        options.some((o) => o?.batchSize === 7),
        'the stored summary states them too',
      );
      assert.deepEqual(
        options.find((o) => o?.batchSize === 7),
        summary.options,
      );
    });

    it('on resume, keeps in the hub whom a system erased before the crash but who is restricted or asking since', async () => {
      const [restricted, asking, gone] = [
        'hersteld-beperkt@example.com',
        'hersteld-vraagt@example.com',
        'hersteld-weg@example.com',
      ];
      for (const email of [restricted, asking, gone]) customer(email);
      const retention = t.services.retention!;
      const {
        emails: _,
        expiredHolds: __,
        sealedToDestroy: ___,
        rules: ____,
        housekeeping: _____,
        ...plan
      } = await retention.plan();
      // A process on another host began the run; its batch's shop commit happened, then it died.
      const dead = new RetentionJournal({
        db: t.store.db,
        secret: TEST_SECRET,
        clock: t.clock,
        me: { host: 'elders', pid: 9, pidNs: 'pid:[4026530009]' },
      });
      const run = await dead.begin({
        at: t.clock.now(),
        actor: 'system',
        options: { sweep: true, rules: 'all', batchSize: 2000 },
        plan,
      });
      const batch = [restricted, asking, gone];
      const told: Record<string, SystemErasure> = {};
      await t.services.executor!.eraseMany(batch, {
        at: run.at,
        withSubjects: true,
        beforeCommit: async (s) => {
          told[s.system] = s;
          await dead.intent(run.id, 0, batch, told);
        },
      });
      assert.equal(exists(gone), false, 'erased in the shop before the crash');
      // Since the crash: a restriction (Art. 18) for one, a request opened by another.
      await t.services.requests.saveFlags(t.store.db, ref(restricted), {
        holds: [{ request: 'r-hersteld', ground: 'restriction' }],
        objected: [],
        stopped: [],
        requestId: 'r-hersteld',
      });
      const request = await insertRequest(t.services, { email: asking, status: 'verified' });
      const before = await registered();
      t.clock.advance(11 * MINUTE);
      try {
        const summary = await retention.run();
        assert.equal(summary.resumed, true);
        assert.deepEqual(summary.keptAtErasure, { active: 0, restricted: 1, openRequest: 1 });
        assert.equal(summary.erased, 1, 'only the one still free to go');
        assert.equal((await registered()) - before, 1);
        const flags = await t.store.db
          .selectFrom('subject_flags')
          .select('restricted')
          .where('subject_ref', '=', ref(restricted))
          .executeTakeFirst();
        assert.equal(flags?.restricted, 1, 'the restriction hold stays');
        const open = await t.store.db
          .selectFrom('requests')
          .select(['subject_ref', 'email'])
          .where('id', '=', request)
          .executeTakeFirstOrThrow();
        assert.equal(open.subject_ref, ref(asking), 'the open request keeps whom it is about');
        assert.equal(open.email, asking);
      } finally {
        t.clock.set(NOW);
      }
    });

    it('runs once when two runs start at the same time on one database', async () => {
      for (let i = 0; i < 6; i++) customer(`tegelijk-${i}@example.com`);
      const another = new RetentionService({
        executor: t.services.executor!,
        archive: new SealedArchive(t.store.db, TEST_SECRET, t.clock),
        requests: t.services.requests,
        policy: t.services.policy,
        clock: t.clock,
        secret: TEST_SECRET,
      });
      const before = await registered();
      const results = await Promise.allSettled([t.services.retention!.run(), another.run()]);
      const done = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(done.length, 1, 'one run');
      assert.match(String((refused[0] as PromiseRejectedResult).reason), /a retention run is in progress/);
      assert.equal((await registered()) - before, 6, 'each person registered once');
    });
  });
}
