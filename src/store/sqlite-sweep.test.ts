import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sqliteSweep } from './sqlite-sweep.ts';

describe('a sweep on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-sweep-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const open = (name: string) => {
    const raw = new SqliteDatabase(join(dir, name));
    raw.pragma('journal_mode = WAL');
    raw.exec('create table t (id integer primary key, v text)');
    return raw;
  };
  const autocheckpoint = (raw: SqliteDatabase.Database) => raw.pragma('wal_autocheckpoint', { simple: true });

  it('copies the log back rarely and syncs every commit during the sweep, and leaves the log empty and the settings as they were after', async () => {
    const raw = open('a.db');
    raw.pragma('synchronous = NORMAL');
    const insert = raw.prepare('insert into t (v) values (?)');
    let during: unknown;
    let syncedDuring: unknown;
    await sqliteSweep(raw, async () => {
      during = autocheckpoint(raw);
      syncedDuring = raw.pragma('synchronous', { simple: true });
      for (let batch = 0; batch < 20; batch++) raw.transaction(() => insert.run('x'.repeat(2000)))();
    });
    assert.equal(during, 65_536);
    assert.equal(syncedDuring, 2, 'FULL: a sealed copy is on disk before the original is erased');
    assert.equal(autocheckpoint(raw), 1000);
    assert.equal(raw.pragma('synchronous', { simple: true }), 1);
    assert.equal(statSync(join(dir, 'a.db-wal')).size, 0);
    assert.equal((raw.prepare('select count(*) n from t').get() as { n: number }).n, 20);
    raw.close();
  });

  it('restores the setting and passes the error on when a batch fails', async () => {
    const raw = open('b.db');
    await assert.rejects(
      sqliteSweep(raw, async () => {
        throw new Error('batch failed');
      }),
      /batch failed/,
    );
    assert.equal(autocheckpoint(raw), 1000);
    raw.close();
  });
});
