import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { InzageError } from '../../lib/errors.ts';
import { dayInAmsterdam } from '../../lib/legal-period.ts';
import { objectablePurposes } from '../../policy/objections.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { correctionsFromPairs, type OfficerIntake } from '../../requests/officer-intake.ts';
import { actorOf, sendDeskPage } from './desk-http.tsx';
import { langOf } from './desk-lang.ts';
import { problemText } from './desk-problems.ts';
import { CORRECTABLE, type EntryValues, RequestEntryPage } from './request-entry-page.tsx';
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
  // One field per role the person wants corrected (`correction_last_name`); `corrections` as field=value lines too.
  ...Object.fromEntries(CORRECTABLE.map((role) => [`correction_${role}`, z.string().optional()])),
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
  ) => {
    const lang = langOf(request);
    return sendDeskPage(request, reply, {
      title: lang === 'en' ? 'Enter a request' : 'Verzoek invoeren',
      active: 'requests',
      status,
      body: (
        <RequestEntryPage
          csrf={request.csrfToken ?? ''}
          values={values}
          today={dayInAmsterdam(deps.clock.now())}
          objectable={objectablePurposes(deps.policy()).map((p) => ({ id: p.id, name: p.name[lang] }))}
          problem={problem}
          lang={lang}
        />
      ),
    });
  };

  app.get('/admin/requests/new', { preHandler: requireRole('officer') }, (request, reply) =>
    sendForm(request, reply, {}),
  );

  app.post('/admin/requests', { preHandler: requireRole('officer') }, async (request, reply) => {
    const parsed = EntryForm.safeParse(request.body ?? {});
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'form');
      const message =
        langOf(request) === 'en'
          ? 'is given more than once or is not text'
          : 'is meer dan eens gegeven of is geen tekst';
      return sendForm(request, reply, {}, 400, { field, message });
    }
    const form = parsed.data as z.output<typeof EntryForm> & Record<string, string | undefined>;
    const purposes = form.purposes === undefined ? [] : [form.purposes].flat();
    const values: EntryValues = { ...form, purposes: purposes.join('\n') };
    const pairs = [
      ...(form.corrections ?? '').split(/\r?\n/),
      ...CORRECTABLE.flatMap((role) => {
        const value = form[`correction_${role}`]?.trim();
        return value ? [`${role}=${value}`] : [];
      }),
    ];
    try {
      const entered = await deps.officerIntake.enter(
        {
          type: form.type,
          email: form.email,
          name: form.name?.trim() || undefined,
          message: form.message?.trim() || undefined,
          received: form.received?.trim() || undefined,
          channel: form.channel || undefined,
          corrections: correctionsFromPairs(pairs),
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
        return sendForm(request, reply, values, 400, {
          field: err.field ?? 'form',
          message: problemText(err.message, langOf(request), err.field),
        });
      throw err;
    }
  });
}
