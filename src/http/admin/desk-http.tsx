import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import { buildDesk, type DeskSources } from '../../admin/desk.build.ts';
import type { DeskRepository } from '../../admin/desk.repository.ts';
import type { Desk } from '../../admin/desk.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import type { JobRepository } from '../../jobs/job.repository.ts';
import type { HandlingService } from '../../requests/handling.service.ts';
import { AdminPage, sendAdminPage } from './admin-layout.tsx';

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

export type FormResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Validates a posted form with zod; the first problem is named by its field, for the page to show. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, field: String(issue?.path[0] ?? 'body'), message: issue?.message ?? 'is invalid' };
}

/** Looks like an e-mail address: such text may not go into the audit trail (reasons are recorded there). */
export const LOOKS_LIKE_EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/;
