import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'inzage-config-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const base = { INZAGE_DATA_DIR: dataDir, INZAGE_CONFIG_DIR: 'examples/balkonzon' };

describe('configuration', () => {
  it('has working defaults: port 8080, SQLite in the data folder, a generated secret', () => {
    const config = loadConfig(base);
    assert.equal(config.port, 8080);
    assert.deepEqual(config.database, { dialect: 'sqlite', file: join(dataDir, 'inzage.db') });
    assert.equal(config.baseUrl, 'http://localhost:8080');
    assert.ok(config.secret.length >= 32);
    assert.equal(config.secretGenerated, true);
    assert.equal(loadConfig(base).secret, config.secret, 'the generated secret is kept');
    assert.ok(Object.isFrozen(config));
  });

  it('lists every bad environment value at once', () => {
    assert.throws(
      () => loadConfig({ ...base, PORT: 'eighty', INZAGE_SECRET: 'short', INZAGE_SMTP_URL: 'http://mail' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const paths = err.problems.map((p) => p.path).sort();
        assert.deepEqual(paths, ['INZAGE_SECRET', 'INZAGE_SMTP_URL', 'PORT']);
        assert.match(err.message, /INZAGE_SECRET: must be at least 32 characters/);
        return true;
      },
    );
  });

  it('names the file, line and path of a mistake in policy.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-policy-'));
    try {
      writeFileSync(join(dir, 'policy.yaml'), 'version: 1\neffectiveDate: soon\n');
      assert.throws(
        () => loadConfig({ ...base, INZAGE_CONFIG_DIR: dir }),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, /policy\.yaml:2:\d+ effectiveDate: must be a date written as YYYY-MM-DD/);
          assert.match(err.message, /controller: is required/);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the config folder has no policy.yaml', () => {
    assert.throws(
      () => loadConfig({ ...base, INZAGE_CONFIG_DIR: join(dataDir, 'nowhere') }),
      /policy\.yaml: file not found/,
    );
  });

  it('reads PostgreSQL and SQLite database URLs', () => {
    assert.deepEqual(parseDatabaseUrl('postgres://u@h/db'), { dialect: 'postgres', url: 'postgres://u@h/db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:data/x.db', '/srv'), {
      dialect: 'sqlite',
      file: resolve('/srv/data/x.db'),
    });
    assert.deepEqual(parseDatabaseUrl('/abs/hub.db'), { dialect: 'sqlite', file: '/abs/hub.db' });
    assert.equal(parseDatabaseUrl('mysql://h/db'), undefined);
  });
});
