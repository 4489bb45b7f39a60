import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminServices } from '../../admin/build.ts';
import { sameToken } from '../../admin/sessions.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { InzageError } from '../../lib/errors.ts';
import { hasControlCharacters, isControlCharacterIssue, oneLine } from '../../lib/text-input.ts';
import { LINK_TOKEN } from '../portal/layout.tsx';
import { registerAccountRoutes } from './account.routes.tsx';
import { AccessPage, sendAdminPage } from './admin-layout.tsx';
import { AUTH_WORDS, LoginPage, lockedText, SetupPage, TotpPage } from './auth-pages.tsx';
import { type DeskLang, langOf, rememberLang } from './desk-lang.ts';
import { problemText } from './desk-problems.ts';
import {
  DEVICE_COOKIE,
  deviceCookieOptions,
  formField,
  installAdminSessions,
  preSessionCsrf,
  preSessionCsrfValid,
  requireRole,
  SESSION_COOKIE,
  sessionCookieOptions,
} from './session.ts';
import { totpQrSvg } from './totp-qr.ts';

export interface AdminAuthDeps {
  admin: AdminServices;
  audit: AuditTrail;
  baseUrl: string;
}

const ADMIN_CSS = readFileSync(new URL('./admin.css', import.meta.url), 'utf8');

/** Where to go after login: only a path inside the back office (no open redirect). */
const NEXT = /^\/admin(?:[/?][^\\\s]*)?$/;
const safeNext = (next: unknown): string | undefined =>
  typeof next === 'string' && NEXT.test(next) && !next.startsWith('//') && !hasControlCharacters(next)
    ? next
    : undefined;

const LoginForm = z.object({
  email: oneLine().trim().max(320),
  password: oneLine().max(1024),
  next: oneLine().max(2000).optional(),
});
const TotpForm = z.object({ code: oneLine().max(20), next: oneLine().max(2000).optional() });
const SetupForm = z.object({
  password: oneLine().max(1024),
  password2: oneLine().max(1024),
  code: oneLine().max(20).optional(),
});
/** What the page says about a form that does not parse: the field, when a control character is the matter. */
function formProblem(error: z.ZodError, otherwise: string, lang: DeskLang): string {
  const issue = error.issues.find(isControlCharacterIssue);
  if (!issue) return otherwise;
  const field = String(issue.path[0] ?? '');
  return AUTH_WORDS[lang].control(AUTH_WORDS[lang].fields[field] ?? field);
}

/**
 * Per client, per route: a person logs in a few times a minute at most. The lockout counts failures per
 * account and client; this caps the rate of everything else (each login costs an scrypt run).
 */
export const LOGIN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' };

const formExpired = (reply: FastifyReply, href: string, lang: DeskLang) =>
  sendAdminPage(
    reply,
    AccessPage({
      lang,
      title: AUTH_WORDS[lang].formExpired,
      text: AUTH_WORDS[lang].formExpiredText,
      link: { href, label: AUTH_WORDS[lang].again },
    }),
    403,
  );

/**
 * Login (password, then the TOTP code), the one-time setup link, logout and logout everywhere.
 * Also installs the session and CSRF hooks for everything under /admin, and serves the stylesheet.
 */
export function registerAdminAuthRoutes(app: FastifyInstance, deps: AdminAuthDeps): void {
  installAdminSessions(app, deps);
  const cookieOptions = sessionCookieOptions(deps.baseUrl);

  app.get('/assets/admin.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ADMIN_CSS),
  );

  const secure = deps.baseUrl.startsWith('https://');

  app.get('/admin/login', async (request, reply) => {
    const query = request.query as { next?: string; bye?: string; ready?: string };
    const next = safeNext(query.next);
    if (request.adminUser) return reply.redirect(next ?? '/admin', 303);
    const lang = rememberLang(request, reply, secure);
    const w = AUTH_WORDS[lang];
    const notice = query.bye ? w.bye : query.ready ? w.ready : undefined;
    return sendAdminPage(reply, LoginPage({ csrf: preSessionCsrf(request, reply, deps), lang, next, notice }));
  });

  app.post('/admin/login', { config: { rateLimit: LOGIN_RATE_LIMIT } }, async (request, reply) => {
    const lang = langOf(request);
    const w = AUTH_WORDS[lang];
    if (!preSessionCsrfValid(request, deps.admin)) return formExpired(reply, '/admin/login', lang);
    const form = LoginForm.safeParse(request.body);
    const csrf = preSessionCsrf(request, reply, deps);
    if (!form.success)
      return sendAdminPage(reply, LoginPage({ csrf, lang, problem: formProblem(form.error, w.fillIn, lang) }), 400);
    const next = safeNext(form.data.next);
    const result = await deps.admin.login.withPassword({
      email: form.data.email,
      password: form.data.password,
      client: request.ip,
      previous: request.cookies[SESSION_COOKIE],
      device: request.cookies[DEVICE_COOKIE],
    });
    const again = (status: number, problem: string) =>
      sendAdminPage(reply, LoginPage({ csrf, lang, next, email: form.data.email, problem }), status);
    switch (result.kind) {
      case 'locked':
        return again(429, lockedText(result.until, lang));
      case 'failed':
      case 'expired':
        return again(401, w.wrong);
      case 'totp':
        reply.setCookie(SESSION_COOKIE, result.pendingToken, cookieOptions);
        return sendAdminPage(reply, TotpPage({ csrf: deps.admin.sessions.csrfFor(result.pendingToken), lang, next }));
      case 'in':
        reply.setCookie(SESSION_COOKIE, result.sessionToken, cookieOptions);
        reply.setCookie(DEVICE_COOKIE, result.deviceCookie, deviceCookieOptions(deps.baseUrl));
        return reply.redirect(next ?? '/admin', 303);
    }
  });

  app.post('/admin/login/totp', { config: { rateLimit: LOGIN_RATE_LIMIT } }, async (request, reply) => {
    const lang = langOf(request);
    const w = AUTH_WORDS[lang];
    const pendingToken = request.cookies[SESSION_COOKIE];
    const form = TotpForm.safeParse(request.body);
    if (!pendingToken || !sameToken(formField(request, '_csrf'), deps.admin.sessions.csrfFor(pendingToken))) {
      return formExpired(reply, '/admin/login', lang);
    }
    const next = safeNext(form.success ? form.data.next : undefined);
    const result = await deps.admin.login.withTotp({
      pendingToken,
      code: form.success ? form.data.code : '',
      client: request.ip,
      device: request.cookies[DEVICE_COOKIE],
    });
    const toLogin = (status: number, problem: string) => {
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return sendAdminPage(
        reply,
        LoginPage({ csrf: preSessionCsrf(request, reply, deps), lang, next, problem }),
        status,
      );
    };
    switch (result.kind) {
      case 'locked':
        return toLogin(429, lockedText(result.until, lang));
      case 'expired':
        return toLogin(401, w.stepExpired);
      case 'failed':
      case 'totp':
        return sendAdminPage(
          reply,
          TotpPage({ csrf: deps.admin.sessions.csrfFor(pendingToken), lang, next, problem: w.wrongCode }),
          401,
        );
      case 'in':
        reply.setCookie(SESSION_COOKIE, result.sessionToken, cookieOptions);
        reply.setCookie(DEVICE_COOKIE, result.deviceCookie, deviceCookieOptions(deps.baseUrl));
        return reply.redirect(next ?? '/admin', 303);
    }
  });

  registerSetupRoutes(app, deps);
  registerAccountRoutes(app, deps);

  app.post('/admin/logout', { preHandler: requireRole('staff') }, async (request, reply) => {
    await deps.admin.login.logout(request.adminSessionToken!, request.adminUser!.id);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/admin/login?bye=1', 303);
  });

  app.post('/admin/logout-everywhere', { preHandler: requireRole('staff') }, async (request, reply) => {
    await deps.admin.login.logoutEverywhere(request.adminUser!.id);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/admin/login?bye=1', 303);
  });
}

function registerSetupRoutes(app: FastifyInstance, deps: AdminAuthDeps): void {
  const secure = deps.baseUrl.startsWith('https://');
  const linkState = (reply: FastifyReply, state: 'expired' | 'used' | 'unknown', lang: DeskLang) => {
    const w = AUTH_WORDS[lang];
    return sendAdminPage(
      reply,
      AccessPage({
        lang,
        title: state === 'expired' ? w.linkExpired : state === 'used' ? w.linkUsed : w.linkUnknown,
        text: state === 'expired' ? w.linkExpiredText : state === 'used' ? w.linkUsedText : w.linkUnknownText,
        link: { href: '/admin/login', label: w.toLogin },
      }),
      state === 'expired' ? 410 : state === 'used' ? 409 : 404,
    );
  };

  const showSetup = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    lang: DeskLang,
    problem?: string,
  ) => {
    const setup = await deps.admin.users.openSetup(token);
    if (setup.state !== 'ready') return linkState(reply, setup.state, lang);
    return sendAdminPage(
      reply,
      SetupPage({
        csrf: preSessionCsrf(request, reply, deps),
        lang,
        token,
        email: setup.account.email,
        role: setup.account.role,
        totpSecret: setup.totpSecret,
        totpUri: setup.totpUri,
        qrSvg: await totpQrSvg(setup.totpUri, AUTH_WORDS[lang].qrLabel),
        problem,
      }),
      problem ? 400 : 200,
    );
  };

  app.get('/admin/setup/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const lang = rememberLang(request, reply, secure);
    if (!LINK_TOKEN.test(token)) return linkState(reply, 'unknown', lang);
    return showSetup(request, reply, token, lang);
  });

  app.post('/admin/setup/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const lang = langOf(request);
    const w = AUTH_WORDS[lang];
    if (!LINK_TOKEN.test(token)) return linkState(reply, 'unknown', lang);
    if (!preSessionCsrfValid(request, deps.admin)) return formExpired(reply, `/admin/setup/${token}`, lang);
    const form = SetupForm.safeParse(request.body);
    if (!form.success) return showSetup(request, reply, token, lang, formProblem(form.error, w.formIncomplete, lang));
    if (form.data.password !== form.data.password2) return showSetup(request, reply, token, lang, w.differ);
    try {
      const account = await deps.admin.users.completeSetup(token, {
        password: form.data.password,
        totpCode: form.data.code,
      });
      // The language chosen on the setup page is the account's from now on.
      if (lang === 'en') await deps.admin.users.setLanguage(account.id, lang);
      await deps.audit.record({
        actor: `user:${account.id}`,
        action: 'user.setup',
        target: `user:${account.id}`,
        details: { role: account.role, totp: account.totp },
      });
      return reply.redirect('/admin/login?ready=1', 303);
    } catch (err) {
      if (err instanceof InzageError && err.code === 'VALIDATION_FAILED')
        return showSetup(request, reply, token, lang, problemText(err.message, lang, err.field));
      if (err instanceof InzageError && err.code === 'CONFLICT') return linkState(reply, 'used', lang);
      throw err;
    }
  });
}
