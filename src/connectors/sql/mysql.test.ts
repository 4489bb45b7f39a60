import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SqlSystem } from '../../datamap/datamap.schema.ts';
import { planSystem } from '../../datamap/plan.ts';
import { FakeClock } from '../../lib/clock.ts';
import { SqlConnector } from './sql.connector.ts';
import { openSqlDatabase, type SqlDatabase } from './sql-database.ts';
import { likeAsRegexp } from './sql-dialect.ts';

describe('LIKE patterns as regular expressions (MySQL containment)', () => {
  it('keeps letters, digits and characters beyond ASCII, and lets every other character be any one', () => {
    assert.equal(likeAsRegexp('%a!_b!%c@example.nl%'), 'a.b.c.example.nl');
    assert.equal(likeAsRegexp('%zoë@example.nl%'), 'zoë.example.nl');
    assert.equal(likeAsRegexp('%x!!%'), 'x.', 'an escaped ! is a character, the % after it a wildcard');
  });

  it('anchors a pattern that does not start or end with %, and reads % inside as any text', () => {
    assert.equal(likeAsRegexp('abc'), '^abc$');
    assert.equal(likeAsRegexp('a%b'), '^a.*b$');
    assert.equal(likeAsRegexp('%ab'), 'ab$');
  });
});

const URL = process.env.INZAGE_TEST_MYSQL_URL;
const SKIP = URL ? false : 'INZAGE_TEST_MYSQL_URL is not set: MySQL/MariaDB tests are skipped';

describe('a MySQL/MariaDB system', { skip: SKIP }, () => {
  let db: SqlDatabase;
  const t = `t_${randomBytes(4).toString('hex')}`;
  const connector = () =>
    new SqlConnector({
      plan: planSystem('crm', {
        type: 'sql',
        url: URL!,
        collections: {
          [`${t}_people`]: {
            primaryKey: 'id',
            identity: ['email'],
            references: {},
            activity: [],
            fields: {
              email: { category: 'contact', erase: 'hash', placeholder: undefined, role: 'email' },
              name: { category: 'contact', erase: 'mask', placeholder: undefined, role: 'full_name' },
            },
          },
          [`${t}_notes`]: {
            primaryKey: 'id',
            identity: [],
            references: { person_id: `${t}_people.id` },
            activity: [],
            fields: { body: { category: 'correspondence', erase: 'delete', placeholder: undefined, role: undefined } },
          },
        },
      }),
      database: db,
      sealer: { subjectRef: () => 'ref', sealMany: async (groups) => groups.length },
      hashValue: (v) => `h(${v})`,
      placeholder: '[verwijderd]',
      holds: new Map(),
    });

  before(async () => {
    db = openSqlDatabase(URL!);
    await db.run(
      `create table ${t}_people (id int primary key, email varchar(200) not null, name varchar(200) not null)`,
      [],
    );
    await db.run(`create table ${t}_notes (id int primary key, person_id int not null, body text)`, []);
    await db.run(
      `insert into ${t}_people values (1, ' Jan@Example.NL', 'Jan Jansen'), (2, 'piet@example.nl', 'Piet')`,
      [],
    );
    await db.run(`insert into ${t}_notes values (1, 1, 'belde over levering'), (2, 2, 'andere klant')`, []);
  });
  after(async () => {
    await db.run(`drop table if exists ${t}_notes`, []);
    await db.run(`drop table if exists ${t}_people`, []);
    await db.close();
  });

  it('finds people by part of an address or a name, with % and _ as plain characters', async () => {
    const byName = await connector().searchSubjects('jan JANSEN', 10);
    assert.deepEqual(byName, [
      { email: 'jan@example.nl', name: 'Jan Jansen', system: 'crm', collection: `${t}_people` },
    ]);
    assert.deepEqual(
      (await connector().searchSubjects('piet@', 10)).map((m) => m.email),
      ['piet@example.nl'],
    );
    assert.deepEqual(await connector().searchSubjects('%', 10), [], 'a wildcard is a character, not everyone');
  });

  it('finds an address typed with any number of spaces before it, and never a look-alike', async () => {
    const spaced = connector();
    // Rows 3-6: one, three and six spaces before the address, and a look-alike with spaces.
    await db.run(
      `insert into ${t}_people values (3, ' jan@example.nl', 'a'), (4, '   JAN@example.nl', 'b'), (5, '      jan@example.nl  ', 'c'), (6, '  jan@example.nlx', 'd'), (7, 'jan@example.nl.x', 'e')`,
      [],
    );
    try {
      const found = await spaced.find({ email: 'jan@example.nl' });
      const keys = found.findings.find((f) => f.collection === `${t}_people`)!.records.map((r) => r.key);
      assert.deepEqual(keys.sort(), ['1', '3', '4', '5']);
    } finally {
      await db.run(`delete from ${t}_people where id >= 3`, []);
    }
  });

  it('finds an address inside a serialized value in any case, beyond ASCII too, and never a look-alike', async () => {
    const sessions = `${t}_sessions`;
    await db.run(
      `create table ${sessions} (id int primary key, v longtext not null) character set utf8mb4 collate utf8mb4_unicode_ci`,
      [],
    );
    const value = (email: string) =>
      `a:1:{s:8:"customer";s:${Buffer.byteLength(email) + 20}:"a:1:{s:5:"email";s:${Buffer.byteLength(email)}:"${email}";}";}`;
    try {
      await db.run(`insert into ${sessions} values (?, ?), (?, ?), (?, ?), (?, ?)`, [
        1,
        value('ZOË@Example.NL'),
        2,
        value('zoe@example.nl'),
        3,
        value('A_B%C@example.nl'),
        4,
        value('axbyyc@example.nl'),
      ]);
      const system: SqlSystem = {
        type: 'sql',
        url: URL!,
        collections: {
          [sessions]: {
            primaryKey: 'id',
            identity: ['v'],
            references: {},
            activity: [],
            fields: { v: { category: 'technical', erase: 'delete', format: 'serialized' } },
          },
        },
      };
      const c = new SqlConnector({
        plan: planSystem('crm', system),
        database: db,
        sealer: { subjectRef: () => 'ref', sealMany: async (groups) => groups.length },
        hashValue: (v) => v,
        placeholder: '[verwijderd]',
        holds: new Map(),
      });
      const keys = async (email: string) => (await c.find({ email })).findings[0]!.records.map((r) => r.key);
      assert.deepEqual(await keys('zoë@example.nl'), ['1']);
      assert.deepEqual(await keys('zoe@example.nl'), ['2']);
      assert.deepEqual(await keys('a_b%c@example.nl'), ['3']);
      assert.deepEqual(await keys('axbyyc@example.nl'), ['4']);
      const erased = await c.erase({ email: 'a_b%c@example.nl' }, { now: new FakeClock().now() });
      assert.equal(erased.status, 'erased', erased.error);
      assert.deepEqual(
        (await db.run(`select id from ${sessions} order by id`, [])).map((r) => r.id),
        [1, 2, 4],
      );
    } finally {
      await db.run(`drop table if exists ${sessions}`, []);
    }
  });

  it('reports an erasure that leaves the person findable as failed, each row counted once', async () => {
    const [people, meta, sessions] = [`${t}_kp`, `${t}_kpm`, `${t}_ks`];
    await db.run(`create table ${people} (id int primary key, email varchar(200) not null)`, []);
    await db.run(`create table ${meta} (id int primary key, owner int, meta_key varchar(50), meta_value text)`, []);
    await db.run(`create table ${sessions} (id int primary key, v longtext not null)`, []);
    await db.run(`insert into ${people} values (1, 'jan@example.nl')`, []);
    await db.run(`insert into ${meta} values (1, 1, 'billing_email', 'jan@example.nl')`, []);
    await db.run(`insert into ${sessions} values (1, 's:14:"jan@example.nl";')`, []);
    const keep = { category: 'contact', erase: 'keep' } as const;
    try {
      // A map whose identities all say `keep`: the erasure changes nothing, and must say so.
      const system: SqlSystem = {
        type: 'sql',
        url: URL!,
        collections: {
          [people]: {
            primaryKey: 'id',
            identity: ['email'],
            references: {},
            activity: [],
            fields: { email: keep },
            meta: {
              table: meta,
              owner: 'owner',
              key: 'meta_key',
              value: 'meta_value',
              identity: ['billing_email'],
              references: {},
              activity: [],
              fields: { billing_email: keep },
            },
          },
          [sessions]: {
            primaryKey: 'id',
            identity: ['v'],
            references: {},
            activity: [],
            fields: { v: { ...keep, format: 'serialized' } },
          },
        },
      };
      const c = new SqlConnector({
        plan: planSystem('crm', system),
        database: db,
        sealer: { subjectRef: () => 'ref', sealMany: async (groups) => groups.length },
        hashValue: (v) => v,
        placeholder: '[verwijderd]',
        holds: new Map(),
      });
      const report = await c.erase({ email: 'jan@example.nl' }, { now: new FakeClock().now() });
      assert.equal(report.status, 'failed');
      // The account (found by its address and by its meta row: one row) and the session.
      assert.match(report.error ?? '', /^2 records still match/);
    } finally {
      for (const table of [people, meta, sessions]) await db.run(`drop table if exists ${table}`, []);
    }
  });

  it('finds, erases and hashes through the same engine as the other dialects', async () => {
    const found = await connector().find({ email: 'jan@example.nl' });
    assert.deepEqual(
      found.findings.map((f) => f.records.length),
      [1, 1],
    );
    const report = await connector().erase({ email: 'jan@example.nl' }, { now: new FakeClock().now() });
    assert.equal(report.status, 'erased', report.error);
    const people = await db.run(`select email, name from ${t}_people order by id`, []);
    assert.deepEqual(people[0], { email: 'hmac:h(jan@example.nl)', name: '[verwijderd]' });
    assert.equal((await db.run(`select id from ${t}_notes`, [])).length, 1);
  });
});
