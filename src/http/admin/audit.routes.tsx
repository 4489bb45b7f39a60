import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminServices } from '../../admin/build.ts';
import type { AuditEntry, AuditFilter, AuditTrail } from '../../audit/audit-trail.ts';
import type { Clock } from '../../lib/clock.ts';
import { toCsv } from '../../lib/csv.ts';
import { isCalendarDay, startOfDayInAmsterdam } from '../../lib/legal-period.ts';
import { ARCHIVE_REASON_LABEL } from './archive-pages.tsx';
import { ACTION_GROUP_IDS, ACTION_GROUPS, ACTOR_WORDS, actionWords, GROUP_LABEL } from './audit-words.ts';
import { sendDeskPage } from './desk-http.tsx';
import { type DeskLang, langOf } from './desk-lang.ts';
import { Desk, Pager, queryOf } from './desk-parts.tsx';
import { moment, typeLabel } from './desk-words.ts';
import { requireRole } from './session.ts';

const PAGE_SIZE = 50;
/** A CSV export holds at most this many entries (the newest); narrow the filter for older ones. */
const CSV_LIMIT = 10_000;
const day = z.string().refine(isCalendarDay).optional().catch(undefined);
const Query = z.object({
  who: z
    .string()
    .regex(/^(system|cli|user:[\w-]{1,60})$/)
    .optional()
    .catch(undefined),
  what: z
    .enum(ACTION_GROUP_IDS as [string, ...string[]])
    .optional()
    .catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
type Query = z.output<typeof Query>;

const W = {
  nl: {
    title: 'Auditlog',
    intact: (n: number) => `Keten intact: ${n} regels, elke regel aan de vorige gekoppeld.`,
    broken: (seq: number) => `Keten verbroken bij regel ${seq}: deze regel of een eerdere is veranderd of verwijderd.`,
    about:
      'Wie wat deed, in Nederlandse tijd. Regels noemen een persoon alleen met een sleutel-hash, nooit met een e-mailadres; na verwijdering van die persoon verwijst de hash naar niemand meer.',
    who: 'Wie',
    everyone: 'iedereen',
    what: 'Wat',
    everything: 'alles',
    from: 'Vanaf',
    to: 'Tot en met',
    filter: 'Toon',
    csv: 'Download als CSV (deze keuze, ten hoogste 10.000 regels)',
    none: 'Geen regels die aan deze keuze voldoen.',
    cols: { nr: 'Nr', when: 'Wanneer', who: 'Wie', what: 'Wat', about: 'Waarover' },
    person: 'een persoon',
    request: 'verzoek',
    task: 'taak',
    plan: 'bewaartermijnplan',
    breach: 'datalek',
    disclosure: 'verstrekking',
    policyVersion: 'beleidsversie',
    account: 'account',
    code: 'handeling',
    file: 'auditlog',
  },
  en: {
    title: 'Audit trail',
    intact: (n: number) => `Chain intact: ${n} entries, each linked to the one before.`,
    broken: (seq: number) => `Chain broken at entry ${seq}: this entry or an earlier one was changed or removed.`,
    about:
      'Who did what, in Dutch time. Entries name a person only by a keyed hash, never by an e-mail address; once that person is erased the hash points to no one.',
    who: 'Who',
    everyone: 'everyone',
    what: 'What',
    everything: 'everything',
    from: 'From',
    to: 'To',
    filter: 'Show',
    csv: 'Download as CSV (this choice, at most 10,000 entries)',
    none: 'No entries match this choice.',
    cols: { nr: 'No.', when: 'When', who: 'Who', what: 'What', about: 'About' },
    person: 'a person',
    request: 'request',
    task: 'task',
    plan: 'retention plan',
    breach: 'data breach',
    disclosure: 'disclosure',
    policyVersion: 'policy version',
    account: 'account',
    code: 'action',
    file: 'audit-trail',
  },
};

/** The filter as the trail's query: the day range in Amsterdam, `to` inclusive. */
function auditFilter(q: Query): AuditFilter {
  const nextDay = (d: string) => {
    const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
    return startOfDayInAmsterdam(new Date(Date.UTC(y, m - 1, dd + 1)).toISOString().slice(0, 10));
  };
  return {
    actor: q.who,
    actions: q.what ? ACTION_GROUPS[q.what as keyof typeof ACTION_GROUPS] : undefined,
    from: q.from ? startOfDayInAmsterdam(q.from).toISOString() : undefined,
    to: q.to ? nextDay(q.to).toISOString() : undefined,
  };
}

interface Wording {
  who: (actor: string) => string;
  what: (e: AuditEntry) => { text: string; code?: string };
  about: (e: AuditEntry) => { text: string; href?: string };
}

function wording(lang: DeskLang, emails: Map<string, string>): Wording {
  const w = W[lang];
  const a = ACTOR_WORDS[lang];
  const target = (t: string | null): { text: string; href?: string } => {
    if (!t) return { text: '' };
    const [kind, id = ''] = t.split(/:(.*)/s) as [string, string?];
    const short = id.slice(0, 8);
    switch (kind) {
      case 'request':
        return { text: `${w.request} ${short}`, href: `/admin/requests/${id}` };
      case 'user':
        return { text: emails.get(id) ?? a.unknownUser };
      case 'task':
        return { text: `${w.task} ${short}` };
      case 'retention':
        return { text: `${w.plan} ${short}` };
      case 'breach':
        return { text: `${w.breach} ${short}`, href: `/admin/registers/breaches/${id}` };
      case 'disclosure':
        return { text: `${w.disclosure} ${short}`, href: `/admin/registers/disclosures/${id}` };
      case 'policy-version':
        return { text: `${w.policyVersion} ${short}` };
      default:
        return { text: short };
    }
  };
  return {
    who: (actor) => {
      if (actor === 'system') return a.system;
      if (actor === 'cli') return a.cli;
      if (actor.startsWith('user:')) return emails.get(actor.slice(5)) ?? a.unknownUser;
      return a.unknown;
    },
    what: (e) => {
      const words = actionWords(e.action, lang);
      const details = detailWords(e, lang);
      return words ? { text: details ? `${words} (${details})` : words } : { text: w.code, code: e.action };
    },
    about: (e) => {
      const t = target(e.target);
      const person = e.subjectRef ? `${w.person} (${e.subjectRef.slice(0, 8)}…)` : '';
      return { text: [t.text, person].filter(Boolean).join(', '), href: t.href };
    },
  };
}

/** The few details that say something to the officer, in words; the rest stays in the CSV as recorded. */
function detailWords(e: AuditEntry, lang: DeskLang): string {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.type === 'string') parts.push(typeLabel(d.type as never, lang));
  if (typeof d.reason === 'string' && d.reason in ARCHIVE_REASON_LABEL[lang])
    parts.push(ARCHIVE_REASON_LABEL[lang][d.reason as keyof (typeof ARCHIVE_REASON_LABEL)['nl']]);
  if (typeof d.reference === 'string') parts.push(`“${d.reference}”`);
  if (typeof d.erased === 'number')
    parts.push(lang === 'nl' ? `${d.erased} personen gewist` : `${d.erased} people erased`);
  if (typeof d.confirmed === 'number')
    parts.push(lang === 'nl' ? `${d.confirmed} personen bevestigd` : `${d.confirmed} people confirmed`);
  if (typeof d.matches === 'number') parts.push(lang === 'nl' ? `${d.matches} gevonden` : `${d.matches} found`);
  if (d.identityChecked === true) parts.push(lang === 'nl' ? 'identiteit gecontroleerd' : 'identity checked');
  if (d.startedFrom === 'customer-lookup') parts.push(lang === 'nl' ? 'namens de persoon' : 'on the person’s behalf');
  return parts.join(', ');
}

/**
 * GET /admin/audit (officer): who did what, in words and Dutch time, filtered by who, what kind of action
 * and days, paged; whether the chain is intact; and the same selection as CSV (`?format=csv`).
 */
export function registerAdminAuditRoutes(
  app: FastifyInstance,
  deps: { audit: AuditTrail; admin: AdminServices; clock: Clock },
): void {
  const emails = async () => new Map((await deps.admin.users.list()).map((u) => [u.id, u.email]));

  app.get('/admin/audit', { preHandler: requireRole('officer') }, async (request, reply) => {
    const lang = langOf(request);
    const q = Query.parse(request.query ?? {});
    const filter = auditFilter(q);
    const words = wording(lang, await emails());
    if ((request.query as { format?: string } | undefined)?.format === 'csv') {
      const entries = await deps.audit.list({ ...filter, limit: CSV_LIMIT });
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${W[lang].file}.csv"`)
        .send(auditCsv(entries, words, lang));
    }
    const [check, entries, total, actors] = await Promise.all([
      deps.audit.verify(),
      deps.audit.list({ ...filter, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }),
      deps.audit.count(filter),
      deps.audit.actors(),
    ]);
    return sendDeskPage(request, reply, {
      title: W[lang].title,
      active: 'audit',
      body: (
        <AuditPage
          request={request}
          q={q}
          check={check.ok ? { ok: true, entries: check.entries } : { ok: false, seq: check.firstBroken.seq }}
          entries={entries}
          total={total}
          actors={actors}
          words={words}
          lang={lang}
        />
      ),
    });
  });
}

function auditCsv(entries: AuditEntry[], words: Wording, lang: DeskLang): string {
  const w = W[lang];
  const header = [
    w.cols.nr,
    w.cols.when,
    w.cols.who,
    w.cols.what,
    w.cols.about,
    'actor',
    'action',
    'target',
    'subject_ref',
    'details',
  ];
  const rows = entries.map((e) => {
    const what = words.what(e);
    return [
      e.seq,
      moment(e.at, lang),
      words.who(e.actor),
      what.code ? `${what.text}: ${what.code}` : what.text,
      words.about(e).text,
      e.actor,
      e.action,
      e.target ?? '',
      e.subjectRef ?? '',
      e.details ? JSON.stringify(e.details) : '',
    ];
  });
  return toCsv([header, ...rows], { bom: true });
}

function AuditPage(props: {
  request: FastifyRequest;
  q: Query;
  check: { ok: true; entries: number } | { ok: false; seq: number };
  entries: AuditEntry[];
  total: number;
  actors: string[];
  words: Wording;
  lang: DeskLang;
}) {
  const { q, lang, words } = props;
  const w = W[lang];
  const params = { who: q.who, what: q.what, from: q.from, to: q.to };
  return (
    <Desk>
      {props.check.ok ? (
        <p class="status ok">{w.intact(props.check.entries)}</p>
      ) : (
        <p class="status broken" role="alert">
          {w.broken(props.check.seq)}
        </p>
      )}
      <p class="lead">{w.about}</p>
      <form method="get" action="/admin/audit" class="filters">
        <label>
          {w.who}{' '}
          <select name="who">
            <option value="">{w.everyone}</option>
            {props.actors.map((a) => (
              <option value={a} selected={q.who === a}>
                {words.who(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.what}{' '}
          <select name="what">
            <option value="">{w.everything}</option>
            {ACTION_GROUP_IDS.map((g) => (
              <option value={g} selected={q.what === g}>
                {GROUP_LABEL[lang][g]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.from} <input type="date" name="from" value={q.from ?? ''} />
        </label>
        <label>
          {w.to} <input type="date" name="to" value={q.to ?? ''} />
        </label>
        <button type="submit">{w.filter}</button>
      </form>
      <p>
        <a href={`/admin/audit${queryOf({ ...params, format: 'csv' })}`} download>
          {w.csv}
        </a>
      </p>
      {props.entries.length === 0 ? (
        <p>{w.none}</p>
      ) : (
        <table class="stack audit">
          <thead>
            <tr>
              <th scope="col">{w.cols.nr}</th>
              <th scope="col">{w.cols.when}</th>
              <th scope="col">{w.cols.who}</th>
              <th scope="col">{w.cols.what}</th>
              <th scope="col">{w.cols.about}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => {
              const what = words.what(e);
              const about = words.about(e);
              return (
                <tr data-seq={e.seq}>
                  <td data-label={w.cols.nr}>{e.seq}</td>
                  <td data-label={w.cols.when}>
                    <time datetime={e.at}>{moment(e.at, lang)}</time>
                  </td>
                  <td data-label={w.cols.who}>{words.who(e.actor)}</td>
                  <td data-label={w.cols.what}>
                    {what.text}
                    {what.code && (
                      <>
                        {' '}
                        <code>{what.code}</code>
                      </>
                    )}
                  </td>
                  <td data-label={w.cols.about}>{about.href ? <a href={about.href}>{about.text}</a> : about.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager
        page={q.page}
        pages={Math.ceil(props.total / PAGE_SIZE)}
        total={props.total}
        href={(page) => `/admin/audit${queryOf({ ...params, page })}`}
        lang={lang}
      />
    </Desk>
  );
}
