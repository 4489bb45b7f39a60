import type { ComponentChildren } from 'preact';
import type { DeskRequest, MonthCount, Urgency } from '../../admin/desk.ts';
import type { DeskLang } from './desk-lang.ts';
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
export function Due(props: { dueAt: string; urgency: Urgency; daysLeft: number; lang: DeskLang }) {
  const sign = props.urgency === 'overdue' ? '⚠ ' : '';
  return (
    <>
      {day(props.dueAt, props.lang)}{' '}
      <span class="due-flag">
        {sign && <span aria-hidden="true">{sign}</span>}({urgencyText(props.urgency, props.daysLeft, props.lang)})
      </span>
    </>
  );
}

const TABLE = {
  nl: {
    none: 'Geen verzoeken.',
    request: 'Verzoek',
    status: 'Status',
    received: 'Ontvangen',
    due: 'Termijn',
    legal: 'Wettelijke termijn',
    extended: ' (verlengd)',
    reference: 'kenmerk',
  },
  en: {
    none: 'No requests.',
    request: 'Request',
    status: 'Status',
    received: 'Received',
    due: 'Deadline',
    legal: 'Legal deadline',
    extended: ' (extended)',
    reference: 'reference',
  },
} as const;

/** Requests as a table; each row links to its page when the viewer may open it. */
export function RequestTable(props: { rows: DeskRequest[]; linked: boolean; lang: DeskLang; empty?: string }) {
  const { rows, linked, lang } = props;
  const w = TABLE[lang];
  if (rows.length === 0) return <p>{props.empty ?? w.none}</p>;
  return (
    <table class="stack requests">
      <thead>
        <tr>
          <th scope="col">{w.request}</th>
          <th scope="col">{w.status}</th>
          <th scope="col">{w.received}</th>
          <th scope="col">{w.due}</th>
          <th scope="col">{w.legal}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr class={r.urgency === 'ok' || r.completedAt ? undefined : r.urgency} data-request={r.id}>
            <td data-label={w.request}>
              {linked ? <a href={`/admin/requests/${r.id}`}>{typeLabel(r.type, lang)}</a> : typeLabel(r.type, lang)}{' '}
              <small>
                <span class="visually-hidden">{w.reference} </span>
                {r.id.slice(0, 8)}
              </small>
            </td>
            <td data-label={w.status}>{statusLabel(r.status, lang)}</td>
            <td data-label={w.received}>{day(r.receivedAt, lang)}</td>
            <td data-label={w.due}>
              {r.completedAt ? (
                day(r.dueAt, lang)
              ) : (
                <Due dueAt={r.dueAt} urgency={r.urgency} daysLeft={r.daysLeft} lang={lang} />
              )}
            </td>
            <td data-label={w.legal}>
              {day(r.legalDueAt, lang)}
              {r.extendedAt ? w.extended : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const CHART = {
  nl: {
    title: 'Verzoeken per maand',
    desc: (total: number, first: string, last: string, max: number) =>
      `${total} verzoeken van ${first} tot en met ${last}; het meeste in één maand: ${max}.`,
    asTable: 'Als tabel',
    month: 'Maand',
    requests: 'Verzoeken',
  },
  en: {
    title: 'Requests per month',
    desc: (total: number, first: string, last: string, max: number) =>
      `${total} requests from ${first} to ${last}; the most in one month: ${max}.`,
    asTable: 'As a table',
    month: 'Month',
    requests: 'Requests',
  },
};

/**
 * Requests per month as bars: inline SVG, no library. Screen readers get the title and a summary;
 * everyone can open the same figures as a table.
 */
export function MonthChart({ months, lang }: { months: MonthCount[]; lang: DeskLang }) {
  const w = CHART[lang];
  const max = Math.max(1, ...months.map((m) => m.count));
  const width = 360;
  const h = 160;
  const top = 14;
  const bottom = 28;
  const slot = width / months.length;
  const bar = slot * 0.64;
  const total = months.reduce((n, m) => n + m.count, 0);
  const first = months[0]?.month ?? '';
  const last = months.at(-1)?.month ?? '';
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${h}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="chart-title">{w.title}</title>
        <desc id="chart-desc">{w.desc(total, monthLabel(first, lang), monthLabel(last, lang), max)}</desc>
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
                {monthLabel(m.month, lang).slice(0, 3)}
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
        <summary>{w.asTable}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{w.month}</th>
              <th scope="col">{w.requests}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr>
                <td>{monthLabel(m.month, lang)}</td>
                <td>{m.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A message above a page: the outcome of an action, or why it could not be taken. */
export function Message({ kind, children }: { kind: 'ok' | 'error'; children: ComponentChildren }) {
  return (
    <p class={kind === 'ok' ? 'message ok' : 'message'} role={kind === 'ok' ? 'status' : 'alert'}>
      {children}
    </p>
  );
}

export type PageMessage = { kind: 'ok' | 'error'; text: string };

const PAGER = {
  nl: {
    label: 'Pagina’s',
    previous: 'Vorige',
    next: 'Volgende',
    of: (page: number, pages: number, total: number) => `Pagina ${page} van ${pages} (${total} in totaal)`,
  },
  en: {
    label: 'Pages',
    previous: 'Previous',
    next: 'Next',
    of: (page: number, pages: number, total: number) => `Page ${page} of ${pages} (${total} in all)`,
  },
};

/** A list's paging: where we are, and links to the page before and after (with the list's filters). */
export function Pager(props: {
  page: number;
  pages: number;
  total: number;
  href: (page: number) => string;
  lang: DeskLang;
}) {
  const w = PAGER[props.lang];
  const { page, pages } = props;
  return (
    <nav class="pager" aria-label={w.label}>
      <span>{w.of(page, Math.max(1, pages), props.total)}</span>
      {page > 1 && (
        <a href={props.href(page - 1)} rel="prev">
          {w.previous}
        </a>
      )}
      {page < pages && (
        <a href={props.href(page + 1)} rel="next">
          {w.next}
        </a>
      )}
    </nav>
  );
}

/** A query string from a list's filters, leaving out empty ones. */
export function queryOf(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
