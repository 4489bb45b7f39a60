import type * as Yaml from 'yaml';
import { lazily } from './lazy-require.ts';

/**
 * The `yaml` package, loaded when first used: loading it took about 60 ms of every start, which a start
 * whose policy and data map are cached (config/yaml-cache.ts) does not otherwise need.
 */
export const yaml = lazily<typeof Yaml>('yaml');
