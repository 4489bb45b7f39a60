import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/config.ts';
import type { YamlCache } from '../config/yaml-cache.ts';
import { loadYamlFile } from '../config/yaml-file.ts';

/**
 * `scan.yaml` in the config folder: what `inzage scan` visits when no URL is given, its limits, whose
 * banner it clicks, and whether the daily job runs it. Operational settings, not promises, so they live
 * beside the policy rather than in it (the policy is published and versioned; changing a page to scan is
 * no new version). Every key may be left out; without the file the defaults hold and no daily scan runs.
 */
const texts = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((t) => (typeof t === 'string' ? [t] : t));

export const ScanConfig = z.strictObject({
  /** The shop's home page; the policy's `controller.website` by default. */
  home: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** More pages to visit besides the home page: paths on the home page's origin, or URLs of the shop. */
  pages: z.array(z.string().min(1)).default([]),
  /** At most this many pages per pass: the given ones first, then links on them to the shop's own origins. */
  maxPages: z.int().min(1).max(500).default(10),
  /** One page may take this long to load and settle. */
  pageTimeoutSeconds: z.number().positive().max(600).default(20),
  /** The whole scan (three passes) stops after this long, and says so. */
  totalTimeoutSeconds: z.number().positive().max(7200).default(300),
  /** The daily job scans the shop and mails the officer new errors. */
  daily: z.boolean().default(false),
  /** A banner that is not Inzage's: the texts of its two buttons (one text or a list). */
  banner: z.strictObject({ accept: texts, reject: texts }).optional(),
});
export type ScanConfig = z.output<typeof ScanConfig>;

export const DEFAULT_SCAN_CONFIG: ScanConfig = ScanConfig.parse({});

/**
 * The config folder's scan.yaml, checked (a mistake stops with file, line and path); defaults without one. With
 * the data folder's cache (as the policy's) a start whose file is unchanged does not load the YAML parser.
 */
export function loadScanConfig(configDir: string, cache?: YamlCache): ScanConfig {
  const file = join(configDir, 'scan.yaml');
  if (!existsSync(file)) return DEFAULT_SCAN_CONFIG;
  const loaded = loadYamlFile(file, ScanConfig, cache);
  if (!loaded.ok) throw new ConfigError(loaded.problems);
  return loaded.value;
}
