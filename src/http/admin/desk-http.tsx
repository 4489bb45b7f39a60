import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import { buildDesk, type DeskSources } from '../../admin/desk.build.ts';
import type { DeskRepository } from '../../admin/desk.repository.ts';
import type { Desk } from '../../admin/desk.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { JobRepository } from '../../jobs/job.repository.ts';
import type { HandlingService } from '../../requests/handling.service.ts';
import { AccessPage, AdminPage, sendAdminPage } from './admin-layout.tsx';

/** What the desk's routes use from the app's services. */
export interface DeskRouteDeps extends DeskSources {
  handling: HandlingService;
  jobs: JobRepository;
  audit: AuditTrail;
}

export interface DeskContext {
  desk: Desk;
  repository: DeskRepository;
  deps: DeskRouteDeps;
}

export function deskContext(deps: DeskRouteDeps): DeskContext {
  return { ...buildDesk(deps), deps };
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
    title: 'Niet gevonden',
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
  await sendAdminPage(
    reply,
    AccessPage({
      title: 'Geen toegang',
      text: 'Deze pagina is geopend via een andere site (opened from another site) en wordt daarom niet getoond; er is niets vastgelegd. Wilde u haar zelf openen, gebruik dan de link hieronder.',
      // From our own page the same address is a same-origin visit: one click by the user, as intended.
      link: { href: request.url, label: 'Open de pagina (uw bezoek wordt vastgelegd)' },
      user: request.adminUser,
      csrf: request.csrfToken,
    }),
    403,
  );
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Validates a posted form with zod; the first problem is named by its field, for the page to show. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, field: String(issue?.path[0] ?? 'body'), message: issue?.message ?? 'is invalid' };
}
