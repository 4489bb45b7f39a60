import type { FastifyInstance, FastifyRequest } from 'fastify';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { type Lang, negotiateLang } from '../lang.ts';

/**
 * `/demo/shop/aanbieding`: a demo page that misbehaves on purpose, so that `inzage scan` has a real
 * finding to show. A "pixel" from another local origin (the hub itself under its other loopback name:
 * localhost ↔ 127.0.0.1) runs before any choice, sets a cookie the policy does not declare and sends an
 * id to its own host, the way a marketing pixel pasted into a shop's admin does. Only on loopback, and
 * only while INZAGE_DEMO_PIXEL is on (with the demo, by default).
 */
export const DEMO_PIXEL_PAGE = '/demo/shop/aanbieding';

const PIXEL_JS = `(function () {
  var me = document.currentScript && document.currentScript.src ? new URL(document.currentScript.src).origin : '';
  var m = document.cookie.match(/(?:^|; )_demo_px=([^;]*)/);
  var id = m ? m[1] : Math.random().toString(36).slice(2) + Date.now().toString(36);
  document.cookie = '_demo_px=' + id + ';path=/;max-age=7776000;samesite=lax';
  new Image().src = me + '/demo/pixel.gif?id=' + id + '&page=' + encodeURIComponent(location.pathname);
})();
`;

/** A transparent 1×1 GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** The other loopback name of the address the visitor used, same port; none off loopback. */
export function otherLoopbackOrigin(request: FastifyRequest): string | undefined {
  const host = request.hostname;
  const port = request.port ? `:${request.port}` : '';
  const name = host.replace(/:\d+$/, '');
  const other = name === 'localhost' ? '127.0.0.1' : name === '127.0.0.1' || name === '[::1]' ? 'localhost' : undefined;
  return other && `${request.protocol}://${other}${port}`;
}

const T = {
  nl: {
    title: 'Zomeraanbieding — Balkonzon demowinkel',
    heading: 'Zomeraanbieding: balkonpaneel 400 Wp',
    warning:
      'Deze pagina misdraagt zich met opzet. Een volgpixel van een andere herkomst (%s) plaatst een cookie en stuurt een id naar zijn eigen server, vóórdat u een keuze maakte, en ook nadat u alles weigerde. Het privacybeleid noemt die cookie en die server niet. Zo heeft `inzage scan` iets echts te melden; zet INZAGE_DEMO_PIXEL=0 om deze pagina uit te zetten.',
    back: 'Terug naar de winkel',
  },
  en: {
    title: 'Summer offer — Balkonzon demo shop',
    heading: 'Summer offer: balcony panel 400 Wp',
    warning:
      'This page misbehaves on purpose. A tracking pixel from another origin (%s) sets a cookie and sends an id to its own server before you made a choice, and after you rejected everything too. The privacy policy names neither that cookie nor that server. So `inzage scan` has something real to report; set INZAGE_DEMO_PIXEL=0 to turn this page off.',
    back: 'Back to the shop',
  },
} as const;

function OfferPage({ lang, pixelOrigin }: { lang: Lang; pixelOrigin: string }) {
  const t = T[lang];
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <title>{t.title}</title>
        <script src="/banner.js" defer />
        {/* Not gated, on purpose: this is what the scan should catch. */}
        <script src={`${pixelOrigin}/demo/pixel.js`} />
      </head>
      <body>
        <h1>{t.heading}</h1>
        <p>
          <strong>{t.warning.replace('%s', pixelOrigin)}</strong>
        </p>
        <p>
          <a href={`/demo/shop?lang=${lang}`}>{t.back}</a>
        </p>
      </body>
    </html>
  );
}

export function registerDemoPixelRoutes(app: FastifyInstance): void {
  app.get(DEMO_PIXEL_PAGE, async (request, reply) => {
    const pixelOrigin = otherLoopbackOrigin(request);
    if (!pixelOrigin) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    const lang = negotiateLang((request.query as { lang?: string }).lang, request.headers['accept-language']);
    return (
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        // The hub's CSP allows scripts from itself only; this page lets the pixel's origin in as well.
        .header(
          'content-security-policy',
          `default-src 'self'; script-src 'self' ${pixelOrigin}; img-src 'self' data: ${pixelOrigin}; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`,
        )
        .send(`<!doctype html>${renderToStaticMarkup(<OfferPage lang={lang} pixelOrigin={pixelOrigin} />)}`)
    );
  });
  // Loaded from the other origin: helmet's same-origin resource policy would block it there.
  app.get('/demo/pixel.js', async (_req, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(PIXEL_JS),
  );
  app.get('/demo/pixel.gif', async (_req, reply) =>
    reply
      .type('image/gif')
      .header('cache-control', 'no-store')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(GIF),
  );
}
