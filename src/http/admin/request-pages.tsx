import type { Decision, DeskRequest, ProcessorNoticeRow, RequestView } from '../../admin/desk.ts';
import type { KnownAnalyticsIds } from '../../requests/analytics-ids.ts';
import { OFFICER_CHANNELS } from '../../requests/officer-intake.ts';
import { REQUEST_TYPES, type RequestType } from '../../requests/request.types.ts';
import type { TaskTable } from '../../store/schema.ts';
import { CsrfField } from './admin-layout.tsx';
import { Desk, Due, Message, RequestTable } from './desk-parts.tsx';
import {
  actionLabel,
  channelLabel,
  DECISION_LABEL,
  day,
  eventLabel,
  moment,
  statusLabel,
  typeLabel,
} from './desk-words.ts';

export interface RequestListProps {
  rows: DeskRequest[];
  filter: { status: 'open' | 'all'; type?: RequestType };
  linked: boolean;
}

/** The register: open requests by due date, or all, newest first; filterable by right. */
export function RequestListPage({ rows, filter, linked }: RequestListProps) {
  return (
    <Desk>
      <form method="get" action="/admin/requests" class="lookup">
        <label>
          Welke{' '}
          <select name="status">
            <option value="open" selected={filter.status === 'open'}>
              openstaand
            </option>
            <option value="all" selected={filter.status === 'all'}>
              alle
            </option>
          </select>
        </label>{' '}
        <label>
          Recht{' '}
          <select name="type">
            <option value="">alle rechten</option>
            {REQUEST_TYPES.map((t) => (
              <option value={t} selected={filter.type === t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">Toon</button>
      </form>
      {linked && (
        <p>
          <a href="/admin/requests/new">Verzoek invoeren</a> (binnengekomen per e-mail, post, telefoon of aan de balie)
        </p>
      )}
      <RequestTable rows={rows} linked={linked} />
    </Desk>
  );
}

export interface RequestPageProps {
  view: RequestView;
  csrf: string;
  message?: { kind: 'ok' | 'error'; text: string };
  /** Per open Google Analytics task: the ids the shop reported for the person. */
  analyticsIds?: Record<string, KnownAnalyticsIds>;
}

/** One request: who and what, its deadlines, what was found, the decisions open now, tasks, notices, timeline. */
export function RequestPage({ view, csrf, message, analyticsIds }: RequestPageProps) {
  const r = view.request;
  return (
    <Desk>
      {message && <Message kind={message.kind}>{message.text}</Message>}
      <dl class="facts">
        <dt>Kenmerk</dt>
        <dd>{r.id}</dd>
        <dt>Status</dt>
        <dd data-status={r.status}>{statusLabel(r.status)}</dd>
        <dt>E-mailadres</dt>
        <dd>{r.email ?? 'niet meer bewaard (verwijderd)'}</dd>
        {r.name && (
          <>
            <dt>Naam</dt>
            <dd>{r.name}</dd>
          </>
        )}
        <dt>Ontvangen</dt>
        {/* Entered by the officer with the day it arrived: the hour is not known, so only the day is shown. */}
        <dd>
          {enteredByOfficer(r.channel) ? day(r.receivedAt) : moment(r.receivedAt)}
          {r.channel && `, ${channelLabel(r.channel)}`}
        </dd>
        <dt>Termijn (privacybeleid)</dt>
        <dd class={r.completedAt || r.urgency === 'ok' ? undefined : r.urgency}>
          {r.completedAt ? day(r.dueAt) : <Due dueAt={r.dueAt} urgency={r.urgency} daysLeft={r.daysLeft} />}
        </dd>
        <dt>Wettelijke termijn (AVG art. 12 lid 3)</dt>
        <dd>
          {day(r.legalDueAt)}
          {r.extendedAt && ` — verlengd op ${day(r.extendedAt)}: ${r.details.extensionReason ?? ''}`}
        </dd>
        {r.completedAt && (
          <>
            <dt>Afgerond</dt>
            <dd>
              {moment(r.completedAt)} {r.outcome && `(${r.outcome})`}
            </dd>
          </>
        )}
        {r.message && (
          <>
            <dt>Toelichting van de persoon</dt>
            <dd>
              <pre>{r.message}</pre>
            </dd>
          </>
        )}
        {r.details.corrections && (
          <>
            <dt>Gevraagde correcties</dt>
            <dd>
              {Object.entries(r.details.corrections)
                .map(([field, value]) => `${field}: ${value}`)
                .join('; ')}
            </dd>
          </>
        )}
        {r.details.deliverTo && (
          <>
            <dt>Bezorgen aan</dt>
            <dd>{r.details.deliverTo}</dd>
          </>
        )}
        {r.details.decisionReason && (
          <>
            <dt>Reden van het besluit</dt>
            <dd>{r.details.decisionReason}</dd>
          </>
        )}
      </dl>
      <Decisions id={r.id} decisions={view.decisions} csrf={csrf} />
      <Found view={view} csrf={csrf} />
      <Tasks tasks={view.tasks} csrf={csrf} analyticsIds={analyticsIds} />
      <ProcessorNotices rows={view.notices} />
      <section aria-labelledby="timeline">
        <h2 id="timeline">Tijdlijn</h2>
        <ol>
          {view.events.map((e) => (
            <li>
              {moment(e.at)}: {eventLabel(e.event)}
              {eventDetail(e.parsed)}
            </li>
          ))}
        </ol>
      </section>
    </Desk>
  );
}

const enteredByOfficer = (channel: string | null) => (OFFICER_CHANNELS as readonly string[]).includes(channel ?? '');

/** Counts and statuses from an event's detail (which never holds personal data). */
function eventDetail(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => (k === 'dueAt' ? `nieuwe termijn ${day(String(v))}` : `${k}: ${v}`));
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function Decisions({ id, decisions, csrf }: { id: string; decisions: Decision[]; csrf: string }) {
  return (
    <section aria-labelledby="decisions">
      <h2 id="decisions">Besluiten</h2>
      {decisions.length === 0 && <p>In deze status is er niets te besluiten.</p>}
      {decisions.map((d) => (
        <form method="post" action={`/admin/requests/${id}/${d}`} class="decision">
          <CsrfField token={csrf} />
          {(d === 'reject' || d === 'extend') && (
            <label>
              {d === 'reject'
                ? 'Reden van de afwijzing (gaat naar de persoon, met het recht om te klagen)'
                : 'Reden van de verlenging (gaat naar de persoon; één keer, ten hoogste twee maanden)'}
              <br />
              <textarea name="reason" required rows={3} maxlength={2000} />
            </label>
          )}
          <button type="submit">{DECISION_LABEL[d]}</button>
        </form>
      ))}
    </section>
  );
}

function Found({ view, csrf }: { view: RequestView; csrf: string }) {
  const res = view.request.result;
  const file = view.exportPackage;
  return (
    <section aria-labelledby="found">
      <h2 id="found">Wat is gevonden</h2>
      {res.records === undefined && !res.systems && !res.erased ? (
        <p>Nog niets: het verzoek is nog niet uitgevoerd.</p>
      ) : (
        <ul>
          {res.records !== undefined && <li>{res.records} records</li>}
          {res.systems?.map((s) => (
            <li>
              {s.system}: {s.status}
            </li>
          ))}
          {res.processors && res.processors.length > 0 && <li>Verwerkers: {res.processors.join(', ')}</li>}
          {res.erased?.map((e) => (
            <li>
              verwijderd uit {e.what}: {e.count}
            </li>
          ))}
          {res.retained?.map((e) => (
            <li>
              bewaard uit {e.what}
              {e.count ? ` (${e.count})` : ''}:{' '}
              {e.until ? `tot ${day(e.until)}` : 'tot de eigen bewaartermijn van de verwerker'} ({e.why})
            </li>
          ))}
        </ul>
      )}
      <h3>Exportbestand</h3>
      {!file ? (
        <p>Er is geen exportbestand.</p>
      ) : file.available ? (
        <form method="post" action={`/admin/requests/${view.request.id}/export`} class="decision">
          <CsrfField token={csrf} />
          <button type="submit">Download {file.fileName}</button> (geldig tot {day(file.expiresAt)}, {file.downloads}×
          gedownload door de persoon; uw download wordt vastgelegd in het auditlog)
        </form>
      ) : (
        <p>Vernietigd{file.destroyedAt ? ` op ${day(file.destroyedAt)}` : ''}.</p>
      )}
    </section>
  );
}

function Tasks({
  tasks,
  csrf,
  analyticsIds,
}: {
  tasks: TaskTable[];
  csrf: string;
  analyticsIds?: Record<string, KnownAnalyticsIds>;
}) {
  if (tasks.length === 0) return null;
  return (
    <section aria-labelledby="tasks-title" id="tasks">
      <h2 id="tasks-title">Taken bij verwerkers zonder API</h2>
      <ul class="plain">
        {tasks.map((t) => (
          <li data-task={t.id}>
            <strong>{t.processor}</strong>: {actionLabel(t.action)} ({t.system}), contact {t.contact}, uiterlijk{' '}
            {day(t.due_at)} — {t.status === 'done' ? `afgerond ${day(t.done_at)}` : 'open'}
            <br />
            <small>{instructionsOf(t)}</small>
            {analyticsIds?.[t.id] && (
              <p>
                Door de winkel gemelde Analytics-id's (kept until this task is done):{' '}
                {[
                  ...analyticsIds[t.id]!.clientIds.map((c) => `client id ${c}`),
                  ...analyticsIds[t.id]!.userIds.map((u) => `user id ${u}`),
                ].join(', ')}
              </p>
            )}
            {t.note && <p>Antwoord: {t.note}</p>}
            {t.status === 'open' && (
              <form method="post" action={`/admin/tasks/${t.id}/done`} class="decision">
                <CsrfField token={csrf} />
                {t.action === 'access' && (
                  <>
                    <label>
                      Wat de verwerker over de persoon heeft (gaat als aanvulling naar de persoon; plak de tekst of een
                      samenvatting van het bestand)
                      <br />
                      <textarea name="answer" rows={5} maxlength={100_000} />
                    </label>
                    <br />
                    <label>
                      <input type="checkbox" name="nothingHeld" value="on" /> De verwerker heeft niets over deze persoon
                    </label>
                    <br />
                  </>
                )}
                <label>
                  Notitie voor het dossier (optioneel, de persoon ziet die niet)
                  <br />
                  <input type="text" name="note" maxlength={2000} />
                </label>
                <br />
                <button type="submit">Taak afgerond</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function instructionsOf(t: TaskTable): string {
  try {
    return (JSON.parse(t.instructions) as { nl?: string }).nl ?? '';
  } catch {
    return '';
  }
}

/**
 * GDPR Art. 19: which processors were told about the correction, erasure or restriction, when, and
 * what they answered. Rows come from the processor-notice register, or from the result for older requests.
 */
export function ProcessorNotices({ rows }: { rows: ProcessorNoticeRow[] }) {
  return (
    <section aria-labelledby="notices" class="processor-notices">
      <h2 id="notices">Verwerkers op de hoogte gebracht (AVG art. 19)</h2>
      {rows.length === 0 ? (
        <p>Geen verwerkers betrokken.</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">Systeem</th>
              <th scope="col">Verwerker</th>
              <th scope="col">Actie</th>
              <th scope="col">Status</th>
              <th scope="col">Wanneer</th>
              <th scope="col">Antwoord</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => (
              <tr>
                <td data-label="Systeem">{n.system}</td>
                <td data-label="Verwerker">{n.processor}</td>
                <td data-label="Actie">{actionLabel(n.action)}</td>
                <td data-label="Status">{n.status}</td>
                <td data-label="Wanneer">{moment(n.at)}</td>
                <td data-label="Antwoord">{n.answer ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
