import type { FastifyInstance } from 'fastify';
import { renderPolicyBody } from '../../policy/render.ts';
import { pageWords } from '../../policy/render-words.ts';
import type { AppDeps } from '../app.ts';
import { negotiateLang } from '../lang.ts';
import { brandingOf, Layout, renderPage } from './layout.tsx';

const WORDS = {
  nl: { versions: 'Eerdere versies van dit beleid', other: 'Read this policy in English', otherLang: 'en' },
  en: { versions: 'Earlier versions of this policy', other: 'Lees dit beleid in het Nederlands', otherLang: 'nl' },
} as const;

/**
 * The public policy, in the portal's frame: the shop's header (name, logo, the way to the portal and
 * back to the shop, the other language), then the policy with links to its earlier versions. The home
 * page and the request pages are in requests.routes.tsx.
 */
export function registerPolicyPageRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/privacy', async (request, reply) => {
    const lang = negotiateLang((request.query as { lang?: string }).lang, request.headers['accept-language']);
    const w = WORDS[lang];
    // The published version in force; the policy file itself until a version is recorded.
    const policy = (await deps.registers.policyVersions.inForce())?.policy ?? deps.policy();
    const links = [
      { text: w.versions, href: `/privacy/versions?lang=${lang}` },
      { text: w.other, href: `/privacy?lang=${w.otherLang}`, lang: w.otherLang },
    ];
    const page = (
      <Layout
        lang={lang}
        title={pageWords(lang).title}
        shopName={policy.controller.name}
        path="/privacy"
        branding={brandingOf(app)}
      >
        {renderPolicyBody(policy, lang, { links })}
      </Layout>
    );
    return reply
      .type('text/html; charset=utf-8')
      .header('vary', 'Accept-Language')
      .header('content-language', lang)
      .send(renderPage(page));
  });
}
