import { ARCHIVE_REASONS, type ArchiveReason } from '../../admin/desk.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { SealedRecord } from '../../retention/sealed-archive.ts';
import { CsrfField } from './admin-layout.tsx';
import type { DeskLang } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import { Desk, Message } from './desk-parts.tsx';
import { day, lastDay, plural } from './desk-words.ts';

/** The grounds to open the archive, in the officer's words. */
export const ARCHIVE_REASON_LABEL: Record<DeskLang, Record<ArchiveReason, string>> = {
  nl: {
    belastingcontrole: 'Belastingcontrole',
    rechtsvordering: 'Rechtsvordering',
    autoriteit: 'Verzoek van een autoriteit',
    anders: 'Anders',
  },
  en: {
    belastingcontrole: 'Tax audit',
    rechtsvordering: 'Legal claim',
    autoriteit: 'Request from an authority',
    anders: 'Other',
  },
};

const W = {
  nl: {
    sealed: 'Verzegeld archief',
    none: 'Er zijn geen verzegelde gegevens.',
    count: (n: number) => `${plural(n, 'verzegeld gegeven', 'verzegelde gegevens')} (wettelijke bewaarplicht).`,
    why: 'Openen alleen met een reden; de opening, de reden en het kenmerk worden vastgelegd in het auditlog, dat nooit wordt gewist.',
    reason: 'Reden',
    choose: '— kies een reden —',
    reference: 'Kenmerk (zaak- of briefnummer)',
    rules:
      'Geen namen of adressen: alleen letters, cijfers, spaties en . / - _ :, ten hoogste 60 tekens en niet meer dan 8 cijfers achter elkaar (dus geen telefoon-, rekening- of BSN-nummer).',
    open: 'Archief openen',
    opened: (email: string, why: string, ref: string) =>
      `Geopend voor ${email} met de reden ${why}, kenmerk “${ref}”; dit is vastgelegd in het auditlog.`,
    kept: (why: string, until: string, sealedOn: string) =>
      `Bewaard wegens ${why} tot en met ${until}; verzegeld op ${sealedOn}.`,
    fields: 'Velden zoals ze in het systeem stonden',
    again: 'Nieuwe opzoeking',
  },
  en: {
    sealed: 'Sealed archive',
    none: 'There are no sealed records.',
    count: (n: number) => `${plural(n, 'sealed record', 'sealed records')} (legal duty to keep).`,
    why: 'Open it only with a reason; the opening, the reason and the reference are recorded in the audit trail, which is never erased.',
    reason: 'Reason',
    choose: '— choose a reason —',
    reference: 'Reference (case or letter number)',
    rules:
      'No names or addresses: only letters, digits, spaces and . / - _ :, at most 60 characters and no more than 8 digits in a row (so no phone, bank account or citizen service number).',
    open: 'Open the archive',
    opened: (email: string, why: string, ref: string) =>
      `Opened for ${email} for the reason ${why}, reference “${ref}”; this is recorded in the audit trail.`,
    kept: (why: string, until: string, sealedOn: string) =>
      `Kept for ${why} up to and including ${until}; sealed on ${sealedOn}.`,
    fields: 'Fields as they were in the system',
    again: 'New lookup',
  },
};

export interface ArchiveFormProps {
  email: string;
  /** The number of sealed records; left out when the form is shown again after a mistake. */
  sealed?: number;
  reason?: string;
  reference?: string;
  csrf: string;
  error?: { field: string; text: string };
  lang: DeskLang;
}

/** The archive's form on its own: shown again, without the count, when the reason or reference was wrong. */
export function ArchiveRequestPage(props: ArchiveFormProps) {
  return (
    <Desk>
      <ArchiveForm {...props} />
    </Desk>
  );
}

export function ArchiveForm({ email, sealed, reason, reference, csrf, error, lang }: ArchiveFormProps) {
  const w = W[lang];
  const invalid = (field: string) => (error?.field === field ? 'true' : undefined);
  return (
    <section aria-labelledby="sealed">
      <h2 id="sealed">{w.sealed}</h2>
      {sealed === 0 ? (
        <p>{w.none}</p>
      ) : (
        <>
          <p>
            {sealed !== undefined && (
              <>
                <strong>{sealed}</strong> {w.count(sealed).replace(/^\d+ /, '')}{' '}
              </>
            )}
            {w.why}
          </p>
          {error && (
            <p id="archive-error" class="message" role="alert">
              {error.text}
            </p>
          )}
          <form method="post" action="/admin/customers/archive" class="decision stack">
            <CsrfField token={csrf} />
            <input type="hidden" name="email" value={email} />
            <label for="archive-reason">{w.reason}</label>
            <select
              id="archive-reason"
              name="reason"
              required
              aria-invalid={invalid('reason')}
              aria-describedby={invalid('reason') && 'archive-error'}
            >
              <option value="">{w.choose}</option>
              {ARCHIVE_REASONS.map((r) => (
                <option value={r} selected={reason === r}>
                  {ARCHIVE_REASON_LABEL[lang][r]}
                </option>
              ))}
            </select>
            <label for="archive-reference">{w.reference}</label>
            <input
              id="archive-reference"
              type="text"
              name="reference"
              required
              maxlength={60}
              value={reference ?? ''}
              aria-invalid={invalid('reference')}
              aria-describedby={
                invalid('reference') ? 'archive-error archive-reference-rules' : 'archive-reference-rules'
              }
            />
            <small id="archive-reference-rules">{w.rules}</small>
            <button type="submit">{w.open}</button>
          </form>
        </>
      )}
    </section>
  );
}

/** The decrypted sealed records, after the opening was audited with its reason and reference. */
export function ArchivePage(props: {
  email: string;
  reason: ArchiveReason;
  reference: string;
  records: SealedRecord[];
  lang: DeskLang;
  names: DeskNames;
  policy: Policy;
}) {
  const { lang, names } = props;
  const w = W[lang];
  const holdWhy = (hold: string) => {
    const rule = props.policy.retention.rules.find((r) => r.legalHold === hold);
    return rule?.legalBasis?.[lang] ?? rule?.title[lang] ?? hold;
  };
  return (
    <Desk>
      <Message kind="ok">{w.opened(props.email, ARCHIVE_REASON_LABEL[lang][props.reason], props.reference)}</Message>
      {props.records.length === 0 && <p>{w.none}</p>}
      {props.records.map((r) => (
        <section class="sealed-record">
          <h2>
            {names.collection(r.system, r.collection)} <small>{r.recordKey}</small>
          </h2>
          <p>{w.kept(holdWhy(r.hold), lastDay(r.holdUntil, lang), day(r.sealedAt, lang))}</p>
          <dl class="facts" aria-label={w.fields}>
            {Object.entries(r.data).map(([field, value]) => (
              <>
                <dt>
                  <code>{field}</code>
                </dt>
                <dd>{value === null ? '—' : String(value)}</dd>
              </>
            ))}
          </dl>
        </section>
      ))}
      <p>
        <a href="/admin/customers">{w.again}</a>
      </p>
    </Desk>
  );
}
