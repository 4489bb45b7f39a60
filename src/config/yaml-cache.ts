import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { lazily } from '../lib/lazy-require.ts';

const yamlPackage = lazily<{ version: string }>('yaml/package.json');

/**
 * What a YAML file parsed to, kept as JSON under the hash of its text, so that a start does not parse the
 * same policy again: the `yaml` package took about 0.15 s to parse the example's 68 KB policy and 0.06 s to
 * load, a fifth of `serve`'s start (npm run bench -- start), where JSON reads it in half a millisecond.
 *
 * Only what parsed without errors is kept, before validation and before `${…}` in a data map is filled in,
 * so the cache holds the files' own words and no secret. The key covers the text, the `yaml` package's
 * version and this format: an upgrade or an edit parses again. A cache that cannot be read or written is
 * passed by: the file is parsed as without one.
 */
export interface YamlCache {
  get(file: string, text: string): unknown;
  set(file: string, text: string, data: unknown): void;
}

/** Bumped when what is kept changes meaning. */
const FORMAT = 1;

/**
 * The data folder's cache (`DATA_DIR/cache/`). Only a data folder that is there is written into: a server
 * whose data folder was never made (PostgreSQL, INZAGE_SECRET set) gets no folder it did not ask for.
 */
export const dataFolderYamlCache = (dataDir: string): YamlCache => yamlCacheIn(join(dataDir, 'cache'));

/** A cache in `dir`, made (owner-only, in a folder that exists) when first written; files owner-only. */
export function yamlCacheIn(dir: string): YamlCache {
  const prefix = (file: string) => `${basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}-`;
  const name = (file: string, text: string) =>
    `${prefix(file)}${createHash('sha256').update(`${FORMAT}\0${yamlPackage().version}\0${text}`).digest('hex')}.json`;
  return {
    get(file, text) {
      try {
        return JSON.parse(readFileSync(join(dir, name(file, text)), 'utf8'));
      } catch {
        return undefined;
      }
    },
    set(file, text, data) {
      const json = plainJson(data);
      if (json === undefined) return;
      const own = name(file, text);
      const staging = join(dir, `.${own}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
        writeFileSync(staging, json, { mode: 0o600, flag: 'wx' });
        // Whole or not at all: a reader never sees half a file.
        renameSync(staging, join(dir, own));
        // One entry per file name: the versions before an edit are of no more use.
        for (const other of readdirSync(dir))
          if (other !== own && other.startsWith(prefix(file)) && other.endsWith('.json'))
            rmSync(join(dir, other), { force: true });
      } catch {
        rmSync(staging, { force: true });
      }
    },
  };
}

/** JSON for `data`, or undefined when JSON cannot say it as it is (`.inf`, `.nan`). */
function plainJson(data: unknown): string | undefined {
  let exact = true;
  const json = JSON.stringify(data, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) exact = false;
    return value;
  });
  return exact ? json : undefined;
}
