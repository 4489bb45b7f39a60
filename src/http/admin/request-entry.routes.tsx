import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { InzageError } from '../../lib/errors.ts';
import { dayInAmsterdam } from '../../lib/legal-period.ts';
import { objectablePurposes } from '../../policy/objections.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { correctionsFromPairs, type OfficerIntake } from '../../requests/officer-intake.ts';
import { actorOf, sendDeskPage } from './desk-http.tsx';
import { type EntryValues, RequestEntryPage } from './request-entry-page.tsx';
import { requireRole } from './session.ts';

export interface EntryRouteDeps {
  officerIntake: OfficerIntake;
  clock: Clock;
  policy: () => Policy;
}

// The form as posted; what each field may hold is the intake's to check (it names the field at fault).
const EntryForm = z.object({
  type: z.string().default(''),
  email: z.string().default(''),
  name: z.string().optional(),
  received: z.string().optional(),
  channel: z.string().optional(),
  message: z.string().optional(),
  corrections: z.string().optional(),
  // Checkboxes: absent, once, or several times.
  purposes: z.union([z.string(), z.array(z.string())]).optional(),
  language: z.enum(['nl', 'en']).catch('nl'),
  identityChecked: z.string().optional(),
});

/**
 * The officer enters a request that came by e-mail, post, phone or in person (GET the form, POST it).
 * The intake records it, with its audit entry, in one transaction; the page redirects (303) to the request.
 */
export function registerRequestEntryRoutes(app: FastifyInstance, deps: EntryRouteDeps): void {
  const sendForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: EntryValues,
    status = 200,
    problem?: { field: string; message: string },
  ) =>
    sendDeskPage(request, reply, {
      title: 'Verzoek invoeren',
      active: 'requests',
      status,
      body: (
        <RequestEntryPage
          csrf={request.csrfToken ?? ''}
          values={values}
          today={dayInAmsterdam(deps.clock.now())}
          objectable={objectablePurposes(deps.policy()).map((p) => ({ id: p.id, name: p.name.nl }))}
          problem={problem}
        />
      ),
    });

  app.get('/admin/requests/new', { preHandler: requireRole('officer') }, (request, reply) =>
    sendForm(request, reply, {}),
  );

  app.post('/admin/requests', { preHandler: requireRole('officer') }, async (request, reply) => {
    const parsed = EntryForm.safeParse(request.body ?? {});
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'form');
      return sendForm(request, reply, {}, 400, { field, message: 'is given more than once or is not text' });
    }
    const form = parsed.data;
    const purposes = form.purposes === undefined ? [] : [form.purposes].flat();
    const values: EntryValues = { ...form, purposes: purposes.join('\n') };
    try {
      const entered = await deps.officerIntake.enter(
        {
          type: form.type,
          email: form.email,
          name: form.name?.trim() || undefined,
          message: form.message?.trim() || undefined,
          received: form.received?.trim() || undefined,
          channel: form.channel || undefined,
          corrections: correctionsFromPairs((form.corrections ?? '').split(/\r?\n/)),
          purposes,
          language: form.language,
          identityChecked: form.identityChecked === 'on',
        },
        actorOf(request),
      );
      const done = entered.joined ? 'joined' : entered.status === 'verified' ? 'entered-checked' : 'entered';
      return reply.redirect(`/admin/requests/${entered.id}?done=${done}`, 303);
    } catch (err) {
      if (err instanceof InzageError && err.code === 'VALIDATION_FAILED')
        return sendForm(request, reply, values, 400, { field: err.field ?? 'form', message: err.message });
      throw err;
    }
  });
}
