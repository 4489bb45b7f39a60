import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adminLogin } from '../../test/helpers/admin.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.ts';
import { inzageProcess } from '../../test/helpers/cli-process.ts';
import { DIALECTS, skipFor } from '../../test/helpers/db.ts';
import { decrypt, derivedKey, encrypt } from '../lib/crypto.ts';
import { FAILPOINT_EXIT_CODE } from '../lib/failpoints.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { SealedArchive } from '../retention/sealed-archive.ts';
import { migrateToLatest, openStore, type Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { keyringOpensWith, openKeyring } from './keyring.ts';
import { SEALED_COLUMNS } from './rekey.repository.ts';
import { rotateSecret, startOverWithNewSecret } from './rotate.ts';

const NEW_SECRET = 'rotated-secret-fedcba9876543210fedcba9876543210';
const PERSON = 'rotatie@example.nl';

/** Every encrypted value in the hub, and whether the secret's keys open each (table.column → [opened, total]). */
async function openedBy(store: Pick<Store, 'db'>, secret: string): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {};
  for (const sealed of SEALED_COLUMNS) {
    const rows = (await store.db.selectFrom(sealed.table).selectAll().execute()) as unknown as Record<
      string,
      unknown
    >[];
    const withValue = rows.filter((r) => r[sealed.column] !== null);
    let opened = 0;
    for (const row of withValue) {
      try {
        decrypt(derivedKey(secret, sealed.purpose), String(row[sealed.column]), sealed.aad(row));
        opened++;
      } catch {}
    }
    out[`${sealed.table}.${sealed.column}`] = [opened, withValue.length];
  }
  return out;
}

/** A hub with something in every encrypted column the flows here reach: TOTP, mail, archive, analytics ids. */
async function fill(t: TestApp): Promise<{ cookie: string; ref: string }> {
  const officer = await adminLogin(t, 'officer');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/requests',
    payload: { type: 'access', email: PERSON },
  });
  assert.equal(res.statusCode, 202);
  const ref = subjectRef(TEST_SECRET, PERSON);
  await new SealedArchive(t.store.db, TEST_SECRET, t.clock).sealMany([
    {
      subjectRef: ref,
      records: [
        {
          system: 'shop',
          collection: 'invoices',
          recordKey: 'F-2026-001',
          hold: 'fiscal',
          holdUntil: '2034-01-01T00:00:00.000Z',
          data: { amount: '19.95' },
        },
      ],
    },
  ]);
  await t.store.db.transaction().execute((tx) => t.services.analyticsIds.remember(tx, ref, { clientId: '123.456' }));
  return { cookie: officer.cookie, ref };
}

for (const dialect of DIALECTS) {
  describe(`inzage secret rotate on ${dialect}`, { skip: skipFor(dialect) }, () => {
    const apps: TestApp[] = [];
    after(async () => {
      for (const t of apps.reverse()) await t.close();
    });

    it('re-encrypts every value, keeps every subject reference, ends sessions; the old secret opens nothing', async () => {
      const t = await buildTestApp(dialect);
      apps.push(t);
      const { cookie, ref } = await fill(t);
      const before = await openedBy(t.store, TEST_SECRET);
      assert.equal((await t.app.inject({ method: 'GET', url: '/admin', headers: { cookie } })).statusCode, 200);
      for (const column of [
        'archive_keys.wrapped_key',
        'admin_users.totp_secret',
        'mail_outbox.envelope',
        'analytics_ids.ciphertext',
      ])
        assert.ok(before[column]![1] > 0, `${column} has a value to rotate`);

      const summary = await rotateSecret({
        db: t.store.db,
        oldSecret: TEST_SECRET,
        newSecret: NEW_SECRET,
        now: t.clock.now(),
      });
      assert.equal(summary.resumed, false);
      assert.ok(summary.sessionsEnded >= 1);
      assert.equal(summary.keptKeys, 4);

      // Every value now opens with the new secret's keys and none with the old.
      const after = await openedBy(t.store, NEW_SECRET);
      const old = await openedBy(t.store, TEST_SECRET);
      for (const [column, [, total]] of Object.entries(before)) {
        assert.deepEqual(after[column], [total, total], column);
        assert.equal(old[column]![0], 0, column);
        assert.equal(summary.columns[column]!.rewritten, total, column);
      }
      await assert.rejects(openKeyring(t.store.db, TEST_SECRET), /not the secret of this hub/);

      // A server on the new secret: the same person has the same reference, and their sealed records open.
      const t2 = await buildTestApp(dialect, { store: t.store, clock: t.clock, env: { INZAGE_SECRET: NEW_SECRET } });
      apps.push(t2);
      assert.equal(subjectRef(NEW_SECRET, PERSON), ref);
      const sealed = await new SealedArchive(t.store.db, NEW_SECRET, t.clock).open(ref);
      assert.deepEqual(
        sealed.map((r) => r.data),
        [{ amount: '19.95' }],
      );
      assert.deepEqual(await t2.services.analyticsIds.idsFor(ref), { clientIds: ['123.456'], userIds: [] });
      // The officer's session ended with the old secret.
      const desk = await t2.app.inject({ method: 'GET', url: '/admin', headers: { cookie } });
      assert.equal(desk.statusCode, 302);
      assert.match(String(desk.headers.location), /\/admin\/login/);
    });

    it('with the secret lost: refused at start with the new one; `secret lost` starts over and says what is gone', async () => {
      const t = await buildTestApp(dialect);
      apps.push(t);
      const { ref } = await fill(t);
      await assert.rejects(openKeyring(t.store.db, NEW_SECRET), /not the secret of this hub.*secret lost --confirm/);
      await assert.rejects(
        startOverWithNewSecret({ db: t.store.db, secret: TEST_SECRET, now: t.clock.now() }),
        /its secret is not lost/,
      );
      const { dropped } = await startOverWithNewSecret({ db: t.store.db, secret: NEW_SECRET, now: t.clock.now() });
      assert.equal(dropped.totpEnrolments, 1);
      assert.equal(dropped.analyticsIds, 1);
      assert.equal(dropped.queuedMails, 1);
      await openKeyring(t.store.db, NEW_SECRET);
      // New references from now on; the sealed archive is still there, unreadable, until its hold ends.
      assert.notEqual(subjectRef(NEW_SECRET, PERSON), ref);
      assert.equal((await new SealedArchive(t.store.db, NEW_SECRET, t.clock).checkSecret()).status, 'wrong');
      const t2 = await buildTestApp(dialect, { store: t.store, clock: t.clock, env: { INZAGE_SECRET: NEW_SECRET } });
      apps.push(t2);
      const res = await t2.app.inject({
        method: 'POST',
        url: '/api/v1/requests',
        payload: { type: 'access', email: PERSON },
      });
      assert.equal(res.statusCode, 202);
    });

    it('leaves a sent mail’s emptied envelope alone, and refuses values under an earlier secret unless told to leave them', async () => {
      const t = await buildTestApp(dialect);
      apps.push(t);
      await fill(t);
      // A mail sent over SMTP keeps an emptied envelope; an archive key from a secret the hub had before.
      await t.store.db.updateTable('mail_outbox').set({ envelope: '', status: 'sent' }).execute();
      const stale = encrypt(
        derivedKey('an-earlier-secret-0123456789abcdef0123', 'sealed-archive/key-encryption'),
        Buffer.alloc(32),
        'archive-key:stale',
      );
      await t.store.db
        .insertInto('archive_keys')
        .values({ id: 'stale', subject_ref: 'r-stale', wrapped_key: stale, created_at: t.clock.now().toISOString() })
        .execute();
      const rotate = (leaveUnreadable?: boolean) =>
        rotateSecret({
          db: t.store.db,
          oldSecret: TEST_SECRET,
          newSecret: NEW_SECRET,
          now: t.clock.now(),
          leaveUnreadable,
        });
      await assert.rejects(rotate(), /archive_keys\.wrapped_key: 1.*Nothing was changed/);
      assert.ok(await keyringOpensWith(t.store.db, TEST_SECRET), 'not marked, still under the old secret');
      const summary = await rotate(true);
      assert.equal(summary.columns['archive_keys.wrapped_key']!.unreadable, 1);
      assert.equal(summary.columns['archive_keys.wrapped_key']!.rewritten, 1);
      assert.equal(summary.columns['mail_outbox.envelope']!.rows, 0);
      await openKeyring(t.store.db, NEW_SECRET);
    });

    it('on a hub from before the keyring: keeps the secret that opens its newest data, refuses one that opens none', async () => {
      const t = await buildTestApp(dialect);
      apps.push(t);
      await fill(t);
      await t.store.db.deleteFrom('hub_keys').execute();
      await assert.rejects(openKeyring(t.store.db, NEW_SECRET), /does not open this hub’s data/);
      assert.equal((await t.store.db.selectFrom('hub_keys').selectAll().execute()).length, 0, 'nothing stored');
      await openKeyring(t.store.db, TEST_SECRET);
      assert.ok(await keyringOpensWith(t.store.db, TEST_SECRET));
    });

    it('refuses the same secret, a short one, a running worker and an unfinished retention run, changing nothing', async () => {
      const t = await buildTestApp(dialect);
      apps.push(t);
      await fill(t);
      const rotate = (newSecret: string) =>
        rotateSecret({ db: t.store.db, oldSecret: TEST_SECRET, newSecret, now: t.clock.now() });
      await assert.rejects(rotate(TEST_SECRET), /is the current one/);
      await assert.rejects(rotate('too-short'), /at least 32 characters/);
      await t.store.db
        .insertInto('workers')
        .values({
          id: 'w1',
          started_at: t.clock.now().toISOString(),
          heartbeat_at: t.clock.now().toISOString(),
          pid: 1,
          host: 'h',
          pid_ns: null,
        })
        .execute();
      await assert.rejects(rotate(NEW_SECRET), /a worker is running/);
      await t.store.db.deleteFrom('workers').execute();
      const now = t.clock.now().toISOString();
      await t.store.db
        .insertInto('retention_journal')
        .values({
          id: 'r1',
          at: now,
          actor: 'cli',
          options: '{}',
          plan: '{}',
          steps: '{}',
          status: 'running',
          owner: '',
          owner_pid_ns: null,
          heartbeat_at: now,
          started_at: now,
          finished_at: null,
        })
        .execute();
      await assert.rejects(rotate(NEW_SECRET), /retention run is unfinished/);
      assert.ok(await keyringOpensWith(t.store.db, TEST_SECRET));
      assert.deepEqual(
        Object.values(await openedBy(t.store, NEW_SECRET)).map(([opened]) => opened),
        SEALED_COLUMNS.map(() => 0),
      );
    });
  });
}

describe('inzage secret rotate killed half-way, then run again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-rotate-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('the hub refuses to start in between; the rerun finishes as one run would, and secret.key holds the new secret', async () => {
    // A data folder as a fresh machine has it: the secret in secret.key, a hub with something of everything.
    writeFileSync(join(dataDir, 'secret.key'), `${TEST_SECRET}\n`, { mode: 0o600 });
    const hubFile = join(dataDir, 'inzage.db');
    const store = openStore({ dialect: 'sqlite', file: hubFile });
    await migrateToLatest(store);
    const t = await buildTestApp('sqlite', { store });
    const { ref } = await fill(t);
    const before = await openedBy(store, TEST_SECRET);
    await t.close();
    await store.close();

    const env = {
      INZAGE_DATA_DIR: dataDir,
      INZAGE_SECRET: undefined,
      INZAGE_DATABASE_URL: undefined,
      INZAGE_CONFIG_DIR: 'examples/balkonzon',
    };
    const killed = await inzageProcess(['secret', 'rotate'], { ...env, INZAGE_FAILPOINTS: 'secret.after-column' });
    assert.equal(killed.code, FAILPOINT_EXIT_CODE, killed.err);
    const pending = readFileSync(join(dataDir, 'secret.key.new'), 'utf8').trim();
    assert.equal(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim(), TEST_SECRET);

    // In between, nothing starts on the hub, with either secret.
    const between = openStore({ dialect: 'sqlite', file: hubFile });
    try {
      await assert.rejects(openKeyring(between.db as never, TEST_SECRET), /rotation was begun and did not finish/);
      await assert.rejects(openKeyring(between.db as never, pending), /rotation was begun and did not finish/);
      const half = await openedBy(between, pending);
      assert.ok(
        Object.values(half).some(([opened, total]) => total > 0 && opened === total),
        'one column was rotated',
      );
      assert.ok(
        Object.values(half).some(([opened, total]) => total > 0 && opened === 0),
        'one column was not yet',
      );
    } finally {
      await between.close();
    }

    const rerun = await inzageProcess(['secret', 'rotate', '--json'], env);
    assert.equal(rerun.code, 0, rerun.err);
    assert.equal(JSON.parse(rerun.out).resumed, true);
    assert.equal(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim(), pending);
    assert.throws(() => readFileSync(join(dataDir, 'secret.key.new')));

    const done = openStore({ dialect: 'sqlite', file: hubFile });
    try {
      const db = done.db as unknown as import('kysely').Kysely<Database>;
      await openKeyring(db, pending);
      assert.equal(subjectRef(pending, PERSON), ref);
      const after = await openedBy(done, pending);
      for (const [column, [, total]] of Object.entries(before)) assert.deepEqual(after[column], [total, total], column);
      const audit = await db.selectFrom('audit_log').select(['action']).where('action', '=', 'secret.rotate').execute();
      assert.equal(audit.length, 1);
    } finally {
      await done.close();
    }

    // Run again after it finished, it is a rotation of its own, to a third secret: the references still hold.
    const again = await inzageProcess(['secret', 'rotate', '--json'], env);
    assert.equal(again.code, 0, again.err);
    assert.equal(JSON.parse(again.out).resumed, false);
    const third = readFileSync(join(dataDir, 'secret.key'), 'utf8').trim();
    assert.notEqual(third, pending);
    const last = openStore({ dialect: 'sqlite', file: hubFile });
    try {
      await openKeyring(last.db as never, third);
      assert.equal(subjectRef(third, PERSON), ref);
    } finally {
      await last.close();
    }
  });

  it('with secret.key and a new secret given in a file, secret.key holds that new secret afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-rotate-file-'));
    try {
      writeFileSync(join(dir, 'secret.key'), `${TEST_SECRET}\n`, { mode: 0o600 });
      const store = openStore({ dialect: 'sqlite', file: join(dir, 'inzage.db') });
      await migrateToLatest(store);
      const t = await buildTestApp('sqlite', { store });
      const { ref } = await fill(t);
      await t.close();
      await store.close();
      const file = join(dir, 'new-secret');
      writeFileSync(file, `${NEW_SECRET}\n`);
      const env = {
        INZAGE_DATA_DIR: dir,
        INZAGE_SECRET: undefined,
        INZAGE_DATABASE_URL: undefined,
        INZAGE_CONFIG_DIR: 'examples/balkonzon',
      };
      const run = await inzageProcess(['secret', 'rotate', '--new-secret-file', file], env);
      assert.equal(run.code, 0, run.err);
      assert.equal(readFileSync(join(dir, 'secret.key'), 'utf8').trim(), NEW_SECRET);
      const after = openStore({ dialect: 'sqlite', file: join(dir, 'inzage.db') });
      try {
        await openKeyring(after.db as never, NEW_SECRET);
        assert.equal(subjectRef(NEW_SECRET, PERSON), ref);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
