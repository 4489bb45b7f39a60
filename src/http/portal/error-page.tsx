import type { FastifyRequest } from 'fastify';
import type { InzageError } from '../../lib/errors.ts';
import { negotiateLang } from '../lang.ts';
import { brandingOf, Layout, renderPage } from './layout.tsx';

const texts = {
  nl: {
    NOT_FOUND: ['Pagina niet gevonden', 'Op dit adres staat niets. Controleer de link of ga naar de startpagina.'],
    RATE_LIMITED: [
      'Even geduld',
      'U heeft in korte tijd veel verzoeken gedaan. Probeer het over een paar minuten opnieuw.',
    ],
    VALIDATION_FAILED: ['Controleer uw invoer', 'Niet alles is goed ingevuld.'],
    default: [
      'Er ging iets mis',
      'Er ging aan onze kant iets mis. Probeer het later opnieuw; blijft het misgaan, neem dan contact met ons op.',
    ],
    home: 'Naar de startpagina',
  },
  en: {
    NOT_FOUND: ['Page not found', 'There is nothing at this address. Check the link or go to the start page.'],
    RATE_LIMITED: ['Please wait', 'You made many requests in a short time. Please try again in a few minutes.'],
    VALIDATION_FAILED: ['Please check your input', 'Not everything was filled in correctly.'],
    default: [
      'Something went wrong',
      'Something went wrong on our side. Please try again later; if it keeps happening, contact us.',
    ],
    home: 'Go to the start page',
  },
} as const;

/** A friendly page instead of a JSON error, for people using the portal. */
export function renderErrorPage(err: InzageError, request: FastifyRequest): string {
  const lang = negotiateLang(
    (request.query as { lang?: string } | undefined)?.lang,
    request.headers['accept-language'],
  );
  const t = texts[lang];
  const [title, body] = err.code in t ? t[err.code as 'NOT_FOUND'] : t.default;
  const shopName = (request.server as { shopName?: string }).shopName ?? 'Inzage';
  return renderPage(
    <Layout
      lang={lang}
      title={title}
      shopName={shopName}
      path={request.url.split('?')[0] ?? '/'}
      branding={brandingOf(request.server)}
    >
      <section class="error-page">
        <h1>{title}</h1>
        <p>{body}</p>
        {err.code === 'VALIDATION_FAILED' && <p class="muted">{err.message}</p>}
        <p>
          <a href={`/?lang=${lang}`}>{t.home}</a>
        </p>
      </section>
    </Layout>,
  );
}
