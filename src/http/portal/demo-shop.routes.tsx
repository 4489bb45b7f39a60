import type { FastifyInstance, FastifyReply } from 'fastify';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { type Lang, negotiateLang } from '../lang.ts';
import { DEMO_PIXEL_PAGE, otherLoopbackOrigin, registerDemoPixelRoutes } from './demo-pixel.routes.tsx';

/**
 * `/demo/shop`: a small shop page with the banner, a gated analytics stub and a panel showing what
 * reaches `dataLayer`, so that a newcomer sees the banner work. No inline script: the hub's CSP
 * allows scripts from itself only.
 */

/** The gated "analytics": it runs only once the visitor consents to analytics. */
const ANALYTICS_JS = `window.__analyticsRan = true;
(window.dataLayer = window.dataLayer || []).push({ event: 'page_view', page_path: location.pathname });
`;

/** Shows dataLayer and whether analytics ran; not gated: it stores nothing and sends nothing. */
const PANEL_JS = `(function () {
  var list = document.getElementById('datalayer');
  var ran = document.getElementById('analytics-ran');
  var shown = -1;
  function entry(e) {
    // Spaced out, so that a long entry wraps between its values rather than inside a word.
    var json = JSON.stringify(e && typeof e === 'object' && 'length' in e ? Array.prototype.slice.call(e) : e);
    return json.replace(/,"/g, ', "').replace(/":/g, '": ');
  }
  function show() {
    var dl = window.dataLayer || [];
    ran.textContent = window.__analyticsRan ? 'yes' : 'no';
    if (dl.length === shown) return;
    shown = dl.length;
    list.textContent = '';
    dl.forEach(function (e) {
      var li = document.createElement('li');
      li.textContent = entry(e);
      list.appendChild(li);
    });
  }
  show();
  setInterval(show, 250);
})();
`;

const T = {
  nl: {
    title: 'Balkonzon demowinkel',
    lead: 'Een voorbeeldpagina van een webwinkel met de cookiebanner van Inzage.',
    products: ['Balkonpaneel 400 Wp', 'Omvormer 800 W', 'Montageset balkonrek'],
    panel: 'Wat de pagina aan Google Consent Mode doorgeeft (dataLayer)',
    ran: 'Analytische code uitgevoerd:',
    settings: 'Cookie-instellingen',
    privacy: 'Privacybeleid',
    offer: 'Zomeraanbieding (met een volgpixel die zich met opzet misdraagt)',
  },
  en: {
    title: 'Balkonzon demo shop',
    lead: "An example shop page with Inzage's cookie banner.",
    products: ['Balcony panel 400 Wp', 'Inverter 800 W', 'Balcony rail mounting kit'],
    panel: 'What the page tells Google Consent Mode (dataLayer)',
    ran: 'Analytics code ran:',
    settings: 'Cookie settings',
    privacy: 'Privacy policy',
    offer: 'Summer offer (with a tracking pixel that misbehaves on purpose)',
  },
} as const;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header,main,footer{max-width:48rem;margin:0 auto;padding:1rem}
header{border-bottom:1px solid #ccc}ul.p{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem;padding:0;list-style:none}
ul.p li{background:#fff;border:1px solid #ccc;border-radius:.5rem;padding:1rem}
ol{font:13px/1.4 ui-monospace,monospace}a{color:#0b4fb3}
footer{border-top:1px solid #ccc;padding-bottom:12rem}`;

function DemoShopPage({ lang, offer }: { lang: Lang; offer: boolean }) {
  const t = T[lang];
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t.title}</title>
        {/* The banner comes first: it sets the Consent Mode defaults before any tag. */}
        <script src="/banner.js" defer />
        {/* Basic mode: the analytics tag itself waits for consent. */}
        <script type="text/plain" data-category="analytics" data-service="google-analytics" src="/demo/analytics.js" />
        <script src="/demo/panel.js" defer />
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <h1>{t.title}</h1>
          <p>{t.lead}</p>
        </header>
        <main>
          <ul class="p">
            {t.products.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          <h2>{t.panel}</h2>
          <p>
            {t.ran} <strong id="analytics-ran">no</strong>
          </p>
          <ol id="datalayer" />
        </main>
        <footer>
          <a href="#cookie-settings" data-inzage-consent-open="">
            {t.settings}
          </a>
          {' · '}
          <a href={`/privacy?lang=${lang}`}>{t.privacy}</a>
          {' · '}
          <a href={`/demo/shop?lang=${lang === 'nl' ? 'en' : 'nl'}`}>{lang === 'nl' ? 'English' : 'Nederlands'}</a>
          {offer && (
            <>
              {' · '}
              <a href={`${DEMO_PIXEL_PAGE}?lang=${lang}`}>{t.offer}</a>
            </>
          )}
        </footer>
      </body>
    </html>
  );
}

/**
 * `/demo/shop`, `/demo/analytics.js` and `/demo/panel.js`; with `pixel`, also the page that misbehaves on
 * purpose (demo-pixel.routes.tsx), linked from the shop's footer when it is visited on loopback.
 */
export function registerDemoShopRoutes(app: FastifyInstance, options: { pixel?: boolean } = {}): void {
  if (options.pixel) registerDemoPixelRoutes(app);
  app.get('/demo/shop', async (request, reply) => {
    const lang = negotiateLang((request.query as { lang?: string }).lang, request.headers['accept-language']);
    const offer = !!options.pixel && otherLoopbackOrigin(request) !== undefined;
    return reply
      .type('text/html; charset=utf-8')
      .header('vary', 'Accept-Language')
      .header('cache-control', 'no-store')
      .send(`<!doctype html>${renderToStaticMarkup(<DemoShopPage lang={lang} offer={offer} />)}`);
  });
  const js = (code: string) => async (_req: unknown, reply: FastifyReply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-store').send(code);
  app.get('/demo/analytics.js', js(ANALYTICS_JS));
  app.get('/demo/panel.js', js(PANEL_JS));
}
