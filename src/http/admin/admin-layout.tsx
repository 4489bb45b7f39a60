import type { FastifyReply } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { AdminUser } from './session.ts';

interface NavItem {
  href: string;
  label: string;
  key: string;
  officerOnly?: boolean;
}

const NAV: NavItem[] = [
  { key: 'dashboard', href: '/admin', label: 'Dashboard' },
  { key: 'requests', href: '/admin/requests', label: 'Verzoeken' },
  { key: 'customers', href: '/admin/customers', label: 'Klant opzoeken' },
  { key: 'registers', href: '/admin/registers', label: 'Registers', officerOnly: true },
  { key: 'policy', href: '/admin/policy', label: 'Beleid', officerOnly: true },
  { key: 'audit', href: '/admin/audit', label: 'Audit', officerOnly: true },
];

const ROLE_LABEL = { officer: 'functionaris (officer)', staff: 'medewerker (staff)' } as const;

/** The hidden form field every POST under /admin needs. */
export function CsrfField({ token }: { token: string }): VNode {
  return <input type="hidden" name="_csrf" value={token} />;
}

function Head({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{`${title} · Inzage back office`}</title>
      <link rel="stylesheet" href="/assets/admin.css" />
    </head>
  );
}

/**
 * A back-office page: header with the navigation the user's role may use, who is logged in, and the
 * two logout forms. No script: everything works with plain links and forms.
 */
export function AdminPage(props: {
  title: string;
  user: AdminUser;
  csrf: string;
  /** The nav key of this page: dashboard, requests, customers, registers, policy, audit. */
  active?: string;
  children: ComponentChildren;
}): VNode {
  const { title, user, csrf, active, children } = props;
  return (
    <html lang="nl">
      <Head title={title} />
      <body class="admin">
        <header class="admin-header">
          <a class="brand" href="/admin">
            Inzage
          </a>
          <nav aria-label="Hoofdmenu">
            {NAV.filter((n) => !n.officerOnly || user.role === 'officer').map((n) => (
              <a href={n.href} aria-current={n.key === active ? 'page' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          <div class="who">
            <span>
              {user.email} · {ROLE_LABEL[user.role]}
            </span>
            <form method="post" action="/admin/logout">
              <CsrfField token={csrf} />
              <button type="submit" class="link">
                Uitloggen
              </button>
            </form>
            <form method="post" action="/admin/logout-everywhere">
              <CsrfField token={csrf} />
              <button type="submit" class="link">
                Overal uitloggen
              </button>
            </form>
          </div>
        </header>
        <main class="admin-main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A page before login (login, setup, a refusal): the same frame without navigation. */
export function AdminBarePage({ title, children }: { title: string; children: ComponentChildren }): VNode {
  return (
    <html lang="nl">
      <Head title={title} />
      <body class="admin bare">
        <header class="admin-header">
          <span class="brand">Inzage</span>
        </header>
        <main class="admin-main narrow">
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
    <AdminBarePage title={props.title}>{body}</AdminBarePage>
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
