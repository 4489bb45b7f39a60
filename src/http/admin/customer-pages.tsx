import type { CustomerView } from '../../admin/desk.ts';
import type { SubjectSearch } from '../../executor/executor.ts';
import { countryName } from '../../policy/labels.ts';
import { OFFICER_CHANNELS } from '../../requests/officer-intake.ts';
import { CsrfField } from './admin-layout.tsx';
import { ArchiveForm } from './archive-pages.tsx';
import type { DeskLang } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import { Desk, Message, type PageMessage, RequestTable } from './desk-parts.tsx';
import { channelLabel, day, plural } from './desk-words.ts';

export interface CustomerPageProps {
  csrf: string;
  role: 'officer' | 'staff';
  lang: DeskLang;
  names: DeskNames;
  /** What was typed: a whole address, part of one, or a name. */
  query?: string;
  /** A whole address looked up: what is held about that person. */
  view?: CustomerView;
  /** Part of an address or a name: the people it matched. */
  search?: SubjectSearch;
  /** A problem with the input, named by its field. */
  error?: { field: string; text: string };
  message?: PageMessage;
}

const W = {
  nl: {
    label: 'E-mailadres, een deel ervan, of een naam',
    hint: 'Bijvoorbeeld sanne@voorbeeld.nl, “deboer@” of “Sanne de Boer”.',
    submit: 'Opzoeken',
    audited: 'Elke opzoeking wordt vastgelegd in het auditlog (zonder wat u intypte).',
    found: (n: number, more: boolean) =>
      more
        ? `Meer dan ${n} personen gevonden; maak de zoekterm preciezer.`
        : `${plural(n, 'persoon', 'personen')} gevonden.`,
    nobody: 'Niemand gevonden met dit adres of deze naam in de systemen die doorzocht kunnen worden.',
    noEngine: 'Er is geen datamap ingesteld: de systemen kunnen niet worden doorzocht.',
    unreachable: (s: string) => `Niet doorzocht, want niet bereikbaar: ${s}.`,
    foundIn: 'gevonden in',
    open: 'Bekijken',
    flags: 'Signaleringen',
    restricted: '⚠ Verwerking beperkt',
    notRestricted: 'Niet beperkt',
    objection: '⚠ Bezwaar loopt',
    noObjection: 'Geen bezwaar',
    contact: 'Contact toegestaan',
    noContact: 'Geen toestemming voor contact',
    consentGiven: 'toestemming gegeven',
    consentWithdrawn: 'ingetrokken of geweigerd',
    on: 'op',
    held: 'Wat we bewaren, en waar',
    nothing: 'Geen gegevens gevonden',
    nothingWhere: 'in de gekoppelde systemen.',
    cols: { what: 'Soort gegevens', count: 'Aantal', categories: 'Categorieën' },
    notCounted: (s: string) => `Niet bereikbaar, dus niet meegeteld: ${s}.`,
    processors: 'Verwerkers die deze gegevens ontvangen',
    manual: 'Alleen met de hand na te vragen',
    openRequests: 'Openstaande verzoeken',
    noOpenRequests: 'Geen openstaande verzoeken.',
    start: 'Verzoek starten namens deze persoon',
    startIntro:
      'Vroeg de persoon u om inzage of verwijdering, per telefoon, brief of aan de balie? Start het verzoek hier; het wordt meteen uitgevoerd en vastgelegd is dat u het startte, na uw controle van de identiteit.',
    right: 'Recht',
    access: 'Inzage (AVG art. 15)',
    erasure: 'Verwijdering (AVG art. 17)',
    channel: 'Hoe vroeg de persoon erom',
    language: 'Taal van de e-mails aan de persoon',
    dutch: 'Nederlands',
    english: 'Engels',
    identity: 'Ik heb gecontroleerd dat dit de persoon zelf is.',
    startButton: 'Verzoek starten',
  },
  en: {
    label: 'E-mail address, part of it, or a name',
    hint: 'For example sanne@example.com, “deboer@” or “Sanne de Boer”.',
    submit: 'Look up',
    audited: 'Every lookup is recorded in the audit trail (without what you typed).',
    found: (n: number, more: boolean) =>
      more ? `More than ${n} people found; make the search more precise.` : `${plural(n, 'person', 'people')} found.`,
    nobody: 'Nobody found with this address or name in the systems that can be searched.',
    noEngine: 'No data map is set up: the systems cannot be searched.',
    unreachable: (s: string) => `Not searched, as it could not be reached: ${s}.`,
    foundIn: 'found in',
    open: 'View',
    flags: 'Flags',
    restricted: '⚠ Processing restricted',
    notRestricted: 'Not restricted',
    objection: '⚠ Objection pending',
    noObjection: 'No objection',
    contact: 'Contact allowed',
    noContact: 'No consent to contact',
    consentGiven: 'consent given',
    consentWithdrawn: 'withdrawn or refused',
    on: 'on',
    held: 'What we hold, and where',
    nothing: 'No data found',
    nothingWhere: 'in the connected systems.',
    cols: { what: 'Kind of data', count: 'Number', categories: 'Categories' },
    notCounted: (s: string) => `Unreachable, so not counted: ${s}.`,
    processors: 'Processors that receive this data',
    manual: 'Only to be asked by hand',
    openRequests: 'Open requests',
    noOpenRequests: 'No open requests.',
    start: 'Start a request on behalf of this person',
    startIntro:
      'Did the person ask you for access or erasure, by phone, by letter or at the counter? Start the request here; it is carried out at once, and it is recorded that you started it after checking who they are.',
    right: 'Right',
    access: 'Access (GDPR Art. 15)',
    erasure: 'Erasure (GDPR Art. 17)',
    channel: 'How the person asked',
    language: 'Language of the e-mails to the person',
    dutch: 'Dutch',
    english: 'English',
    identity: 'I have checked that this is the person themselves.',
    startButton: 'Start the request',
  },
};

/** The customer lookup. The form posts (with CSRF): what is typed stays out of URLs, history and proxy logs. */
export function CustomerPage(props: CustomerPageProps) {
  const { csrf, lang, query, error } = props;
  const w = W[lang];
  return (
    <Desk>
      {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
      <form method="post" action="/admin/customers" class="lookup">
        <CsrfField token={csrf} />
        <label for="lookup-email">{w.label}</label>
        <input
          id="lookup-email"
          type="text"
          name="email"
          required
          minlength={2}
          maxlength={254}
          autocomplete="off"
          value={query ?? ''}
          aria-invalid={error?.field === 'email' ? 'true' : undefined}
          aria-describedby={error?.field === 'email' ? 'lookup-error lookup-hint' : 'lookup-hint'}
        />{' '}
        <button type="submit">{w.submit}</button>
        <small id="lookup-hint" class="block">
          {w.hint}
        </small>
        {error?.field === 'email' && (
          <p id="lookup-error" class="message" role="alert">
            {error.text}
          </p>
        )}
      </form>
      <p class="lead">{w.audited}</p>
      {props.search && <SearchResults {...props} search={props.search} />}
      {props.view && query && <Holdings {...props} view={props.view} email={query} />}
    </Desk>
  );
}

function SearchResults({ search, csrf, lang, names }: CustomerPageProps & { search: SubjectSearch }) {
  const w = W[lang];
  return (
    <section aria-labelledby="results">
      <h2 id="results">{w.found(search.people.length, search.more)}</h2>
      {search.failed.length > 0 && (
        <p class="message" role="alert">
          {w.unreachable(search.failed.map((s) => names.system(s)).join(', '))}
        </p>
      )}
      {search.people.length === 0 ? (
        <p>{w.nobody}</p>
      ) : (
        <ul class="plain people">
          {search.people.map((p) => (
            <li>
              <form method="post" action="/admin/customers" class="inline-form">
                <CsrfField token={csrf} />
                <input type="hidden" name="email" value={p.email} />
                <strong>{p.email}</strong>
                {p.names.length > 0 && <> · {p.names.join(', ')}</>}
                <small class="block">
                  {w.foundIn} {p.places.map((pl) => names.collection(pl.system, pl.collection)).join(', ')}
                </small>
                <button type="submit" aria-label={`${w.open}: ${p.email}`}>
                  {w.open}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Holdings(props: CustomerPageProps & { view: CustomerView; email: string }) {
  const { view, role, email, csrf, error, lang, names } = props;
  const w = W[lang];
  const consents = Object.entries(view.consents);
  return (
    <>
      <section aria-labelledby="flags">
        <h2 id="flags">{w.flags}</h2>
        <p>
          <span class={view.flags.restricted ? 'flag on' : 'flag'}>
            {view.flags.restricted ? w.restricted : w.notRestricted}
          </span>
          <span class={view.flags.objection ? 'flag on' : 'flag'}>
            {view.flags.objection ? w.objection : w.noObjection}
          </span>
          <span class={view.contactAllowed ? 'flag' : 'flag on'}>{view.contactAllowed ? w.contact : w.noContact}</span>
        </p>
        {consents.length > 0 && (
          <ul>
            {consents.map(([purpose, c]) => (
              <li>
                {names.purpose(purpose)}: {c.granted ? w.consentGiven : w.consentWithdrawn} {w.on} {day(c.at, lang)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="held">
        <h2 id="held">{w.held}</h2>
        {!view.engine ? (
          <p>{w.noEngine}</p>
        ) : view.collections.length === 0 ? (
          <p>
            <strong>{w.nothing}</strong> {w.nothingWhere}
          </p>
        ) : (
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{w.cols.what}</th>
                <th scope="col">{w.cols.count}</th>
                <th scope="col">{w.cols.categories}</th>
              </tr>
            </thead>
            <tbody>
              {view.collections.map((c) => (
                <tr>
                  <th scope="row" data-label={w.cols.what}>
                    {names.collection(c.system, c.collection)}
                  </th>
                  <td data-label={w.cols.count}>{c.count}</td>
                  <td data-label={w.cols.categories}>{c.categories.map((x) => names.category(x)).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {view.unreachable.length > 0 && (
          <p class="message" role="alert">
            {w.notCounted(view.unreachable.map((s) => names.system(s)).join(', '))}
          </p>
        )}
        {view.processors.length > 0 && (
          <>
            <h3>{w.processors}</h3>
            <ul>
              {view.processors.map((p) => (
                <li>
                  {p.name}: {p.categories.map((x) => names.category(x)).join(', ')}
                  {p.locations.length > 0 && ` (${p.locations.map((l) => countryName(l, lang)).join(', ')})`}
                </li>
              ))}
            </ul>
          </>
        )}
        {view.manualTasks.length > 0 && (
          <>
            <h3>{w.manual}</h3>
            <ul>
              {view.manualTasks.map((t) => (
                <li>
                  {names.processor(t.processor)}: {t.contact}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="their-requests">
        <h2 id="their-requests">{w.openRequests}</h2>
        <RequestTable rows={view.openRequests} linked={role === 'officer'} lang={lang} empty={w.noOpenRequests} />
      </section>
      {role === 'officer' && <StartRequest email={email} csrf={csrf} lang={lang} />}
      {role === 'officer' && view.sealed !== undefined && (
        <ArchiveForm email={email} sealed={view.sealed} csrf={csrf} error={error} lang={lang} />
      )}
    </>
  );
}

/** The officer starts an access or erasure request for the person in front of them (OfficerIntake, identity checked). */
function StartRequest({ email, csrf, lang }: { email: string; csrf: string; lang: DeskLang }) {
  const w = W[lang];
  return (
    <section aria-labelledby="start-request">
      <h2 id="start-request">{w.start}</h2>
      <p class="lead">{w.startIntro}</p>
      <form method="post" action="/admin/customers/request" class="decision stack">
        <CsrfField token={csrf} />
        <input type="hidden" name="email" value={email} />
        <fieldset>
          <legend>{w.right}</legend>
          <label class="choice">
            <input type="radio" name="type" value="access" required /> {w.access}
          </label>
          <label class="choice">
            <input type="radio" name="type" value="erasure" /> {w.erasure}
          </label>
        </fieldset>
        <label>
          {w.channel}
          <select name="channel">
            {OFFICER_CHANNELS.map((c) => (
              <option value={c} selected={c === 'phone'}>
                {channelLabel(c, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.language}
          <select name="language">
            <option value="nl">{w.dutch}</option>
            <option value="en">{w.english}</option>
          </select>
        </label>
        <label class="choice">
          <input type="checkbox" name="identityChecked" value="on" required /> {w.identity}
        </label>
        <button type="submit">{w.startButton}</button>
      </form>
    </section>
  );
}
