import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Command, CommanderError } from 'commander';
import { freshDataDir, inzage } from '../../test/helpers/cli.ts';
import { createMysqlTestDatabase, skipMysql } from '../../test/helpers/mysql.ts';
import { InzageError } from '../lib/errors.ts';
import { registerDemoCommands } from './demo.command.ts';

function programIn(dataDir: string) {
  const lines: string[] = [];
  const errors: string[] = [];
  const program = new Command('inzage')
    .exitOverride()
    .configureOutput({ writeOut: (s) => lines.push(s), writeErr: (s) => errors.push(s) });
  registerDemoCommands(program, { dataDir: () => dataDir, out: (s) => lines.push(s) });
  return { program, lines, errors };
}

describe('inzage demo seed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-demo-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the demo shop into the data folder and prints the row counts', async () => {
    const { program, lines } = programIn(dir);
    await program.parseAsync(['demo', 'seed', '--customers', '50', '--seed', '7'], { from: 'user' });
    const db = new Database(join(dir, 'demo-shop.db'), { readonly: true });
    try {
      assert.equal((db.prepare('select count(*) as n from customers').get() as { n: number }).n, 50);
    } finally {
      db.close();
    }
    const output = lines.join('\n');
    assert.match(output, /Seeding 50 customers \(seed 7\)/);
    assert.match(output, /customers\s+50\n/);
    assert.match(output, /contact_moments\s+\d+/);
  });

  it('writes the demo shop into the MySQL/MariaDB database --url names', { skip: skipMysql }, async () => {
    const database = await createMysqlTestDatabase('inzage_demo_cli');
    try {
      const { program, lines } = programIn(dir);
      await program.parseAsync(['demo', 'seed', '--customers', '30', '--url', database.url], { from: 'user' });
      const rows = await database.query(`select count(*) as n from ${database.name}.customers`);
      assert.equal(Number((rows as Array<{ n: number }>)[0]!.n), 30);
      assert.match(lines.join('\n'), new RegExp(`Seeding 30 customers \\(seed 1\\) into mysql://.*/${database.name}`));
    } finally {
      await database.drop();
    }
  });

  it('refuses --schema where it would mean nothing (SQLite, MySQL/MariaDB), before writing anything', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'inzage-demo-schema-'));
    try {
      for (const url of [[], ['--url', 'mysql://root@127.0.0.1:1/shop']]) {
        const { program } = programIn(empty);
        await assert.rejects(
          program.parseAsync(['demo', 'seed', '--customers', '5', '--schema', 'winkel', ...url], { from: 'user' }),
          // An InzageError, which the CLI prints with its field and ends with exit 1.
          (err) =>
            err instanceof InzageError &&
            err.field === 'schema' &&
            /--schema is for a PostgreSQL shop/.test(err.message),
        );
      }
      assert.deepEqual(readdirSync(empty), [], 'no shop written');
      // Through the CLI: the message with its field, exit 1.
      const { remove } = freshDataDir();
      try {
        const run = await inzage('demo', 'seed', '--customers', '5', '--schema', 'winkel');
        assert.equal(run.code, 1);
        assert.match(run.err, /error: --schema is for a PostgreSQL shop .* \(schema\)/);
      } finally {
        remove();
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  for (const bad of ['0', '-3', 'many', '2.5']) {
    it(`refuses --customers ${bad} with a clear message`, async () => {
      const { program, errors } = programIn(dir);
      await assert.rejects(
        program.parseAsync(['demo', 'seed', '--customers', bad], { from: 'user' }),
        (err) => err instanceof CommanderError && err.exitCode !== 0,
      );
      assert.match(errors.join(''), /positive whole number/);
    });
  }
});
