import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import { buildDesk, type DeskSources } from '../../admin/desk.build.ts';
import type { DeskRepository } from '../../admin/desk.repository.ts';
import type { Desk } from '../../admin/desk.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { DataMap } from '../../datamap/datamap.schema.ts';
import type { JobRepository } from '../../jobs/job.repository.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { HandlingService } from '../../requests/handling.service.ts';
import { AccessPage, AdminPage, sendAdminPage } from './admin-layout.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';
import { type DeskNames, deskNames } from './desk-names.ts';
import { firstIssue } from './desk-problems.ts';

/** What the desk's routes use from the app's services. */
export interface DeskRouteDeps extends DeskSources {
  handling: HandlingService;
  jobs: JobRepository;
  audit: AuditTrail;
  policy: () => Policy;
  /** For the names of systems and collections; absent without a data map. */
  dataMap?: DataMap;
}

export interface DeskContext {
  desk: Desk;
  repository: DeskRepository;
  deps: DeskRouteDeps;
  /** The names the page shows instead of ids, in the language of the page. */
  names: (lang: DeskLang) => DeskNames;
}

export function deskContext(deps: DeskRouteDeps): DeskContext {
  return { ...buildDesk(deps), deps, names: (lang) => deskNames(deps.policy(), deps.dataMap, lang) };
}

/** The audit trail's actor for the signed-in user. */
export const actorOf = (request: FastifyRequest): string => `user:${request.adminUser!.id}`;

export const roleOf = (request: FastifyRequest): 'officer' | 'staff' =>
  request.adminUser?.role === 'officer' ? 'officer' : 'staff';

export interface DeskPage {
  title: string;
  /** The navigation item to mark as current. */
  active?: string;
  body: VNode;
  status?: number;
}

/** Sends a page of the desk inside the back office's frame, with the user's CSRF token for its forms. */
export function sendDeskPage(request: FastifyRequest, reply: FastifyReply, page: DeskPage): FastifyReply {
  return sendAdminPage(
    reply,
    <AdminPage title={page.title} user={request.adminUser!} csrf={request.csrfToken ?? ''} active={page.active}>
      {page.body}
    </AdminPage>,
    page.status,
  );
}

/** A 404 inside the back office's frame (the portal's error page would lose the navigation). */
export function sendDeskNotFound(request: FastifyRequest, reply: FastifyReply, text: string): FastifyReply {
  return sendDeskPage(request, reply, {
    title: langOf(request) === 'en' ? 'Not found' : 'Niet gevonden',
    status: 404,
    body: (
      <p class="desk message" role="alert">
        {text}
      </p>
    ),
  });
}

/**
 * For a GET that writes an audit entry: refuses it when the browser says another site started it.
 * The session cookie is SameSite=Lax, so a link or redirect from elsewhere still carries it; browsers send
 * `Sec-Fetch-Site` with every request, so `cross-site` is refused, while a typed address or bookmark
 * (`none`), our own pages (`same-origin`, `same-site`) and clients that send no such header pass.
 */
export async function refuseCrossSite(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.headers['sec-fetch-site'] !== 'cross-site') return;
  request.log.info({ path: request.url.split('?')[0] }, 'admin page refused: opened from another site');
  const en = langOf(request) === 'en';
  await sendAdminPage(
    reply,
    AccessPage({
      title: en ? 'No access' : 'Geen toegang',
      text: en
        ? 'This page was opened from another site and is therefore not shown; nothing was recorded. If you meant to open it yourself, use the link below.'
        : 'Deze pagina is geopend via een andere site en wordt daarom niet getoond; er is niets vastgelegd. Wilde u haar zelf openen, gebruik dan de link hieronder.',
      // From our own page the same address is a same-origin visit: one click by the user, as intended.
      link: {
        href: request.url,
        label: en ? 'Open the page (your visit is recorded)' : 'Open de pagina (uw bezoek wordt vastgelegd)',
      },
      user: request.adminUser,
      csrf: request.csrfToken,
    }),
    403,
  );
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Validates a posted form with zod; the first problem is named by its field, in the page's language. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown, lang: DeskLang): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, ...firstIssue(parsed.error, lang) };
}

/** The confirmation a page shows after an action redirected to it (`?done=…`), from the page's own words. */
export function doneMessage(
  request: FastifyRequest,
  words: Record<string, string>,
): { kind: 'ok'; text: string } | undefined {
  const done = (request.query as { done?: unknown } | undefined)?.done;
  return typeof done === 'string' && Object.hasOwn(words, done) ? { kind: 'ok', text: words[done]! } : undefined;
}
