import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { approveRetentionPlan } from '../../admin/retention-approval.ts';
import { InzageError } from '../../lib/errors.ts';
import { oneLine } from '../../lib/text-input.ts';
import { type BreachRegister, breachClock, breachClockText } from '../../registers/breaches.ts';
import type { ScanRun } from '../../scan/scan.repository.ts';
import { type BreachRow, DashboardPage } from './dashboard-page.tsx';
import { actorOf, type DeskRouteDeps, deskContext, parseForm, roleOf, sendDeskPage } from './desk-http.tsx';
import { DESK_CSS_PATH } from './desk-parts.tsx';
import { requireRole } from './session.ts';

const DESK_CSS = readFileSync(new URL('./desk.css', import.meta.url), 'utf8');

const Approval = z.object({ planId: oneLine({ error: 'is required' }).min(1).max(100) });

/** The breach register as the dashboard reads it (services.registers.breaches). */
export interface DashboardSources {
  registers?: { breaches: Pick<BreachRegister, 'openBreaches'> };
  /** The daily cookie scan (services.scans). */
  scans?: { latest(): Promise<ScanRun | undefined> };
}

/** Open breaches with their 72-hour clock, deadline first. */
async function openBreaches(deps: DeskRouteDeps & DashboardSources): Promise<BreachRow[] | undefined> {
  const register = deps.registers?.breaches;
  if (!register) return undefined;
  const now = deps.clock.now();
  return (await register.openBreaches()).map((b) => {
    const clock = breachClock(b, now);
    return {
      id: b.id,
      summary: b.summary,
      discoveredAt: b.discoveredAt,
      deadline: clock.deadline.toISOString(),
      overdue: clock.overdue,
      settled: clock.notified || clock.waived,
      clockText: breachClockText(clock),
    };
  });
}

/**
 * The dashboard (`GET /admin`, staff and officer; staff see no registers or retention controls) and
 * the officer's approval of a waiting retention plan, which queues the run as a job and is audited.
 */
export function registerAdminHomeRoutes(app: FastifyInstance, deps: DeskRouteDeps & DashboardSources): void {
  const { desk, repository } = deskContext(deps);
  app.get(DESK_CSS_PATH, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(DESK_CSS),
  );

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    message?: { kind: 'ok' | 'error'; text: string },
  ) => {
    const role = roleOf(request);
    const view = await desk.dashboard();
    const breaches = role === 'officer' ? await openBreaches(deps) : undefined;
    const scan = role === 'officer' ? await deps.scans?.latest() : undefined;
    return sendDeskPage(request, reply, {
      title: 'Overzicht',
      active: 'dashboard',
      status,
      body: (
        <DashboardPage
          view={view}
          role={role}
          csrf={request.csrfToken ?? ''}
          breaches={breaches}
          message={message}
          scan={scan}
        />
      ),
    });
  };

  app.get('/admin', { preHandler: requireRole('staff') }, async (request, reply) => {
    const approved = (request.query as { approved?: string } | undefined)?.approved;
    return show(
      request,
      reply,
      200,
      approved ? { kind: 'ok', text: 'De run is goedgekeurd en in de wachtrij gezet.' } : undefined,
    );
  });

  app.post('/admin/retention/approve', { preHandler: requireRole('officer') }, async (request, reply) => {
    const form = parseForm(Approval, request.body);
    if (!form.ok) return show(request, reply, 400, { kind: 'error', text: `planId: ${form.message}` });
    const { planId } = form.value;
    try {
      await deps.store.db.transaction().execute(async (trx) => {
        await approveRetentionPlan({ desk: repository, jobs: deps.jobs }, planId, trx);
        await deps.audit.record(
          { actor: actorOf(request), action: 'retention.approve', target: `retention:${planId}` },
          trx,
        );
      });
    } catch (err) {
      if (err instanceof InzageError && (err.code === 'CONFLICT' || err.code === 'NOT_FOUND')) {
        return show(request, reply, err.status, { kind: 'error', text: `Goedkeuren kan niet: ${err.message}` });
      }
      throw err;
    }
    return reply.redirect('/admin?approved=1', 303);
  });
}
