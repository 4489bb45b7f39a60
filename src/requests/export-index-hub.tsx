import type { VNode } from 'preact';
import type { ConsentRecord } from '../consent/contact-consent.types.ts';
import { formatDate, formatList, type Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { dayInWords } from './export-answer.ts';
import type { AnswerWords } from './export-answer-words.ts';
import type { HubHoldings } from './export-model.ts';
import type { ExportWords } from './export-words.ts';

/**
 * What the hub itself holds about the person (their requests, a restriction or objection, consents,
 * Analytics ids): part of the access answer like the shop's data (GDPR Art. 15(1), 15(3)).
 */

interface Props {
  holdings: HubHoldings;
  policy: Policy;
  lang: Lang;
  w: ExportWords;
  a: AnswerWords;
}

const moment = (at: string, lang: Lang) => `${formatDate(at, lang)}, ${at.slice(11, 16)} UTC`;

export function HubSection({ holdings, policy, lang, w, a }: Props): VNode | null {
  const { requests = [], flags, consents = [], analytics } = holdings;
  const purpose = (id: string) => policy.purposes.items.find((p) => p.id === id)?.name[lang] ?? a.unknownPurpose;
  const flagged = flags?.restricted || flags?.objection;
  const ids = analytics ? analytics.clientIds.length + analytics.userIds.length : 0;
  if (requests.length === 0 && !flagged && consents.length === 0 && ids === 0) return null;
  return (
    <>
      {(requests.length > 0 || flagged) && (
        <>
          <h2>{a.hubHeading}</h2>
          <p>{a.hubIntro}</p>
        </>
      )}
      {flags?.restricted && <p class="note">{a.restricted(flags.since ? dayInWords(flags.since, lang) : undefined)}</p>}
      {flags?.objection && (
        <p class="note">
          {flags.purposes?.length ? a.objection(formatList(flags.purposes.map(purpose), lang)) : a.objectionAll}
        </p>
      )}
      {requests.length > 0 && (
        <>
          <h3>{a.requestsHeading}</h3>
          <div class="table">
            <table>
              <thead>
                <tr>
                  <th scope="col">{a.requestColumns.type}</th>
                  <th scope="col">{a.requestColumns.received}</th>
                  <th scope="col">{a.requestColumns.status}</th>
                  <th scope="col">{a.requestColumns.outcome}</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr>
                    <td>{a.requestType[r.type]}</td>
                    <td>{dayInWords(r.receivedAt, lang)}</td>
                    <td>{a.status[r.status]}</td>
                    <td>{(r.outcome && a.outcome(r.outcome)) ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {consents.length > 0 && <Consents consents={consents} purpose={purpose} lang={lang} w={w} a={a} />}
      {analytics && ids > 0 && (
        <>
          <h2>{a.analyticsHeading}</h2>
          <p>{a.analyticsIntro}</p>
          <div class="table">
            <table>
              <tbody>
                {analytics.clientIds.map((id) => (
                  <tr>
                    <th scope="row">{a.clientId}</th>
                    <td>{id}</td>
                  </tr>
                ))}
                {analytics.userIds.map((id) => (
                  <tr>
                    <th scope="row">{a.userId}</th>
                    <td>{id}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function Consents(props: {
  consents: ConsentRecord[];
  purpose: (id: string) => string;
  lang: Lang;
  w: ExportWords;
  a: AnswerWords;
}): VNode {
  const { consents, purpose, lang, w, a } = props;
  const c = w.consentColumns;
  return (
    <>
      <h2>{w.consentsHeading}</h2>
      <p>{w.consentsIntro}</p>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{c.purpose}</th>
              <th scope="col">{c.choice}</th>
              <th scope="col">{c.when}</th>
              <th scope="col">{c.source}</th>
              <th scope="col">{c.text}</th>
            </tr>
          </thead>
          <tbody>
            {consents.map((r) => (
              <tr>
                <td>{purpose(r.purpose)}</td>
                <td>{r.granted ? w.granted : w.withdrawn}</td>
                <td>{moment(r.at, lang)}</td>
                <td>{a.consentSource(r.source)}</td>
                <td>
                  {r.text}
                  {r.version && <span class="cat"> ({w.version(r.version)})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
