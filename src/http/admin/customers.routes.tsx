import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { subjectRef } from '../../requests/intake.service.ts';
import { ArchivePage, ArchiveRequestPage, CustomerPage } from './customer-pages.tsx';
import {
  actorOf,
  type DeskRouteDeps,
  deskContext,
  LOOKS_LIKE_EMAIL,
  parseForm,
  roleOf,
  sendDeskPage,
} from './desk-http.tsx';
import { requireRole } from './session.ts';

const Email = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(254)
  .pipe(z.email({ error: 'must be an e-mail address' }));
const Lookup = z.object({ email: Email });
const ArchiveOpening = z.object({
  email: Email,
  reason: z
    .string({ error: 'is required' })
    .trim()
    .min(3, { error: 'is required: say why the archive is opened, e.g. "belastingcontrole 2027"' })
    .max(500)
    .refine((r) => !LOOKS_LIKE_EMAIL.test(r), {
      error: 'may not contain an e-mail address (it goes into the audit trail)',
    }),
});

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
      const raw = (request.body as { email?: unknown } | undefined)?.email;
      const email = typeof raw === 'string' ? raw.trim() : '';
      const sealed = Email.safeParse(email).success ? await desk.sealedCount(email) : 0;
      const label = form.field === 'reason' ? 'Reden' : 'E-mailadres';
      return sendDeskPage(request, reply, {
        title: 'Verzegeld archief',
        active: 'customers',
        status: 400,
        body: (
          <ArchiveRequestPage
            email={email}
            sealed={sealed}
            csrf={request.csrfToken ?? ''}
            error={{ field: form.field, text: `${label} (${form.field}): ${form.message}` }}
          />
        ),
      });
    }
    const { email, reason } = form.value;
    // Audited before anything is decrypted: an opening that fails halfway is still on record.
    await deps.audit.record({
      actor: actorOf(request),
      action: 'archive.open',
      subjectRef: subjectRef(deps.secret, email),
      details: { reason, sealedRecords: await desk.sealedCount(email) },
    });
    const records = await desk.openArchive(email);
    return sendDeskPage(request, reply, {
      title: 'Verzegeld archief',
      active: 'customers',
      body: <ArchivePage email={email} reason={reason} records={records} />,
    });
  });
}
