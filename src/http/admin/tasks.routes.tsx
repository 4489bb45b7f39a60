import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeskTask } from '../../admin/desk.ts';
import { isShopifyTask } from '../../shopify/shopify-webhooks.ts';
import { CsrfField } from './admin-layout.tsx';
import { type DeskContext, doneMessage, sendDeskPage } from './desk-http.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';
import type { DeskNames } from './desk-names.ts';
import { Desk, Due, Message, type PageMessage, Pager, queryOf } from './desk-parts.tsx';
import { actionLabel, day } from './desk-words.ts';
import { instructionsOf } from './request-parts.tsx';
import { requireRole } from './session.ts';

const PAGE_SIZE = 25;
const STATES = ['open', 'done', 'all'] as const;
const Query = z.object({
  status: z.enum(STATES).catch('open'),
  processor: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,60}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
type Filter = z.output<typeof Query>;

const W = {
  nl: {
    title: 'Taken bij verwerkers',
    intro:
      'Verwerkers zonder koppeling krijgen een taak: u vraagt het hun zelf en legt vast wat zij antwoordden. De termijn is die van de verwerker; het verzoek wacht erop.',
    which: 'Welke',
    states: { open: 'open', done: 'afgerond', all: 'alle' },
    processor: 'Verwerker',
    allProcessors: 'alle verwerkers',
    show: 'Toon',
    none: 'Geen taken die aan deze keuze voldoen.',
    toRequest: 'naar het verzoek',
    contact: 'contact',
    dueBy: 'uiterlijk',
    doneOn: (d: string) => `afgerond op ${d}`,
    note: 'Notitie (optioneel, wat u besloot)',
    done: 'Taak afgerond',
    taskDone: 'De taak is afgerond.',
  },
  en: {
    title: 'Tasks at processors',
    intro:
      'Processors without a connection get a task: you ask them yourself and record what they answered. The deadline is the processor’s; the request waits for it.',
    which: 'Which',
    states: { open: 'open', done: 'done', all: 'all' },
    processor: 'Processor',
    allProcessors: 'every processor',
    show: 'Show',
    none: 'No tasks match this choice.',
    toRequest: 'to the request',
    contact: 'contact',
    dueBy: 'due',
    doneOn: (d: string) => `done on ${d}`,
    note: 'Note (optional, what you decided)',
    done: 'Task done',
    taskDone: 'The task is done.',
  },
};

/** GET /admin/tasks (officer): every processor task, open or done, filtered by processor, paged. */
export function registerTaskRoutes(app: FastifyInstance, context: DeskContext): void {
  app.get('/admin/tasks', { preHandler: requireRole('officer') }, async (request, reply) => {
    const lang = langOf(request);
    const filter = Query.parse(request.query ?? {});
    const { rows, total } = await context.desk.listTasks({
      status: filter.status === 'all' ? undefined : filter.status,
      processor: filter.processor,
      limit: PAGE_SIZE,
      offset: (filter.page - 1) * PAGE_SIZE,
    });
    const processors = await context.repository.taskProcessors();
    return sendDeskPage(request, reply, {
      title: W[lang].title,
      active: 'tasks',
      body: (
        <TasksPage
          rows={rows}
          total={total}
          filter={filter}
          processors={processors}
          csrf={request.csrfToken ?? ''}
          lang={lang}
          names={context.names(lang)}
          message={doneMessage(request, { task: W[lang].taskDone })}
        />
      ),
    });
  });
}

function TasksPage(props: {
  rows: DeskTask[];
  total: number;
  filter: Filter;
  processors: string[];
  csrf: string;
  lang: DeskLang;
  names: DeskNames;
  message?: PageMessage;
}) {
  const { rows, filter, lang, names } = props;
  const w = W[lang];
  const href = (page: number) => `/admin/tasks${queryOf({ status: filter.status, processor: filter.processor, page })}`;
  return (
    <Desk>
      {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
      <p class="lead">{w.intro}</p>
      <form method="get" action="/admin/tasks" class="filters">
        <label>
          {w.which}{' '}
          <select name="status">
            {STATES.map((s) => (
              <option value={s} selected={filter.status === s}>
                {w.states[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.processor}{' '}
          <select name="processor">
            <option value="">{w.allProcessors}</option>
            {props.processors.map((p) => (
              <option value={p} selected={filter.processor === p}>
                {names.processor(p)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{w.show}</button>
      </form>
      {rows.length === 0 ? (
        <p>{w.none}</p>
      ) : (
        <ul class="plain tasks">
          {rows.map((t) => (
            <li class={t.status === 'done' || t.urgency === 'ok' ? undefined : t.urgency} data-task={t.id}>
              <strong>{names.processor(t.processor)}</strong>: {actionLabel(t.action, lang)} · {w.contact} {t.contact} ·{' '}
              {t.status === 'done' ? (
                w.doneOn(day(t.done_at, lang))
              ) : (
                <>
                  {w.dueBy} <Due dueAt={t.due_at} urgency={t.urgency} daysLeft={t.daysLeft} lang={lang} />
                </>
              )}
              {!isShopifyTask(t) && (
                <>
                  {' · '}
                  <a href={`/admin/requests/${t.request_id}#next`}>{w.toRequest}</a>
                </>
              )}
              <p>{instructionsOf(t, lang)}</p>
              {t.status === 'open' && isShopifyTask(t) && (
                <form method="post" action={`/admin/tasks/${t.id}/done`} class="decision">
                  <CsrfField token={props.csrf} />
                  <input type="hidden" name="back" value="tasks" />
                  <label>
                    {w.note}
                    <input type="text" name="note" maxlength={2000} />
                  </label>
                  <button type="submit">{w.done}</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager
        page={filter.page}
        pages={Math.ceil(props.total / PAGE_SIZE)}
        total={props.total}
        href={href}
        lang={lang}
      />
    </Desk>
  );
}
