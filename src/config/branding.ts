import { existsSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { type Branding, brandColors, DEFAULT_PRIMARY_COLOR, normalizeColor } from '../lib/branding.ts';
import type { YamlCache } from './yaml-cache.ts';
import { type FileProblem, loadYamlFile } from './yaml-file.ts';

/**
 * `branding.yaml` in the config folder: the shop's look. A file of its own rather than a key in
 * policy.yaml, because a new logo or colour is not a new version of the privacy policy: it must not
 * be published, diffed or mailed to anyone. Every key is optional, and so is the file.
 */
export const BrandingFile = z.strictObject({
  /** The name in headers and e-mails; the policy's `controller.name` by default. */
  name: z.string().trim().min(1).max(80, { error: 'must be at most 80 characters' }).optional(),
  /** A file in the config folder (svg, png, jpg, webp, gif; at most 200 kB) or an https:// URL. */
  logo: z.string().trim().min(1).optional(),
  /** Any CSS colour: `#0b6e4f`, `rgb(11 110 79)`, `teal`. */
  primaryColor: z
    .string()
    .refine((v) => normalizeColor(v) !== undefined, { error: 'must be a CSS colour such as "#0b6e4f"' })
    .optional(),
  /** The shop's own site: the portal and /privacy link back to it. */
  shopUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://balkonzon.nl' }).optional(),
});
export type BrandingFile = z.infer<typeof BrandingFile>;

/** Where the hub serves a logo file from the config folder. */
export const BRAND_LOGO_PATH = '/assets/brand-logo';

const LOGO_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};
const LOGO_MAX_BYTES = 200 * 1024;

export type BrandingResult = { ok: true; value: Branding } | { ok: false; problems: FileProblem[] };

/**
 * Reads `branding.yaml` from the config folder, if there is one; every problem names file, line and key. With
 * the data folder's cache (as the policy's) a start whose file is unchanged does not load the YAML parser.
 */
export function loadBranding(
  configDir: string,
  defaults: { name: string; baseUrl: string },
  cache?: YamlCache,
): BrandingResult {
  const file = join(configDir, 'branding.yaml');
  const base = { name: defaults.name, ...brandColors(DEFAULT_PRIMARY_COLOR) };
  if (!existsSync(file)) return { ok: true, value: base };
  const loaded = loadYamlFile(file, BrandingFile, cache);
  if (!loaded.ok) return loaded;
  const b = loaded.value;
  const at = (key: string) => loaded.source.locate([key]);
  const problem = (key: string, message: string): FileProblem => ({
    file,
    path: key,
    line: at(key)?.line,
    column: at(key)?.column,
    message,
  });
  const branding: Branding = {
    name: b.name ?? defaults.name,
    ...brandColors(b.primaryColor ? normalizeColor(b.primaryColor)! : DEFAULT_PRIMARY_COLOR),
    ...(b.shopUrl ? { shopUrl: b.shopUrl } : {}),
  };
  if (b.logo) {
    const logo = resolveLogo(b.logo, configDir, defaults.baseUrl);
    if ('problem' in logo) return { ok: false, problems: [problem('logo', logo.problem)] };
    branding.logo = logo;
  }
  return { ok: true, value: branding };
}

function resolveLogo(
  value: string,
  configDir: string,
  baseUrl: string,
): NonNullable<Branding['logo']> | { problem: string } {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    // Only https: an http logo on an https portal is blocked as mixed content, and a data: or javascript:
    // address is no place for a picture that every e-mail loads.
    if (!/^https:\/\/[^/\s]+/i.test(value) || !URL.canParse(value))
      return { problem: 'must be a file in the config folder or an https:// URL' };
    return { src: value, absolute: value };
  }
  const path = resolve(configDir, value);
  const inside = relative(resolve(configDir), path);
  if (inside.startsWith('..') || inside.startsWith(sep) || inside === '')
    return { problem: 'must be a file inside the config folder' };
  const contentType = LOGO_TYPES[extname(path).toLowerCase()];
  if (!contentType) return { problem: 'must be an .svg, .png, .jpg, .webp or .gif file' };
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { problem: `${value} is not a file` };
    size = stat.size;
  } catch {
    return { problem: `file not found: ${value}` };
  }
  if (size > LOGO_MAX_BYTES) return { problem: `is ${Math.ceil(size / 1024)} kB; a logo may be at most 200 kB` };
  return { src: BRAND_LOGO_PATH, absolute: `${baseUrl}${BRAND_LOGO_PATH}`, file: { path, contentType } };
}
