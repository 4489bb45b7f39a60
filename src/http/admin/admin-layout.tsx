import type { FastifyReply } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { DeskLang } from './desk-lang.ts';
import type { AdminUser } from './session.ts';

interface NavItem {
  href: string;
  label: Record<DeskLang, string>;
  key: string;
  officerOnly?: boolean;
}

const NAV: NavItem[] = [
  { key: 'dashboard', href: '/admin', label: { nl: 'Overzicht', en: 'Dashboard' } },
  { key: 'requests', href: '/admin/requests', label: { nl: 'Verzoeken', en: 'Requests' } },
  { key: 'tasks', href: '/admin/tasks', label: { nl: 'Taken', en: 'Tasks' }, officerOnly: true },
  { key: 'customers', href: '/admin/customers', label: { nl: 'Klant opzoeken', en: 'Find a customer' } },
  { key: 'registers', href: '/admin/registers', label: { nl: 'Registers', en: 'Registers' }, officerOnly: true },
  { key: 'policy', href: '/admin/policy', label: { nl: 'Beleid', en: 'Policy' }, officerOnly: true },
  { key: 'audit', href: '/admin/audit', label: { nl: 'Auditlog', en: 'Audit trail' }, officerOnly: true },
];

const FRAME = {
  nl: {
    site: 'Inzage back office',
    menu: 'Hoofdmenu',
    skip: 'Naar de inhoud',
    role: { officer: 'functionaris gegevensbescherming', staff: 'medewerker' },
    account: 'Uw account en taal',
    logout: 'Uitloggen',
    logoutEverywhere: 'Overal uitloggen',
    otherLanguage: 'English',
  },
  en: {
    site: 'Inzage back office',
    menu: 'Main menu',
    skip: 'Skip to the content',
    role: { officer: 'data protection officer', staff: 'staff' },
    account: 'Your account and language',
    logout: 'Log out',
    logoutEverywhere: 'Log out everywhere',
    otherLanguage: 'Nederlands',
  },
} as const;

/** The hidden form field every POST under /admin needs. */
export function CsrfField({ token }: { token: string }): VNode {
  return <input type="hidden" name="_csrf" value={token} />;
}

function Head({ title, lang }: { title: string; lang: DeskLang }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${title} · ${FRAME[lang].site}`}</title>
      <link rel="stylesheet" href="/assets/admin.css" />
    </head>
  );
}

/**
 * A back-office page: header with the navigation the user's role may use, who is logged in, the way to
 * their account and language, and the two logout forms. No script: everything works with plain links and
 * forms. The page speaks the account's language, `lang` says which.
 */
export function AdminPage(props: {
  title: string;
  user: AdminUser;
  csrf: string;
  /** The nav key of this page: dashboard, requests, tasks, customers, registers, policy, audit. */
  active?: string;
  children: ComponentChildren;
}): VNode {
  const { title, user, csrf, active, children } = props;
  const lang = user.language ?? 'nl';
  const w = FRAME[lang];
  return (
    <html lang={lang}>
      <Head title={title} lang={lang} />
      <body class="admin">
        <a class="skip" href="#main">
          {w.skip}
        </a>
        <header class="admin-header">
          <a class="brand" href="/admin">
            Inzage
          </a>
          <nav aria-label={w.menu}>
            {NAV.filter((n) => !n.officerOnly || user.role === 'officer').map((n) => (
              <a href={n.href} aria-current={n.key === active ? 'page' : undefined}>
                {n.label[lang]}
              </a>
            ))}
          </nav>
          <div class="who">
            <a href="/admin/account" aria-current={active === 'account' ? 'page' : undefined} title={w.account}>
              {user.email}
            </a>
            <span>{w.role[user.role]}</span>
            <form method="post" action="/admin/logout">
              <CsrfField token={csrf} />
              <button type="submit" class="link">
                {w.logout}
              </button>
            </form>
            <form method="post" action="/admin/logout-everywhere">
              <CsrfField token={csrf} />
              <button type="submit" class="link">
                {w.logoutEverywhere}
              </button>
            </form>
          </div>
        </header>
        <main class="admin-main" id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A page before login (login, setup, a refusal): the same frame without navigation, with a language switch. */
export function AdminBarePage({
  title,
  lang = 'nl',
  switchTo,
  children,
}: {
  title: string;
  lang?: DeskLang;
  /** The address of this page in the other language, when it can be switched. */
  switchTo?: string;
  children: ComponentChildren;
}): VNode {
  return (
    <html lang={lang}>
      <Head title={title} lang={lang} />
      <body class="admin bare">
        <header class="admin-header">
          <span class="brand">Inzage</span>
          {switchTo && (
            <div class="who">
              <a href={switchTo} lang={lang === 'nl' ? 'en' : 'nl'} hreflang={lang === 'nl' ? 'en' : 'nl'}>
                {FRAME[lang].otherLanguage}
              </a>
            </div>
          )}
        </header>
        <main class="admin-main narrow" id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A short refusal or notice; inside the frame with navigation when someone is logged in. */
export function AccessPage(props: {
  title: string;
  text: string;
  link?: { href: string; label: string };
  user?: AdminUser;
  csrf?: string;
  lang?: DeskLang;
}): VNode {
  const body = (
    <section class="notice">
      <p>{props.text}</p>
      {props.link && (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      )}
    </section>
  );
  return props.user && props.csrf ? (
    <AdminPage title={props.title} user={props.user} csrf={props.csrf}>
      {body}
    </AdminPage>
  ) : (
    <AdminBarePage title={props.title} lang={props.lang}>
      {body}
    </AdminBarePage>
  );
}

/** Sends a back-office page: never cached (it shows personal data and carries form tokens). */
export function sendAdminPage(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToStaticMarkup(node)}`);
}
