import type { FastifyInstance } from 'fastify';
import { renderPolicy } from '../../policy/render.ts';
import type { AppDeps } from '../app.ts';
import { negotiateLang } from '../lang.ts';
import { Layout, renderPage } from './layout.tsx';

const home = {
  nl: {
    title: 'Uw privacy',
    intro: (shop: string) =>
      `Hier leest u wat ${shop} met uw persoonsgegevens doet en kunt u uw rechten uitoefenen: inzage, correctie, beperking, overdracht, bezwaar en verwijdering.`,
    policy: 'Lees ons privacybeleid',
    answer: (days: number) => `Wij beantwoorden elk verzoek binnen ${days} dagen, de meeste binnen enkele seconden.`,
  },
  en: {
    title: 'Your privacy',
    intro: (shop: string) =>
      `Here you can read what ${shop} does with your personal data and exercise your rights: access, rectification, restriction, portability, objection and erasure.`,
    policy: 'Read our privacy policy',
    answer: (days: number) => `We answer every request within ${days} days, most within seconds.`,
  },
} as const;

export function registerPortalRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/privacy', async (request, reply) => {
    const lang = negotiateLang((request.query as { lang?: string }).lang, request.headers['accept-language']);
    return reply
      .type('text/html; charset=utf-8')
      .header('vary', 'Accept-Language')
      .header('content-language', lang)
      .send(renderPolicy(deps.policy(), { lang, format: 'html' }));
  });

  app.get('/', async (request, reply) => {
    const lang = negotiateLang((request.query as { lang?: string }).lang, request.headers['accept-language']);
    const policy = deps.policy();
    const t = home[lang];
    const shop = policy.controller.name;
    return reply
      .type('text/html; charset=utf-8')
      .header('vary', 'Accept-Language')
      .send(
        renderPage(
          <Layout lang={lang} title={t.title} shopName={shop} path="/">
            <h1>{t.title}</h1>
            <p>{t.intro(shop)}</p>
            <p>{t.answer(policy.rights.answerWithinDays)}</p>
            <p>
              <a href={`/privacy?lang=${lang}`}>{t.policy}</a>
            </p>
          </Layout>,
        ),
      );
  });
}
