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
  doneMessage,
  parseForm,
  refuseCrossSite,
  roleOf,
  sendDeskNotFound,
  sendDeskPage,
} from './desk-http.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';
import type { PageMessage } from './desk-parts.tsx';
import { problemText } from './desk-problems.ts';
import { DECISION_LABEL, typeLabel } from './desk-words.ts';
import { type EntryRouteDeps, registerRequestEntryRoutes } from './request-entry.routes.tsx';
import { RequestPage } from './request-page.tsx';
import { LIST_CHANNELS, LIST_STATES, RequestListPage } from './request-pages.tsx';
import { requireRole } from './session.ts';
import { registerTaskRoutes } from './tasks.routes.tsx';

const PAGE_SIZE = 50;
const page = z.coerce.number().int().min(1).max(100_000).catch(1);
const ListQuery = z.object({
  status: z.enum(LIST_STATES).catch('open'),
  type: RequestType.optional().catch(undefined),
  channel: z.enum(LIST_CHANNELS).optional().catch(undefined),
  page,
});
const IdParams = z.object({ id: oneLine().min(1).max(100) });
const Reason = z.object({ reason: multiLine().trim().min(1).max(2000) });
const Note = z.object({
  note: multiLine().trim().max(2000).optional(),
  /** For an access task: what the processor gave, passed on to the person as the next part of the answer. */
  answer: multiLine().trim().max(100_000).optional(),
  nothingHeld: z.literal('on').optional(),
});
const DECISIONS = ['approve', 'reject', 'extend', 'verify-identity', 'lift'] as const satisfies readonly Decision[];

const DONE_TEXT: Record<DeskLang, Record<string, string>> = {
  nl: {
    approve: 'Goedgekeurd; het verzoek wordt nu uitgevoerd.',
    reject: 'Afgewezen; de persoon krijgt de reden per e-mail.',
    extend: 'De termijn is verlengd; de persoon krijgt de reden per e-mail.',
    'verify-identity': 'Identiteit gecontroleerd; het verzoek wordt nu uitgevoerd.',
    lift: 'De opheffing van de beperking is vastgelegd; de persoon krijgt eerst bericht.',
    task: 'De taak is afgerond.',
    entered: 'Het verzoek is ingevoerd; de persoon krijgt een bevestigingslink per e-mail.',
    'entered-checked': 'Het verzoek is ingevoerd en wordt nu uitgevoerd; uw identiteitscontrole is vastgelegd.',
    started: 'Het verzoek is namens de persoon gestart en wordt nu uitgevoerd; vastgelegd is dat u het startte.',
    joined: 'Er stond al een open verzoek van dit recht voor dit adres: dit is dat verzoek.',
  },
  en: {
    approve: 'Approved; the request is being carried out now.',
    reject: 'Declined; the person gets the reason by e-mail.',
    extend: 'The deadline was extended; the person gets the reason by e-mail.',
    'verify-identity': 'Identity checked; the request is being carried out now.',
    lift: 'Lifting the restriction is recorded; the person is told first.',
    task: 'The task is done.',
    entered: 'The request was entered; the person gets a confirmation link by e-mail.',
    'entered-checked': 'The request was entered and is being carried out now; your identity check is recorded.',
    started:
      'The request was started on behalf of the person and is being carried out; it is recorded that you started it.',
    joined: 'There was an open request of this right for this address already: this is that request.',
  },
};

const SAY = {
  nl: {
    noRequest: (id: string) => `Er is geen verzoek met kenmerk ${id}.`,
    noTask: 'Deze taak bestaat niet.',
    title: (type: string, id: string) => `${type} · verzoek ${id}`,
    needsReason: (d: string, problem: string) => `${d}: vul een reden in (${problem}).`,
    cannot: (d: string, why: string) => `${d} kan niet: ${why}.`,
    taskProblem: (why: string) => `De taak afronden kan niet: ${why}.`,
    list: 'Verzoeken',
  },
  en: {
    noRequest: (id: string) => `There is no request with reference ${id}.`,
    noTask: 'This task does not exist.',
    title: (type: string, id: string) => `${type} · request ${id}`,
    needsReason: (d: string, problem: string) => `${d}: give a reason (${problem}).`,
    cannot: (d: string, why: string) => `${d} is not possible: ${why}.`,
    taskProblem: (why: string) => `The task cannot be closed: ${why}.`,
    list: 'Requests',
  },
};

/**
 * The register and one request's page with its decisions. Staff may see the list (no personal data in
 * it); a request's page, its decisions and its export are the officer's. Every look and every decision
 * is audited; a decision redirects back (303) with its confirmation, so that a reload does not post it again.
 */
export function registerDeskRequestRoutes(
  app: FastifyInstance,
  deps: DeskRouteDeps & EntryRouteDeps & { shopifyWebhooks: ShopifyWebhooks },
): void {
  const context = deskContext(deps);
  const { desk } = context;
  registerRequestEntryRoutes(app, deps);
  registerTaskRoutes(app, context);

  app.get('/admin/requests', { preHandler: requireRole('staff') }, async (request, reply) => {
    const lang = langOf(request);
    const filter = ListQuery.parse(request.query ?? {});
    const { rows, total } = await desk.listRequests({
      open: filter.status === 'open',
      overdueAt: filter.status === 'overdue' ? deps.clock.now().toISOString() : undefined,
      type: filter.type,
      channel: filter.channel,
      limit: PAGE_SIZE,
      offset: (filter.page - 1) * PAGE_SIZE,
    });
    return sendDeskPage(request, reply, {
      title: SAY[lang].list,
      active: 'requests',
      body: (
        <RequestListPage
          rows={rows}
          total={total}
          pageSize={PAGE_SIZE}
          filter={filter}
          linked={roleOf(request) === 'officer'}
          lang={lang}
        />
      ),
    });
  });

  const showRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    message?: PageMessage,
  ) => {
    const lang = langOf(request);
    const view = await desk.request(id);
    // Google Analytics keeps no addresses: the officer needs the ids the shop reported to do its task by hand.
    const analyticsIds: Record<string, KnownAnalyticsIds> = {};
    for (const t of view.tasks.filter((t) => t.status === 'open')) {
      const ids = await deps.handling.analyticsIdsForTask(t.id);
      if (ids && ids.clientIds.length + ids.userIds.length > 0) analyticsIds[t.id] = ids;
    }
    return sendDeskPage(request, reply, {
      title: SAY[lang].title(typeLabel(view.request.type, lang), id.slice(0, 8)),
      active: 'requests',
      status,
      body: (
        <RequestPage
          view={view}
          csrf={request.csrfToken ?? ''}
          lang={lang}
          names={context.names(lang)}
          holds={deps.policy().retention.rules}
          message={message}
          analyticsIds={analyticsIds}
        />
      ),
    });
  };

  // Viewing is audited, so another site may not make the officer's browser open a request (see refuseCrossSite).
  app.get('/admin/requests/:id', { preHandler: [requireRole('officer'), refuseCrossSite] }, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const found = await deps.requests.get(id);
    if (!found) return sendDeskNotFound(request, reply, SAY[langOf(request)].noRequest(id));
    await deps.audit.record({
      actor: actorOf(request),
      action: 'request.view',
      target: `request:${id}`,
      subjectRef: found.subjectRef ?? undefined,
    });
    return showRequest(request, reply, id, 200, doneMessage(request, DONE_TEXT[langOf(request)]));
  });

  for (const decision of DECISIONS) {
    app.post(`/admin/requests/:id/${decision}`, { preHandler: requireRole('officer') }, async (request, reply) => {
      const lang = langOf(request);
      const { id } = parseInput(IdParams, request.params, 'params');
      const before = await deps.requests.get(id);
      if (!before) return sendDeskNotFound(request, reply, SAY[lang].noRequest(id));
      let reason: string | undefined;
      if (decision === 'reject' || decision === 'extend') {
        const form = parseForm(Reason, request.body, lang);
        if (!form.ok) {
          const text = SAY[lang].needsReason(DECISION_LABEL[lang][decision], form.message);
          return showRequest(request, reply, id, 400, { kind: 'error', text });
        }
        reason = form.value.reason;
      }
      try {
        await decide(deps.handling, decision, id, reason);
      } catch (err) {
        if (err instanceof InzageError && (err.code === 'CONFLICT' || err.code === 'VALIDATION_FAILED')) {
          const text = SAY[lang].cannot(DECISION_LABEL[lang][decision], problemText(err.message, lang, err.field));
          return showRequest(request, reply, id, err.status, { kind: 'error', text });
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
    const lang = langOf(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const form = parseForm(Note, request.body, lang);
    const task = await deps.requests.task(id);
    if (!task) return sendDeskNotFound(request, reply, SAY[lang].noTask);
    const back =
      (request.body as { back?: unknown } | undefined)?.back === 'tasks' ? '/admin/tasks?done=task' : undefined;
    if (isShopifyTask(task)) {
      // A task from a Shopify webhook (shop/redact) belongs to no request: it is closed, and the desk shows the rest.
      await deps.shopifyWebhooks.completeTask(id, (form.ok && form.value.note) || null);
      await deps.audit.record({ actor: actorOf(request), action: 'task.done', target: `task:${id}`, details: {} });
      return reply.redirect(back ?? '/admin?done=task#open-tasks', 303);
    }
    if (!form.ok)
      return showRequest(request, reply, task.request_id, 400, {
        kind: 'error',
        text: SAY[lang].taskProblem(form.message),
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
          text: SAY[lang].taskProblem(problemText(err.message, lang, err.field)),
        });
      throw err;
    }
    await deps.audit.record({
      actor: actorOf(request),
      action: 'task.done',
      target: `task:${id}`,
      details: { requestId: updated.id, requestStatus: updated.status },
    });
    return reply.redirect(back ?? `/admin/requests/${updated.id}?done=task#next`, 303);
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
