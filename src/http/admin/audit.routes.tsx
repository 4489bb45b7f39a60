import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuditEntry, AuditTrail } from '../../audit/audit-trail.ts';
import { AdminPage, sendAdminPage } from './admin-layout.tsx';
import { requireRole } from './session.ts';

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).catch(100),
  action: z
    .string()
    .regex(/^[a-z0-9._-]{1,60}$/)
    .optional()
    .catch(undefined),
});

const time = (iso: string) => iso.replace('T', ' ').slice(0, 19);

function EntryRow({ e }: { e: AuditEntry }) {
  return (
    <tr>
      <td>{e.seq}</td>
      <td>
        <time datetime={e.at}>{time(e.at)}</time>
      </td>
      <td>{e.actor}</td>
      <td>
        <code>{e.action}</code>
      </td>
      <td>{e.target ?? ''}</td>
      <td class="ref">{e.subjectRef ? `${e.subjectRef.slice(0, 12)}…` : ''}</td>
      <td class="details">{e.details ? JSON.stringify(e.details) : ''}</td>
    </tr>
  );
}

/** GET /admin/audit (officer): the newest entries and whether the chain is intact. */
export function registerAdminAuditRoutes(app: FastifyInstance, deps: { audit: AuditTrail }): void {
  app.get('/admin/audit', { preHandler: requireRole('officer') }, async (request, reply) => {
    const query = Query.parse(request.query ?? {});
    const [check, entries] = await Promise.all([
      deps.audit.verify(),
      deps.audit.list({ limit: query.limit, action: query.action }),
    ]);
    return sendAdminPage(
      reply,
      <AdminPage title="Audit trail" user={request.adminUser!} csrf={request.csrfToken!} active="audit">
        {check.ok ? (
          <p class="status ok">
            Keten intact: {check.entries} regels, elke regel aan de vorige gekoppeld (chain intact).
          </p>
        ) : (
          <p class="status broken" role="alert">
            Keten verbroken bij regel {check.firstBroken.seq}: {check.firstBroken.reason}.
          </p>
        )}
        <p class="muted">
          Regels noemen alleen ids en een sleutel-hash van de persoon (subject reference), nooit een e-mailadres. Na
          verwijdering van een persoon verwijst die hash naar niemand meer.
        </p>
        <form method="get" action="/admin/audit" class="inline">
          <label>
            Actie
            <input type="text" name="action" value={query.action ?? ''} placeholder="bv. login.failed" />
          </label>
          <button type="submit">Filter</button>
        </form>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Nr</th>
                <th>Tijd (UTC)</th>
                <th>Wie</th>
                <th>Actie</th>
                <th>Doel</th>
                <th>Persoon (ref)</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <EntryRow e={e} />
              ))}
            </tbody>
          </table>
        </div>
      </AdminPage>,
    );
  });
}
