import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { loadDataMap } from '../datamap/datamap.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import { loadConfig } from './config.ts';
import { dataFolderYamlCache, yamlCacheIn } from './yaml-cache.ts';
import { loadYamlFile } from './yaml-file.ts';

const root = mkdtempSync(join(tmpdir(), 'inzage-yaml-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const dir = join(root, String(++n));
  mkdirSync(dir);
  return dir;
};

const SECRET = 'yaml-cache-test-secret-0123456789abcdef';
const cacheIn = (dir: string) => yamlCacheIn(join(dir, 'cache'), SECRET);

/** Replaces the one entry of `dir`'s cache with `data`, signed as Inzage signs it (or with `mac`). */
function replaceEntry(dir: string, data: unknown, mac?: string): void {
  const [entry, ...more] = readdirSync(join(dir, 'cache')).filter((f) => f.endsWith('.json'));
  assert.ok(entry && more.length === 0);
  const json = JSON.stringify(data);
  const signed = mac ?? hmacHex(deriveKey(SECRET, 'config/yaml-cache'), `${entry}\0${json}`);
  writeFileSync(join(dir, 'cache', entry), `${signed}\n${json}`);
}

const Shape = z.object({ name: z.string(), count: z.number() }).strict();

describe('the cache of parsed YAML', () => {
  it('keeps what a file parsed to, and serves it again as long as the text is the same', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    writeFileSync(file, 'name: balkon\ncount: 3\n');
    const cache = cacheIn(dir);
    const first = loadYamlFile(file, Shape, cache);
    assert.ok(first.ok);
    const [entry, ...more] = readdirSync(join(dir, 'cache'));
    assert.equal(more.length, 0);
    assert.match(entry!, /^shape\.yaml-[0-9a-f]{64}\.json$/);
    assert.equal(statSync(join(dir, 'cache', entry!)).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'cache')).mode & 0o777, 0o700);
    // What is served is the entry's, not a new parse: sign another value into it and the load gives that.
    replaceEntry(dir, { name: 'from the cache', count: 3 });
    const second = loadYamlFile(file, Shape, cache);
    assert.ok(second.ok);
    assert.equal(second.value.name, 'from the cache');
  });

  it('does not serve an entry written without the secret (a data folder others can write to)', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    writeFileSync(file, 'name: balkon\ncount: 3\n');
    loadYamlFile(file, Shape, cacheIn(dir));
    replaceEntry(dir, { name: 'planted', count: 3 }, 'ab'.repeat(32));
    const planted = loadYamlFile(file, Shape, cacheIn(dir));
    assert.ok(planted.ok);
    assert.equal(planted.value.name, 'balkon');
    // Signed under another secret: not served either.
    replaceEntry(dir, { name: 'planted', count: 3 });
    const other = loadYamlFile(file, Shape, yamlCacheIn(join(dir, 'cache'), 'another-secret-0123456789abcdef0123'));
    assert.ok(other.ok);
    assert.equal(other.value.name, 'balkon');
  });

  it('parses an edited file again, and keeps only the newest entry of a file', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    const cache = cacheIn(dir);
    writeFileSync(file, 'name: balkon\ncount: 3\n');
    loadYamlFile(file, Shape, cache);
    writeFileSync(file, 'name: zon\ncount: 4\n');
    const edited = loadYamlFile(file, Shape, cache);
    assert.ok(edited.ok);
    assert.deepEqual(edited.value, { name: 'zon', count: 4 });
    assert.equal(readdirSync(join(dir, 'cache')).length, 1);
  });

  it('still names the line of a mistake when the text was served from the cache', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    writeFileSync(file, 'name: balkon\n\ncount: 3\n');
    const cache = cacheIn(dir);
    assert.ok(loadYamlFile(file, Shape, cache).ok);
    // The entry says what the text does not (a name that is a number): the problem can only come from the entry,
    // and its line from parsing the text after all.
    replaceEntry(dir, { name: 5, count: 3 });
    const served = loadYamlFile(file, Shape, cache);
    assert.ok(!served.ok);
    assert.equal(served.problems.length, 1);
    assert.equal(served.problems[0]!.path, 'name');
    assert.equal(served.problems[0]!.line, 1);
    writeFileSync(file, 'name: balkon\n\ncount: three\n');
    const wrong = loadYamlFile(file, Shape, cache);
    assert.ok(!wrong.ok);
    assert.equal(wrong.problems[0]!.line, 3);
  });

  it('keeps nothing of a file with a syntax error, or with values JSON would not give back as they are', () => {
    const dir = folder();
    const cache = cacheIn(dir);
    writeFileSync(join(dir, 'broken.yaml'), 'name: [balkon\n');
    assert.ok(!loadYamlFile(join(dir, 'broken.yaml'), Shape, cache).ok);
    const Loose = z.object({ name: z.string(), count: z.unknown() });
    const cases: Array<[string, (v: unknown) => boolean]> = [
      ['.inf', (v) => v === Number.POSITIVE_INFINITY],
      ['-0', (v) => Object.is(v, -0)],
      ['!!timestamp 2026-11-01', (v) => v instanceof Date],
      ['!!set { a, b }', (v) => v instanceof Set],
      ['!!binary aGFsbG8=', (v) => Buffer.isBuffer(v) || v instanceof Uint8Array],
    ];
    for (const [value, same] of cases) {
      const file = join(dir, 'value.yaml');
      writeFileSync(file, `name: balkon\ncount: ${value}\n`);
      for (const load of ['first', 'second']) {
        const loaded = loadYamlFile(file, Loose, cache);
        assert.ok(loaded.ok, `${value}, ${load} load`);
        assert.ok(same(loaded.value.count), `${value}, ${load} load: ${String(loaded.value.count)}`);
      }
    }
    // An alias inside itself: a cycle, which JSON cannot write at all. Problems are listed, nothing is thrown.
    writeFileSync(join(dir, 'cycle.yaml'), 'name: &n [ *n ]\ncount: 3\n');
    const cycle = loadYamlFile(join(dir, 'cycle.yaml'), Shape, cache);
    assert.ok(!cycle.ok);
    assert.equal(cycle.problems[0]!.path, 'name');
    assert.equal(existsSync(join(dir, 'cache')), false);
  });

  it('parses as without a cache when its entry is damaged or its folder cannot be made', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    writeFileSync(file, 'name: balkon\ncount: 3\n');
    const cache = cacheIn(dir);
    loadYamlFile(file, Shape, cache);
    const [entry] = readdirSync(join(dir, 'cache'));
    writeFileSync(join(dir, 'cache', entry!), '{"name": "bal');
    const damaged = loadYamlFile(file, Shape, cache);
    assert.ok(damaged.ok);
    assert.deepEqual(damaged.value, { name: 'balkon', count: 3 });
    const rewritten = readFileSync(join(dir, 'cache', entry!), 'utf8');
    assert.deepEqual(JSON.parse(rewritten.slice(rewritten.indexOf('\n') + 1)), { name: 'balkon', count: 3 });

    const nowhere = loadYamlFile(file, Shape, yamlCacheIn(join(dir, 'not', 'there', 'cache'), SECRET));
    assert.ok(nowhere.ok);
    assert.equal(existsSync(join(dir, 'not')), false, 'no folders are made on the way');
    // A data folder that is a file: parsed, nothing thrown.
    writeFileSync(join(dir, 'a-file'), '');
    const notAFolder = loadYamlFile(file, Shape, yamlCacheIn(join(dir, 'a-file', 'cache'), SECRET));
    assert.ok(notAFolder.ok);
  });

  it('caches the data map before its variables are filled in, so no secret of the environment is written', () => {
    // A data map's reference to a variable, as the file writes it.
    const variable = ['$', '{SHOP_URL}'].join('');
    const dir = folder();
    const file = join(dir, 'datamap.yaml');
    writeFileSync(
      file,
      readFileSync(new URL('../../examples/balkonzon/datamap.yaml', import.meta.url), 'utf8').replace(
        /url: .*/,
        `url: ${variable}`,
      ),
    );
    const cache = cacheIn(dir);
    const vars = { SHOP_URL: 'postgres://shop:s3cr3t-Pa55@db/shop' };
    const first = loadDataMap(file, vars, cache);
    const second = loadDataMap(file, vars, cache);
    assert.ok(first.ok && second.ok);
    assert.equal((second.value.systems.shop as { url: string }).url, vars.SHOP_URL);
    assert.deepEqual(second.value, first.value);
    const [entry] = readdirSync(join(dir, 'cache'));
    const kept = readFileSync(join(dir, 'cache', entry!), 'utf8');
    assert.ok(kept.includes(variable));
    assert.ok(!kept.includes('s3cr3t'));
  });

  it('is kept in the data folder by the configuration, signed with its secret, and only in a data folder that is there', () => {
    const withSecret = folder();
    const env = { INZAGE_DATA_DIR: withSecret, INZAGE_CONFIG_DIR: 'examples/balkonzon', INZAGE_SECRET: SECRET };
    const config = loadConfig(env);
    assert.ok(readdirSync(join(withSecret, 'cache')).some((f) => f.startsWith('policy.yaml-')));
    assert.deepEqual(loadConfig(env).policy, config.policy);

    // Without INZAGE_SECRET the first start has no secret yet to sign with (it makes secret.key); the next has.
    const generated = folder();
    loadConfig({ INZAGE_DATA_DIR: generated, INZAGE_CONFIG_DIR: 'examples/balkonzon' });
    assert.equal(existsSync(join(generated, 'cache')), false);
    loadConfig({ INZAGE_DATA_DIR: generated, INZAGE_CONFIG_DIR: 'examples/balkonzon' });
    assert.ok(readdirSync(join(generated, 'cache')).some((f) => f.startsWith('policy.yaml-')));

    assert.ok(readdirSync(join(withSecret, 'cache')).some((f) => f.startsWith('branding.yaml-')));
    assert.deepEqual(loadConfig(env).branding, config.branding);

    assert.equal(dataFolderYamlCache(withSecret, undefined), undefined);
    const missing = join(root, 'no-data-folder');
    dataFolderYamlCache(missing, SECRET)!.set('policy.yaml', 'a: 1', { a: 1 });
    assert.equal(existsSync(missing), false);
  });

  it('lets a restart with unchanged files read policy, data map, branding and scan settings without the YAML parser', () => {
    const dataDir = folder();
    // Each start in a process of its own: the parser is loaded on first use, and then stays loaded.
    const script = `
      import { createRequire } from 'node:module';
      import { loadConfig } from './src/config/config.ts';
      import { loadConfiguredDataMap } from './src/datamap/configured.ts';
      import { dataFolderYamlCache } from './src/config/yaml-cache.ts';
      import { loadScanConfig } from './src/scan/scan-config.ts';
      const config = loadConfig({ INZAGE_DATA_DIR: ${JSON.stringify(dataDir)}, INZAGE_CONFIG_DIR: 'examples/balkonzon', INZAGE_SECRET: ${JSON.stringify(SECRET)} });
      loadConfiguredDataMap(config);
      loadScanConfig(config.configDir, dataFolderYamlCache(config.dataDir, config.secret));
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/yaml/dist/'));
      process.stdout.write(loaded ? 'parser loaded' : 'no parser');
    `;
    const start = () =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '../..'),
        encoding: 'utf8',
      });
    assert.equal(start(), 'parser loaded', 'the first start parses the files');
    for (const file of ['policy.yaml', 'datamap.yaml', 'branding.yaml', 'scan.yaml'])
      assert.ok(
        readdirSync(join(dataDir, 'cache')).some((f) => f.startsWith(`${file}-`)),
        file,
      );
    assert.equal(start(), 'no parser');
  });
});
