import type { ComponentChildren } from 'preact';
import type { DeskRequest, MonthCount, Urgency } from '../../admin/desk.ts';
import { day, monthLabel, statusLabel, typeLabel, urgencyText } from './desk-words.ts';

export const DESK_CSS_PATH = '/assets/desk.css';

/** The desk's own stylesheet (a `<link>` in the body is valid HTML) and its wrapper class. */
export function Desk({ children }: { children: ComponentChildren }) {
  return (
    <div class="desk">
      <link rel="stylesheet" href={DESK_CSS_PATH} />
      {children}
    </div>
  );
}

/** A deadline: the date, and in words how near it is, with a sign for those that stand out. */
export function Due({ dueAt, urgency, daysLeft }: { dueAt: string; urgency: Urgency; daysLeft: number }) {
  const sign = urgency === 'overdue' ? '⚠ ' : '';
  return (
    <>
      {day(dueAt)}{' '}
      <span class="due-flag">
        {sign && <span aria-hidden="true">{sign}</span>}({urgencyText(urgency, daysLeft)})
      </span>
    </>
  );
}

/** Open requests as a table; each row links to its page when the viewer may open it. */
export function RequestTable({ rows, linked }: { rows: DeskRequest[]; linked: boolean }) {
  if (rows.length === 0) return <p>Geen openstaande verzoeken.</p>;
  return (
    <table class="stack requests">
      <thead>
        <tr>
          <th scope="col">Verzoek</th>
          <th scope="col">Status</th>
          <th scope="col">Ontvangen</th>
          <th scope="col">Termijn</th>
          <th scope="col">Wettelijke termijn</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr class={r.urgency === 'ok' ? undefined : r.urgency} data-request={r.id}>
            <td data-label="Verzoek">
              {linked ? <a href={`/admin/requests/${r.id}`}>{typeLabel(r.type)}</a> : typeLabel(r.type)}{' '}
              <small>{r.id.slice(0, 8)}</small>
            </td>
            <td data-label="Status">{statusLabel(r.status)}</td>
            <td data-label="Ontvangen">{day(r.receivedAt)}</td>
            <td data-label="Termijn">
              {r.completedAt ? day(r.dueAt) : <Due dueAt={r.dueAt} urgency={r.urgency} daysLeft={r.daysLeft} />}
            </td>
            <td data-label="Wettelijke termijn">
              {day(r.legalDueAt)}
              {r.extendedAt ? ' (verlengd)' : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Requests per month as bars: inline SVG, no library. Screen readers get the title and a summary;
 * everyone can open the same figures as a table.
 */
export function MonthChart({ months }: { months: MonthCount[] }) {
  const max = Math.max(1, ...months.map((m) => m.count));
  const w = 360;
  const h = 160;
  const top = 14;
  const bottom = 28;
  const slot = w / months.length;
  const bar = slot * 0.64;
  const total = months.reduce((n, m) => n + m.count, 0);
  const first = months[0]?.month ?? '';
  const last = months.at(-1)?.month ?? '';
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="chart-title">Verzoeken per maand</title>
        <desc id="chart-desc">
          {`${total} verzoeken van ${monthLabel(first)} tot en met ${monthLabel(last)}; het meeste in één maand: ${max}.`}
        </desc>
        {months.map((m, i) => {
          const height = ((h - top - bottom) * m.count) / max;
          const x = i * slot + (slot - bar) / 2;
          const y = h - bottom - height;
          return (
            <g>
              <rect class="bar" x={x.toFixed(1)} y={y.toFixed(1)} width={bar.toFixed(1)} height={height.toFixed(1)} />
              <text x={(x + bar / 2).toFixed(1)} y={(y - 3).toFixed(1)} text-anchor="middle">
                {m.count}
              </text>
              <text x={(x + bar / 2).toFixed(1)} y={h - bottom + 12} text-anchor="middle">
                {monthLabel(m.month).slice(0, 3)}
              </text>
              {(i === 0 || m.month.endsWith('-01')) && (
                <text x={(x + bar / 2).toFixed(1)} y={h - bottom + 24} text-anchor="middle">
                  {m.month.slice(0, 4)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>Als tabel</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Maand</th>
              <th scope="col">Verzoeken</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr>
                <td>{monthLabel(m.month)}</td>
                <td>{m.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A message above a page: the outcome of a decision, or why it could not be taken. */
export function Message({ kind, children }: { kind: 'ok' | 'error'; children: ComponentChildren }) {
  return (
    <p class={kind === 'ok' ? 'message ok' : 'message'} role={kind === 'ok' ? 'status' : 'alert'}>
      {children}
    </p>
  );
}
