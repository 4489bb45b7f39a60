import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../src/config/config.ts';
import { applyEnvFile } from '../src/config/env-file.ts';
import { readPlaces, redactUrl } from '../src/config/places.ts';
import { freshDataDir, inzage } from './helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'inzage-cli-config-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('one configuration for server and CLI', () => {
  it('reads --env-file, and .env in the working folder without it; the environment wins over both', () => {
    writeFileSync(join(scratch, '.env'), 'INZAGE_DATA_DIR=/from/dotenv\nPORT=9999\n');
    writeFileSync(
      join(scratch, 'prod.env'),
      'INZAGE_DATA_DIR=/from/prod\n# a comment\nINZAGE_CONFIG_DIR="/etc/inzage"\n',
    );
    const env: NodeJS.ProcessEnv = { PORT: '8081' };
    const dot = applyEnvFile(['requests', 'list'], env, scratch);
    assert.deepEqual(dot, { argv: ['requests', 'list'], file: join(scratch, '.env') });
    assert.equal(env.INZAGE_DATA_DIR, '/from/dotenv');
    assert.equal(env.PORT, '8081', 'a variable already set is not overridden');

    const env2: NodeJS.ProcessEnv = {};
    const given = applyEnvFile(['--env-file', 'prod.env', 'audit', 'verify'], env2, scratch);
    assert.deepEqual(given, { argv: ['audit', 'verify'], file: join(scratch, 'prod.env') });
    assert.equal(env2.INZAGE_DATA_DIR, '/from/prod');
    assert.equal(env2.INZAGE_CONFIG_DIR, '/etc/inzage');
    assert.throws(() => applyEnvFile(['--env-file=missing.env'], {}, scratch), /missing\.env: no such file/);
    assert.deepEqual(applyEnvFile(['serve'], {}, tmpdir()).file, undefined);
  });

  it('names the data folder, hub database and config folder in one line on stderr, never a password', async () => {
    const { dataDir, remove } = freshDataDir();
    try {
      const run = await inzage('policy', 'lint');
      const first = run.err.split('\n')[0]!;
      assert.match(first, /^inzage: data folder .+ · hub SQLite .+inzage\.db · config .+examples\/balkonzon/);
      assert.ok(first.includes(dataDir), first);
      const places = readPlaces(
        { INZAGE_DATABASE_URL: 'postgres://inzage:s3cret@db:5432/hub?sslmode=require' },
        '/',
        '',
      );
      assert.equal(places.hub, 'PostgreSQL postgres://inzage@db:5432/hub');
      assert.equal(redactUrl('postgres://db/hub'), 'postgres://db/hub');
    } finally {
      remove();
    }
  });

  it('never makes a new secret for a data folder whose hub was sealed with another', () => {
    const dataDir = mkdtempSync(join(scratch, 'hub-without-secret-'));
    writeFileSync(join(dataDir, 'inzage.db'), 'a hub');
    assert.throws(
      () => loadConfig({ INZAGE_DATA_DIR: dataDir, INZAGE_CONFIG_DIR: 'examples/balkonzon' }),
      /INZAGE_SECRET: not set, and the data folder has a hub .+ but no secret\.key/,
    );
    assert.equal(existsSync(join(dataDir, 'secret.key')), false);
  });

  it('refuses a command run where no data folder exists, and creates nothing', async () => {
    const { remove } = freshDataDir();
    const missing = join(scratch, 'not-here');
    process.env.INZAGE_DATA_DIR = missing;
    try {
      const run = await inzage('requests', 'list');
      assert.equal(run.code, 1);
      assert.match(run.err, /no data folder at .+not-here: nothing was created/);
      assert.equal(existsSync(missing), false);
    } finally {
      remove();
    }
  });
});
