import type { DeskRequest } from '../../admin/desk.ts';
import { REQUEST_TYPES, type RequestType } from '../../requests/request.types.ts';
import type { DeskLang } from './desk-lang.ts';
import { Desk, Message, type PageMessage, Pager, queryOf, RequestTable } from './desk-parts.tsx';
import { channelLabel, typeLabel } from './desk-words.ts';

/** Which requests the list shows: the open ones (default), the overdue ones, or all. */
export const LIST_STATES = ['open', 'overdue', 'all'] as const;
/** How a request came in: online (the portal or the API), or the channel it was entered or reported by. */
export const LIST_CHANNELS = ['online', 'email', 'post', 'phone', 'in-person', 'shop', 'shopify'] as const;

export interface RequestListFilter {
  status: (typeof LIST_STATES)[number];
  type?: RequestType;
  channel?: (typeof LIST_CHANNELS)[number];
  page: number;
}

const W = {
  nl: {
    which: 'Welke',
    states: { open: 'openstaand', overdue: 'te laat', all: 'alle' },
    right: 'Recht',
    allRights: 'alle rechten',
    channel: 'Binnengekomen',
    allChannels: 'langs elke weg',
    online: 'online (portaal of webwinkel-API)',
    show: 'Toon',
    enter: 'Verzoek invoeren',
    enterWhy: '(binnengekomen per e-mail, post, telefoon of aan de balie)',
    none: 'Geen verzoeken die aan deze keuze voldoen.',
    results: 'Verzoeken',
  },
  en: {
    which: 'Which',
    states: { open: 'open', overdue: 'overdue', all: 'all' },
    right: 'Right',
    allRights: 'every right',
    channel: 'Came in',
    allChannels: 'by any channel',
    online: 'online (portal or shop API)',
    show: 'Show',
    enter: 'Enter a request',
    enterWhy: '(received by e-mail, post, phone or at the counter)',
    none: 'No requests match this choice.',
    results: 'Requests',
  },
};

export interface RequestListProps {
  rows: DeskRequest[];
  total: number;
  pageSize: number;
  filter: RequestListFilter;
  linked: boolean;
  lang: DeskLang;
  message?: PageMessage;
}

/** The register: open requests by due date, overdue ones, or all, newest first; filtered and paged. */
export function RequestListPage({ rows, total, pageSize, filter, linked, lang, message }: RequestListProps) {
  const w = W[lang];
  const href = (page: number) =>
    `/admin/requests${queryOf({ status: filter.status, type: filter.type, channel: filter.channel, page })}`;
  return (
    <Desk>
      {message && <Message kind={message.kind}>{message.text}</Message>}
      <form method="get" action="/admin/requests" class="filters">
        <label>
          {w.which}{' '}
          <select name="status">
            {LIST_STATES.map((s) => (
              <option value={s} selected={filter.status === s}>
                {w.states[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.right}{' '}
          <select name="type">
            <option value="">{w.allRights}</option>
            {REQUEST_TYPES.map((t) => (
              <option value={t} selected={filter.type === t}>
                {typeLabel(t, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.channel}{' '}
          <select name="channel">
            <option value="">{w.allChannels}</option>
            {LIST_CHANNELS.map((c) => (
              <option value={c} selected={filter.channel === c}>
                {c === 'online' ? w.online : channelLabel(c, lang)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{w.show}</button>
      </form>
      {linked && (
        <p>
          <a href="/admin/requests/new">{w.enter}</a> {w.enterWhy}
        </p>
      )}
      <section aria-label={w.results}>
        <RequestTable rows={rows} linked={linked} lang={lang} empty={w.none} />
        <Pager page={filter.page} pages={Math.ceil(total / pageSize)} total={total} href={href} lang={lang} />
      </section>
    </Desk>
  );
}
