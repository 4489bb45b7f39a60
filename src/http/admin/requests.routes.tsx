import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Decision } from '../../admin/desk.ts';
import { InzageError } from '../../lib/errors.ts';
import { multiLine, oneLine } from '../../lib/text-input.ts';
import type { KnownAnalyticsIds } from '../../requests/analytics-ids.ts';
import type { HandlingService } from '../../requests/handling.service.ts';
import { RequestType } from '../../requests/request.types.ts';
import { isShopifyTask, type ShopifyWebhooks } from '../../shopify/shopify-webhooks.ts';
import { parseInput } from '../api/api-route.ts';
import {
  actorOf,
  type DeskRouteDeps,
  deskContext,
  parseForm,
  refuseCrossSite,
  roleOf,
  sendDeskNotFound,
  sendDeskPage,
} from './desk-http.tsx';
import { DECISION_LABEL, typeLabel } from './desk-words.ts';
import { type EntryRouteDeps, registerRequestEntryRoutes } from './request-entry.routes.tsx';
import { RequestListPage, RequestPage } from './request-pages.tsx';
import { requireRole } from './session.ts';

const ListQuery = z.object({
  status: z.enum(['open', 'all']).default('open'),
  type: z.union([RequestType, z.literal('').transform(() => undefined)]).optional(),
});
const IdParams = z.object({ id: oneLine().min(1).max(100) });
const Reason = z.object({
  reason: multiLine({ error: 'is required' })
    .trim()
    .min(1, { error: 'is required: give the reasons, they go to the person' })
    .max(2000),
});
const Note = z.object({
  note: multiLine().trim().max(2000).optional(),
  /** For an access task: what the processor gave, passed on to the person as the next part of the answer. */
  answer: multiLine().trim().max(100_000).optional(),
  nothingHeld: z.literal('on').optional(),
});
const DECISIONS = ['approve', 'reject', 'extend', 'verify-identity', 'lift'] as const satisfies readonly Decision[];

const DONE_TEXT: Record<string, string> = {
  approve: 'Goedgekeurd; het verzoek wordt nu uitgevoerd.',
  reject: 'Afgewezen; de persoon krijgt de reden per e-mail.',
  extend: 'De termijn is verlengd; de persoon krijgt de reden per e-mail.',
  'verify-identity': 'Identiteit gecontroleerd; het verzoek wordt nu uitgevoerd.',
  lift: 'De beperking is opgeheven.',
  task: 'De taak is afgerond.',
  entered: 'Het verzoek is ingevoerd; de persoon krijgt een bevestigingslink per e-mail.',
  'entered-checked': 'Het verzoek is ingevoerd en wordt nu uitgevoerd; uw identiteitscontrole is vastgelegd.',
  joined: 'Er stond al een open verzoek van dit recht voor dit adres: dit is dat verzoek.',
};

/**
 * The register and one request's page with its decisions. Staff may see the list (no personal data in
 * it); a request's page, its decisions and its export are the officer's. Every look and every decision
 * is audited; a decision redirects back (303) so that a reload does not post it again.
 */
export function registerDeskRequestRoutes(
  app: FastifyInstance,
  deps: DeskRouteDeps & EntryRouteDeps & { shopifyWebhooks: ShopifyWebhooks },
): void {
  const { desk } = deskContext(deps);
  registerRequestEntryRoutes(app, deps);

  app.get('/admin/requests', { preHandler: requireRole('staff') }, async (request, reply) => {
    const q = ListQuery.safeParse(request.query ?? {});
    const filter = q.success ? q.data : { status: 'open' as const, type: undefined };
    const rows = await desk.listRequests({ open: filter.status === 'open', type: filter.type });
    return sendDeskPage(request, reply, {
      title: 'Verzoeken',
      active: 'requests',
      body: <RequestListPage rows={rows} filter={filter} linked={roleOf(request) === 'officer'} />,
    });
  });

  const showRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    message?: { kind: 'ok' | 'error'; text: string },
  ) => {
    const view = await desk.request(id);
    // Google Analytics keeps no addresses: the officer needs the ids the shop reported to do its task by hand.
    const analyticsIds: Record<string, KnownAnalyticsIds> = {};
    for (const t of view.tasks.filter((t) => t.status === 'open')) {
      const ids = await deps.handling.analyticsIdsForTask(t.id);
      if (ids && ids.clientIds.length + ids.userIds.length > 0) analyticsIds[t.id] = ids;
    }
    return sendDeskPage(request, reply, {
      title: `${typeLabel(view.request.type)} · verzoek ${id.slice(0, 8)}`,
      active: 'requests',
      status,
      body: <RequestPage view={view} csrf={request.csrfToken ?? ''} message={message} analyticsIds={analyticsIds} />,
    });
  };

  // Viewing is audited, so another site may not make the officer's browser open a request (see refuseCrossSite).
  app.get('/admin/requests/:id', { preHandler: [requireRole('officer'), refuseCrossSite] }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const done = (request.query as { done?: string } | undefined)?.done;
    const found = await deps.requests.get(id);
    if (!found) return sendDeskNotFound(request, reply, `Er is geen verzoek ${id}.`);
    await deps.audit.record({
      actor: actorOf(request),
      action: 'request.view',
      target: `request:${id}`,
      subjectRef: found.subjectRef ?? undefined,
    });
    return showRequest(
      request,
      reply,
      id,
      200,
      done && DONE_TEXT[done] ? { kind: 'ok', text: DONE_TEXT[done] } : undefined,
    );
  });

  for (const decision of DECISIONS) {
    app.post(`/admin/requests/:id/${decision}`, { preHandler: requireRole('officer') }, async (request, reply) => {
      const { id } = parseInput(IdParams, request.params, 'params');
      const before = await deps.requests.get(id);
      if (!before) return sendDeskNotFound(request, reply, `Er is geen verzoek ${id}.`);
      let reason: string | undefined;
      if (decision === 'reject' || decision === 'extend') {
        const form = parseForm(Reason, request.body);
        if (!form.ok) {
          const text = `${DECISION_LABEL[decision]}: vul een reden in (veld "${form.field}": ${form.message}).`;
          return showRequest(request, reply, id, 400, { kind: 'error', text });
        }
        reason = form.value.reason;
      }
      try {
        await decide(deps.handling, decision, id, reason);
      } catch (err) {
        if (err instanceof InzageError && err.code === 'CONFLICT') {
          const text = `${DECISION_LABEL[decision]} kan niet: ${err.message}`;
          return showRequest(request, reply, id, 409, { kind: 'error', text });
        }
        throw err;
      }
      // Reasons go to the person and may name them; the trail keeps that a reason was given, not what it said.
      await deps.audit.record({
        actor: actorOf(request),
        action: `request.${decision}`,
        target: `request:${id}`,
        subjectRef: before.subjectRef ?? undefined,
        details: { type: before.type, from: before.status, ...(reason ? { reasonGiven: true } : {}) },
      });
      return reply.redirect(`/admin/requests/${id}?done=${decision}`, 303);
    });
  }

  app.post('/admin/tasks/:id/done', { preHandler: requireRole('officer') }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const form = parseForm(Note, request.body);
    const task = await deps.requests.task(id);
    if (!task) return sendDeskNotFound(request, reply, `Er is geen taak ${id}.`);
    if (isShopifyTask(task)) {
      // A task from a Shopify webhook (shop/redact) belongs to no request: it is closed, and the desk shows the rest.
      await deps.shopifyWebhooks.completeTask(id, (form.ok && form.value.note) || null);
      await deps.audit.record({ actor: actorOf(request), action: 'task.done', target: `task:${id}`, details: {} });
      return reply.redirect('/admin?done=task#open-tasks', 303);
    }
    if (!form.ok)
      return showRequest(request, reply, task.request_id, 400, {
        kind: 'error',
        text: `Taak afronden kan niet: veld "${form.field}": ${form.message}.`,
      });
    const { note, answer, nothingHeld } = form.value;
    let updated: Awaited<ReturnType<typeof deps.handling.completeTask>>;
    try {
      updated = await deps.handling.completeTask(
        id,
        note || undefined,
        nothingHeld ? { kind: 'nothing-held' } : answer ? { kind: 'text', text: answer } : undefined,
      );
    } catch (err) {
      if (err instanceof InzageError && err.code === 'VALIDATION_FAILED')
        return showRequest(request, reply, task.request_id, 400, {
          kind: 'error',
          text: 'Taak afronden kan niet: vul in wat de verwerker over de persoon heeft, of vink aan dat hij niets heeft. De persoon krijgt dat als deel van het antwoord.',
        });
      throw err;
    }
    await deps.audit.record({
      actor: actorOf(request),
      action: 'task.done',
      target: `task:${id}`,
      details: { requestId: updated.id, requestStatus: updated.status },
    });
    return reply.redirect(`/admin/requests/${updated.id}?done=task#tasks`, 303);
  });

  // A POST with the session's form token: the download is audited, and a GET could be started by another site.
  app.post('/admin/requests/:id/export', { preHandler: requireRole('officer') }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const found = await deps.requests.get(id);
    const file = found && (await desk.exportPackage(id));
    if (!found || !file) throw new InzageError('NOT_FOUND', 'There is no export package for this request (any more).');
    await deps.audit.record({
      actor: actorOf(request),
      action: 'export.download',
      target: `request:${id}`,
      subjectRef: found.subjectRef ?? undefined,
      details: { bytes: file.zip.length },
    });
    return reply
      .type('application/zip')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`)
      .send(file.zip);
  });
}

async function decide(handling: HandlingService, decision: Decision, id: string, reason?: string): Promise<void> {
  switch (decision) {
    case 'approve':
      return handling.approve(id);
    case 'reject':
      return handling.reject(id, reason!);
    case 'extend':
      await handling.extend(id, reason!);
      return;
    case 'verify-identity':
      return handling.verifyIdentity(id);
    case 'lift':
      await handling.lift(id);
      return;
  }
}
