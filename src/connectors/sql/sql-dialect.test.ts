import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlText } from './sql-text.ts';

/**
 * How a batch's addresses are compared on PostgreSQL. As rows (`in (select unnest(…))`) the planner probes
 * the address index once per address, where `= any(…)` of 2,000 made it read the whole table; but under an
 * `or` it cannot make rows a join and reads every row, so there `= any(…)` stays, which it combines with the
 * other indexes. One address is `= $n` either way; SQLite and MySQL are not affected.
 */
describe('a batch of addresses compared on PostgreSQL', () => {
  const emails = ['a@example.nl', 'b@example.nl'];

  it('as rows when the comparison stands alone, with one array parameter', () => {
    const q = new SqlText('postgres');
    assert.equal(q.emailIn('"orders"."email"', emails), 'lower(trim("orders"."email")) in (select unnest($1::text[]))');
    assert.deepEqual(q.params, [emails]);
    assert.equal(
      q.addressKeyIn('lower(trim(t."email"))', emails),
      'lower(trim(t."email")) in (select unnest($2::text[]))',
    );
  });

  it('as = any(…) under an or, and = $n for one address', () => {
    const q = new SqlText('postgres');
    assert.equal(q.emailIn('m."meta_value"', emails, false, true), 'lower(trim(m."meta_value")) = any($1)');
    assert.equal(q.emailIn('m."meta_value"', ['a@example.nl'], false, true), 'lower(trim(m."meta_value")) = $2');
    assert.equal(q.emailIn('"customers"."email"', ['a@example.nl']), 'lower(trim("customers"."email")) = $3');
  });

  it('leaves SQLite as it was', () => {
    const q = new SqlText('sqlite');
    const alone = q.emailIn('"orders"."email"', emails);
    assert.equal(alone, q.emailIn('"orders"."email"', emails, false, true));
    assert.match(alone, /json_each/);
  });
});
