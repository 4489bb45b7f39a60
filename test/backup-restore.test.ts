import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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

  it('refuses the wrong secret, a backup from a newer Inzage, and a file that is not a backup', async () => {
    process.env.INZAGE_DATA_DIR = join(elsewhere, 'wrong');
    process.env.INZAGE_SECRET = 'x'.repeat(64);
    try {
      const wrong = await inzage('restore', backupFile);
      assert.equal(wrong.code, 1);
      assert.match(wrong.err, /the secret does not open the sealed archive/);

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
    } finally {
      delete process.env.INZAGE_SECRET;
    }
  });
});
