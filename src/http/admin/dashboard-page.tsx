import type { Dashboard, DeskTask, RetentionView } from '../../admin/desk.ts';
import { isLargeFirstSweep } from '../../admin/desk-retention.ts';
import type { ScanRun } from '../../scan/scan.repository.ts';
import { isShopifyTask } from '../../shopify/shopify-webhooks.ts';
import { CsrfField } from './admin-layout.tsx';
import type { DeskLang } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import { Desk, Due, Message, MonthChart, type PageMessage, RequestTable } from './desk-parts.tsx';
import { actionLabel, day, moment, plural } from './desk-words.ts';
import { instructionsOf } from './request-parts.tsx';
import { ScanSection } from './scan-section.tsx';

/** An open breach with its 72-hour clock (GDPR Art. 33), as the breach register gives it. */
export interface BreachRow {
  id: string;
  summary: string;
  discoveredAt: string;
  /** Discovery plus 72 hours. */
  deadline: string;
  /** Past the deadline, the authority neither told nor a reason recorded. */
  overdue: boolean;
  /** The authority was told, or a reason for not telling it is recorded: the clock has stopped. */
  settled: boolean;
  /** The clock in words: "nog 41 uur", "12 uur te laat", "gemeld". */
  clockText: string;
}

export interface DashboardProps {
  view: Dashboard;
  role: 'officer' | 'staff';
  csrf: string;
  lang: DeskLang;
  names: DeskNames;
  /** Undefined: the breach register is not available (yet). */
  breaches?: BreachRow[];
  message?: PageMessage;
  /** The latest cookie scan, for the officer; undefined when none ran. */
  scan?: ScanRun;
}

const W = {
  nl: {
    open: (n: number) => `Openstaande verzoeken (${n})`,
    late: (n: number) => `⚠ ${n} te laat`,
    noneLate: 'Niets te laat',
    soon: (n: number) => `, ${n} binnen 7 dagen. De termijn is die van het privacybeleid; de wettelijke staat ernaast.`,
    noOpen: 'Geen openstaande verzoeken.',
    all: 'Alle verzoeken',
    tasks: (n: number) => `Openstaande taken bij verwerkers (${n})`,
    noTasks: 'Geen openstaande taken.',
    allTasks: 'Alle taken',
    dueBy: 'uiterlijk',
    toRequest: 'naar het verzoek',
    note: 'Notitie (optioneel, wat u besloot)',
    done: 'Taak afgerond',
    perMonth: 'Verzoeken per maand',
    perMonthLead: 'De laatste twaalf maanden; verwijderingen door de bewaartermijn tellen niet mee.',
    retention: 'Bewaartermijnen',
    noDataMap: 'Zonder datamap is er geen bewaartermijn-run.',
    nextRun: 'Volgende dagelijkse run',
    approveMode: 'wacht daarna op uw goedkeuring',
    autoMode: 'voert zelf uit',
    lastRun: (at: string, erased: number, sealed: number, destroyed: number) =>
      `Laatste run ${at}: ${plural(erased, 'persoon', 'personen')} verwijderd, ${sealed} verzegeld, ${destroyed} verzegelde gegevens vernietigd.`,
    noRun: 'Er is nog geen run uitgevoerd.',
    plan: (d: string) => `Plan van ${d} wacht op uw goedkeuring`,
    toErase: (n: number) => `${plural(n, 'persoon', 'personen')} te verwijderen`,
    keptFor: (r: number, o: number) => `${r} bewaard wegens een beperking, ${o} wegens een open verzoek`,
    holds: (n: number, s: number) =>
      `${n} gegevens na afloop van de wettelijke bewaarplicht te vernietigen, waarvan ${s} uit het verzegelde archief`,
    firstSweep: (n: number) =>
      `Eerste opruiming: ${plural(n, 'persoon heeft', 'personen hebben')} al langer dan de bewaartermijn geen contact of bestelling gehad. Dit is de achterstand van alle jaren hiervoor, geen dagelijkse routine: bekijk wie het zijn en wat er van hen verdwijnt voordat u iets goedkeurt.`,
    review: 'Bekijk wie en wat, en keur goed',
    approved: 'Goedgekeurd: de run staat in de wachtrij of loopt.',
    breaches: 'Datalekken',
    toRegisters: 'Naar de registers',
    noRegister: 'Het register van datalekken is nog niet beschikbaar.',
    noBreaches: 'Geen open datalekken.',
    discovered: 'ontdekt',
    reportBy: 'melden bij de Autoriteit Persoonsgegevens uiterlijk',
  },
  en: {
    open: (n: number) => `Open requests (${n})`,
    late: (n: number) => `⚠ ${n} overdue`,
    noneLate: 'Nothing overdue',
    soon: (n: number) => `, ${n} due within 7 days. The deadline is the privacy policy’s; the legal one is next to it.`,
    noOpen: 'No open requests.',
    all: 'All requests',
    tasks: (n: number) => `Open tasks at processors (${n})`,
    noTasks: 'No open tasks.',
    allTasks: 'All tasks',
    dueBy: 'due',
    toRequest: 'to the request',
    note: 'Note (optional, what you decided)',
    done: 'Task done',
    perMonth: 'Requests per month',
    perMonthLead: 'The last twelve months; erasures after the retention period do not count.',
    retention: 'Retention',
    noDataMap: 'Without a data map there is no retention run.',
    nextRun: 'Next daily run',
    approveMode: 'then waits for your approval',
    autoMode: 'runs by itself',
    lastRun: (at: string, erased: number, sealed: number, destroyed: number) =>
      `Last run ${at}: ${plural(erased, 'person', 'people')} erased, ${sealed} sealed, ${destroyed} sealed records destroyed.`,
    noRun: 'No run has been done yet.',
    plan: (d: string) => `Plan of ${d} waits for your approval`,
    toErase: (n: number) => `${plural(n, 'person', 'people')} to erase`,
    keptFor: (r: number, o: number) => `${r} kept because of a restriction, ${o} because of an open request`,
    holds: (n: number, s: number) => `${n} records to destroy after their legal retention ended, ${s} of them sealed`,
    firstSweep: (n: number) =>
      `First clean-up: ${plural(n, 'person has', 'people have')} had no contact or order for longer than the retention period. This is the backlog of all the years before, not a daily routine: look at who they are and what of theirs goes before you approve anything.`,
    review: 'See who and what, and approve',
    approved: 'Approved: the run is queued or running.',
    breaches: 'Data breaches',
    toRegisters: 'To the registers',
    noRegister: 'The breach register is not available yet.',
    noBreaches: 'No open data breaches.',
    discovered: 'discovered',
    reportBy: 'report to the Autoriteit Persoonsgegevens by',
  },
};

/** The first page after login: what needs attention, deadlines first. Staff see no registers or retention controls. */
export function DashboardPage({ view, role, csrf, lang, names, breaches, message, scan }: DashboardProps) {
  const w = W[lang];
  const officer = role === 'officer';
  const overdue = view.requests.filter((r) => r.urgency === 'overdue').length;
  const soon = view.requests.filter((r) => r.urgency === 'soon').length;
  return (
    <Desk>
      {message && <Message kind={message.kind}>{message.text}</Message>}
      <section aria-labelledby="open-requests">
        <h2 id="open-requests">{w.open(view.requests.length)}</h2>
        <p class="lead">
          {overdue > 0 ? <strong>{w.late(overdue)}</strong> : w.noneLate}
          {w.soon(soon)}
        </p>
        <RequestTable rows={view.requests} linked={officer} lang={lang} empty={w.noOpen} />
        <p>
          <a href="/admin/requests?status=all">{w.all}</a>
        </p>
      </section>
      <section aria-labelledby="open-tasks" id="tasks">
        <h2 id="open-tasks">{w.tasks(view.tasks.length)}</h2>
        <TaskList tasks={view.tasks} linked={officer} csrf={csrf} lang={lang} names={names} />
        {officer && (
          <p>
            <a href="/admin/tasks">{w.allTasks}</a>
          </p>
        )}
      </section>
      {officer && <RetentionSection retention={view.retention} lang={lang} />}
      {officer && <BreachSection breaches={breaches} lang={lang} />}
      {officer && <ScanSection scan={scan} lang={lang} />}
      <section aria-labelledby="per-month">
        <h2 id="per-month">{w.perMonth}</h2>
        <p class="lead">{w.perMonthLead}</p>
        <MonthChart months={view.perMonth} lang={lang} />
      </section>
    </Desk>
  );
}

function TaskList(props: { tasks: DeskTask[]; linked: boolean; csrf: string; lang: DeskLang; names: DeskNames }) {
  const { tasks, linked, csrf, lang, names } = props;
  const w = W[lang];
  if (tasks.length === 0) return <p>{w.noTasks}</p>;
  return (
    <ul class="plain tasks">
      {tasks.map((t) => (
        <li class={t.urgency === 'ok' ? undefined : t.urgency}>
          <strong>{names.processor(t.processor)}</strong>: {actionLabel(t.action, lang)} · {w.dueBy}{' '}
          <Due dueAt={t.due_at} urgency={t.urgency} daysLeft={t.daysLeft} lang={lang} />
          {linked && !isShopifyTask(t) && (
            <>
              {' · '}
              <a href={`/admin/requests/${t.request_id}#next`}>{w.toRequest}</a>
            </>
          )}
          {linked && isShopifyTask(t) && (
            <>
              <p>{instructionsOf(t, lang)}</p>
              <form method="post" action={`/admin/tasks/${t.id}/done`} class="decision">
                <CsrfField token={csrf} />
                <label>
                  {w.note}
                  <input type="text" name="note" maxlength={2000} />
                </label>
                <button type="submit">{w.done}</button>
              </form>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function RetentionSection({ retention, lang }: { retention: RetentionView; lang: DeskLang }) {
  const w = W[lang];
  if (!retention.available)
    return (
      <section aria-labelledby="retention">
        <h2 id="retention">{w.retention}</h2>
        <p>{w.noDataMap}</p>
      </section>
    );
  const last = retention.lastRun?.summary;
  const waiting = retention.waiting;
  const toErase = waiting?.summary.people?.toErase ?? 0;
  return (
    <section aria-labelledby="retention">
      <h2 id="retention">{w.retention}</h2>
      <p>
        {w.nextRun}: <strong>{moment(retention.nextRunAt, lang)}</strong> (
        {retention.mode === 'approve' ? w.approveMode : w.autoMode}).
      </p>
      <p>
        {last
          ? w.lastRun(
              moment(retention.lastRun!.at, lang),
              last.erased ?? 0,
              sum(last.perCollection?.map((c) => c.sealed)),
              last.sealedToDestroy ?? 0,
            )
          : w.noRun}
      </p>
      {waiting && (
        <div class="plan" id="retention-plan">
          <h3>{w.plan(day(waiting.at, lang))}</h3>
          {isLargeFirstSweep(toErase, !!retention.lastRun) && (
            <p class="message warning" role="note">
              {w.firstSweep(toErase)}
            </p>
          )}
          <ul>
            <li>{w.toErase(toErase)}</li>
            <li>{w.keptFor(waiting.summary.people?.restricted ?? 0, waiting.summary.people?.openRequest ?? 0)}</li>
            <li>
              {w.holds(sum(waiting.summary.expiredHolds?.map((h) => h.records)), waiting.summary.sealedToDestroy ?? 0)}
            </li>
          </ul>
          {waiting.approved ? (
            <p>
              <strong>{w.approved}</strong>
            </p>
          ) : (
            <p>
              <a class="button" href="/admin/retention">
                {w.review}
              </a>
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function BreachSection({ breaches, lang }: { breaches?: BreachRow[]; lang: DeskLang }) {
  const w = W[lang];
  return (
    <section aria-labelledby="breaches">
      <h2 id="breaches">{w.breaches}</h2>
      <p>
        <a href="/admin/registers/breaches">{w.toRegisters}</a>
      </p>
      {!breaches ? (
        <p>{w.noRegister}</p>
      ) : breaches.length === 0 ? (
        <p>{w.noBreaches}</p>
      ) : (
        <ul class="plain breaches">
          {breaches.map((b) => (
            <li class={b.settled ? undefined : b.overdue ? 'overdue' : 'soon'}>
              <strong>{b.summary}</strong> · {w.discovered} {moment(b.discoveredAt, lang)} · {w.reportBy}{' '}
              {moment(b.deadline, lang)}:{' '}
              <span class="due-flag">
                {b.overdue && <span aria-hidden="true">⚠ </span>}
                {b.clockText}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const sum = (xs: ReadonlyArray<number> | undefined) => (xs ?? []).reduce((n, x) => n + x, 0);
