import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ARCHIVE_REASONS } from '../../admin/desk.ts';
import { emailAddress } from '../../lib/email-address.ts';
import { InzageError } from '../../lib/errors.ts';
import { oneLine } from '../../lib/text-input.ts';
import { subjectRef } from '../../requests/intake.service.ts';
import { OFFICER_CHANNELS, type OfficerIntake } from '../../requests/officer-intake.ts';
import { ArchivePage, ArchiveRequestPage } from './archive-pages.tsx';
import { CustomerPage } from './customer-pages.tsx';
import { actorOf, type DeskRouteDeps, deskContext, parseForm, roleOf, sendDeskPage } from './desk-http.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';
import { problemText } from './desk-problems.ts';
import { requireRole } from './session.ts';

/** The most people a search by part of an address or a name shows. */
export const SEARCH_LIMIT = 20;

const Email = oneLine().trim().min(1).max(254).pipe(emailAddress());
/** A whole address, part of one, or a name: at least two characters. */
const Lookup = z.object({ email: oneLine().trim().min(2).max(254) });
/**
 * A case reference for the audit trail, which is never erased: so the rules keep names, addresses and
 * numbers that identify someone out as far as simple rules can (no '@' fits, so no e-mail address either).
 */
const CaseReference = oneLine()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[\p{L}0-9 ./_:-]+$/u)
  .refine((r) => !RUN_OF_DIGITS.test(r), { params: { digits: true } });
/** Nine or more digits, perhaps split by single spaces, dots, dashes or slashes: a phone number, IBAN or BSN. */
const RUN_OF_DIGITS = /\d(?:[ ./-]?\d){8,}/;
const ArchiveOpening = z.object({ email: Email, reason: z.enum(ARCHIVE_REASONS), reference: CaseReference });
const StartRequest = z.object({
  email: Email,
  type: z.enum(['access', 'erasure']),
  channel: z.enum(OFFICER_CHANNELS),
  language: z.enum(['nl', 'en']).catch('nl'),
  identityChecked: z.literal('on'),
});

const W = {
  nl: {
    title: 'Klant opzoeken',
    archive: 'Verzegeld archief',
    fields: {
      email: 'E-mailadres',
      reason: 'Reden',
      reference: 'Kenmerk',
      type: 'Recht',
      channel: 'Hoe de persoon erom vroeg',
      identityChecked: 'Identiteit gecontroleerd',
    } as Record<string, string>,
    reasonMissing: 'kies waarom het archief wordt geopend',
    referenceRules:
      'alleen letters, cijfers, spaties en . / - _ :, ten hoogste 60 tekens en niet meer dan 8 cijfers achter elkaar',
    identity: 'vink aan dat u de identiteit hebt gecontroleerd; zonder die controle start u geen verzoek namens iemand',
    notStarted: 'Niet gestart',
  },
  en: {
    title: 'Find a customer',
    archive: 'Sealed archive',
    fields: {
      email: 'E-mail address',
      reason: 'Reason',
      reference: 'Reference',
      type: 'Right',
      channel: 'How the person asked',
      identityChecked: 'Identity checked',
    } as Record<string, string>,
    reasonMissing: 'choose why the archive is opened',
    referenceRules:
      'only letters, digits, spaces and . / - _ :, at most 60 characters and no more than 8 digits in a row',
    identity: 'tick that you checked who the person is; without that check you start no request on anyone’s behalf',
    notStarted: 'Not started',
  },
};

const fieldText = (lang: DeskLang, field: string, message: string) => `${W[lang].fields[field] ?? field}: ${message}`;

/**
 * The customer lookup (staff and officer): a whole address shows what is held about that person, part of one
 * or a name lists who matches; the sealed archive and starting a request on the person's behalf are the
 * officer's. All are POSTs with the session's CSRF token; every lookup, search and opening is audited,
 * by the person's keyed reference and never the address or the words typed.
 */
export function registerDeskCustomerRoutes(
  app: FastifyInstance,
  deps: DeskRouteDeps & { officerIntake: OfficerIntake },
): void {
  const context = deskContext(deps);
  const { desk } = context;

  const page = (request: FastifyRequest, props: Partial<Parameters<typeof CustomerPage>[0]>) => {
    const lang = langOf(request);
    return (
      <CustomerPage
        csrf={request.csrfToken ?? ''}
        role={roleOf(request)}
        lang={lang}
        names={context.names(lang)}
        {...props}
      />
    );
  };

  const lookup = async (request: FastifyRequest, reply: FastifyReply, input: unknown) => {
    const role = roleOf(request);
    const lang = langOf(request);
    const form = parseForm(Lookup, input, lang);
    if (!form.ok) {
      const raw = (input as { email?: unknown } | undefined)?.email;
      return sendDeskPage(request, reply, {
        title: W[lang].title,
        active: 'customers',
        status: 400,
        body: page(request, {
          query: typeof raw === 'string' ? raw : undefined,
          error: { field: 'email', text: fieldText(lang, 'email', form.message) },
        }),
      });
    }
    const query = form.value.email;
    if (!Email.safeParse(query).success) {
      // Part of an address or a name: who matches, bounded. The trail records the search, not its words.
      const search = deps.executor ? await deps.executor.search(query, SEARCH_LIMIT) : undefined;
      await deps.audit.record({
        actor: actorOf(request),
        action: 'customer.search',
        details: { role, matches: search?.people.length ?? 0 },
      });
      return sendDeskPage(request, reply, {
        title: W[lang].title,
        active: 'customers',
        body: page(request, { query, search: search ?? { people: [], more: false, failed: [] } }),
      });
    }
    await deps.audit.record({
      actor: actorOf(request),
      action: 'customer.lookup',
      subjectRef: subjectRef(deps.secret, query),
      details: { role },
    });
    const view = await desk.lookup(query, role);
    return sendDeskPage(request, reply, {
      title: W[lang].title,
      active: 'customers',
      body: page(request, { query, view }),
    });
  };

  // The form only: a lookup is a POST, so that the address stays out of URLs, history and proxy logs,
  // and another site cannot make a signed-in user look someone up (SameSite=Lax lets top-level GETs through).
  app.get('/admin/customers', { preHandler: requireRole('staff') }, async (request, reply) =>
    sendDeskPage(request, reply, { title: W[langOf(request)].title, active: 'customers', body: page(request, {}) }),
  );

  app.post('/admin/customers', { preHandler: requireRole('staff') }, (request, reply) =>
    lookup(request, reply, request.body),
  );

  app.post('/admin/customers/request', { preHandler: requireRole('officer') }, async (request, reply) => {
    const lang = langOf(request);
    const form = parseForm(StartRequest, request.body, lang);
    if (!form.ok) {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      const text = form.field === 'identityChecked' ? W[lang].identity : fieldText(lang, form.field, form.message);
      if (typeof email !== 'string' || !Email.safeParse(email).success)
        return sendDeskPage(request, reply, {
          title: W[lang].title,
          active: 'customers',
          status: 400,
          body: page(request, { error: { field: 'email', text } }),
        });
      const role = roleOf(request);
      return sendDeskPage(request, reply, {
        title: W[lang].title,
        active: 'customers',
        status: 400,
        body: page(request, {
          query: email,
          view: await desk.lookup(email, role),
          message: { kind: 'error', text: `${W[lang].notStarted}: ${text}` },
        }),
      });
    }
    const { email, type, channel, language } = form.value;
    try {
      const entered = await deps.officerIntake.enter(
        { type, email, channel, language, identityChecked: true, startedFrom: 'customer-lookup' },
        actorOf(request),
      );
      return reply.redirect(`/admin/requests/${entered.id}?done=${entered.joined ? 'joined' : 'started'}`, 303);
    } catch (err) {
      if (err instanceof InzageError && err.code === 'VALIDATION_FAILED')
        return sendDeskPage(request, reply, {
          title: W[lang].title,
          active: 'customers',
          status: 400,
          body: page(request, {
            error: { field: 'email', text: `${W[lang].notStarted}: ${problemText(err.message, lang, err.field)}` },
          }),
        });
      throw err;
    }
  });

  app.post('/admin/customers/archive', { preHandler: requireRole('officer') }, async (request, reply) => {
    const lang = langOf(request);
    const form = parseForm(ArchiveOpening, request.body, lang);
    if (!form.ok) {
      // The form again, without the count: a count is shown only after an audited lookup or opening.
      const body = (request.body ?? {}) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
      const message =
        form.field === 'reason'
          ? W[lang].reasonMissing
          : form.field === 'reference' && text('reference')
            ? W[lang].referenceRules
            : form.message;
      return sendDeskPage(request, reply, {
        title: W[lang].archive,
        active: 'customers',
        status: 400,
        body: (
          <ArchiveRequestPage
            email={text('email')}
            reason={text('reason')}
            reference={text('reference')}
            csrf={request.csrfToken ?? ''}
            lang={lang}
            error={{ field: form.field, text: fieldText(lang, form.field, message) }}
          />
        ),
      });
    }
    const { email, reason, reference } = form.value;
    // Audited before anything is decrypted: an opening that fails halfway is still on record.
    await deps.audit.record({
      actor: actorOf(request),
      action: 'archive.open',
      subjectRef: subjectRef(deps.secret, email),
      details: { reason, reference, sealedRecords: await desk.sealedCount(email) },
    });
    const records = await desk.openArchive(email);
    return sendDeskPage(request, reply, {
      title: W[lang].archive,
      active: 'customers',
      body: (
        <ArchivePage
          email={email}
          reason={reason}
          reference={reference}
          records={records}
          lang={lang}
          names={context.names(lang)}
          policy={deps.policy()}
        />
      ),
    });
  });
}
