import { FieldRole } from '../../datamap/datamap.schema.ts';
import { OFFICER_CHANNELS } from '../../requests/officer-intake.ts';
import { REQUEST_TYPES } from '../../requests/request.types.ts';
import { CsrfField } from './admin-layout.tsx';
import { Desk, Message } from './desk-parts.tsx';
import { channelLabel, typeLabel } from './desk-words.ts';

export type EntryValues = Record<string, string | undefined>;

/** The form's fields, in the words of the page, for naming the one at fault. */
export const ENTRY_FIELD_LABEL: Record<string, string> = {
  type: 'Recht',
  email: 'E-mailadres',
  name: 'Naam',
  received: 'Ontvangen op',
  channel: 'Binnengekomen via',
  message: 'Wat de persoon vraagt',
  purposes: 'Bezwaar tegen',
  corrections: 'Correcties',
  language: 'Taal',
};

export interface RequestEntryProps {
  csrf: string;
  values: EntryValues;
  /** Today in Amsterdam: the default and the latest day of arrival. */
  today: string;
  /** The purposes a person can object to (Art. 21), for the objection's checkboxes. */
  objectable: Array<{ id: string; name: string }>;
  problem?: { field: string; message: string };
}

/**
 * A request that came by e-mail, post, phone or in person, entered by the officer with the day it arrived
 * (the deadlines count from that day). Plain HTML, no script; a mistake comes back with the field named.
 */
export function RequestEntryPage({ csrf, values, today, objectable, problem }: RequestEntryProps) {
  const v = (name: string) => values[name] ?? '';
  const invalid = (name: string) =>
    problem?.field === name ? { 'aria-invalid': true as const, 'aria-describedby': 'entry-problem' } : {};
  return (
    <Desk>
      <p class="lead">
        Voor een verzoek dat per e-mail, per post, telefonisch of aan de balie binnenkwam. De termijnen tellen vanaf de
        dag van ontvangst: een maand (AVG art. 12 lid 3), en de kortere termijn van het privacybeleid.
      </p>
      {problem && (
        <div id="entry-problem">
          <Message kind="error">
            Niet opgeslagen: {ENTRY_FIELD_LABEL[problem.field] ?? problem.field} ({problem.field}): {problem.message}
          </Message>
        </div>
      )}
      <form method="post" action="/admin/requests" class="entry">
        <CsrfField token={csrf} />
        <p>
          <label>
            Recht{' '}
            <select name="type" required {...invalid('type')}>
              {REQUEST_TYPES.map((t) => (
                <option value={t} selected={v('type') === t}>
                  {typeLabel(t)}
                </option>
              ))}
            </select>
          </label>
        </p>
        <p>
          <label>
            E-mailadres van de persoon (de bevestiging en het antwoord gaan hierheen){' '}
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
        </p>
        <p>
          <label>
            Naam (zoals opgegeven, niet verplicht) <input name="name" maxlength={200} value={v('name')} />
          </label>
        </p>
        <p>
          <label>
            Ontvangen op{' '}
            <input type="date" name="received" max={today} value={v('received') || today} {...invalid('received')} />
          </label>
        </p>
        <p>
          <label>
            Binnengekomen via{' '}
            <select name="channel" {...invalid('channel')}>
              {OFFICER_CHANNELS.map((c) => (
                <option value={c} selected={(v('channel') || 'email') === c}>
                  {channelLabel(c)}
                </option>
              ))}
            </select>
          </label>
        </p>
        <p>
          <label>
            Wat de persoon vraagt (bij bezwaar zonder aangevinkt doel: waartegen)
            <br />
            <textarea name="message" rows={4} maxlength={5000} {...invalid('message')}>
              {v('message')}
            </textarea>
          </label>
        </p>
        <fieldset {...invalid('purposes')}>
          <legend>Bij bezwaar: tegen welke doelen (AVG art. 21)</legend>
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
        <p>
          <label>
            Correcties, bij een verzoek om correctie: één per regel als <code>veld=nieuwe waarde</code>, met als veld{' '}
            {FieldRole.options.join(', ')}
            <br />
            <textarea name="corrections" rows={3} maxlength={2000} {...invalid('corrections')}>
              {v('corrections')}
            </textarea>
          </label>
        </p>
        <p>
          <label>
            Taal van de e-mails{' '}
            <select name="language">
              <option value="nl" selected={v('language') !== 'en'}>
                Nederlands
              </option>
              <option value="en" selected={v('language') === 'en'}>
                Engels
              </option>
            </select>
          </label>
        </p>
        <p>
          <label>
            <input type="checkbox" name="identityChecked" checked={v('identityChecked') === 'on'} /> Ik heb de
            identiteit van de persoon gecontroleerd. Zonder vinkje krijgt de persoon een bevestigingslink per e-mail;
            met vinkje wordt het verzoek meteen uitgevoerd en wordt uw controle vastgelegd.
          </label>
        </p>
        <button type="submit">Verzoek invoeren</button>
      </form>
    </Desk>
  );
}
