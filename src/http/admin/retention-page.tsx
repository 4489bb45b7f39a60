import { isLargeFirstSweep, type RetentionReview } from '../../admin/desk-retention.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { CsrfField } from './admin-layout.tsx';
import type { DeskLang } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import { Desk, Message, type PageMessage, Pager } from './desk-parts.tsx';
import { day, moment, plural } from './desk-words.ts';

export const PEOPLE_PER_PAGE = 100;

const W = {
  nl: {
    none: 'Er wacht geen plan op uw goedkeuring.',
    toDashboard: 'Naar het overzicht',
    planned: (at: string) => `Plan gemaakt op ${at}; hieronder zoals het er nu voor staat.`,
    rule: (title: string, cutoff: string) =>
      `${title}: wie sinds ${cutoff} geen contact of bestelling meer had, wordt gewist uit de systemen van de webwinkel.`,
    people: 'Personen',
    known: 'Bekend in de systemen',
    pastTerm: 'Langer dan de termijn zonder contact',
    restricted: 'Bewaard: verwerking beperkt',
    openRequest: 'Bewaard: open verzoek',
    toErase: 'Te wissen',
    kinds: 'Wat er van hen verdwijnt, per soort gegevens',
    kindsIntro:
      'Een proefrun: er is nog niets gewijzigd. Gegevens met een wettelijke bewaarplicht worden eerst verzegeld in het archief en daarna uit de webwinkel gewist.',
    cols: {
      what: 'Soort gegevens',
      found: 'Gevonden',
      deleted: 'Verwijderd',
      anonymised: 'Geanonimiseerd',
      sealed: 'Verzegeld bewaard',
    },
    tooMany: (n: number) =>
      `Met ${n} personen is dat te veel om op deze pagina te tellen; de opdracht "inzage retention plan --json" geeft de aantallen.`,
    rules: 'De andere bewaarregels bij deze run',
    removes: (n: number) => `${n} te verwijderen`,
    who: 'Wie',
    whoIntro: 'Alleen voor u zichtbaar; dat u deze lijst bekeek, staat in het auditlog.',
    nobody: 'Niemand: er hoeft nu niemand gewist te worden.',
    confirm: 'Goedkeuren',
    confirmLabel: (n: number) => `Typ het aantal personen dat gewist wordt (${n}) om te bevestigen`,
    approve: 'Goedkeuren en uitvoeren',
    runNote:
      'De run plant bij het uitvoeren opnieuw: wie intussen actief werd, blijft. Zouden er dan meer personen gewist worden dan u bevestigde, dan wist de run niemand en wacht het nieuwe plan op u.',
    firstSweep: (n: number) =>
      `Eerste opruiming: ${plural(n, 'persoon', 'personen')} in één keer. Dit is de achterstand van alle jaren hiervoor. Loop de lijst en de aantallen na; twijfelt u aan de datamap of de activiteitsdatums, keur dan niet goed en laat het eerst nakijken.`,
  },
  en: {
    none: 'No plan waits for your approval.',
    toDashboard: 'To the dashboard',
    planned: (at: string) => `Plan made on ${at}; below as it stands now.`,
    rule: (title: string, cutoff: string) =>
      `${title}: whoever had no contact or order since ${cutoff} is erased from the web shop’s systems.`,
    people: 'People',
    known: 'Known in the systems',
    pastTerm: 'Without contact for longer than the term',
    restricted: 'Kept: processing restricted',
    openRequest: 'Kept: open request',
    toErase: 'To erase',
    kinds: 'What of theirs goes, per kind of data',
    kindsIntro:
      'A dry run: nothing has been changed yet. Records under a legal duty to keep them are sealed in the archive first, then erased from the web shop.',
    cols: { what: 'Kind of data', found: 'Found', deleted: 'Deleted', anonymised: 'Anonymised', sealed: 'Kept sealed' },
    tooMany: (n: number) =>
      `With ${n} people that is too many to count on this page; the command "inzage retention plan --json" gives the numbers.`,
    rules: 'The other retention rules in this run',
    removes: (n: number) => `${n} to remove`,
    who: 'Who',
    whoIntro: 'Visible to you only; that you looked at this list is in the audit trail.',
    nobody: 'Nobody: no one needs to be erased now.',
    confirm: 'Approve',
    confirmLabel: (n: number) => `Type the number of people to be erased (${n}) to confirm`,
    approve: 'Approve and run',
    runNote:
      'The run plans again when it starts: whoever became active since stays. Should more people be erased then than you confirmed, the run erases no one and the new plan waits for you.',
    firstSweep: (n: number) =>
      `First clean-up: ${plural(n, 'person', 'people')} at once. This is the backlog of all the years before. Go through the list and the numbers; if you doubt the data map or the activity dates, do not approve and have them checked first.`,
  },
};

export interface RetentionPageProps {
  review?: RetentionReview;
  policy: Policy;
  page: number;
  csrf: string;
  lang: DeskLang;
  names: DeskNames;
  message?: PageMessage;
  /** What the officer typed, shown again after a mistake. */
  typed?: string;
}

/** The waiting retention plan: who and what would be erased, and the typed number that approves it. */
export function RetentionPage(props: RetentionPageProps) {
  const { review, lang, names } = props;
  const w = W[lang];
  if (!review)
    return (
      <Desk>
        {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
        <p>{w.none}</p>
        <p>
          <a href="/admin">{w.toDashboard}</a>
        </p>
      </Desk>
    );
  const { plan, emails } = review;
  const rule = props.policy.retention.rules.find((r) => r.id === plan.rule);
  const n = plan.people.toErase;
  const start = (props.page - 1) * PEOPLE_PER_PAGE;
  return (
    <Desk>
      {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
      <p class="lead">{w.planned(moment(review.plannedAt, lang))}</p>
      <p>{w.rule(rule?.title[lang] ?? plan.rule, day(plan.cutoff, lang))}</p>
      {isLargeFirstSweep(n, !review.firstSweep) && (
        <p class="message warning" role="note">
          {w.firstSweep(n)}
        </p>
      )}
      <section aria-labelledby="people">
        <h2 id="people">{w.people}</h2>
        <dl class="facts">
          <dt>{w.known}</dt>
          <dd>{plan.people.known}</dd>
          <dt>{w.pastTerm}</dt>
          <dd>{plan.people.pastTerm}</dd>
          <dt>{w.restricted}</dt>
          <dd>{plan.people.restricted}</dd>
          <dt>{w.openRequest}</dt>
          <dd>{plan.people.openRequest}</dd>
          <dt>{w.toErase}</dt>
          <dd>
            <strong>{n}</strong>
          </dd>
        </dl>
      </section>
      <section aria-labelledby="kinds">
        <h2 id="kinds">{w.kinds}</h2>
        {!review.perCollection ? (
          <p>{w.tooMany(n)}</p>
        ) : (
          <>
            <p class="lead">{w.kindsIntro}</p>
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{w.cols.what}</th>
                  <th scope="col">{w.cols.found}</th>
                  <th scope="col">{w.cols.deleted}</th>
                  <th scope="col">{w.cols.anonymised}</th>
                  <th scope="col">{w.cols.sealed}</th>
                </tr>
              </thead>
              <tbody>
                {review.perCollection.map((c) => (
                  <tr>
                    <th scope="row" data-label={w.cols.what}>
                      {names.collection(c.system, c.collection)}
                    </th>
                    <td data-label={w.cols.found}>{c.found}</td>
                    <td data-label={w.cols.deleted}>{c.deleted}</td>
                    <td data-label={w.cols.anonymised}>{c.anonymised}</td>
                    <td data-label={w.cols.sealed}>{c.sealed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <h3>{w.rules}</h3>
        <ul>
          {plan.rules
            .filter((r) => r.rule !== plan.rule)
            .map((r) => (
              <li>
                {r.title[lang]}: {w.removes(r.executors.reduce((sum, e) => sum + e.records, 0))}
              </li>
            ))}
        </ul>
      </section>
      <section aria-labelledby="who">
        <h2 id="who">{w.who}</h2>
        <p class="lead">{w.whoIntro}</p>
        {emails.length === 0 ? (
          <p>{w.nobody}</p>
        ) : (
          <>
            <ol class="people" start={start + 1}>
              {emails.slice(start, start + PEOPLE_PER_PAGE).map((e) => (
                <li>{e}</li>
              ))}
            </ol>
            <Pager
              page={props.page}
              pages={Math.ceil(emails.length / PEOPLE_PER_PAGE)}
              total={emails.length}
              href={(p) => `/admin/retention?page=${p}#who`}
              lang={lang}
            />
          </>
        )}
      </section>
      <section aria-labelledby="confirm">
        <h2 id="confirm">{w.confirm}</h2>
        <form method="post" action="/admin/retention/approve" class="decision stack">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="planId" value={review.planId} />
          {/* Whom this page shows, as a keyed digest: the approval is for exactly them. */}
          <input type="hidden" name="reviewed" value={review.people} />
          <label>
            {w.confirmLabel(n)}
            <input
              type="text"
              name="confirm"
              inputmode="numeric"
              pattern="[0-9]+"
              autocomplete="off"
              required
              value={props.typed ?? ''}
            />
          </label>
          <p class="muted">{w.runNote}</p>
          <button type="submit">{w.approve}</button>
        </form>
      </section>
    </Desk>
  );
}
