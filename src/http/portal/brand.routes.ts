import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { BRAND_LOGO_PATH } from '../../config/branding.ts';
import type { Branding } from '../../lib/branding.ts';

/**
 * `GET /assets/brand-logo`: the logo file from the config folder (branding.yaml `logo: logo.svg`), read
 * once at start. Pages and e-mails load it as an image. An SVG opened on its own is a document of the
 * hub's origin, so it gets a sandbox: no script in a logo file ever runs here.
 */
export function registerBrandLogoRoute(app: FastifyInstance, branding: Branding): void {
  const file = branding.logo?.file;
  if (!file) return;
  const body = readFileSync(file.path);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  app.get(BRAND_LOGO_PATH, async (request, reply) => {
    reply
      .header('cache-control', 'public, max-age=3600')
      .header('etag', etag)
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      // E-mails are read in other origins' web mail; the image must load there too.
      .header('cross-origin-resource-policy', 'cross-origin');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type(file.contentType).send(body);
  });
}

/** The origin a logo on another server loads from, for the pages' Content-Security-Policy `img-src`. */
export function logoOrigins(branding: Branding | undefined): string[] {
  const src = branding?.logo && !branding.logo.file ? branding.logo.src : undefined;
  return src ? [new URL(src).origin] : [];
}
