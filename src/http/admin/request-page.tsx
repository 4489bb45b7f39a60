import type { Decision, RequestView } from '../../admin/desk.ts';
import type { KnownAnalyticsIds } from '../../requests/analytics-ids.ts';
import { OFFICER_CHANNELS } from '../../requests/officer-intake.ts';
import { requestReference } from '../../requests/status-page.ts';
import { CsrfField } from './admin-layout.tsx';
import { answerText } from './desk-answers.ts';
import type { DeskLang } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import { Desk, Due, Message, type PageMessage } from './desk-parts.tsx';
import {
  actionLabel,
  channelLabel,
  DECISION_LABEL,
  day,
  moment,
  outcomeLabel,
  statusLabel,
  systemOutcomeLabel,
  typeLabel,
} from './desk-words.ts';
import { Found, OpenTasks, Timeline } from './request-parts.tsx';
import { FIELD_ROLE_LABEL } from './request-words.ts';

export interface RequestPageProps {
  view: RequestView;
  csrf: string;
  lang: DeskLang;
  names: DeskNames;
  /** The policy's retention rules with a legal hold: why records were kept, in words. */
  holds: Parameters<typeof Found>[0]['holds'];
  message?: PageMessage;
  /** Per open Google Analytics task: the ids the shop reported for the person. */
  analyticsIds?: Record<string, KnownAnalyticsIds>;
}

const W = {
  nl: {
    next: 'Volgende stappen',
    nothingToDo: 'Er is nu niets voor u te doen.',
    waiting: {
      awaiting_verification: 'De persoon heeft het verzoek nog niet bevestigd via de link in de e-mail.',
      verified: 'Het verzoek wordt zo uitgevoerd.',
      in_progress: 'Het verzoek wordt uitgevoerd.',
      waiting_on_tasks: 'Het verzoek wacht op de taken hierboven.',
    } as Record<string, string>,
    decisions: 'Besluiten die nu kunnen',
    rejectReason: 'Reden van de afwijzing (gaat naar de persoon, met het recht om te klagen)',
    extendReason: 'Reden van de verlenging (gaat naar de persoon; één keer, ten hoogste twee maanden)',
    about: 'Het verzoek',
    reference: 'Kenmerk',
    personReference: 'Kenmerk voor de persoon (in e-mails en op de statuspagina)',
    right: 'Recht',
    status: 'Status',
    email: 'E-mailadres',
    erasedEmail: 'niet meer bewaard (verwijderd)',
    name: 'Naam',
    received: 'Ontvangen',
    due: 'Termijn (privacybeleid)',
    legal: 'Wettelijke termijn (AVG art. 12 lid 3)',
    extendedOn: (d: string) => ` — verlengd op ${d}: `,
    completed: 'Afgerond',
    message: 'Toelichting van de persoon',
    corrections: 'Gevraagde correcties',
    purposes: 'Bezwaar tegen',
    deliverTo: 'Bezorgen aan',
    decisionReason: 'Reden van het besluit',
    notices: 'Verwerkers op de hoogte gebracht (AVG art. 19)',
    noticesAccess: 'Verwerkers gevraagd naar hun deel (AVG art. 15)',
    noticesIntro: 'Welke verwerker wat is gevraagd of verteld, wanneer, en wat zij antwoordden.',
    explain: {
      approve: {
        rectification:
          'Goedkeuren voert de correcties door in alle systemen; de verwerkers krijgen bericht (AVG art. 16 en 19).',
        objection:
          'Goedkeuren kent het bezwaar toe: de verwerking voor deze doelen stopt voorgoed, en wat alleen daarvoor bewaard werd, wordt gewist (AVG art. 21 en 17 lid 1 onder c).',
      },
      reject: 'De persoon krijgt de reden per e-mail, met het recht om te klagen bij de Autoriteit Persoonsgegevens.',
      'verify-identity': 'Bevestig pas als u zeker weet wie de persoon is; daarna wordt het verzoek uitgevoerd.',
      lift: 'De persoon krijgt eerst bericht; de beperking eindigt pas na de opzegtermijn (AVG art. 18 lid 3).',
    } as Explain,
    noNotices: 'Geen verwerkers betrokken.',
    cols: { processor: 'Verwerker', action: 'Gevraagd', status: 'Uitkomst', when: 'Wanneer', answer: 'Antwoord' },
    recordedInEnglish: '(zoals vastgelegd, in het Engels)',
  },
  en: {
    next: 'Next steps',
    nothingToDo: 'There is nothing for you to do now.',
    waiting: {
      awaiting_verification: 'The person has not yet confirmed the request through the link in the e-mail.',
      verified: 'The request will be carried out shortly.',
      in_progress: 'The request is being carried out.',
      waiting_on_tasks: 'The request is waiting for the tasks above.',
    } as Record<string, string>,
    decisions: 'Decisions you can take now',
    rejectReason: 'Reason for declining (goes to the person, with the right to complain)',
    extendReason: 'Reason for the extension (goes to the person; once, at most two months)',
    about: 'The request',
    reference: 'Reference',
    personReference: "The person's reference (in e-mails and on the status page)",
    right: 'Right',
    status: 'Status',
    email: 'E-mail address',
    erasedEmail: 'no longer kept (erased)',
    name: 'Name',
    received: 'Received',
    due: 'Deadline (privacy policy)',
    legal: 'Legal deadline (GDPR Art. 12(3))',
    extendedOn: (d: string) => ` — extended on ${d}: `,
    completed: 'Completed',
    message: 'What the person wrote',
    corrections: 'Corrections asked for',
    purposes: 'Objection to',
    deliverTo: 'Deliver to',
    decisionReason: 'Reason for the decision',
    notices: 'Processors told (GDPR Art. 19)',
    noticesAccess: 'Processors asked for their part (GDPR Art. 15)',
    noticesIntro: 'Which processor was asked or told what, when, and what they answered.',
    explain: {
      approve: {
        rectification:
          'Approving applies the corrections in every system; the processors are told (GDPR Art. 16 and 19).',
        objection:
          'Approving upholds the objection: processing for these purposes stops for good, and what was kept only for them is erased (GDPR Art. 21 and 17(1)(c)).',
      },
      reject: 'The person gets the reason by e-mail, with the right to complain to the Autoriteit Persoonsgegevens.',
      'verify-identity': 'Confirm only when you are sure who the person is; the request is carried out then.',
      lift: 'The person is told first; the restriction ends only after the notice period (GDPR Art. 18(3)).',
    } as Explain,
    noNotices: 'No processors involved.',
    cols: { processor: 'Processor', action: 'Asked', status: 'Outcome', when: 'When', answer: 'Answer' },
    recordedInEnglish: '',
  },
};

/** One request: next steps first (tasks, decisions), then the request, what was found, Art. 19, the timeline. */
export function RequestPage(props: RequestPageProps) {
  const { view, csrf, lang, names, message } = props;
  const w = W[lang];
  const r = view.request;
  const open = view.tasks.filter((t) => t.status === 'open');
  return (
    <Desk>
      {message && <Message kind={message.kind}>{message.text}</Message>}
      <section aria-labelledby="next-steps" id="next">
        <h2 id="next-steps">{w.next}</h2>
        <p class="lead">
          {statusLabel(r.status, lang)}
          {!r.completedAt && (
            <>
              {' · '}
              <Due dueAt={r.dueAt} urgency={r.urgency} daysLeft={r.daysLeft} lang={lang} />
            </>
          )}
        </p>
        <OpenTasks
          tasks={open}
          csrf={csrf}
          lang={lang}
          names={names}
          email={r.email}
          analyticsIds={props.analyticsIds}
        />
        <Decisions id={r.id} type={r.type} decisions={view.decisions} csrf={csrf} lang={lang} />
        {open.length === 0 && view.decisions.length === 0 && (
          <p>
            {w.nothingToDo} {w.waiting[r.status] ?? ''}
          </p>
        )}
      </section>
      <Facts view={view} lang={lang} names={names} />
      <Found view={view} csrf={csrf} lang={lang} names={names} holds={props.holds} />
      <ProcessorNotices view={view} lang={lang} names={names} />
      <Timeline view={view} lang={lang} names={names} />
    </Desk>
  );
}

type Explain = {
  approve: Partial<Record<string, string>>;
  reject: string;
  'verify-identity': string;
  lift: string;
};

const enteredByOfficer = (channel: string | null) => (OFFICER_CHANNELS as readonly string[]).includes(channel ?? '');

function Facts({ view, lang, names }: { view: RequestView; lang: DeskLang; names: DeskNames }) {
  const w = W[lang];
  const r = view.request;
  const purposes = (r.details as { purposes?: string[] }).purposes;
  return (
    <section aria-labelledby="about">
      <h2 id="about">{w.about}</h2>
      <dl class="facts">
        <dt>{w.reference}</dt>
        <dd>{r.id}</dd>
        <dt>{w.personReference}</dt>
        <dd>{requestReference(r.id)}</dd>
        <dt>{w.right}</dt>
        <dd>{typeLabel(r.type, lang)}</dd>
        <dt>{w.status}</dt>
        <dd data-status={r.status}>{statusLabel(r.status, lang)}</dd>
        <dt>{w.email}</dt>
        <dd>{r.email ?? w.erasedEmail}</dd>
        {r.name && (
          <>
            <dt>{w.name}</dt>
            <dd>{r.name}</dd>
          </>
        )}
        <dt>{w.received}</dt>
        {/* Entered by the officer with the day it arrived: the hour is not known, so only the day is shown. */}
        <dd>
          {enteredByOfficer(r.channel) ? day(r.receivedAt, lang) : moment(r.receivedAt, lang)}
          {r.channel && `, ${channelLabel(r.channel, lang)}`}
        </dd>
        <dt>{w.due}</dt>
        <dd class={r.completedAt || r.urgency === 'ok' ? undefined : r.urgency}>
          {r.completedAt ? (
            day(r.dueAt, lang)
          ) : (
            <Due dueAt={r.dueAt} urgency={r.urgency} daysLeft={r.daysLeft} lang={lang} />
          )}
        </dd>
        <dt>{w.legal}</dt>
        <dd>
          {day(r.legalDueAt, lang)}
          {r.extendedAt && (
            <>
              {w.extendedOn(day(r.extendedAt, lang))}
              <span class="quote">{r.details.extensionReason ?? ''}</span>
            </>
          )}
        </dd>
        {r.completedAt && (
          <>
            <dt>{w.completed}</dt>
            <dd>
              {moment(r.completedAt, lang)} {r.outcome && `(${outcomeLabel(r.outcome, lang)})`}
            </dd>
          </>
        )}
        {r.message && (
          <>
            <dt>{w.message}</dt>
            <dd>
              <pre>{r.message}</pre>
            </dd>
          </>
        )}
        {r.details.corrections && (
          <>
            <dt>{w.corrections}</dt>
            <dd>
              {Object.entries(r.details.corrections)
                .map(([field, value]) => `${FIELD_ROLE_LABEL[lang][field] ?? field}: ${value}`)
                .join('; ')}
            </dd>
          </>
        )}
        {purposes && purposes.length > 0 && (
          <>
            <dt>{w.purposes}</dt>
            <dd>{purposes.map((p) => names.purpose(p)).join(', ')}</dd>
          </>
        )}
        {r.details.deliverTo && (
          <>
            <dt>{w.deliverTo}</dt>
            <dd>{r.details.deliverTo}</dd>
          </>
        )}
        {r.details.decisionReason && (
          <>
            <dt>{w.decisionReason}</dt>
            <dd>{r.details.decisionReason}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Decisions(props: { id: string; type: string; decisions: Decision[]; csrf: string; lang: DeskLang }) {
  const { id, decisions, csrf, lang } = props;
  const explain = (d: Decision) =>
    d === 'approve' ? W[lang].explain.approve[props.type] : d === 'extend' ? undefined : W[lang].explain[d];
  const w = W[lang];
  if (decisions.length === 0) return null;
  return (
    <div class="decisions">
      <h3>{w.decisions}</h3>
      {decisions.map((d) => (
        <form method="post" action={`/admin/requests/${id}/${d}`} class="decision">
          <CsrfField token={csrf} />
          {(d === 'reject' || d === 'extend') && (
            <label>
              {d === 'reject' ? w.rejectReason : w.extendReason}
              <textarea name="reason" required rows={3} maxlength={2000} />
            </label>
          )}
          {explain(d) && <p class="muted">{explain(d)}</p>}
          <button type="submit">{DECISION_LABEL[lang][d]}</button>
        </form>
      ))}
    </div>
  );
}

/**
 * GDPR Art. 19: which processors were told about the correction, erasure or restriction, when, and
 * what they answered, as a table that reads as sentences: processor, what was asked, the outcome.
 */
export function ProcessorNotices({ view, lang, names }: { view: RequestView; lang: DeskLang; names: DeskNames }) {
  const w = W[lang];
  const rows = view.notices;
  const access = view.request.type === 'access' || view.request.type === 'portability';
  return (
    <section aria-labelledby="notices" class="processor-notices">
      <h2 id="notices">{access ? w.noticesAccess : w.notices}</h2>
      {rows.length === 0 ? (
        <p>{w.noNotices}</p>
      ) : (
        <>
          <p class="lead">{w.noticesIntro}</p>
          <table class="stack art19">
            <thead>
              <tr>
                <th scope="col">{w.cols.processor}</th>
                <th scope="col">{w.cols.action}</th>
                <th scope="col">{w.cols.status}</th>
                <th scope="col">{w.cols.when}</th>
                <th scope="col">{w.cols.answer}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => {
                const processor = names.processor(n.processor);
                const system = names.system(n.system);
                const answer = answerText(n.answer, lang, (c) => names.collection(n.system, c));
                return (
                  <tr>
                    <th scope="row" data-label={w.cols.processor}>
                      {processor}
                      {system !== processor && <small class="block">{system}</small>}
                    </th>
                    <td data-label={w.cols.action}>{actionLabel(n.action, lang)}</td>
                    <td data-label={w.cols.status}>{systemOutcomeLabel(n.status, lang)}</td>
                    <td data-label={w.cols.when}>{moment(n.at, lang)}</td>
                    <td data-label={w.cols.answer}>
                      <span lang={answer.lang}>{answer.text}</span>
                      {answer.lang && <small class="block">{w.recordedInEnglish}</small>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
