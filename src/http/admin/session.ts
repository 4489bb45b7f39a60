import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AdminServices } from '../../admin/build.ts';
import { DEVICE_COOKIE_VALID_MS } from '../../admin/devices.ts';
import { sameToken } from '../../admin/sessions.ts';
import type { Role } from '../../admin/users.ts';
import { newToken } from '../../lib/ids.ts';
import { AccessPage, sendAdminPage } from './admin-layout.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';

export type { Role };

export interface AdminUser {
  id: string;
  email: string;
  role: Role;
  /** The language the back office speaks to them (their own choice; Dutch by default). */
  language: DeskLang;
}

declare module 'fastify' {
  interface FastifyRequest {
    adminUser?: AdminUser;
    /** The form token of this request's session: put it in every form with <CsrfField>. */
    csrfToken?: string;
    /** The cookie's session token (for logout and rotation); never logged. */
    adminSessionToken?: string;
  }
}

export const SESSION_COOKIE = 'inzage_admin';
/** A browser that logged in before (a signed device cookie, see src/admin/devices.ts); sent to the login routes only. */
export const DEVICE_COOKIE = 'inzage_device';
/** The random value the login and setup forms' token is bound to, before any session exists. */
export const PRE_SESSION_COOKIE = 'inzage_admin_pre';

/** Forms that run before a session exists and check their own token (the pre-session double submit). */
const OWN_CSRF = [/^\/admin\/login(\/totp)?$/, /^\/admin\/setup\/[^/]+$/];

const isAdminPath = (url: string) => url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?');
const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '/';
const wantsHtml = (request: FastifyRequest) => request.headers.accept?.includes('text/html') ?? false;

/**
 * Sessions and CSRF for everything under /admin, in one place: every request there gets its user
 * (when its cookie names a live session), and every POST must carry the session's `_csrf` form field.
 * Routes only add `requireRole(...)` and put `<CsrfField>` in their forms.
 */
export function installAdminSessions(app: FastifyInstance, deps: { admin: AdminServices; baseUrl: string }): void {
  if (!app.hasDecorator('parseCookie')) void app.register(cookie);

  app.addHook('onRequest', async (request) => {
    if (!isAdminPath(request.url)) return;
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return;
    const session = await deps.admin.sessions.find(token);
    if (session?.stage !== 'active') return;
    const account = await deps.admin.users.byId(session.userId);
    if (!account || account.disabled) return;
    request.adminUser = { id: account.id, email: account.email, role: account.role, language: account.language };
    request.csrfToken = session.csrf;
    request.adminSessionToken = token;
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !isAdminPath(request.url)) return;
    const path = pathOf(request);
    if (OWN_CSRF.some((re) => re.test(path))) return;
    if (!request.adminUser) return unauthorized(request, reply);
    if (!sameToken(formField(request, '_csrf'), request.csrfToken!)) return csrfRejected(request, reply);
  });
}

/** Only for a logged-in user with this role or more (an officer may do what staff may). */
export function requireRole(role: Role): preHandlerAsyncHookHandler {
  return async function requireAdminRole(request, reply) {
    const user = request.adminUser;
    if (!user) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.redirect(`/admin/login?next=${encodeURIComponent(request.url)}`, 302);
      }
      return unauthorized(request, reply);
    }
    if (role === 'officer' && user.role !== 'officer') {
      request.log.info({ userId: user.id, need: role }, 'admin page refused: role');
      if (!wantsHtml(request)) return sendJsonError(reply, 403, 'FORBIDDEN', 'This needs the officer role.');
      const en = user.language === 'en';
      return sendAdminPage(
        reply,
        AccessPage({
          title: en ? 'No access' : 'Geen toegang',
          text: en
            ? 'This page is for the data protection officer only.'
            : 'Deze pagina is alleen voor de functionaris gegevensbescherming.',
          user,
          csrf: request.csrfToken!,
        }),
        403,
      );
    }
  };
}

/** Options for the session cookie: httpOnly, SameSite=Lax, Secure behind https, only sent to /admin. */
export function sessionCookieOptions(baseUrl: string) {
  return {
    path: '/admin',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: baseUrl.startsWith('https://'),
  };
}

/** The device cookie: only the login routes read it, no script can, and it lasts as long as it is valid. */
export function deviceCookieOptions(baseUrl: string) {
  return {
    ...sessionCookieOptions(baseUrl),
    path: '/admin/login',
    sameSite: 'strict' as const,
    maxAge: DEVICE_COOKIE_VALID_MS / 1000,
  };
}

/** The pre-session nonce for the login and setup forms; set when missing. Returns the form token. */
export function preSessionCsrf(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { admin: AdminServices; baseUrl: string },
): string {
  let nonce = request.cookies?.[PRE_SESSION_COOKIE];
  if (!nonce || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
    nonce = newToken();
    reply.setCookie(PRE_SESSION_COOKIE, nonce, { ...sessionCookieOptions(deps.baseUrl), maxAge: 60 * 60 });
  }
  return deps.admin.sessions.preSessionCsrf(nonce);
}

/** Whether a login or setup form came with the token bound to this browser's pre-session cookie. */
export function preSessionCsrfValid(request: FastifyRequest, admin: AdminServices): boolean {
  const nonce = request.cookies?.[PRE_SESSION_COOKIE];
  return !!nonce && sameToken(formField(request, '_csrf'), admin.sessions.preSessionCsrf(nonce));
}

export function formField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function unauthorized(request: FastifyRequest, reply: FastifyReply) {
  if (!wantsHtml(request)) return sendJsonError(reply, 401, 'UNAUTHORIZED', 'Log in first.');
  const lang = langOf(request);
  return sendAdminPage(
    reply,
    AccessPage({
      lang,
      ...REFUSALS[lang].loggedOut,
      link: { href: '/admin/login', label: REFUSALS[lang].toLogin },
    }),
    401,
  );
}

/** A form without the session's token: possibly another site posting in the user's name. */
export function csrfRejected(request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ path: pathOf(request) }, 'admin form refused: csrf');
  if (!wantsHtml(request)) return sendJsonError(reply, 403, 'FORBIDDEN', 'The form token is missing or wrong.');
  const lang = langOf(request);
  return sendAdminPage(
    reply,
    AccessPage({ lang, ...REFUSALS[lang].csrf, link: { href: '/admin', label: REFUSALS[lang].toDashboard } }),
    403,
  );
}

const REFUSALS = {
  nl: {
    loggedOut: { title: 'Niet ingelogd', text: 'Uw sessie is verlopen of u bent niet ingelogd. Log opnieuw in.' },
    csrf: {
      title: 'Formulier niet geaccepteerd',
      text: 'Dit formulier is verlopen of kwam niet van deze site. Er is niets gewijzigd. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
    },
    toLogin: 'Naar inloggen',
    toDashboard: 'Naar het overzicht',
  },
  en: {
    loggedOut: {
      title: 'Not logged in',
      text: 'Your session has ended or you are not logged in. Please log in again.',
    },
    csrf: {
      title: 'Form not accepted',
      text: 'This form has expired or did not come from this site. Nothing was changed. Go back, reload the page and try again.',
    },
    toLogin: 'To the login page',
    toDashboard: 'To the dashboard',
  },
} as const;

function sendJsonError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send({ error: { code, message } });
}
