import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { AuditTrail } from '../src/audit/audit-trail.ts';
import { SANNE } from '../src/demo/demo-shop.ts';
import { systemClock } from '../src/lib/clock.ts';
import { SealedArchive } from '../src/retention/sealed-archive.ts';
import { openStore } from '../src/store/database.ts';
import { cliDataDir, inzage } from './helpers/cli.ts';

describe('inzage backup and restore', () => {
  let dataDir = '';
  let remove = () => {};
  const elsewhere = mkdtempSync(join(tmpdir(), 'inzage-restore-'));
  const backupFile = join(elsewhere, 'backup.zip');
  const restoredDir = join(elsewhere, 'data');
  let secret = '';
  before(async () => {
    ({ dataDir, remove } = await cliDataDir(60));
  });
  after(() => {
    remove();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('backs up an erased person’s sealed invoices and the audit trail while entries are being written', async () => {
    const erased = await inzage('subject', 'erase', '--email', SANNE.email);
    assert.equal(erased.code, 0, erased.err);
    secret = readFileSync(join(dataDir, 'secret.key'), 'utf8').trim();

    // Another connection keeps appending to the trail (as a running server would) while the backup runs.
    const writer = openStore({ dialect: 'sqlite', file: join(dataDir, 'inzage.db') });
    const trail = new AuditTrail({ db: writer.db, clock: systemClock, dialect: writer.dialect });
    let writing = true;
    let written = 0;
    const appending = (async () => {
      while (writing) {
        await trail.record({ actor: 'system', action: 'test.write', details: { n: written } });
        written++;
        // SQLite answers synchronously: without a turn of the event loop this loop would never let go.
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      const backup = await inzage('backup', '--out', backupFile);
      assert.equal(backup.code, 0, backup.err);
      assert.match(
        backup.out,
        /wrote .+backup\.zip: hub at \d{4}-.+, \d+ config files; audit_log \d+, sealed_records \d+/,
      );
      assert.match(backup.out, /the secret is not in it/);
    } finally {
      writing = false;
      await appending;
      await writer.close();
    }
    assert.ok(written > 0, 'entries were written during the backup');
    const files = unzipSync(readFileSync(backupFile));
    assert.equal(files['secret.key'], undefined, 'no secret without --include-secret');
    assert.ok(files['config/policy.yaml']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    assert.equal(manifest.format, 'inzage-backup/1');
    assert.ok(manifest.counts.sealed_records >= 1);
    assert.ok(manifest.counts.audit_log >= 1);
    assert.equal(manifest.includesSecret, false);
    assert.equal(statSync(backupFile).mode & 0o777, 0o600);
  });

  it('restores elsewhere with the same secret: counts match, the chain verifies, sealed records open', async () => {
    process.env.INZAGE_DATA_DIR = restoredDir;
    process.env.INZAGE_SECRET = secret;
    try {
      const run = await inzage('restore', backupFile);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /counts match the manifest/);
      assert.match(run.out, /audit chain verified: \d+ entries intact/);
      assert.match(run.out, /the secret opens the sealed archive \(1 keys\)/);
      assert.ok(existsSync(join(restoredDir, 'config', 'policy.yaml')));

      const store = openStore({ dialect: 'sqlite', file: join(restoredDir, 'inzage.db') });
      try {
        const archive = new SealedArchive(store.db, secret, systemClock);
        const sealed = await archive.open(archive.subjectRef(SANNE.email));
        assert.ok(
          sealed.some((r) => r.collection === 'invoices'),
          'her invoices open for the officer',
        );
        const verified = await new AuditTrail({ db: store.db, clock: systemClock, dialect: 'sqlite' }).verify();
        assert.equal(verified.ok, true);
      } finally {
        await store.close();
      }

      // Over a hub that is there, only with --force.
      const again = await inzage('restore', backupFile);
      assert.equal(again.code, 1);
      assert.match(again.err, /already exists?: restore into an empty data folder, or pass --force/);
      assert.equal((await inzage('restore', backupFile, '--force')).code, 0);
    } finally {
      delete process.env.INZAGE_SECRET;
    }
  });

  it('refuses, before anything moves: the wrong secret, a newer Inzage, a file that is not a backup, a changed byte, a name twice', async () => {
    process.env.INZAGE_DATA_DIR = join(elsewhere, 'wrong');
    process.env.INZAGE_SECRET = 'x'.repeat(64);
    try {
      const wrong = await inzage('restore', backupFile);
      assert.equal(wrong.code, 1);
      assert.match(wrong.err, /the secret does not open the sealed archive.+nothing was restored/);
      // Checked before anything moved: no hub, no config folder, nothing left beside them.
      assert.deepEqual(existsSync(join(elsewhere, 'wrong')) ? readdirSync(join(elsewhere, 'wrong')) : [], []);

      const files = unzipSync(readFileSync(backupFile));
      const manifest = JSON.parse(strFromU8(files['manifest.json']!));
      manifest.migrations.push('0999-from-the-future');
      const { zipSync, strToU8 } = await import('fflate');
      const newer = join(elsewhere, 'newer.zip');
      writeFileSync(newer, zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) }));
      process.env.INZAGE_DATA_DIR = join(elsewhere, 'newer');
      const refused = await inzage('restore', newer);
      assert.match(refused.err, /made by a newer Inzage .+0999-from-the-future unknown here/);
      assert.equal(existsSync(join(elsewhere, 'newer', 'inzage.db')), false);

      writeFileSync(join(elsewhere, 'junk.zip'), 'not a zip');
      assert.match((await inzage('restore', join(elsewhere, 'junk.zip'))).err, /not an Inzage backup/);

      // One byte of the hub changed inside the zip (stored, so that it still unpacks): its checksum tells.
      const { 'hub.db': hubBytes, ...rest } = files;
      const stored = zipSync({ 'hub.db': [hubBytes!, { level: 0 }], ...rest });
      const view = Buffer.from(stored);
      assert.equal(view.readUInt32LE(0), 0x04034b50, 'hub.db is the first entry');
      const dataStart = 30 + view.readUInt16LE(26) + view.readUInt16LE(28);
      view[dataStart + 1000]! ^= 0xff;
      const flipped = join(elsewhere, 'flipped.zip');
      writeFileSync(flipped, view);
      process.env.INZAGE_DATA_DIR = join(elsewhere, 'flipped');
      const corrupt = await inzage('restore', flipped);
      assert.equal(corrupt.code, 1);
      assert.match(corrupt.err, /not an Inzage backup \(hub\.db does not match its checksum\)/);
      assert.equal(existsSync(join(elsewhere, 'flipped', 'inzage.db')), false);

      // Two entries of one name: which one would count?
      const twice = join(elsewhere, 'twice.zip');
      const { default: yazl } = await import('yazl');
      const zip = new yazl.ZipFile();
      for (const [name, bytes] of Object.entries(files)) zip.addBuffer(Buffer.from(bytes), name);
      zip.addBuffer(Buffer.from('another hub'), 'hub.db');
      zip.end();
      await pipeline(zip.outputStream, createWriteStream(twice));
      process.env.INZAGE_DATA_DIR = join(elsewhere, 'twice');
      assert.match((await inzage('restore', twice)).err, /not an Inzage backup \(two entries named hub\.db\)/);
    } finally {
      delete process.env.INZAGE_SECRET;
    }
  });
});

describe('a backup of a large hub', () => {
  // The backup and the restore each run in a process of their own, which reports its peak memory: a hub of
  // 96 MiB costs no more memory than a hub of a few kilobytes. Its rows are mostly zeros, each with 16 random
  // bytes of its own: quick to deflate, and a restore that mixed them up would show.
  const dir = mkdtempSync(join(tmpdir(), 'inzage-backup-large-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const peak = (hub: string, name: string) => {
    const script = `
      import { createBackup, restoreBackup } from ${JSON.stringify(new URL('../src/backup/backup.ts', import.meta.url).pathname)};
      const [hub, out, target] = process.argv.slice(-3);
      const database = { dialect: 'sqlite', file: hub };
      await createBackup({ out, database, configDir: ${JSON.stringify(join(dir, 'no-config'))}, inzageVersion: 'test', now: new Date() });
      const backedUp = process.resourceUsage().maxRSS;
      await restoreBackup(out, { dataDir: target, database: { dialect: 'sqlite', file: target + '/inzage.db' }, configDir: target + '/config', force: false });
      console.log(JSON.stringify({ backedUp, restored: process.resourceUsage().maxRSS }));`;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, hub, join(dir, `${name}.zip`), join(dir, name)],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as { backedUp: number; restored: number };
  };

  it('is written and restored a mebibyte at a time, not held in memory', () => {
    const make = (name: string, mib: number) => {
      const file = join(dir, `${name}.db`);
      const db = new SqliteDatabase(file);
      db.exec('create table pad (b blob)');
      const insert = db.prepare('insert into pad values (?)');
      db.transaction(() => {
        for (let i = 0; i < mib; i++) insert.run(Buffer.concat([randomBytes(16), Buffer.alloc(1048560)]));
      })();
      db.close();
      return file;
    };
    const small = peak(make('small', 0), 'small');
    const largeHub = make('large', 96);
    const large = peak(largeHub, 'large');
    const blobs = (file: string) => {
      const db = new SqliteDatabase(file, { readonly: true });
      try {
        return db.prepare('select b from pad order by rowid').all() as Array<{ b: Buffer }>;
      } finally {
        db.close();
      }
    };
    const restored = blobs(join(dir, 'large', 'inzage.db'));
    assert.equal(restored.length, 96);
    assert.ok(
      blobs(largeHub).every((row, i) => row.b.equals(restored[i]!.b)),
      'every page of the hub is restored',
    );
    // maxRSS is in KiB. Streamed, the growth measures 27–41 MiB here; held in memory, the hub and its zip
    // would add some 190 MiB. The bound sits between, clear of when the garbage collector happens to run.
    const grown = (a: number, b: number) => (b - a) / 1024;
    assert.ok(
      grown(small.backedUp, large.backedUp) < 100,
      `backup grew by ${grown(small.backedUp, large.backedUp)} MiB`,
    );
    assert.ok(
      grown(small.restored, large.restored) < 100,
      `restore grew by ${grown(small.restored, large.restored)} MiB`,
    );
  });
});
