import type { RequestView } from '../../admin/desk.ts';
import type { KnownAnalyticsIds } from '../../requests/analytics-ids.ts';
import type { TaskTable } from '../../store/schema.ts';
import { CsrfField } from './admin-layout.tsx';
import { retainedWhy } from './desk-answers.ts';
import type { DeskLang } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import {
  actionLabel,
  channelLabel,
  day,
  destroyedWhy,
  eventLabel,
  lastDay,
  moment,
  plural,
  systemOutcomeLabel,
  typeLabel,
} from './desk-words.ts';

const W = {
  nl: {
    found: 'Wat is gevonden',
    notYet: 'Nog niets: het verzoek is nog niet uitgevoerd.',
    rows: (n: number) => `${plural(n, 'gegevensregel', 'gegevensregels')} gevonden`,
    processors: 'Verwerkers',
    erased: (what: string, n: number) => `${what}: ${n} verwijderd of geanonimiseerd`,
    kept: (what: string, n?: number) => `${what}${n ? ` (${n})` : ''} bewaard`,
    keptUntil: (d: string) => `tot en met ${d}`,
    keptOwnTerm: 'tot de eigen bewaartermijn van de verwerker',
    tasksMade: (n: number) => `${plural(n, 'taak', 'taken')} voor verwerkers zonder koppeling`,
    exportFile: 'Exportbestand',
    noExport: 'Er is geen exportbestand.',
    download: (name: string) => `Download ${name}`,
    exportNote: (until: string, n: number) =>
      `Geldig tot ${until}; ${n}× gedownload door de persoon. Uw download wordt vastgelegd in het auditlog.`,
    destroyed: (on: string) => `Vernietigd${on ? ` op ${on}` : ''}.`,
    tasks: 'Taken bij verwerkers zonder koppeling',
    contact: 'contact',
    dueBy: 'uiterlijk',
    personIs: 'Het gaat om',
    analytics: 'Door de winkel gemelde Analytics-kenmerken (bewaard tot deze taak af is)',
    clientId: 'bezoekers-id',
    userId: 'gebruikers-id',
    answer:
      'Wat de verwerker over de persoon heeft (gaat als aanvulling naar de persoon; plak de tekst of een samenvatting van het bestand)',
    nothingHeld: 'De verwerker heeft niets over deze persoon',
    note: 'Notitie voor het dossier (optioneel, de persoon ziet die niet)',
    done: 'Taak afgerond',
    doneTasks: 'Afgeronde taken',
    doneOn: (d: string) => `afgerond op ${d}`,
    noteWas: 'Notitie',
    timeline: 'Tijdlijn',
  },
  en: {
    found: 'What was found',
    notYet: 'Nothing yet: the request has not been carried out.',
    rows: (n: number) => `${plural(n, 'record', 'records')} found`,
    processors: 'Processors',
    erased: (what: string, n: number) => `${what}: ${n} erased or anonymised`,
    kept: (what: string, n?: number) => `${what}${n ? ` (${n})` : ''} kept`,
    keptUntil: (d: string) => `up to and including ${d}`,
    keptOwnTerm: 'for the processor’s own retention term',
    tasksMade: (n: number) => `${plural(n, 'task', 'tasks')} for processors without a connection`,
    exportFile: 'Export file',
    noExport: 'There is no export file.',
    download: (name: string) => `Download ${name}`,
    exportNote: (until: string, n: number) =>
      `Valid until ${until}; downloaded ${n}× by the person. Your download is recorded in the audit trail.`,
    destroyed: (on: string) => `Destroyed${on ? ` on ${on}` : ''}.`,
    tasks: 'Tasks at processors without a connection',
    contact: 'contact',
    dueBy: 'due',
    personIs: 'The person is',
    analytics: 'Analytics ids the shop reported (kept until this task is done)',
    clientId: 'client id',
    userId: 'user id',
    answer:
      'What the processor holds about the person (goes to the person as the rest of the answer; paste the text or a summary of the file)',
    nothingHeld: 'The processor holds nothing about this person',
    note: 'Note for the file (optional, the person does not see it)',
    done: 'Task done',
    doneTasks: 'Tasks done',
    doneOn: (d: string) => `done on ${d}`,
    noteWas: 'Note',
    timeline: 'Timeline',
  },
};

type Holds = ReadonlyArray<{
  legalHold?: string;
  legalBasis?: Partial<Record<DeskLang, string>>;
  title: Record<DeskLang, string>;
}>;

export function Found(props: { view: RequestView; csrf: string; lang: DeskLang; names: DeskNames; holds: Holds }) {
  const { view, csrf, lang, names } = props;
  const w = W[lang];
  const res = view.request.result;
  const file = view.exportPackage;
  const nothing = res.records === undefined && !res.systems && !res.erased && !res.processors;
  return (
    <section aria-labelledby="found">
      <h2 id="found">{w.found}</h2>
      {nothing ? (
        <p>{w.notYet}</p>
      ) : (
        <ul>
          {res.records !== undefined && <li>{w.rows(res.records)}</li>}
          {byOutcome(res.systems ?? []).map(([status, systems]) => (
            <li>
              {capitalize(systemOutcomeLabel(status, lang))}: {systems.map((s) => names.system(s)).join(', ')}
            </li>
          ))}
          {res.processors && res.processors.length > 0 && (
            <li>
              {w.processors}: {res.processors.map((p) => names.processor(p)).join(', ')}
            </li>
          )}
          {res.erased?.map((e) => (
            <li>{w.erased(names.collection(e.what), e.count)}</li>
          ))}
          {res.retained?.map((e) => {
            const why = retainedWhy(e.why, lang, props.holds);
            return (
              <li>
                {w.kept(names.collection(e.what), e.count)}{' '}
                {e.until ? w.keptUntil(lastDay(e.until, lang)) : w.keptOwnTerm} (<span lang={why.lang}>{why.text}</span>
                )
              </li>
            );
          })}
          {res.tasks ? <li>{w.tasksMade(res.tasks)}</li> : null}
        </ul>
      )}
      <h3>{w.exportFile}</h3>
      {!file ? (
        <p>{w.noExport}</p>
      ) : file.available ? (
        <form method="post" action={`/admin/requests/${view.request.id}/export`} class="decision">
          <CsrfField token={csrf} />
          <button type="submit">{w.download(file.fileName)}</button>
          <p class="muted">{w.exportNote(day(file.expiresAt, lang), file.downloads)}</p>
        </form>
      ) : (
        <p>{w.destroyed(file.destroyedAt ? day(file.destroyedAt, lang) : '')}</p>
      )}
      <DoneTasks tasks={view.tasks.filter((t) => t.status === 'done')} lang={lang} names={names} />
    </section>
  );
}

/** The systems grouped by what happened in them, in the order they first appear. */
function byOutcome(systems: ReadonlyArray<{ system: string; status: string }>): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const s of systems) groups.set(s.status, [...(groups.get(s.status) ?? []), s.system]);
  return [...groups];
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What to do for a task, from its instructions in the page's language. */
export function instructionsOf(t: Pick<TaskTable, 'instructions'>, lang: DeskLang): string {
  try {
    const parsed = JSON.parse(t.instructions) as Partial<Record<DeskLang, string>>;
    return parsed[lang] ?? parsed.nl ?? '';
  } catch {
    return '';
  }
}

export function OpenTasks(props: {
  tasks: TaskTable[];
  csrf: string;
  lang: DeskLang;
  names: DeskNames;
  email: string | null;
  analyticsIds?: Record<string, KnownAnalyticsIds>;
}) {
  const { tasks, csrf, lang, names, analyticsIds } = props;
  const w = W[lang];
  if (tasks.length === 0) return null;
  return (
    <div id="tasks" class="tasks">
      <h3>{w.tasks}</h3>
      <ul class="plain">
        {tasks.map((t) => (
          <li data-task={t.id}>
            <strong>{names.processor(t.processor)}</strong>: {actionLabel(t.action, lang)} · {w.contact} {t.contact} ·{' '}
            {w.dueBy} {day(t.due_at, lang)}
            <p>{instructionsOf(t, lang)}</p>
            {props.email && (
              <p>
                {w.personIs}: <strong>{props.email}</strong>
              </p>
            )}
            {analyticsIds?.[t.id] && (
              <p>
                {w.analytics}:{' '}
                {[
                  ...analyticsIds[t.id]!.clientIds.map((c) => `${w.clientId} ${c}`),
                  ...analyticsIds[t.id]!.userIds.map((u) => `${w.userId} ${u}`),
                ].join(', ')}
              </p>
            )}
            <form method="post" action={`/admin/tasks/${t.id}/done`} class="decision">
              <CsrfField token={csrf} />
              {t.action === 'access' && (
                <>
                  <label>
                    {w.answer}
                    <textarea name="answer" rows={5} maxlength={100_000} />
                  </label>
                  <label class="choice">
                    <input type="checkbox" name="nothingHeld" value="on" /> {w.nothingHeld}
                  </label>
                </>
              )}
              <label>
                {w.note}
                <input type="text" name="note" maxlength={2000} />
              </label>
              <button type="submit">{w.done}</button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DoneTasks({ tasks, lang, names }: { tasks: TaskTable[]; lang: DeskLang; names: DeskNames }) {
  const w = W[lang];
  if (tasks.length === 0) return null;
  return (
    <>
      <h3>{w.doneTasks}</h3>
      <ul class="plain">
        {tasks.map((t) => (
          <li data-task={t.id}>
            <strong>{names.processor(t.processor)}</strong>: {actionLabel(t.action, lang)} ·{' '}
            {w.doneOn(day(t.done_at, lang))}
            {t.note && (
              <>
                {' · '}
                {w.noteWas}: {t.note}
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

export function Timeline({ view, lang, names }: { view: RequestView; lang: DeskLang; names: DeskNames }) {
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">{W[lang].timeline}</h2>
      <ol class="timeline">
        {view.events.map((e) => (
          <li>
            <time datetime={e.at}>{moment(e.at, lang)}</time>: {eventLabel(e.event, lang)}
            {eventDetail(e.parsed, lang, names)}
          </li>
        ))}
      </ol>
    </section>
  );
}

const DETAIL = {
  nl: {
    officer: 'ingevoerd door de functionaris',
    onBehalf: 'namens de persoon gestart door de functionaris (klant opzoeken)',
    byOfficer: 'door de functionaris',
    dueAt: (d: string) => `nieuwe termijn ${d}`,
    liftsAt: (d: string) => `de beperking eindigt op ${d}`,
    tasks: (n: number) => `${plural(n, 'taak', 'taken')} open`,
    records: (n: number) => plural(n, 'gegevensregel', 'gegevensregels'),
    without: (s: string) => `nog zonder ${s}`,
    delivery: { email: 'naar een ander e-mailadres', post: 'per post' } as Record<string, string>,
    until: (m: string) => `tot ${m}`,
    attempt: (n: number) => `poging ${n}`,
    retryAt: (m: string) => `opnieuw ${m}`,
    downloads: (n: number) => `${n}× gedownload`,
    part: (n: number) => `deel ${n}`,
  },
  en: {
    officer: 'entered by the officer',
    onBehalf: 'started by the officer on behalf of the person (customer lookup)',
    byOfficer: 'by the officer',
    dueAt: (d: string) => `new deadline ${d}`,
    liftsAt: (d: string) => `the restriction ends on ${d}`,
    tasks: (n: number) => `${plural(n, 'task', 'tasks')} open`,
    records: (n: number) => plural(n, 'record', 'records'),
    without: (s: string) => `still without ${s}`,
    delivery: { email: 'to another e-mail address', post: 'by post' } as Record<string, string>,
    until: (m: string) => `until ${m}`,
    attempt: (n: number) => `attempt ${n}`,
    retryAt: (m: string) => `again ${m}`,
    downloads: (n: number) => `downloaded ${n}×`,
    part: (n: number) => `part ${n}`,
  },
};

/**
 * An event's detail (which never holds personal data) in words. Only the details the desk knows are
 * shown: an unknown key is left out rather than shown as a slug.
 */
export function eventDetail(d: Record<string, unknown>, lang: DeskLang, names: DeskNames): string {
  const w = DETAIL[lang];
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  const list = (k: string) => (Array.isArray(d[k]) ? (d[k] as unknown[]).map(String) : undefined);
  const parts: string[] = [];
  if (str('type')) parts.push(typeLabel(str('type') as never, lang));
  if (str('channel')) parts.push(channelLabel(str('channel')!, lang));
  if (d.startedFrom === 'customer-lookup') parts.push(w.onBehalf);
  else if (d.enteredBy === 'officer') parts.push(w.officer);
  if (d.by === 'officer') parts.push(w.byOfficer);
  if (str('processor')) parts.push(names.processor(str('processor')!));
  if (str('action')) parts.push(actionLabel(str('action')!, lang));
  if (list('purposes'))
    parts.push(
      list('purposes')!
        .map((p) => names.purpose(p))
        .join(', '),
    );
  if (list('systems'))
    parts.push(
      list('systems')!
        .map((s) => names.system(s))
        .join(', '),
    );
  if (num('records') !== undefined) parts.push(w.records(num('records')!));
  if (list('without'))
    parts.push(
      w.without(
        list('without')!
          .map((s) => names.system(s))
          .join(', '),
      ),
    );
  if (str('delivery') && w.delivery[str('delivery')!]) parts.push(w.delivery[str('delivery')!]!);
  if (num('tasks')) parts.push(w.tasks(num('tasks')!));
  if (str('dueAt')) parts.push(w.dueAt(day(str('dueAt'), lang)));
  if (str('liftsAt')) parts.push(w.liftsAt(day(str('liftsAt'), lang)));
  if (str('until')) parts.push(w.until(moment(str('until'), lang)));
  if (num('attempt')) parts.push(w.attempt(num('attempt')!));
  if (str('retryAt')) parts.push(w.retryAt(moment(str('retryAt'), lang)));
  if (num('downloads')) parts.push(w.downloads(num('downloads')!));
  if (num('part')) parts.push(w.part(num('part')!));
  const why = str('why') && destroyedWhy(str('why')!, lang);
  if (why) parts.push(why);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
