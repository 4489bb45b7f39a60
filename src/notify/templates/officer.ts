import { button, type Lang, list, type MailContent, type MailContext, p } from './model.ts';
import { count, formatDay, type RequestType, requestTypeName } from './words.ts';

export interface DueRequest {
  id: string;
  type: RequestType;
  dueAt: string;
}

/** To the privacy officer: ids and types only, never who asked. */
export interface OfficerReminderData {
  dueSoon: DueRequest[];
  overdue: DueRequest[];
  openTasks: number;
  adminUrl: string;
}

const line = (r: DueRequest, lang: Lang) => [
  `${r.id}: ${requestTypeName(r.type, lang)}, ${lang === 'nl' ? 'uiterlijk' : 'due'} ${formatDay(r.dueAt, lang)}`,
];

export const officerReminder: Record<Lang, (data: OfficerReminderData, ctx: MailContext) => MailContent> = {
  nl: (d) => ({
    subject: `Inzage: ${count(d.overdue.length, 'verzoek', 'verzoeken')} over de termijn, ${d.dueSoon.length} binnen 7 dagen`,
    heading: 'Verzoeken die aandacht nodig hebben',
    internal: true,
    blocks: [
      ...(d.overdue.length > 0
        ? [p('Over de termijn:'), list(d.overdue.map((r) => line(r, 'nl')))]
        : [p('Geen verzoeken over de termijn.')]),
      ...(d.dueSoon.length > 0
        ? [p('Binnen 7 dagen te beantwoorden:'), list(d.dueSoon.map((r) => line(r, 'nl')))]
        : [p('Geen verzoeken die binnen 7 dagen moeten worden beantwoord.')]),
      p(
        d.openTasks > 0
          ? `Er ${d.openTasks === 1 ? 'staat' : 'staan'} ${count(d.openTasks, 'taak', 'taken')} open bij verwerkers zonder koppeling (inzage tasks list).`
          : 'Er staan geen taken open bij verwerkers.',
      ),
      button('Naar het beheer', d.adminUrl),
      p('Op de opdrachtregel: inzage requests list'),
    ],
  }),
  en: (d) => ({
    subject: `Inzage: ${count(d.overdue.length, 'request', 'requests')} overdue, ${d.dueSoon.length} due within 7 days`,
    heading: 'Requests that need attention',
    internal: true,
    blocks: [
      ...(d.overdue.length > 0
        ? [p('Overdue:'), list(d.overdue.map((r) => line(r, 'en')))]
        : [p('No requests are overdue.')]),
      ...(d.dueSoon.length > 0
        ? [p('Due within 7 days:'), list(d.dueSoon.map((r) => line(r, 'en')))]
        : [p('No requests are due within 7 days.')]),
      p(
        d.openTasks > 0
          ? `${count(d.openTasks, 'task is', 'tasks are')} open with processors that have no API (inzage tasks list).`
          : 'No tasks are open with processors.',
      ),
      button('Open the admin', d.adminUrl),
      p('On the command line: inzage requests list'),
    ],
  }),
};
