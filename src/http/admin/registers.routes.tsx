import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { InzageError } from '../../lib/errors.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { Breach } from '../../registers/breaches.ts';
import type { RegisterServices } from '../../registers/build.ts';
import type { Disclosure } from '../../registers/disclosures.ts';
import { toLocalInput } from '../../registers/register-input.ts';
import { doneMessage, sendDeskNotFound, sendDeskPage } from './desk-http.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';
import { Desk } from './desk-parts.tsx';
import { problemText } from './desk-problems.ts';
import {
  BreachForm,
  DisclosureForm,
  disclosureValues,
  FORM_WORDS,
  type Problems,
  type Values,
} from './register-forms.tsx';
import {
  BreachList,
  DisclosureList,
  type ListFilter,
  ProcessorsRegister,
  REGISTER_PAGE_SIZE,
  REGISTER_WORDS,
  RegistersIndex,
} from './register-pages.tsx';
import { requireRole } from './session.ts';

/**
 * The officer's registers: processors (from the policy), disclosures to authorities, and breaches
 * with their 72-hour clock. Plain forms, no script; a form with a mistake comes back with the field
 * named and nothing saved; a saved form returns to its list with a confirmation. The lists are filtered
 * and paged here: a register holds tens of entries a year, not thousands.
 */

export interface RegisterRouteDeps {
  registers: RegisterServices;
  policy: () => Policy;
  clock: Clock;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const actorOf = (request: FastifyRequest) => `user:${request.adminUser!.id}`;

const ListQuery = z.object({
  status: z.enum(['open', 'closed']).optional().catch(undefined),
  resisted: z.enum(['yes', 'no']).optional().catch(undefined),
  year: z
    .string()
    .regex(/^\d{4}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

const SAVED = {
  nl: {
    created: 'Opgeslagen: de nieuwe regel staat in het register.',
    updated: 'Opgeslagen: de wijziging staat in het register.',
    notFound: 'Deze regel bestaat niet.',
  },
  en: {
    created: 'Saved: the new entry is in the register.',
    updated: 'Saved: the change is in the register.',
    notFound: 'This entry does not exist.',
  },
};

/** The form's problem from a domain error: the field it names, and its message in the page's language. */
function problemOf(err: unknown, lang: DeskLang): Problems | undefined {
  if (!(err instanceof InzageError) || err.code !== 'VALIDATION_FAILED') return undefined;
  const field = err.field ?? '_';
  return { [field]: problemText(err.message, lang, field) };
}

const formBody = (request: FastifyRequest): Values => {
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const { _csrf: _, ...rest } = body as Values;
  return rest;
};

const breachValues = (b: Breach): Values => ({
  discoveredAt: toLocalInput(b.discoveredAt),
  summary: b.summary,
  description: b.description,
  categories: b.categories,
  peopleCount: b.peopleCount === null ? '' : String(b.peopleCount),
  recordsCount: b.recordsCount === null ? '' : String(b.recordsCount),
  consequences: b.consequences,
  measures: b.measures,
  authorityNotifiedAt: toLocalInput(b.authorityNotifiedAt),
  authorityReference: b.authorityReference ?? '',
  authorityReason: b.authorityReason ?? '',
  subjectsNotifiedAt: toLocalInput(b.subjectsNotifiedAt),
  subjectsHow: b.subjectsHow ?? '',
  subjectsReason: b.subjectsReason ?? '',
  closed: b.status === 'closed' ? 'on' : undefined,
});

/** One page of a filtered list, and the years there are to choose from. */
function paged<T>(items: T[], yearOf: (item: T) => string, keep: (item: T) => boolean, filter: ListFilter) {
  const years = [...new Set(items.map(yearOf))].sort().reverse();
  const matching = items.filter((i) => keep(i) && (!filter.year || yearOf(i) === filter.year));
  const start = (filter.page - 1) * REGISTER_PAGE_SIZE;
  return { years, total: matching.length, items: matching.slice(start, start + REGISTER_PAGE_SIZE) };
}

export function registerRegisterRoutes(app: FastifyInstance, deps: RegisterRouteDeps): void {
  const officer = { preHandler: requireRole('officer') };
  const { disclosures, breaches } = deps.registers;
  const idOf = (request: FastifyRequest) => {
    const id = (request.params as { id?: string }).id ?? '';
    return ID.test(id) ? id : undefined;
  };
  const page = (request: FastifyRequest, reply: FastifyReply, title: string, body: VNode, status?: number) =>
    sendDeskPage(request, reply, { title, active: 'registers', body, status });

  app.get('/admin/registers', officer, async (request, reply) => {
    const lang = langOf(request);
    const open = await breaches.openBreaches();
    return page(
      request,
      reply,
      REGISTER_WORDS[lang].registers,
      <RegistersIndex lang={lang} openBreaches={open.length} />,
    );
  });

  app.get('/admin/registers/processors', officer, async (request, reply) => {
    const lang = langOf(request);
    return page(
      request,
      reply,
      REGISTER_WORDS[lang].processors,
      <ProcessorsRegister policy={deps.policy()} lang={lang} />,
    );
  });

  app.get('/admin/registers/disclosures', officer, async (request, reply) => {
    const lang = langOf(request);
    const filter = ListQuery.parse(request.query ?? {});
    const list = paged(
      await disclosures.list(),
      (d) => d.disclosedOn.slice(0, 4),
      (d) => !filter.resisted || d.resisted === (filter.resisted === 'yes'),
      filter,
    );
    return page(
      request,
      reply,
      REGISTER_WORDS[lang].disclosures,
      <DisclosureList {...list} filter={filter} lang={lang} message={doneMessage(request, SAVED[lang])} />,
    );
  });

  const disclosureForm = (request: FastifyRequest, values: Values, problems: Problems = {}, existing?: Disclosure) => {
    const lang = langOf(request);
    return (
      <Desk>
        <DisclosureForm
          request={request}
          lang={lang}
          action={existing ? `/admin/registers/disclosures/${existing.id}` : '/admin/registers/disclosures'}
          values={values}
          problems={problems}
          {...(existing ? { existing } : {})}
        />
      </Desk>
    );
  };
  const breachForm = (request: FastifyRequest, values: Values, problems: Problems = {}, existing?: Breach) => (
    <Desk>
      <BreachForm
        request={request}
        lang={langOf(request)}
        action={existing ? `/admin/registers/breaches/${existing.id}` : '/admin/registers/breaches'}
        values={values}
        problems={problems}
        policy={deps.policy()}
        now={deps.clock.now()}
        {...(existing ? { existing } : {})}
      />
    </Desk>
  );
  const words = (request: FastifyRequest) => FORM_WORDS[langOf(request)];

  app.get('/admin/registers/disclosures/new', officer, async (request, reply) =>
    page(
      request,
      reply,
      words(request).newDisclosure,
      disclosureForm(request, { disclosedOn: deps.clock.now().toISOString().slice(0, 10) }),
    ),
  );

  app.post('/admin/registers/disclosures', officer, async (request, reply) => {
    const values = formBody(request);
    return saveOrShowAgain(
      request,
      reply,
      () => disclosures.create(values, actorOf(request)),
      (problems) => page(request, reply, words(request).newDisclosure, disclosureForm(request, values, problems), 400),
      '/admin/registers/disclosures?done=created',
    );
  });

  app.get('/admin/registers/disclosures/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await disclosures.get(id) : undefined;
    if (!existing) return sendDeskNotFound(request, reply, SAVED[langOf(request)].notFound);
    return page(
      request,
      reply,
      words(request).editDisclosure,
      disclosureForm(request, disclosureValues(existing), {}, existing),
    );
  });

  app.post('/admin/registers/disclosures/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await disclosures.get(id) : undefined;
    if (!existing) return sendDeskNotFound(request, reply, SAVED[langOf(request)].notFound);
    const values = formBody(request);
    return saveOrShowAgain(
      request,
      reply,
      () => disclosures.update(existing.id, values, actorOf(request)),
      (problems) =>
        page(request, reply, words(request).editDisclosure, disclosureForm(request, values, problems, existing), 400),
      '/admin/registers/disclosures?done=updated',
    );
  });

  app.get('/admin/registers/breaches', officer, async (request, reply) => {
    const lang = langOf(request);
    const filter = ListQuery.parse(request.query ?? {});
    const list = paged(
      await breaches.list(),
      // The year in Amsterdam: a breach found on New Year's Eve night belongs to the year it was found.
      (b) => toLocalInput(b.discoveredAt).slice(0, 4),
      (b) => !filter.status || b.status === filter.status,
      filter,
    );
    return page(
      request,
      reply,
      REGISTER_WORDS[lang].breaches,
      <BreachList
        {...list}
        filter={filter}
        now={deps.clock.now()}
        lang={lang}
        message={doneMessage(request, SAVED[lang])}
      />,
    );
  });

  app.get('/admin/registers/breaches/new', officer, async (request, reply) =>
    page(
      request,
      reply,
      words(request).newBreach,
      breachForm(request, { discoveredAt: toLocalInput(deps.clock.now().toISOString()) }),
    ),
  );

  app.post('/admin/registers/breaches', officer, async (request, reply) => {
    const values = formBody(request);
    return saveOrShowAgain(
      request,
      reply,
      () => breaches.create(values, actorOf(request)),
      (problems) => page(request, reply, words(request).newBreach, breachForm(request, values, problems), 400),
      '/admin/registers/breaches?done=created',
    );
  });

  app.get('/admin/registers/breaches/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await breaches.get(id) : undefined;
    if (!existing) return sendDeskNotFound(request, reply, SAVED[langOf(request)].notFound);
    return page(request, reply, words(request).editBreach, breachForm(request, breachValues(existing), {}, existing));
  });

  app.post('/admin/registers/breaches/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await breaches.get(id) : undefined;
    if (!existing) return sendDeskNotFound(request, reply, SAVED[langOf(request)].notFound);
    const values = formBody(request);
    return saveOrShowAgain(
      request,
      reply,
      () => breaches.update(existing.id, values, actorOf(request)),
      (problems) =>
        page(request, reply, words(request).editBreach, breachForm(request, values, problems, existing), 400),
      '/admin/registers/breaches?done=updated',
    );
  });
}

/** Saves a register form, or shows it again (400) with its problems named; any other error is a real one. */
async function saveOrShowAgain(
  request: FastifyRequest,
  reply: FastifyReply,
  save: () => Promise<unknown>,
  showWith: (problems: Problems) => FastifyReply,
  then: string,
) {
  try {
    await save();
  } catch (err) {
    const problems = problemOf(err, langOf(request));
    if (!problems) throw err;
    return showWith(problems);
  }
  return reply.redirect(then, 303);
}
