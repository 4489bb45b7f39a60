import type { Dashboard, DeskTask, RetentionView } from '../../admin/desk.ts';
import type { ScanRun } from '../../scan/scan.repository.ts';
import { isShopifyTask } from '../../shopify/shopify-webhooks.ts';
import { CsrfField } from './admin-layout.tsx';
import { Desk, Due, Message, MonthChart, RequestTable } from './desk-parts.tsx';
import { actionLabel, day, moment } from './desk-words.ts';
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
  /** Undefined: the breach register is not available (yet). */
  breaches?: BreachRow[];
  message?: { kind: 'ok' | 'error'; text: string };
  /** The latest cookie scan, for the officer; undefined when none ran. */
  scan?: ScanRun;
}

/** The first page after login: what needs attention, deadlines first. Staff see no registers or retention controls. */
export function DashboardPage({ view, role, csrf, breaches, message, scan }: DashboardProps) {
  const officer = role === 'officer';
  const overdue = view.requests.filter((r) => r.urgency === 'overdue').length;
  const soon = view.requests.filter((r) => r.urgency === 'soon').length;
  return (
    <Desk>
      {message && <Message kind={message.kind}>{message.text}</Message>}
      <section aria-labelledby="open-requests">
        <h2 id="open-requests">Openstaande verzoeken ({view.requests.length})</h2>
        <p class="lead">
          {overdue > 0 ? <strong>{`⚠ ${overdue} te laat`}</strong> : 'Niets te laat'}
          {`, ${soon} binnen 7 dagen. De termijn is die van het privacybeleid; de wettelijke staat ernaast.`}
        </p>
        <RequestTable rows={view.requests} linked={officer} />
        <p>
          <a href="/admin/requests?status=all">Alle verzoeken</a>
        </p>
      </section>
      <section aria-labelledby="open-tasks">
        <h2 id="open-tasks">Openstaande taken bij verwerkers ({view.tasks.length})</h2>
        <TaskList tasks={view.tasks} linked={officer} csrf={csrf} />
      </section>
      {officer && <RetentionSection retention={view.retention} csrf={csrf} />}
      {officer && <BreachSection breaches={breaches} />}
      {officer && <ScanSection scan={scan} />}
      <section aria-labelledby="per-month">
        <h2 id="per-month">Verzoeken per maand</h2>
        <p class="lead">De laatste twaalf maanden; verwijderingen door de bewaartermijn tellen niet mee.</p>
        <MonthChart months={view.perMonth} />
      </section>
    </Desk>
  );
}

function TaskList({ tasks, linked, csrf }: { tasks: DeskTask[]; linked: boolean; csrf: string }) {
  if (tasks.length === 0) return <p>Geen openstaande taken.</p>;
  return (
    <ul class="plain tasks">
      {tasks.map((t) => (
        <li class={t.urgency === 'ok' ? undefined : t.urgency}>
          <strong>{t.processor}</strong>: {actionLabel(t.action)} ({t.system}) · uiterlijk{' '}
          <Due dueAt={t.due_at} urgency={t.urgency} daysLeft={t.daysLeft} />
          {linked && !isShopifyTask(t) && (
            <>
              {' · '}
              <a href={`/admin/requests/${t.request_id}#tasks`}>naar het verzoek</a>
            </>
          )}
          {linked && isShopifyTask(t) && <ShopifyTask task={t} csrf={csrf} />}
        </li>
      ))}
    </ul>
  );
}

/** A task from a Shopify webhook belongs to no request: what to do, and its button, are shown here. */
function ShopifyTask({ task, csrf }: { task: DeskTask; csrf: string }) {
  let text = '';
  try {
    text = (JSON.parse(task.instructions) as { nl?: string }).nl ?? '';
  } catch {}
  return (
    <>
      <br />
      <small>{text}</small>
      <form method="post" action={`/admin/tasks/${task.id}/done`} class="decision">
        <CsrfField token={csrf} />
        <label>
          Notitie (optioneel, wat u besloot)
          <br />
          <input type="text" name="note" maxlength={2000} />
        </label>
        <br />
        <button type="submit">Taak afgerond</button>
      </form>
    </>
  );
}

function RetentionSection({ retention, csrf }: { retention: RetentionView; csrf: string }) {
  return (
    <section aria-labelledby="retention">
      <h2 id="retention">Bewaartermijnen</h2>
      {!retention.available ? (
        <p>Zonder datamap is er geen bewaartermijn-run.</p>
      ) : (
        <>
          <p>
            Volgende dagelijkse run: <strong>{moment(retention.nextRunAt)}</strong> (
            {retention.mode === 'approve' ? 'wacht daarna op uw goedkeuring' : 'voert zelf uit'}).
          </p>
          {retention.lastRun ? (
            <p>
              Laatste run {moment(retention.lastRun.at)}: {retention.lastRun.summary.erased ?? 0} personen verwijderd,{' '}
              {sum(retention.lastRun.summary.perCollection?.map((c) => c.sealed))} records verzegeld,{' '}
              {retention.lastRun.summary.sealedToDestroy ?? 0} verzegelde records vernietigd.
            </p>
          ) : (
            <p>Er is nog geen run uitgevoerd.</p>
          )}
          {retention.waiting && (
            <div class="plan" id="retention-plan">
              <h3>Plan van {day(retention.waiting.at)} wacht op goedkeuring</h3>
              <ul>
                <li>{retention.waiting.summary.people?.toErase ?? 0} personen te verwijderen</li>
                <li>
                  {retention.waiting.summary.people?.restricted ?? 0} bewaard wegens beperking,{' '}
                  {retention.waiting.summary.people?.openRequest ?? 0} wegens een open verzoek
                </li>
                <li>
                  {sum(retention.waiting.summary.expiredHolds?.map((h) => h.records))} records na afloop van de
                  wettelijke bewaarplicht te vernietigen, {retention.waiting.summary.sealedToDestroy ?? 0} verzegelde
                </li>
              </ul>
              {retention.waiting.approved ? (
                <p>
                  <strong>Goedgekeurd</strong>: de run staat in de wachtrij of loopt.
                </p>
              ) : (
                <form method="post" action="/admin/retention/approve" class="decision">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="planId" value={retention.waiting.id} />
                  <button type="submit">Goedkeuren en uitvoeren</button>
                </form>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function BreachSection({ breaches }: { breaches?: BreachRow[] }) {
  return (
    <section aria-labelledby="breaches">
      <h2 id="breaches">Datalekken</h2>
      <p>
        <a href="/admin/registers">Naar de registers</a>
      </p>
      {!breaches ? (
        <p>Het register van datalekken is nog niet beschikbaar.</p>
      ) : breaches.length === 0 ? (
        <p>Geen open datalekken.</p>
      ) : (
        <ul class="plain breaches">
          {breaches.map((b) => (
            <li class={b.settled ? undefined : b.overdue ? 'overdue' : 'soon'}>
              <strong>{b.summary}</strong> · ontdekt {moment(b.discoveredAt)} · melden bij de AP uiterlijk{' '}
              {moment(b.deadline)}:{' '}
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
