import { existsSync } from 'node:fs';
import { type Config, ConfigError } from '../config/config.ts';
import { dataFolderYamlCache } from '../config/yaml-cache.ts';
import type { DataMap } from './datamap.schema.ts';
import { loadDataMap } from './datamap.ts';

/** Variables `${…}` in the data map may use: the environment, plus the data folder as configured. */
export const dataMapVars = (config: Config) => ({ ...process.env, INZAGE_DATA_DIR: config.dataDir });

/** The config folder's datamap.yaml, checked; a mistake stops the command with file, line and path. */
export function loadConfiguredDataMap(config: Config): DataMap {
  const loaded = loadDataMap(
    config.datamapFile,
    dataMapVars(config),
    dataFolderYamlCache(config.dataDir, config.secret),
  );
  if (!loaded.ok) throw new ConfigError(loaded.problems);
  return loaded.value;
}

/** The same, for start-up: a config folder without a data map is allowed (policy only). */
export function loadDataMapIfPresent(config: Config): DataMap | undefined {
  return existsSync(config.datamapFile) ? loadConfiguredDataMap(config) : undefined;
}
