import type { FastifyReply } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { Branding } from '../../lib/branding.ts';
import type { Lang } from '../lang.ts';
import { BrandMark, brandStyle, ShopLink } from './brand.tsx';

export interface LayoutProps {
  lang: Lang;
  title: string;
  shopName: string;
  /** The path of this page, for the language switch. */
  path: string;
  /** The shop's logo, name, colour and site (branding.yaml); the name alone without. */
  branding?: Branding;
  children: ComponentChildren;
}

const nav = {
  nl: { privacy: 'Privacybeleid', rights: 'Uw rechten', other: 'English', otherLang: 'en', menu: 'Menu' },
  en: { privacy: 'Privacy policy', rights: 'Your rights', other: 'Nederlands', otherLang: 'nl', menu: 'Menu' },
} as const;

/** The portal's page frame: readable on a phone, no JavaScript, one stylesheet. */
export function Layout({ lang, title, shopName, path, branding, children }: LayoutProps) {
  const t = nav[lang];
  const name = branding?.name ?? shopName;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${name}`}</title>
        <link rel="stylesheet" href="/assets/portal.css" />
      </head>
      <body style={brandStyle(branding)}>
        <header class="site">
          <a class="brand" href={`/?lang=${lang}`}>
            <BrandMark branding={branding} name={name} />
          </a>
          <nav aria-label={t.menu}>
            <a href={`/privacy?lang=${lang}`}>{t.privacy}</a>
            <a href={`/?lang=${lang}`}>{t.rights}</a>
            <a
              href={`${path}${path.includes('?') ? '&' : '?'}lang=${t.otherLang}`}
              hreflang={t.otherLang}
              lang={t.otherLang}
            >
              {t.other}
            </a>
            <ShopLink branding={branding} lang={lang} />
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

export const renderPage = (node: preact.VNode): string => `<!doctype html>${renderToStaticMarkup(node)}`;

/** A page's message: one heading and a few sentences. */
export function Notice({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="notice">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** Link tokens are 256 bits in base64url; anything else is unknown without asking the store. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** A portal page to send: its status, language, title, path (for the language switch) and content. */
export interface PortalView {
  lang: Lang;
  status: number;
  title: string;
  /** The page's path, for the language switch (a link's page only shows it: its POST is what acts). */
  path: string;
  body: VNode;
}

/** The shop's look the app was built with (app.ts decorates the server with it). */
export const brandingOf = (server: unknown): Branding | undefined => (server as { branding?: Branding }).branding;

/** Sends a page in the portal's frame; `no-store`, because these pages' addresses can carry tokens. */
export function sendPortalPage(reply: FastifyReply, shopName: string, view: PortalView): FastifyReply {
  return reply
    .status(view.status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'Accept-Language')
    .header('content-language', view.lang)
    .send(
      renderPage(
        <Layout
          lang={view.lang}
          title={view.title}
          shopName={shopName}
          path={view.path}
          branding={brandingOf(reply.server)}
        >
          {view.body}
        </Layout>,
      ),
    );
}
