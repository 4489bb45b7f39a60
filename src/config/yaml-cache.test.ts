import assert from 'node:assert/strict';
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

const Shape = z.object({ name: z.string(), count: z.number() }).strict();

describe('the cache of parsed YAML', () => {
  it('keeps what a file parsed to, and serves it again as long as the text is the same', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    writeFileSync(file, 'name: balkon\ncount: 3\n');
    const cache = yamlCacheIn(join(dir, 'cache'));
    const first = loadYamlFile(file, Shape, cache);
    assert.ok(first.ok);
    const [entry, ...more] = readdirSync(join(dir, 'cache'));
    assert.equal(more.length, 0);
    assert.match(entry!, /^shape\.yaml-[0-9a-f]{64}\.json$/);
    assert.equal(statSync(join(dir, 'cache', entry!)).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'cache')).mode & 0o777, 0o700);
    // What is served is the entry's, not a new parse: change the entry and the load says so.
    writeFileSync(join(dir, 'cache', entry!), JSON.stringify({ name: 'from the cache', count: 3 }));
    const second = loadYamlFile(file, Shape, cache);
    assert.ok(second.ok);
    assert.equal(second.value.name, 'from the cache');
  });

  it('parses an edited file again, and keeps only the newest entry of a file', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    const cache = yamlCacheIn(join(dir, 'cache'));
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
    writeFileSync(file, 'name: balkon\n\ncount: three\n');
    const cache = yamlCacheIn(join(dir, 'cache'));
    const first = loadYamlFile(file, Shape, cache);
    const second = loadYamlFile(file, Shape, cache);
    assert.ok(!first.ok && !second.ok);
    assert.equal(readdirSync(join(dir, 'cache')).length, 1, 'the second load was a cache hit');
    assert.deepEqual(second.problems, first.problems);
    assert.equal(second.problems[0]!.line, 3);
    assert.equal(second.problems[0]!.path, 'count');
  });

  it('keeps nothing of a file with a syntax error, or with a value JSON cannot hold', () => {
    const dir = folder();
    const cache = yamlCacheIn(join(dir, 'cache'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: [balkon\n');
    assert.ok(!loadYamlFile(join(dir, 'broken.yaml'), Shape, cache).ok);
    writeFileSync(join(dir, 'infinite.yaml'), 'name: balkon\ncount: .inf\n');
    const Loose = z.object({ name: z.string(), count: z.unknown() });
    const infinite = loadYamlFile(join(dir, 'infinite.yaml'), Loose, cache);
    assert.ok(infinite.ok);
    assert.equal(infinite.value.count, Number.POSITIVE_INFINITY);
    assert.equal(existsSync(join(dir, 'cache')), false);
    // Served again, .inf is still infinite (it was parsed, not read back from JSON as null).
    const again = loadYamlFile(join(dir, 'infinite.yaml'), Loose, cache);
    assert.ok(again.ok);
    assert.equal(again.value.count, Number.POSITIVE_INFINITY);
  });

  it('parses as without a cache when its entry is damaged or its folder cannot be made', () => {
    const dir = folder();
    const file = join(dir, 'shape.yaml');
    writeFileSync(file, 'name: balkon\ncount: 3\n');
    const cache = yamlCacheIn(join(dir, 'cache'));
    loadYamlFile(file, Shape, cache);
    const [entry] = readdirSync(join(dir, 'cache'));
    writeFileSync(join(dir, 'cache', entry!), '{"name": "bal');
    const damaged = loadYamlFile(file, Shape, cache);
    assert.ok(damaged.ok);
    assert.deepEqual(damaged.value, { name: 'balkon', count: 3 });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'cache', entry!), 'utf8')), { name: 'balkon', count: 3 });

    const nowhere = loadYamlFile(file, Shape, yamlCacheIn(join(dir, 'not', 'there', 'cache')));
    assert.ok(nowhere.ok);
    assert.equal(existsSync(join(dir, 'not')), false, 'no folders are made on the way');
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
    const cache = yamlCacheIn(join(dir, 'cache'));
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

  it('is kept in the data folder by the configuration, and only in a data folder that is there', () => {
    const dataDir = folder();
    const config = loadConfig({ INZAGE_DATA_DIR: dataDir, INZAGE_CONFIG_DIR: 'examples/balkonzon' });
    assert.ok(readdirSync(join(dataDir, 'cache')).some((f) => f.startsWith('policy.yaml-')));
    assert.deepEqual(
      loadConfig({ INZAGE_DATA_DIR: dataDir, INZAGE_CONFIG_DIR: 'examples/balkonzon' }).policy,
      config.policy,
    );
    const missing = join(root, 'no-data-folder');
    const cache = dataFolderYamlCache(missing);
    cache.set('policy.yaml', 'a: 1', { a: 1 });
    assert.equal(existsSync(missing), false);
  });
});
