import { FieldRole } from '../../datamap/datamap.schema.ts';
import { OFFICER_CHANNELS } from '../../requests/officer-intake.ts';
import { REQUEST_TYPES } from '../../requests/request.types.ts';
import { CsrfField } from './admin-layout.tsx';
import type { DeskLang } from './desk-lang.ts';
import { Desk, Message } from './desk-parts.tsx';
import { channelLabel, typeLabel } from './desk-words.ts';
import { FIELD_ROLE_LABEL } from './request-words.ts';

export type EntryValues = Record<string, string | undefined>;

/** The roles a correction can name, one field each on the form (`correction_<role>`). */
export const CORRECTABLE = FieldRole.options.filter((r) => r !== 'email');

const W = {
  nl: {
    lead: 'Voor een verzoek dat per e-mail, per post, telefonisch of aan de balie binnenkwam. De termijnen tellen vanaf de dag van ontvangst: een maand (AVG art. 12 lid 3), en de kortere termijn van het privacybeleid.',
    notSaved: 'Niet opgeslagen',
    fields: {
      type: 'Recht',
      email: 'E-mailadres',
      name: 'Naam',
      received: 'Ontvangen op',
      channel: 'Binnengekomen via',
      message: 'Wat de persoon vraagt',
      purposes: 'Bezwaar tegen',
      corrections: 'Correcties',
      language: 'Taal van de e-mails',
      form: 'Formulier',
    } as Record<string, string>,
    email: 'E-mailadres van de persoon (de bevestiging en het antwoord gaan hierheen)',
    name: 'Naam (zoals opgegeven, niet verplicht)',
    message: 'Wat de persoon vraagt (bij bezwaar zonder aangevinkt doel: waartegen)',
    purposes: 'Bij bezwaar: tegen welke doelen (AVG art. 21)',
    corrections: 'Bij een verzoek om correctie: vul alleen in wat anders moet',
    dutch: 'Nederlands',
    english: 'Engels',
    identity:
      'Ik heb de identiteit van de persoon gecontroleerd. Zonder vinkje krijgt de persoon een bevestigingslink per e-mail; met vinkje wordt het verzoek meteen uitgevoerd en wordt uw controle vastgelegd.',
    submit: 'Verzoek invoeren',
  },
  en: {
    lead: 'For a request that came by e-mail, by post, by phone or at the counter. The deadlines count from the day it arrived: one month (GDPR Art. 12(3)), and the shorter term of the privacy policy.',
    notSaved: 'Not saved',
    fields: {
      type: 'Right',
      email: 'E-mail address',
      name: 'Name',
      received: 'Received on',
      channel: 'Came in',
      message: 'What the person asks',
      purposes: 'Objection to',
      corrections: 'Corrections',
      language: 'Language of the e-mails',
      form: 'Form',
    } as Record<string, string>,
    email: 'The person’s e-mail address (the confirmation and the answer go there)',
    name: 'Name (as given, optional)',
    message: 'What the person asks (for an objection without a ticked purpose: what it is about)',
    purposes: 'For an objection: which purposes (GDPR Art. 21)',
    corrections: 'For a rectification: fill in only what should change',
    dutch: 'Dutch',
    english: 'English',
    identity:
      'I have checked who the person is. Without the tick the person gets a confirmation link by e-mail; with it the request is carried out at once and your check is recorded.',
    submit: 'Enter the request',
  },
};

/** A form field's name in the page's words, for naming the one at fault. */
export const entryFieldLabel = (field: string, lang: DeskLang): string =>
  W[lang].fields[field] ?? FIELD_ROLE_LABEL[lang][field.replace(/^correction_/, '')] ?? W[lang].fields.form!;

export interface RequestEntryProps {
  csrf: string;
  values: EntryValues;
  /** Today in Amsterdam: the default and the latest day of arrival. */
  today: string;
  /** The purposes a person can object to (Art. 21), for the objection's checkboxes. */
  objectable: Array<{ id: string; name: string }>;
  problem?: { field: string; message: string };
  lang: DeskLang;
}

/**
 * A request that came by e-mail, post, phone or in person, entered by the officer with the day it arrived
 * (the deadlines count from that day). Plain HTML, no script; a mistake comes back with the field named.
 */
export function RequestEntryPage({ csrf, values, today, objectable, problem, lang }: RequestEntryProps) {
  const w = W[lang];
  const v = (name: string) => values[name] ?? '';
  const invalid = (name: string) =>
    problem?.field === name ? { 'aria-invalid': true as const, 'aria-describedby': 'entry-problem' } : {};
  return (
    <Desk>
      <p class="lead">{w.lead}</p>
      {problem && (
        <div id="entry-problem">
          <Message kind="error">
            {w.notSaved}: {entryFieldLabel(problem.field, lang)}: {problem.message}
          </Message>
        </div>
      )}
      <form method="post" action="/admin/requests" class="entry stack">
        <CsrfField token={csrf} />
        <label>
          {w.fields.type}
          <select name="type" required {...invalid('type')}>
            {REQUEST_TYPES.map((t) => (
              <option value={t} selected={v('type') === t}>
                {typeLabel(t, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.email}
          {/* Text on the e-mail keyboard: type="email" would refuse addresses a shop can hold (zoë@…). */}
          <input
            type="text"
            inputMode="email"
            spellcheck={false}
            name="email"
            required
            maxlength={254}
            value={v('email')}
            {...invalid('email')}
          />
        </label>
        <label>
          {w.name}
          <input type="text" name="name" maxlength={200} value={v('name')} {...invalid('name')} />
        </label>
        <label>
          {w.fields.received}
          <input type="date" name="received" max={today} value={v('received') || today} {...invalid('received')} />
        </label>
        <label>
          {w.fields.channel}
          <select name="channel" {...invalid('channel')}>
            {OFFICER_CHANNELS.map((c) => (
              <option value={c} selected={(v('channel') || 'email') === c}>
                {channelLabel(c, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.message}
          <textarea name="message" rows={4} maxlength={5000} {...invalid('message')}>
            {v('message')}
          </textarea>
        </label>
        <fieldset {...invalid('purposes')}>
          <legend>{w.purposes}</legend>
          {objectable.map((p) => (
            <label class="choice">
              <input
                type="checkbox"
                name="purposes"
                value={p.id}
                checked={(values.purposes ?? '').split('\n').includes(p.id)}
              />{' '}
              {p.name}
            </label>
          ))}
        </fieldset>
        <fieldset {...invalid('corrections')}>
          <legend>{w.corrections}</legend>
          <div class="grid">
            {CORRECTABLE.map((role) => (
              <label>
                {FIELD_ROLE_LABEL[lang][role]}
                <input type="text" name={`correction_${role}`} maxlength={500} value={v(`correction_${role}`)} />
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          {w.fields.language}
          <select name="language">
            <option value="nl" selected={v('language') !== 'en'}>
              {w.dutch}
            </option>
            <option value="en" selected={v('language') === 'en'}>
              {w.english}
            </option>
          </select>
        </label>
        <label class="choice">
          <input type="checkbox" name="identityChecked" checked={v('identityChecked') === 'on'} /> {w.identity}
        </label>
        <button type="submit">{w.submit}</button>
      </form>
    </Desk>
  );
}
