import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { reviewRetention } from '../../admin/desk-retention.ts';
import { approveRetentionPlan } from '../../admin/retention-approval.ts';
import { InzageError } from '../../lib/errors.ts';
import { oneLine } from '../../lib/text-input.ts';
import { type BreachRegister, breachClock, breachClockText } from '../../registers/breaches.ts';
import type { ScanRun } from '../../scan/scan.repository.ts';
import { type BreachRow, DashboardPage } from './dashboard-page.tsx';
import {
  actorOf,
  type DeskRouteDeps,
  deskContext,
  doneMessage,
  parseForm,
  refuseCrossSite,
  roleOf,
  sendDeskPage,
} from './desk-http.tsx';
import { langOf } from './desk-lang.ts';
import { DESK_CSS_PATH, type PageMessage } from './desk-parts.tsx';
import { problemText } from './desk-problems.ts';
import { RetentionPage } from './retention-page.tsx';
import { requireRole } from './session.ts';

const DESK_CSS = readFileSync(new URL('./desk.css', import.meta.url), 'utf8');

const Approval = z.object({
  planId: oneLine().min(1).max(100),
  confirm: oneLine()
    .trim()
    .regex(/^\d{1,9}$/),
  /** The keyed digest of the people the review page showed (RetentionReview.people). */
  reviewed: oneLine()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
const ReviewQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

const W = {
  nl: {
    dashboard: 'Overzicht',
    retention: 'Bewaartermijn: plan ter goedkeuring',
    done: {
      approved: 'De run is goedgekeurd en in de wachtrij gezet.',
      task: 'De taak is afgerond.',
    } as Record<string, string>,
    typeNumber: 'Typ het aantal personen als getal om te bevestigen.',
    wrongNumber: (n: number) =>
      `Niet goedgekeurd: het getal klopt niet. Er zouden nu ${n} personen gewist worden; kijk de lijst opnieuw na.`,
    cannot: (why: string) => `Goedkeuren kan niet: ${why}.`,
    listChanged:
      'Niet goedgekeurd: de lijst is veranderd sinds u hem bekeek (andere personen zouden nu gewist worden). Kijk de lijst hieronder opnieuw na.',
  },
  en: {
    dashboard: 'Dashboard',
    retention: 'Retention: plan for approval',
    done: {
      approved: 'The run is approved and queued.',
      task: 'The task is done.',
    } as Record<string, string>,
    typeNumber: 'Type the number of people as digits to confirm.',
    wrongNumber: (n: number) =>
      `Not approved: the number does not match. ${n} people would be erased now; look at the list again.`,
    cannot: (why: string) => `Approving is not possible: ${why}.`,
    listChanged:
      'Not approved: the list changed since you looked at it (other people would be erased now). Review the list below again.',
  },
};

/** The breach register as the dashboard reads it (services.registers.breaches). */
export interface DashboardSources {
  registers?: { breaches: Pick<BreachRegister, 'openBreaches'> };
  /** The daily cookie scan (services.scans). */
  scans?: { latest(): Promise<ScanRun | undefined> };
}

/** Open breaches with their 72-hour clock, deadline first. */
async function openBreaches(
  deps: DeskRouteDeps & DashboardSources,
  lang: 'nl' | 'en',
): Promise<BreachRow[] | undefined> {
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
      clockText: breachClockText(clock, lang),
    };
  });
}

/**
 * The dashboard (`GET /admin`, staff and officer; staff see no registers or retention controls), and the
 * waiting retention plan: reviewed at `GET /admin/retention` (who and what, to the officer only, audited),
 * approved there with the number of people typed in, which queues the run as a job and is audited.
 */
export function registerAdminHomeRoutes(app: FastifyInstance, deps: DeskRouteDeps & DashboardSources): void {
  const context = deskContext(deps);
  const { desk, repository } = context;
  app.get(DESK_CSS_PATH, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(DESK_CSS),
  );

  app.get('/admin', { preHandler: requireRole('staff') }, async (request, reply) => {
    const role = roleOf(request);
    const lang = langOf(request);
    const view = await desk.dashboard();
    const breaches = role === 'officer' ? await openBreaches(deps, lang) : undefined;
    const scan = role === 'officer' ? await deps.scans?.latest() : undefined;
    // `?approved=1` is the address earlier versions redirected to.
    const approved = (request.query as { approved?: string } | undefined)?.approved;
    const message = approved
      ? { kind: 'ok' as const, text: W[lang].done.approved! }
      : doneMessage(request, W[lang].done);
    return sendDeskPage(request, reply, {
      title: W[lang].dashboard,
      active: 'dashboard',
      body: (
        <DashboardPage
          view={view}
          role={role}
          csrf={request.csrfToken ?? ''}
          lang={lang}
          names={context.names(lang)}
          breaches={breaches}
          message={message}
          scan={scan}
        />
      ),
    });
  });

  const showReview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; message?: PageMessage; typed?: string; page?: number } = {},
  ) => {
    const lang = langOf(request);
    const review =
      deps.retention && deps.executor
        ? await reviewRetention({ desk: repository, retention: deps.retention, executor: deps.executor })
        : undefined;
    if (review)
      await deps.audit.record({
        actor: actorOf(request),
        action: 'retention.review',
        target: `retention:${review.planId}`,
        details: { toErase: review.plan.people.toErase },
      });
    return sendDeskPage(request, reply, {
      title: W[lang].retention,
      active: 'dashboard',
      status: options.status,
      body: (
        <RetentionPage
          review={review}
          policy={deps.policy()}
          page={options.page ?? 1}
          csrf={request.csrfToken ?? ''}
          lang={lang}
          names={context.names(lang)}
          message={options.message}
          typed={options.typed}
        />
      ),
    });
  };

  // The list of people is personal data: viewing it is audited, so another site may not open it for the officer.
  app.get('/admin/retention', { preHandler: [requireRole('officer'), refuseCrossSite] }, async (request, reply) =>
    showReview(request, reply, { page: ReviewQuery.parse(request.query ?? {}).page }),
  );

  app.post('/admin/retention/approve', { preHandler: requireRole('officer') }, async (request, reply) => {
    const lang = langOf(request);
    const form = parseForm(Approval, request.body, lang);
    const typed = (request.body as { confirm?: unknown } | undefined)?.confirm;
    if (!form.ok)
      return showReview(request, reply, {
        status: 400,
        message: { kind: 'error', text: W[lang].typeNumber },
        typed: typeof typed === 'string' ? typed : undefined,
      });
    const { planId } = form.value;
    const confirmed = Number(form.value.confirm);
    // The number must be the one the plan gives now: the officer confirms what they saw, not a guess.
    const planned = deps.retention ? await deps.retention.plan() : undefined;
    const now = planned?.people.toErase;
    if (now !== undefined && now !== confirmed)
      return showReview(request, reply, {
        status: 400,
        message: { kind: 'error', text: W[lang].wrongNumber(now) },
        typed: form.value.confirm,
      });
    // The people must be those the officer saw: as many is not enough (someone passed the term since and
    // someone else became active), and a form without the page's digest reviewed no one.
    const people = planned && deps.retention ? deps.retention.peopleDigest(planned.emails) : undefined;
    if (people !== undefined && people !== form.value.reviewed)
      return showReview(request, reply, {
        status: 409,
        message: { kind: 'error', text: W[lang].listChanged },
      });
    try {
      await deps.store.db.transaction().execute(async (trx) => {
        await approveRetentionPlan(
          { desk: repository, jobs: deps.jobs },
          {
            planId,
            confirmed,
            actor: actorOf(request),
            // Whom the officer approved, as one digest: the run erases them or no one.
            ...(people !== undefined ? { people } : {}),
          },
          trx,
        );
        await deps.audit.record(
          {
            actor: actorOf(request),
            action: 'retention.approve',
            target: `retention:${planId}`,
            details: { confirmed },
          },
          trx,
        );
      });
    } catch (err) {
      if (err instanceof InzageError && ['CONFLICT', 'NOT_FOUND', 'VALIDATION_FAILED'].includes(err.code))
        return showReview(request, reply, {
          status: err.status,
          message: { kind: 'error', text: W[lang].cannot(problemText(err.message, lang, err.field)) },
        });
      throw err;
    }
    return reply.redirect('/admin?done=approved#retention', 303);
  });
}
