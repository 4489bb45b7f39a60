import type { FastifyRequest } from 'fastify';
import type { Policy } from '../../policy/policy.schema.ts';
import { type Breach, breachClock, breachClockText } from '../../registers/breaches.ts';
import type { Disclosure } from '../../registers/disclosures.ts';
import { CsrfField } from './admin-layout.tsx';
import type { DeskLang } from './desk-lang.ts';
import { moment } from './desk-words.ts';

/** A register form's values as posted: every field a string (checkbox lists an array). */
export type Values = Record<string, string | string[] | undefined>;
export type Problems = Record<string, string>;

export const FORM_WORDS = {
  nl: {
    notSaved: 'Niet opgeslagen',
    save: 'Opslaan',
    newDisclosure: 'Nieuwe verstrekking',
    editDisclosure: 'Verstrekking bewerken',
    newBreach: 'Nieuw datalek',
    editBreach: 'Datalek bewerken',
    deadline: 'Meldtermijn',
    term: 'termijn',
    disclosure: {
      disclosedOn: 'Datum van verstrekking',
      authority: 'Instantie',
      authorityHint: 'bijvoorbeeld Belastingdienst, politie, FIOD',
      legalBasis: 'Wettelijke grondslag',
      legalBasisHint: 'bijvoorbeeld art. 47 AWR, art. 126nd Sv',
      disclosed: 'Wat is verstrekt',
      about: 'Over wie (in woorden)',
      aboutHint: 'Geen e-mailadres hier; dat kan hieronder en wordt alleen als sleutel-hash bewaard.',
      requestId: 'Kenmerk van het verzoek (optioneel)',
      subjectEmail: 'E-mailadres van de persoon (optioneel)',
      subjectKept:
        'Er is al een persoon gekoppeld; leeg laten houdt die koppeling. Alleen een sleutel-hash wordt bewaard.',
      subjectNew:
        'Wordt niet bewaard: alleen een sleutel-hash, zodat de persoon terug te vinden is zonder het adres op te slaan.',
      resistedLegend: 'Aangevochten?',
      resisted: 'Ja, het verzoek is aangevochten of beperkt',
      resistance: 'Hoe',
      outcome: 'Uitkomst',
    },
    breach: {
      discoveredAt: 'Ontdekt op (Nederlandse tijd)',
      discoveredHint: 'De 72 uur voor de melding tellen vanaf hier.',
      summary: 'Kort: wat is er gebeurd',
      description: 'Feiten',
      categories: 'Soorten gegevens',
      peopleCount: 'Aantal betrokkenen (schatting)',
      recordsCount: 'Aantal gegevens (schatting)',
      consequences: 'Waarschijnlijke gevolgen',
      measures: 'Genomen maatregelen',
      authority: 'Autoriteit Persoonsgegevens',
      authorityNotifiedAt: 'Gemeld op',
      authorityReference: 'Meldingsnummer',
      authorityReason: 'Niet gemeld, omdat',
      subjects: 'Betrokkenen',
      subjectsNotifiedAt: 'Geïnformeerd op',
      subjectsHow: 'Hoe',
      subjectsReason: 'Niet geïnformeerd, omdat',
      closed: 'Afgehandeld (gesloten)',
    },
  },
  en: {
    notSaved: 'Not saved',
    save: 'Save',
    newDisclosure: 'New disclosure',
    editDisclosure: 'Edit disclosure',
    newBreach: 'New data breach',
    editBreach: 'Edit data breach',
    deadline: 'Deadline to report',
    term: 'deadline',
    disclosure: {
      disclosedOn: 'Date of disclosure',
      authority: 'Authority',
      authorityHint: 'for example the tax office, the police, FIOD',
      legalBasis: 'Legal basis',
      legalBasisHint: 'for example art. 47 AWR, art. 126nd Sv',
      disclosed: 'What was disclosed',
      about: 'About whom (in words)',
      aboutHint: 'No e-mail address here; give it below, where only a keyed hash is kept.',
      requestId: 'Reference of the request (optional)',
      subjectEmail: 'The person’s e-mail address (optional)',
      subjectKept: 'A person is linked already; leaving this empty keeps that link. Only a keyed hash is kept.',
      subjectNew: 'Not kept: only a keyed hash, so that the person can be found again without storing the address.',
      resistedLegend: 'Resisted?',
      resisted: 'Yes, the request was resisted or narrowed',
      resistance: 'How',
      outcome: 'Outcome',
    },
    breach: {
      discoveredAt: 'Discovered on (Dutch time)',
      discoveredHint: 'The 72 hours to report count from here.',
      summary: 'In short: what happened',
      description: 'Facts',
      categories: 'Kinds of data',
      peopleCount: 'Number of people involved (estimate)',
      recordsCount: 'Number of records (estimate)',
      consequences: 'Likely consequences',
      measures: 'Measures taken',
      authority: 'Autoriteit Persoonsgegevens',
      authorityNotifiedAt: 'Reported on',
      authorityReference: 'Report number',
      authorityReason: 'Not reported, because',
      subjects: 'People involved',
      subjectsNotifiedAt: 'Told on',
      subjectsHow: 'How',
      subjectsReason: 'Not told, because',
      closed: 'Settled (closed)',
    },
  },
};

/** A form field's label, for naming the one at fault. */
export function fieldLabel(field: string, lang: DeskLang): string {
  const w = FORM_WORDS[lang];
  return (w.disclosure as Record<string, string>)[field] ?? (w.breach as Record<string, string>)[field] ?? field;
}

/** One labelled field; the problem, when there is one, is said next to it and marks it invalid. */
function Field(props: {
  name: string;
  label: string;
  values: Values;
  problems: Problems;
  type?: 'text' | 'date' | 'datetime-local' | 'email' | 'number';
  area?: boolean;
  hint?: string;
  required?: boolean;
}) {
  const value = props.values[props.name];
  const text = typeof value === 'string' ? value : '';
  const problem = props.problems[props.name];
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': problem ? (true as const) : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.area ? (
        <textarea rows={3} {...common}>
          {text}
        </textarea>
      ) : (
        // An address as text on the e-mail keyboard: type="email" would refuse zoë@… (src/lib/email-address.ts).
        <input
          type={props.type === 'email' ? 'text' : ((props.type ?? 'text') as 'text')}
          inputMode={props.type === 'email' ? 'email' : undefined}
          value={text}
          {...common}
        />
      )}
      {props.hint && (
        <span class="muted" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {problem && (
        <span class="problem" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}

function Check(props: { name: string; label: string; values: Values }) {
  const v = props.values[props.name];
  return (
    <label class="choice">
      <input type="checkbox" name={props.name} checked={v === 'on' || v === '1' || v === 'true'} /> {props.label}
    </label>
  );
}

function FormProblem({ problems, lang }: { problems: Problems; lang: DeskLang }) {
  const entries = Object.entries(problems);
  if (entries.length === 0) return null;
  return (
    <p class="problem" role="alert">
      {FORM_WORDS[lang].notSaved}:{' '}
      {entries.map(([field, message]) => `${fieldLabel(field, lang)}: ${message}`).join('; ')}
    </p>
  );
}

export function ClockCell({ breach, now, lang }: { breach: Breach; now: Date; lang: DeskLang }) {
  const clock = breachClock(breach, now);
  const text = breachClockText(clock, lang);
  const cls = clock.overdue ? 'status broken' : clock.notified || clock.waived ? 'status ok' : 'status';
  return (
    <span class={cls}>
      {clock.overdue || (!clock.notified && !clock.waived) ? <strong>{text}</strong> : text}
      <span class="muted block">
        {FORM_WORDS[lang].term}: {moment(clock.deadline.toISOString(), lang)}
      </span>
    </span>
  );
}

export function DisclosureForm(props: {
  request: FastifyRequest;
  lang: DeskLang;
  action: string;
  values: Values;
  problems: Problems;
  existing?: Disclosure;
}) {
  const { values, problems, lang } = props;
  const w = FORM_WORDS[lang].disclosure;
  const f = { values, problems };
  return (
    <>
      <FormProblem problems={problems} lang={lang} />
      <form method="post" action={props.action} class="stack" novalidate>
        <CsrfField token={props.request.csrfToken!} />
        <Field name="disclosedOn" label={w.disclosedOn} type="date" required {...f} />
        <Field name="authority" label={w.authority} hint={w.authorityHint} required {...f} />
        <Field name="legalBasis" label={w.legalBasis} hint={w.legalBasisHint} required {...f} />
        <Field name="disclosed" label={w.disclosed} area required {...f} />
        <Field name="about" label={w.about} area required hint={w.aboutHint} {...f} />
        <Field name="requestId" label={w.requestId} {...f} />
        <Field
          name="subjectEmail"
          label={w.subjectEmail}
          type="email"
          hint={props.existing?.subjectRef ? w.subjectKept : w.subjectNew}
          {...f}
        />
        <fieldset>
          <legend>{w.resistedLegend}</legend>
          <Check name="resisted" label={w.resisted} values={values} />
          <Field name="resistance" label={w.resistance} area {...f} />
        </fieldset>
        <Field name="outcome" label={w.outcome} area required {...f} />
        <button type="submit">{FORM_WORDS[lang].save}</button>
      </form>
    </>
  );
}

export const disclosureValues = (d: Disclosure): Values => ({
  disclosedOn: d.disclosedOn,
  authority: d.authority,
  legalBasis: d.legalBasis,
  disclosed: d.disclosed,
  about: d.about,
  requestId: d.requestId ?? '',
  subjectEmail: '',
  resisted: d.resisted ? 'on' : undefined,
  resistance: d.resistance ?? '',
  outcome: d.outcome,
});

export function BreachForm(props: {
  request: FastifyRequest;
  lang: DeskLang;
  action: string;
  values: Values;
  problems: Problems;
  policy: Policy;
  existing?: Breach;
  now: Date;
}) {
  const { values, problems, lang } = props;
  const w = FORM_WORDS[lang].breach;
  const f = { values, problems };
  const chosen = new Set([values.categories ?? []].flat());
  return (
    <>
      {props.existing && (
        <p>
          {FORM_WORDS[lang].deadline}: <ClockCell breach={props.existing} now={props.now} lang={lang} />
        </p>
      )}
      <FormProblem problems={problems} lang={lang} />
      <form method="post" action={props.action} class="stack" novalidate>
        <CsrfField token={props.request.csrfToken!} />
        <Field
          name="discoveredAt"
          label={w.discoveredAt}
          type="datetime-local"
          required
          hint={w.discoveredHint}
          {...f}
        />
        <Field name="summary" label={w.summary} required {...f} />
        <Field name="description" label={w.description} area required {...f} />
        <fieldset aria-describedby={problems.categories ? 'f-categories-problem' : undefined}>
          <legend>{w.categories}</legend>
          {props.policy.categories.map((c) => (
            <label class="choice">
              <input type="checkbox" name="categories" value={c.id} checked={chosen.has(c.id)} /> {c.name[lang]}
            </label>
          ))}
          {problems.categories && (
            <span class="problem" id="f-categories-problem">
              {problems.categories}
            </span>
          )}
        </fieldset>
        <Field name="peopleCount" label={w.peopleCount} type="number" {...f} />
        <Field name="recordsCount" label={w.recordsCount} type="number" {...f} />
        <Field name="consequences" label={w.consequences} area required {...f} />
        <Field name="measures" label={w.measures} area required {...f} />
        <fieldset>
          <legend>{w.authority}</legend>
          <Field name="authorityNotifiedAt" label={w.authorityNotifiedAt} type="datetime-local" {...f} />
          <Field name="authorityReference" label={w.authorityReference} {...f} />
          <Field name="authorityReason" label={w.authorityReason} area {...f} />
        </fieldset>
        <fieldset>
          <legend>{w.subjects}</legend>
          <Field name="subjectsNotifiedAt" label={w.subjectsNotifiedAt} type="datetime-local" {...f} />
          <Field name="subjectsHow" label={w.subjectsHow} area {...f} />
          <Field name="subjectsReason" label={w.subjectsReason} area {...f} />
        </fieldset>
        <Check name="closed" label={w.closed} values={values} />
        <button type="submit">{FORM_WORDS[lang].save}</button>
      </form>
    </>
  );
}
