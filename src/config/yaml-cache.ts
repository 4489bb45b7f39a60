import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import { lazily } from '../lib/lazy-require.ts';

const yamlPackage = lazily<{ version: string }>('yaml/package.json');

/**
 * What a YAML file parsed to, kept as JSON under the hash of its text, so that a start does not parse the
 * same policy again: the `yaml` package took about 0.15 s to parse the example's 68 KB policy and 0.06 s to
 * load, a fifth of `serve`'s start (npm run bench -- start), where JSON reads it in half a millisecond.
 *
 * Only what parsed without errors to plain JSON values is kept (no dates, sets, binary, -0 or cycles, which
 * JSON would give back otherwise), before validation and before `${…}` in a data map is filled in, so the
 * cache holds the files' own words and no secret of the environment. The key covers the text, the `yaml`
 * package's version and this format: an upgrade or an edit parses again. Each entry carries a MAC under a key
 * derived from Inzage's secret: the data folder may be writable where the config folder is not (compose's
 * read-only config), and an entry someone else wrote must not decide the policy or the data map. A cache that
 * cannot be read, written or trusted is passed by: the file is parsed as without one.
 */
export interface YamlCache {
  get(file: string, text: string): unknown;
  set(file: string, text: string, data: unknown): void;
}

/** Bumped when what is kept changes meaning. */
const FORMAT = 1;

/**
 * The data folder's cache (`DATA_DIR/cache/`), or none without a secret to sign its entries with. Only a data
 * folder that is there is written into: a server whose data folder was never made gets none it did not ask for.
 */
export function dataFolderYamlCache(dataDir: string, secret: string | undefined): YamlCache | undefined {
  return secret ? yamlCacheIn(join(dataDir, 'cache'), secret) : undefined;
}

/** A cache in `dir`, made (owner-only, in a folder that exists) when first written; files owner-only. */
export function yamlCacheIn(dir: string, secret: string): YamlCache {
  const key = deriveKey(secret, 'config/yaml-cache');
  const prefix = (file: string) => `${basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}-`;
  const name = (file: string, text: string) =>
    `${prefix(file)}${createHash('sha256').update(`${FORMAT}\0${yamlPackage().version}\0${text}`).digest('hex')}.json`;
  const mac = (own: string, json: string) => hmacHex(key, `${own}\0${json}`);
  return {
    get(file, text) {
      try {
        const own = name(file, text);
        const entry = readFileSync(join(dir, own), 'utf8');
        const newline = entry.indexOf('\n');
        const json = entry.slice(newline + 1);
        const given = Buffer.from(entry.slice(0, newline), 'hex');
        const expected = Buffer.from(mac(own, json), 'hex');
        if (newline < 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
        return JSON.parse(json);
      } catch {
        return undefined;
      }
    },
    set(file, text, data) {
      let staging: string | undefined;
      try {
        if (!isPlainJson(data)) return;
        const json = JSON.stringify(data);
        const own = name(file, text);
        if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
        const path = join(dir, `.${own}.${randomBytes(6).toString('hex')}.tmp`);
        writeFileSync(path, `${mac(own, json)}\n${json}`, { mode: 0o600, flag: 'wx' });
        staging = path;
        // Whole or not at all: a reader never sees half a file.
        renameSync(path, join(dir, own));
        staging = undefined;
        // One entry per file name: the versions before an edit are of no more use.
        for (const other of readdirSync(dir))
          if (other !== own && other.startsWith(prefix(file)) && other.endsWith('.json'))
            rmSync(join(dir, other), { force: true });
      } catch {
        // Not kept (a folder that cannot be written, made by another process at the same moment): parsed next time.
        try {
          if (staging) rmSync(staging, { force: true });
        } catch {}
      }
    },
  };
}

/**
 * The value is what JSON gives back exactly: null, booleans, strings, finite numbers other than -0, arrays and
 * plain objects of these, without cycles. The `yaml` package also makes dates (`!!timestamp`), maps (`!!omap`),
 * sets, buffers (`!!binary`), -0 and, through aliases, cycles; those files are parsed at every start.
 */
function isPlainJson(value: unknown, ancestors: Set<object> = new Set()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || ancestors.has(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  ancestors.add(value);
  const plain = Object.values(value).every((v) => isPlainJson(v, ancestors));
  ancestors.delete(value);
  return plain;
}
