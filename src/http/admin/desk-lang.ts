import type { FastifyReply, FastifyRequest } from 'fastify';

/** The back office speaks Dutch, unless the officer chose English. */
export type DeskLang = 'nl' | 'en';

/**
 * The language chosen before logging in (the login and setup pages) and kept for the next visit; after
 * login the account's own choice wins. Limited to /admin, readable by no script.
 */
export const LANG_COOKIE = 'inzage_admin_lang';

const asLang = (value: unknown): DeskLang | undefined => (value === 'en' || value === 'nl' ? value : undefined);

/** The language of this page: the account's choice, else the browser's earlier choice, else Dutch. */
export function langOf(request: FastifyRequest): DeskLang {
  return request.adminUser?.language ?? asLang(request.cookies?.[LANG_COOKIE]) ?? 'nl';
}

/** Remembers a language chosen on a page before login (`?lang=en`), for this browser. */
export function rememberLang(request: FastifyRequest, reply: FastifyReply, secure: boolean): DeskLang {
  const chosen = asLang((request.query as { lang?: unknown } | undefined)?.lang);
  if (!chosen) return langOf(request);
  setLangCookie(reply, chosen, secure);
  return chosen;
}

/** Sets this browser's language cookie (a year, /admin only, no script can read it). */
export function setLangCookie(reply: FastifyReply, lang: DeskLang, secure: boolean): void {
  reply.setCookie(LANG_COOKIE, lang, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: 365 * 24 * 3600,
  });
}
