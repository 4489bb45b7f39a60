import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { planSystem } from '../../datamap/plan.ts';
import { FakeClock } from '../../lib/clock.ts';
import { SqlConnector } from './sql.connector.ts';
import { openSqlDatabase, type SqlDatabase } from './sql-database.ts';

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
