import { ARCHIVE_REASONS, type ArchiveReason, type CustomerView } from '../../admin/desk.ts';
import type { SealedRecord } from '../../retention/sealed-archive.ts';
import { CsrfField } from './admin-layout.tsx';
import { Desk, Message, RequestTable } from './desk-parts.tsx';
import { day } from './desk-words.ts';

export interface CustomerPageProps {
  csrf: string;
  role: 'officer' | 'staff';
  email?: string;
  view?: CustomerView;
  /** A problem with the input, named by its field. */
  error?: { field: string; text: string };
}

/** The customer lookup. The form posts (with CSRF): the address stays out of URLs, browser history and proxy logs. */
export function CustomerPage({ csrf, role, email, view, error }: CustomerPageProps) {
  return (
    <Desk>
      <form method="post" action="/admin/customers" class="lookup">
        <CsrfField token={csrf} />
        <label for="lookup-email">E-mailadres</label>
        <br />
        <input
          id="lookup-email"
          type="text"
          inputMode="email"
          spellcheck={false}
          name="email"
          required
          maxlength={254}
          value={email ?? ''}
          aria-invalid={error?.field === 'email' ? 'true' : undefined}
          aria-describedby={error?.field === 'email' ? 'lookup-error' : undefined}
        />{' '}
        <button type="submit">Opzoeken</button>
        {error?.field === 'email' && (
          <p id="lookup-error" class="message" role="alert">
            {error.text}
          </p>
        )}
      </form>
      <p class="lead">Elke opzoeking wordt vastgelegd in het auditlog (zonder het e-mailadres).</p>
      {view && email && <Holdings view={view} role={role} email={email} csrf={csrf} error={error} />}
    </Desk>
  );
}

function Holdings({
  view,
  role,
  email,
  csrf,
  error,
}: Required<Omit<CustomerPageProps, 'error'>> & Pick<CustomerPageProps, 'error'>) {
  const consents = Object.entries(view.consents);
  return (
    <>
      <section aria-labelledby="flags">
        <h2 id="flags">Signaleringen</h2>
        <p>
          <span class={view.flags.restricted ? 'flag on' : 'flag'}>
            {view.flags.restricted ? '⚠ Verwerking beperkt' : 'Niet beperkt'}
          </span>
          <span class={view.flags.objection ? 'flag on' : 'flag'}>
            {view.flags.objection ? '⚠ Bezwaar loopt' : 'Geen bezwaar'}
          </span>
          <span class={view.contactAllowed ? 'flag' : 'flag on'}>
            {view.contactAllowed ? 'Contact toegestaan' : 'Geen toestemming voor contact'}
          </span>
        </p>
        {consents.length > 0 && (
          <ul>
            {consents.map(([purpose, c]) => (
              <li>
                {purpose}: {c.granted ? 'toestemming gegeven' : 'ingetrokken of geweigerd'} op {day(c.at)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="held">
        <h2 id="held">Wat we bewaren, en waar</h2>
        {!view.engine ? (
          <p>Er is geen datamap ingesteld: de systemen kunnen niet worden doorzocht.</p>
        ) : view.collections.length === 0 ? (
          <p>
            <strong>Geen gegevens gevonden</strong> in de gekoppelde systemen.
          </p>
        ) : (
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Systeem</th>
                <th scope="col">Tabel</th>
                <th scope="col">Aantal</th>
                <th scope="col">Categorieën</th>
              </tr>
            </thead>
            <tbody>
              {view.collections.map((c) => (
                <tr>
                  <td data-label="Systeem">{c.system}</td>
                  <td data-label="Tabel">{c.collection}</td>
                  <td data-label="Aantal">{c.count}</td>
                  <td data-label="Categorieën">{c.categories.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.unreachable.length > 0 && (
          <p class="message" role="alert">
            Niet bereikbaar, dus niet meegeteld: {view.unreachable.join(', ')}.
          </p>
        )}
        {view.processors.length > 0 && (
          <>
            <h3>Verwerkers die deze gegevens ontvangen</h3>
            <ul>
              {view.processors.map((p) => (
                <li>
                  {p.name}: {p.categories.join(', ')}
                  {p.locations.length > 0 && ` (${p.locations.join(', ')})`}
                </li>
              ))}
            </ul>
          </>
        )}
        {view.manualTasks.length > 0 && (
          <>
            <h3>Alleen met de hand na te vragen</h3>
            <ul>
              {view.manualTasks.map((t) => (
                <li>
                  {t.processor} ({t.system}): {t.contact}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="their-requests">
        <h2 id="their-requests">Openstaande verzoeken</h2>
        <RequestTable rows={view.openRequests} linked={role === 'officer'} />
      </section>
      {role === 'officer' && view.sealed !== undefined && (
        <ArchiveForm email={email} sealed={view.sealed} csrf={csrf} error={error} />
      )}
    </>
  );
}

/** The archive's form on its own: shown again, without the count, when the reason or reference was wrong. */
export function ArchiveRequestPage(props: ArchiveFormProps) {
  return (
    <Desk>
      <ArchiveForm {...props} />
    </Desk>
  );
}

/** The grounds to open the archive, in the officer's words (Dutch first, as on the rest of the desk). */
export const ARCHIVE_REASON_LABEL: Record<ArchiveReason, string> = {
  belastingcontrole: 'Belastingcontrole (tax audit)',
  rechtsvordering: 'Rechtsvordering (legal claim)',
  autoriteit: 'Verzoek van een autoriteit (request from an authority)',
  anders: 'Anders (other)',
};

interface ArchiveFormProps {
  email: string;
  /** The number of sealed records; left out when the form is shown again after a mistake. */
  sealed?: number;
  reason?: string;
  reference?: string;
  csrf: string;
  error?: { field: string; text: string };
}

function ArchiveForm({ email, sealed, reason, reference, csrf, error }: ArchiveFormProps) {
  const invalid = (field: string) => (error?.field === field ? 'true' : undefined);
  return (
    <section aria-labelledby="sealed">
      <h2 id="sealed">Verzegeld archief</h2>
      {sealed === 0 ? (
        <p>Er zijn geen verzegelde records.</p>
      ) : (
        <>
          <p>
            {sealed !== undefined && (
              <>
                <strong>{sealed}</strong> verzegelde records (wettelijke bewaarplicht).{' '}
              </>
            )}
            Openen alleen met een reden; de opening, de reden en het kenmerk worden vastgelegd in het auditlog, dat
            nooit wordt gewist.
          </p>
          {error && (
            <p id="archive-error" class="message" role="alert">
              {error.text}
            </p>
          )}
          <form method="post" action="/admin/customers/archive" class="decision">
            <CsrfField token={csrf} />
            <input type="hidden" name="email" value={email} />
            <label for="archive-reason">Reden</label>
            <br />
            <select
              id="archive-reason"
              name="reason"
              required
              aria-invalid={invalid('reason')}
              aria-describedby={invalid('reason') && 'archive-error'}
            >
              <option value="">— kies een reden —</option>
              {ARCHIVE_REASONS.map((r) => (
                <option value={r} selected={reason === r}>
                  {ARCHIVE_REASON_LABEL[r]}
                </option>
              ))}
            </select>
            <br />
            <label for="archive-reference">Kenmerk (zaak- of briefnummer)</label>
            <br />
            <input
              id="archive-reference"
              type="text"
              name="reference"
              required
              maxlength={60}
              pattern="[\p{L}0-9 .\/_:\-]+"
              value={reference ?? ''}
              aria-invalid={invalid('reference')}
              aria-describedby={
                invalid('reference') ? 'archive-error archive-reference-rules' : 'archive-reference-rules'
              }
            />
            <br />
            <small id="archive-reference-rules">
              Geen namen of adressen: alleen letters, cijfers, spaties en . / - _ :, ten hoogste 60 tekens en niet meer
              dan 8 cijfers achter elkaar (dus geen telefoon-, rekening- of BSN-nummer).
            </small>
            <br />
            <button type="submit">Archief openen</button>
          </form>
        </>
      )}
    </section>
  );
}

/** The decrypted sealed records, after the opening was audited with its reason and reference. */
export function ArchivePage({
  email,
  reason,
  reference,
  records,
}: {
  email: string;
  reason: ArchiveReason;
  reference: string;
  records: SealedRecord[];
}) {
  const why = `${ARCHIVE_REASON_LABEL[reason]}, kenmerk "${reference}"`;
  return (
    <Desk>
      <Message kind="ok">{`Geopend voor ${email} met de reden ${why}; dit is vastgelegd in het auditlog.`}</Message>
      {records.length === 0 && <p>Er zijn geen verzegelde records.</p>}
      {records.map((r) => (
        <section class="sealed-record">
          <h2>
            {r.system}.{r.collection} <small>{r.recordKey}</small>
          </h2>
          <p>
            Bewaard wegens {r.hold} tot {day(r.holdUntil)}; verzegeld op {day(r.sealedAt)}.
          </p>
          <dl class="facts">
            {Object.entries(r.data).map(([field, value]) => (
              <>
                <dt>{field}</dt>
                <dd>{value === null ? '—' : String(value)}</dd>
              </>
            ))}
          </dl>
        </section>
      ))}
      <p>
        <a href="/admin/customers">Nieuwe opzoeking</a>
      </p>
    </Desk>
  );
}
