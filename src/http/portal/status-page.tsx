import { formatDateTime, formatDay } from '../../notify/templates/words.ts';
import type { RequestStatus, RequestType } from '../../requests/request.types.ts';
import type { RequestStatusView, StatusStep } from '../../requests/status-page.ts';
import type { Lang } from '../lang.ts';
import { Notice } from './layout.tsx';
import { requestTexts } from './request-texts.ts';

/**
 * The page behind a status link: where the request stands and what happened when, in words. Nothing about
 * the person: no address, no name, no data, no system or processor ids (open tasks are only counted).
 */

interface StatusWords {
  title: string;
  reference: (ref: string) => string;
  request: (right: string, received: string) => string;
  statusLabel: string;
  status: Record<RequestStatus, string>;
  due: (day: string) => string;
  dueExtended: (day: string) => string;
  completed: (day: string) => string;
  openTasks: (n: number) => string;
  timelineHeading: string;
  steps: Record<StatusStep, string>;
  noPersonalData: string;
  goneTitle: string;
  gone: string;
  home: string;
}

const nl: StatusWords = {
  title: 'Hoe staat het met uw verzoek?',
  reference: (ref) => `Kenmerk: ${ref}`,
  request: (right, received) => `Uw verzoek (${right}) is binnengekomen op ${received}.`,
  statusLabel: 'Stand van zaken',
  status: {
    awaiting_verification: 'Wij wachten op uw bevestiging via de link in onze e-mail.',
    awaiting_identity: 'Wij wachten tot u zich heeft gelegitimeerd; wij nemen daarvoor contact met u op.',
    verified: 'Bevestigd. Wij gaan ermee aan de slag.',
    in_progress: 'Wij zijn ermee bezig.',
    awaiting_decision: 'Wij beoordelen uw verzoek en nemen een besluit. U krijgt dat besluit per e-mail.',
    waiting_on_tasks:
      'Ons eigen deel is klaar. Wij vragen nog partijen zonder koppeling met onze systemen om hun deel te doen.',
    completed: 'Afgehandeld.',
    rejected: 'Afgewezen. U heeft per e-mail gehoord waarom.',
    expired: 'Vervallen: het verzoek is niet op tijd bevestigd. U kunt een nieuw verzoek doen.',
  },
  due: (day) => `Wij ronden uw verzoek uiterlijk op ${day} af.`,
  dueExtended: (day) => `De termijn is verlengd; wij ronden uw verzoek uiterlijk op ${day} af.`,
  completed: (day) => `Afgehandeld op ${day}.`,
  openTasks: (n) =>
    n === 1
      ? 'Er staat nog 1 taak open bij onze privacycontactpersoon.'
      : `Er staan nog ${n} taken open bij onze privacycontactpersoon.`,
  timelineHeading: 'Wat er is gebeurd',
  steps: {
    received: 'Verzoek ontvangen',
    verified: 'Verzoek bevestigd via de link in de e-mail',
    identity_verified: 'Identiteit vastgesteld',
    received_earlier: 'Eerder binnengekomen verzoek meegeteld: de termijn loopt vanaf die dag',
    awaiting_identity: 'Wij vroegen u zich te legitimeren',
    awaiting_decision: 'Doorgezet naar onze privacycontactpersoon voor een besluit',
    processor_unavailable: 'Een verwerker was niet bereikbaar; wij planden een nieuwe poging',
    extended: 'Termijn verlengd',
    objection_honoured: 'Uw bezwaar tegen direct marketing is direct uitgevoerd',
    restricted: 'Wij hebben de verwerking van uw gegevens beperkt',
    restriction_lift_announced: 'Opheffing van de beperking aangekondigd',
    restriction_lifted: 'De beperking is opgeheven',
    exported: 'Uw gegevens zijn klaargezet om te downloaden',
    exported_in_part:
      'Wat wij zelf over u hebben is klaargezet om te downloaden; het deel van partijen die wij nog vragen, volgt apart',
    no_data: 'Wij vonden bij ons geen gegevens over u',
    no_data_in_part:
      'Wij vonden bij ons geen gegevens over u; het antwoord van partijen die wij nog vragen, volgt apart',
    prepared_for_post: 'Ons antwoord is klaargemaakt om per post te versturen',
    rejected: 'Verzoek afgewezen',
    expired: 'Verzoek vervallen: niet op tijd bevestigd',
    completed: 'Verzoek afgehandeld',
    closed_by_erasure: 'Afgesloten omdat uw gegevens zijn verwijderd',
  },
  noPersonalData: 'Op deze pagina staan geen persoonsgegevens.',
  goneTitle: 'Deze pagina bestaat niet (meer)',
  gone: 'De link is onjuist of werkt niet meer. Een pagina van een verzoek verdwijnt als het verzoek uit ons register gaat. Vragen? Mail ons en noem het kenmerk uit onze e-mail.',
  home: 'Naar de privacypagina',
};

const en: StatusWords = {
  title: 'Where does your request stand?',
  reference: (ref) => `Reference: ${ref}`,
  request: (right, received) => `Your request (${right}) arrived on ${received}.`,
  statusLabel: 'Status',
  status: {
    awaiting_verification: 'We are waiting for your confirmation through the link in our e-mail.',
    awaiting_identity: 'We are waiting for you to prove your identity; we will contact you about it.',
    verified: 'Confirmed. We are starting on it.',
    in_progress: 'We are working on it.',
    awaiting_decision: 'We are assessing your request and will decide. You will get our decision by e-mail.',
    waiting_on_tasks:
      'Our own part is done. We are still asking parties without a connection to our systems to do their part.',
    completed: 'Completed.',
    rejected: 'Refused. We told you why by e-mail.',
    expired: 'Lapsed: the request was not confirmed in time. You can make a new request.',
  },
  due: (day) => `We will complete your request by ${day} at the latest.`,
  dueExtended: (day) => `The period has been extended; we will complete your request by ${day} at the latest.`,
  completed: (day) => `Completed on ${day}.`,
  openTasks: (n) =>
    n === 1 ? 'Our privacy contact still has 1 task open.' : `Our privacy contact still has ${n} tasks open.`,
  timelineHeading: 'What has happened',
  steps: {
    received: 'Request received',
    verified: 'Request confirmed through the link in the e-mail',
    identity_verified: 'Identity established',
    received_earlier: 'An earlier request counted: the period runs from that day',
    awaiting_identity: 'We asked you to prove your identity',
    awaiting_decision: 'Passed to our privacy contact for a decision',
    processor_unavailable: 'A processor could not be reached; we planned another try',
    extended: 'Period extended',
    objection_honoured: 'Your objection to direct marketing was carried out at once',
    restricted: 'We restricted the processing of your data',
    restriction_lift_announced: 'Lifting of the restriction announced',
    restriction_lifted: 'The restriction was lifted',
    exported: 'Your data was made ready to download',
    exported_in_part:
      'What we hold about you ourselves was made ready to download; the part from parties we are still asking follows separately',
    no_data: 'We found no data about you in our own systems',
    no_data_in_part:
      'We found no data about you in our own systems; the answer from parties we are still asking follows separately',
    prepared_for_post: 'Our answer was made ready to send by post',
    rejected: 'Request refused',
    expired: 'Request lapsed: not confirmed in time',
    completed: 'Request completed',
    closed_by_erasure: 'Closed because your data was erased',
  },
  noPersonalData: 'This page holds no personal data.',
  goneTitle: 'This page does not exist (any more)',
  gone: 'The link is wrong or no longer works. A request’s page goes when the request leaves our register. Questions? E-mail us and quote the reference from our e-mail.',
  home: 'To the privacy page',
};

export const statusWords = (lang: Lang): StatusWords => (lang === 'en' ? en : nl);

const rightName = (type: RequestType, lang: Lang) => requestTexts[lang].rights[type].name;

export function RequestStatusPage({ view, lang }: { view: RequestStatusView; lang: Lang }) {
  const w = statusWords(lang);
  const done = view.status === 'completed' || view.status === 'rejected' || view.status === 'expired';
  return (
    <Notice title={w.title}>
      <p>
        <strong>{w.reference(view.reference)}</strong>
      </p>
      <p>{w.request(rightName(view.type, lang), formatDay(view.receivedAt, lang))}</p>
      <h2>{w.statusLabel}</h2>
      <p>{w.status[view.status]}</p>
      {!done && view.openTasks > 0 && <p>{w.openTasks(view.openTasks)}</p>}
      {!done && <p>{(view.extended ? w.dueExtended : w.due)(formatDay(view.dueAt, lang))}</p>}
      {done && view.completedAt && <p>{w.completed(formatDay(view.completedAt, lang))}</p>}
      <h2>{w.timelineHeading}</h2>
      <ol class="timeline">
        {view.timeline.map((t) => (
          <li>
            <time datetime={t.at}>{formatDateTime(t.at, lang)}</time>: {w.steps[t.step]}
          </li>
        ))}
      </ol>
      <p class="muted">{w.noPersonalData}</p>
      <p>
        <a href={`/?lang=${lang}`}>{w.home}</a>
      </p>
    </Notice>
  );
}

export function StatusGonePage({ lang }: { lang: Lang }) {
  const w = statusWords(lang);
  return (
    <Notice title={w.goneTitle}>
      <p>{w.gone}</p>
      <p>
        <a href={`/?lang=${lang}`}>{w.home}</a>
      </p>
    </Notice>
  );
}
