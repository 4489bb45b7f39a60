import Fastify, { type FastifyInstance } from 'fastify';
import { BannerBuilder } from '../../src/consent/cookie-consent.banner.ts';
import type { Policy } from '../../src/policy/policy.schema.ts';

/**
 * A shop and a tag vendor on two loopback origins, for `inzage scan` in a real browser: the shop on
 * 127.0.0.1 serves Inzage's real banner (built from the policy, posting proof to the shop itself) and the
 * pages it is given; the vendor on 127.0.0.2 serves tags that set cookies and send pings. In a page's
 * HTML `{{TAGS}}` stands for the vendor's origin.
 */
export interface ScanSite {
  shop: string;
  tags: string;
  /** Every ping the vendor received, by path. */
  pings: string[];
  close(): Promise<void>;
}

/** The vendor's scripts. `tag.js` behaves like a Google tag; it runs only where the page lets it. */
const VENDOR_SCRIPTS: Record<string, (tags: string) => string> = {
  // A Google-like tag: its commands through dataLayer, a first-party id cookie, a measurement ping.
  'tag.js': (tags) => `(function () {
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('js', new Date());
  gtag('config', 'G-TEST');
  var id = (document.cookie.match(/(?:^|; )_ga=([^;]*)/) || [])[1] || 'GA1.1.' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000);
  document.cookie = '_ga=' + id + ';path=/;max-age=63072000;samesite=lax';
  document.cookie = '_ga_TEST=GS1.1.' + Math.floor(Date.now() / 1000) + '.1;path=/;max-age=63072000;samesite=lax';
  new Image().src = '${tags}/collect?cid=' + encodeURIComponent(id.replace(/^GA1\\.1\\./, '')) + '&v=2';
})();`,
  // A widget that loads from the vendor and stores nothing: a third party all the same.
  'widget.js': () => 'window.__widget = true;',
  // A tag that waits for any choice and then ignores it: it tracks after "Alles weigeren" too.
  'stubborn.js': (tags) => `(function () {
  function track() {
    document.cookie = '_ga=GA1.1.' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000) + ';path=/;max-age=63072000;samesite=lax';
    new Image().src = '${tags}/collect?cid=' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000);
  }
  if (document.cookie.indexOf('inzage_consent=') >= 0) track();
  document.addEventListener('inzage:consent', track);
})();`,
};

export async function startScanSite(policy: Policy, pages: Record<string, string>): Promise<ScanSite> {
  const pings: string[] = [];
  // Routes first, addresses after listen: the handlers read them when they answer.
  let tags = '';
  let origin = '';
  const vendor = Fastify();
  for (const [name, code] of Object.entries(VENDOR_SCRIPTS)) {
    vendor.get(`/${name}`, async (_req, reply) => reply.type('application/javascript').send(code(tags)));
  }
  vendor.get('/collect', async (request, reply) => {
    pings.push(request.url);
    return reply.status(204).send();
  });

  const shop = Fastify();
  const builder = new BannerBuilder();
  shop.get('/banner.js', async (_req, reply) =>
    reply.type('application/javascript').send((await builder.get(policy, origin)).code),
  );
  shop.post('/api/v1/consents', async (_req, reply) => reply.status(201).send({ ok: true }));
  for (const [path, html] of Object.entries(pages)) {
    shop.get(path, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(`<!doctype html>${html.replaceAll('{{TAGS}}', tags)}`),
    );
  }
  await vendor.listen({ port: 0, host: '127.0.0.2' });
  tags = originOf(vendor, '127.0.0.2');
  await shop.listen({ port: 0, host: '127.0.0.1' });
  origin = originOf(shop, '127.0.0.1');
  return {
    shop: origin,
    tags,
    pings,
    close: async () => {
      await shop.close();
      await vendor.close();
    },
  };
}

function originOf(app: FastifyInstance, host: string): string {
  const a = app.server.address();
  return `http://${host}:${typeof a === 'object' && a ? a.port : 0}`;
}

/** A page with Inzage's banner first, then `body` (which may hold scripts). */
export const page = (title: string, body: string, head = '') =>
  `<html lang="nl"><head><meta charset="utf-8"><title>${title}</title>${head}<script src="/banner.js" defer></script></head><body><h1>${title}</h1>${body}</body></html>`;
