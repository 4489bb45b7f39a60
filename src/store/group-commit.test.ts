import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('writes rows that arrive together in one transaction, and answers each after it', async () => {
    const transactions: number[][] = [];
    let committed = false;
    const group = new GroupCommit<number>(async (rows) => {
      await new Promise((r) => setTimeout(r, 5));
      transactions.push(rows);
      committed = true;
    });
    const answered = await Promise.all(
      [1, 2, 3].map((n) =>
        group.add(n).then(() => {
          assert.ok(committed, 'not answered before its commit');
          return n;
        }),
      ),
    );
    assert.deepEqual(answered, [1, 2, 3]);
    assert.deepEqual(transactions, [[1, 2, 3]]);
  });

  it('gathers what comes while a transaction is written into the next one, at most maxRows each', async () => {
    const transactions: number[][] = [];
    const group = new GroupCommit<number>(async (rows) => {
      transactions.push(rows);
      await new Promise((r) => setTimeout(r, 10));
    }, 2);
    const first = group.add(1);
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4].map((n) => group.add(n));
    await Promise.all([first, ...rest]);
    assert.deepEqual(transactions, [[1], [2, 3], [4]]);
  });

  it('fails only the row that cannot be written, not the others of its batch', async () => {
    const group = new GroupCommit<number>(async (rows) => {
      if (rows.includes(2)) throw new Error('row 2 is refused');
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => group.add(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /row 2 is refused/);
  });
});
