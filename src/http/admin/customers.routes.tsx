import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ARCHIVE_REASONS } from '../../admin/desk.ts';
import { emailAddress } from '../../lib/email-address.ts';
import { oneLine } from '../../lib/text-input.ts';
import { subjectRef } from '../../requests/intake.service.ts';
import { ArchivePage, ArchiveRequestPage, CustomerPage } from './customer-pages.tsx';
import { actorOf, type DeskRouteDeps, deskContext, parseForm, roleOf, sendDeskPage } from './desk-http.tsx';
import { requireRole } from './session.ts';

const Email = oneLine({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(254)
  .pipe(emailAddress({ error: 'must be an e-mail address' }));
const Lookup = z.object({ email: Email });
/**
 * A case reference for the audit trail, which is never erased: so the rules keep names, addresses and
 * numbers that identify someone out as far as simple rules can (no '@' fits, so no e-mail address either).
 */
const CaseReference = oneLine({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required: give a case reference, e.g. "aanslag 2027/Q1" or "brief 2027-03-14"' })
  .max(60, { error: 'may be at most 60 characters' })
  .regex(/^[\p{L}0-9 ./_:-]+$/u, { error: 'may contain only letters, digits, spaces and . / - _ :' })
  .refine((r) => !RUN_OF_DIGITS.test(r), {
    error: 'may not contain more than 8 digits in a row (no phone, bank account or citizen service number)',
  });
/** Nine or more digits, perhaps split by single spaces, dots, dashes or slashes: a phone number, IBAN or BSN. */
const RUN_OF_DIGITS = /\d(?:[ ./-]?\d){8,}/;
const ArchiveOpening = z.object({
  email: Email,
  reason: z.enum(ARCHIVE_REASONS, { error: 'is required: choose why the archive is opened' }),
  reference: CaseReference,
});
const FIELD_LABEL: Record<string, string> = { email: 'E-mailadres', reason: 'Reden', reference: 'Kenmerk' };

/**
 * The customer lookup (staff and officer) and the sealed archive (officer only). Both are POSTs with
 * the session's CSRF token. Every lookup and every opening is audited by the person's keyed reference,
 * never the address.
 */
export function registerDeskCustomerRoutes(app: FastifyInstance, deps: DeskRouteDeps): void {
  const { desk } = deskContext(deps);

  const lookup = async (request: FastifyRequest, reply: FastifyReply, input: unknown) => {
    const role = roleOf(request);
    const csrf = request.csrfToken ?? '';
    const form = parseForm(Lookup, input);
    if (!form.ok) {
      const raw = (input as { email?: unknown } | undefined)?.email;
      return sendDeskPage(request, reply, {
        title: 'Klant opzoeken',
        active: 'customers',
        status: 400,
        body: (
          <CustomerPage
            csrf={csrf}
            role={role}
            email={typeof raw === 'string' ? raw : undefined}
            error={{ field: form.field, text: `E-mailadres: ${form.message}` }}
          />
        ),
      });
    }
    const { email } = form.value;
    await deps.audit.record({
      actor: actorOf(request),
      action: 'customer.lookup',
      subjectRef: subjectRef(deps.secret, email),
      details: { role },
    });
    const view = await desk.lookup(email, role);
    return sendDeskPage(request, reply, {
      title: 'Klant opzoeken',
      active: 'customers',
      body: <CustomerPage csrf={csrf} role={role} email={email} view={view} />,
    });
  };

  // The form only: a lookup is a POST, so that the address stays out of URLs, history and proxy logs,
  // and another site cannot make a signed-in user look someone up (SameSite=Lax lets top-level GETs through).
  app.get('/admin/customers', { preHandler: requireRole('staff') }, async (request, reply) =>
    sendDeskPage(request, reply, {
      title: 'Klant opzoeken',
      active: 'customers',
      body: <CustomerPage csrf={request.csrfToken ?? ''} role={roleOf(request)} />,
    }),
  );

  app.post('/admin/customers', { preHandler: requireRole('staff') }, (request, reply) =>
    lookup(request, reply, request.body),
  );

  app.post('/admin/customers/archive', { preHandler: requireRole('officer') }, async (request, reply) => {
    const form = parseForm(ArchiveOpening, request.body);
    if (!form.ok) {
      // The form again, without the count: a count is shown only after an audited lookup or opening.
      const body = (request.body ?? {}) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
      return sendDeskPage(request, reply, {
        title: 'Verzegeld archief',
        active: 'customers',
        status: 400,
        body: (
          <ArchiveRequestPage
            email={text('email')}
            reason={text('reason')}
            reference={text('reference')}
            csrf={request.csrfToken ?? ''}
            error={{
              field: form.field,
              text: `${FIELD_LABEL[form.field] ?? form.field} (${form.field}): ${form.message}`,
            }}
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
      title: 'Verzegeld archief',
      active: 'customers',
      body: <ArchivePage email={email} reason={reason} reference={reference} records={records} />,
    });
  });
}
