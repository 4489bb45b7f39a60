import { countryName, roleLabel, safeguardLabel } from '../../policy/labels.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { Breach } from '../../registers/breaches.ts';
import type { Disclosure } from '../../registers/disclosures.ts';
import { processorRegister } from '../../registers/processors.ts';
import type { DeskLang } from './desk-lang.ts';
import { Desk, Message, type PageMessage, Pager, queryOf } from './desk-parts.tsx';
import { day, moment } from './desk-words.ts';
import { ClockCell } from './register-forms.tsx';

export const REGISTER_PAGE_SIZE = 25;

export const REGISTER_WORDS = {
  nl: {
    registers: 'Registers',
    processors: 'Verwerkers',
    disclosures: 'Verstrekkingen aan instanties',
    breaches: 'Datalekken',
    processorsWhat: 'wie welke gegevens ontvangt, waar, en of de verwerkersovereenkomst rond is.',
    disclosuresWhat: 'fiscaal en strafrechtelijk onderzoek: wat, aan wie, op welke grond, en of het is aangevochten.',
    breachesWhat: 'AVG art. 33 lid 5, met de meldtermijn van 72 uur',
    open: (n: number) => ` (${n} open)`,
    art30: 'Verwerkingsregister (AVG art. 30)',
    asJson: 'als JSON',
    asCsv: 'als CSV',
    or: 'of',
    fromPolicy: (v: string) => `Uit het privacybeleid (versie ${v}).`,
    attention: 'Aandacht nodig',
    cols: {
      party: 'Partij',
      role: 'Rol',
      data: 'Gegevens',
      purposes: 'Doelen',
      where: 'Waar',
      agreement: 'Overeenkomst',
      date: 'Datum',
      authority: 'Instantie',
      basis: 'Grondslag',
      what: 'Wat, over wie',
      resisted: 'Aangevochten',
      outcome: 'Uitkomst',
      discovered: 'Ontdekt',
      summary: 'Wat',
      size: 'Omvang',
      report: 'Melding AP (72 uur)',
      subjects: 'Betrokkenen',
      status: 'Status',
    },
    transfer: 'Doorgifte',
    noSafeguard: 'geen waarborg',
    signed: (on?: string) => `getekend${on ? ` op ${on}` : ''}`,
    pending: 'NOG NIET GETEKEND',
    none: 'geen overeenkomst',
    notApplicable: (role: string) => `niet van toepassing (${role})`,
    newDisclosure: 'Nieuwe verstrekking vastleggen',
    noDisclosures: 'Geen verstrekkingen die aan deze keuze voldoen.',
    request: 'verzoek',
    person: (ref: string) => `persoon (sleutel-hash ${ref}…)`,
    yes: (how: string) => `ja: ${how}`,
    no: 'nee',
    yesOption: 'ja',
    breachIntro:
      'Elk datalek wordt hier vastgelegd, ook als het niet gemeld hoeft te worden (AVG art. 33 lid 5). Melden bij de Autoriteit Persoonsgegevens binnen 72 uur na ontdekking (art. 33 lid 1).',
    newBreach: 'Nieuw datalek vastleggen',
    noBreaches: 'Geen datalekken die aan deze keuze voldoen.',
    size: (p: number | null, r: number | null) => `${p ?? '?'} personen, ${r ?? '?'} gegevens`,
    reported: (at: string) => `gemeld ${at}`,
    told: (at: string) => `geïnformeerd ${at}`,
    notTold: (why: string) => `niet: ${why}`,
    statusOpen: 'open',
    statusClosed: 'gesloten',
    which: 'Welke',
    all: 'alle',
    year: 'Jaar',
    allYears: 'elk jaar',
    resistedFilter: 'Aangevochten',
    either: 'beide',
    show: 'Toon',
  },
  en: {
    registers: 'Registers',
    processors: 'Processors',
    disclosures: 'Disclosures to authorities',
    breaches: 'Data breaches',
    processorsWhat: 'who receives which data, where, and whether the processing agreement is in place.',
    disclosuresWhat: 'tax and criminal investigations: what, to whom, on which basis, and whether it was resisted.',
    breachesWhat: 'GDPR Art. 33(5), with the 72-hour deadline to report',
    open: (n: number) => ` (${n} open)`,
    art30: 'Record of processing (GDPR Art. 30)',
    asJson: 'as JSON',
    asCsv: 'as CSV',
    or: 'or',
    fromPolicy: (v: string) => `From the privacy policy (version ${v}).`,
    attention: 'Needs attention',
    cols: {
      party: 'Party',
      role: 'Role',
      data: 'Data',
      purposes: 'Purposes',
      where: 'Where',
      agreement: 'Agreement',
      date: 'Date',
      authority: 'Authority',
      basis: 'Legal basis',
      what: 'What, about whom',
      resisted: 'Resisted',
      outcome: 'Outcome',
      discovered: 'Discovered',
      summary: 'What',
      size: 'Scale',
      report: 'Report to the AP (72 hours)',
      subjects: 'People involved',
      status: 'Status',
    },
    transfer: 'Transfer',
    noSafeguard: 'no safeguard',
    signed: (on?: string) => `signed${on ? ` on ${on}` : ''}`,
    pending: 'NOT SIGNED YET',
    none: 'no agreement',
    notApplicable: (role: string) => `not applicable (${role})`,
    newDisclosure: 'Record a new disclosure',
    noDisclosures: 'No disclosures match this choice.',
    request: 'request',
    person: (ref: string) => `person (keyed hash ${ref}…)`,
    yes: (how: string) => `yes: ${how}`,
    no: 'no',
    yesOption: 'yes',
    breachIntro:
      'Every data breach is recorded here, also when it need not be reported (GDPR Art. 33(5)). Report it to the Autoriteit Persoonsgegevens within 72 hours of discovery (Art. 33(1)).',
    newBreach: 'Record a new data breach',
    noBreaches: 'No data breaches match this choice.',
    size: (p: number | null, r: number | null) => `${p ?? '?'} people, ${r ?? '?'} records`,
    reported: (at: string) => `reported ${at}`,
    told: (at: string) => `told ${at}`,
    notTold: (why: string) => `no: ${why}`,
    statusOpen: 'open',
    statusClosed: 'closed',
    which: 'Which',
    all: 'all',
    year: 'Year',
    allYears: 'every year',
    resistedFilter: 'Resisted',
    either: 'either',
    show: 'Show',
  },
};

export function RegistersIndex({ lang, openBreaches }: { lang: DeskLang; openBreaches: number }) {
  const w = REGISTER_WORDS[lang];
  return (
    <Desk>
      <ul>
        <li>
          <a href="/admin/registers/processors">{w.processors}</a> — {w.processorsWhat}
        </li>
        <li>
          <a href="/admin/registers/disclosures">{w.disclosures}</a> — {w.disclosuresWhat}
        </li>
        <li>
          <a href="/admin/registers/breaches">{w.breaches}</a> — {w.breachesWhat}
          {openBreaches > 0 && <strong class="status broken">{w.open(openBreaches)}</strong>}.
        </li>
        <li>
          <a href={lang === 'nl' ? '/api/v1/policy/register' : '/api/v1/policy/register?lang=en'}>{w.art30}</a>{' '}
          {w.asJson}, {w.or}{' '}
          <a href={`/api/v1/policy/register?format=csv${lang === 'nl' ? '' : '&lang=en'}`}>{w.asCsv}</a>.
        </li>
      </ul>
    </Desk>
  );
}

export function ProcessorsRegister({ policy, lang }: { policy: Policy; lang: DeskLang }) {
  const w = REGISTER_WORDS[lang];
  const entries = processorRegister(policy, lang);
  const attention = entries.filter((e) => e.attention.length > 0);
  return (
    <Desk>
      <p class="lead">{w.fromPolicy(policy.version)}</p>
      {attention.length > 0 && (
        <p class="problem" role="alert">
          {w.attention}: {attention.map((e) => `${e.name} (${e.attention.join(', ')})`).join('; ')}
        </p>
      )}
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">{w.cols.party}</th>
            <th scope="col">{w.cols.role}</th>
            <th scope="col">{w.cols.data}</th>
            <th scope="col">{w.cols.purposes}</th>
            <th scope="col">{w.cols.where}</th>
            <th scope="col">{w.cols.agreement}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr id={`processor-${e.id}`}>
              <th scope="row" data-label={w.cols.party}>
                {e.name}
                {e.legalName && <span class="muted block">{e.legalName}</span>}
                <span class="muted block">{e.service}</span>
              </th>
              <td data-label={w.cols.role}>{roleLabel(e.role, lang)}</td>
              <td data-label={w.cols.data}>{e.categories.map((c) => c.name).join(', ')}</td>
              <td data-label={w.cols.purposes}>{e.purposes.map((p) => p.name).join(', ') || '—'}</td>
              <td data-label={w.cols.where}>
                {e.locations.map((c) => countryName(c, lang)).join(', ') || '—'}
                {e.transfers.length > 0 && (
                  <span class={e.transferMechanism ? 'muted block' : 'status broken block'}>
                    {w.transfer}: {e.transferMechanism ? safeguardLabel(e.transferMechanism, lang) : w.noSafeguard}
                  </span>
                )}
              </td>
              <td data-label={w.cols.agreement}>
                {e.agreement.status === 'signed' ? (
                  <span class="status ok">{w.signed(e.agreement.signedOn && day(e.agreement.signedOn, lang))}</span>
                ) : e.agreement.status === 'pending' ? (
                  <strong class="status broken agreement-pending">{w.pending}</strong>
                ) : e.role === 'processor' ? (
                  <strong class="status broken">{w.none}</strong>
                ) : (
                  <span class="muted">{w.notApplicable(roleLabel(e.role, lang))}</span>
                )}
                {e.agreement.reference && <span class="muted block">{e.agreement.reference}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Desk>
  );
}

export interface ListFilter {
  status?: 'open' | 'closed';
  resisted?: 'yes' | 'no';
  year?: string;
  page: number;
}

function YearSelect({ years, year, lang }: { years: string[]; year?: string; lang: DeskLang }) {
  const w = REGISTER_WORDS[lang];
  return (
    <label>
      {w.year}{' '}
      <select name="year">
        <option value="">{w.allYears}</option>
        {years.map((y) => (
          <option value={y} selected={year === y}>
            {y}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DisclosureList(props: {
  items: Disclosure[];
  total: number;
  years: string[];
  filter: ListFilter;
  lang: DeskLang;
  message?: PageMessage;
}) {
  const { lang, filter } = props;
  const w = REGISTER_WORDS[lang];
  return (
    <Desk>
      {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
      <p>
        <a href="/admin/registers/disclosures/new">{w.newDisclosure}</a>
      </p>
      <form method="get" action="/admin/registers/disclosures" class="filters">
        <YearSelect years={props.years} year={filter.year} lang={lang} />
        <label>
          {w.resistedFilter}{' '}
          <select name="resisted">
            <option value="">{w.either}</option>
            <option value="yes" selected={filter.resisted === 'yes'}>
              {w.yesOption}
            </option>
            <option value="no" selected={filter.resisted === 'no'}>
              {w.no}
            </option>
          </select>
        </label>
        <button type="submit">{w.show}</button>
      </form>
      {props.items.length === 0 ? (
        <p class="muted">{w.noDisclosures}</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{w.cols.date}</th>
              <th scope="col">{w.cols.authority}</th>
              <th scope="col">{w.cols.basis}</th>
              <th scope="col">{w.cols.what}</th>
              <th scope="col">{w.cols.resisted}</th>
              <th scope="col">{w.cols.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((d) => (
              <tr>
                <td data-label={w.cols.date}>
                  <a href={`/admin/registers/disclosures/${d.id}`}>{day(d.disclosedOn, lang)}</a>
                </td>
                <td data-label={w.cols.authority}>{d.authority}</td>
                <td data-label={w.cols.basis}>{d.legalBasis}</td>
                <td data-label={w.cols.what}>
                  {d.disclosed}
                  <span class="muted block">
                    {d.about}
                    {d.requestId && (
                      <>
                        {' · '}
                        <a href={`/admin/requests/${d.requestId}`}>{w.request}</a>
                      </>
                    )}
                    {d.subjectRef && ` · ${w.person(d.subjectRef.slice(0, 10))}`}
                  </span>
                </td>
                <td data-label={w.cols.resisted}>{d.resisted ? w.yes(d.resistance ?? '') : w.no}</td>
                <td data-label={w.cols.outcome}>{d.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        page={filter.page}
        pages={Math.ceil(props.total / REGISTER_PAGE_SIZE)}
        total={props.total}
        href={(page) =>
          `/admin/registers/disclosures${queryOf({ year: filter.year, resisted: filter.resisted, page })}`
        }
        lang={lang}
      />
    </Desk>
  );
}

export function BreachList(props: {
  items: Breach[];
  total: number;
  years: string[];
  filter: ListFilter;
  now: Date;
  lang: DeskLang;
  message?: PageMessage;
}) {
  const { lang, filter } = props;
  const w = REGISTER_WORDS[lang];
  return (
    <Desk>
      {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
      <p class="lead">{w.breachIntro}</p>
      <p>
        <a href="/admin/registers/breaches/new">{w.newBreach}</a>
      </p>
      <form method="get" action="/admin/registers/breaches" class="filters">
        <label>
          {w.which}{' '}
          <select name="status">
            <option value="">{w.all}</option>
            <option value="open" selected={filter.status === 'open'}>
              {w.statusOpen}
            </option>
            <option value="closed" selected={filter.status === 'closed'}>
              {w.statusClosed}
            </option>
          </select>
        </label>
        <YearSelect years={props.years} year={filter.year} lang={lang} />
        <button type="submit">{w.show}</button>
      </form>
      {props.items.length === 0 ? (
        <p class="muted">{w.noBreaches}</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{w.cols.discovered}</th>
              <th scope="col">{w.cols.summary}</th>
              <th scope="col">{w.cols.size}</th>
              <th scope="col">{w.cols.report}</th>
              <th scope="col">{w.cols.subjects}</th>
              <th scope="col">{w.cols.status}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((b) => (
              <tr>
                <td data-label={w.cols.discovered}>
                  <a href={`/admin/registers/breaches/${b.id}`}>{moment(b.discoveredAt, lang)}</a>
                </td>
                <td data-label={w.cols.summary}>{b.summary}</td>
                <td data-label={w.cols.size}>{w.size(b.peopleCount, b.recordsCount)}</td>
                <td data-label={w.cols.report}>
                  {b.authorityNotifiedAt && (
                    <span class="block">{w.reported(moment(b.authorityNotifiedAt, lang))}</span>
                  )}
                  <ClockCell breach={b} now={props.now} lang={lang} />
                </td>
                <td data-label={w.cols.subjects}>
                  {b.subjectsNotifiedAt
                    ? w.told(moment(b.subjectsNotifiedAt, lang))
                    : b.subjectsReason
                      ? w.notTold(b.subjectsReason)
                      : '—'}
                </td>
                <td data-label={w.cols.status}>
                  {b.status === 'open' ? <strong>{w.statusOpen}</strong> : w.statusClosed}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        page={filter.page}
        pages={Math.ceil(props.total / REGISTER_PAGE_SIZE)}
        total={props.total}
        href={(page) => `/admin/registers/breaches${queryOf({ status: filter.status, year: filter.year, page })}`}
        lang={lang}
      />
    </Desk>
  );
}
