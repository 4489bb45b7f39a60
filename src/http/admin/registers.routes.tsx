import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import type { Clock } from '../../lib/clock.ts';
import { InzageError } from '../../lib/errors.ts';
import { formatDateTime } from '../../notify/templates/words.ts';
import { countryName, roleLabel, safeguardLabel } from '../../policy/labels.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { type Breach, breachClock, breachClockText } from '../../registers/breaches.ts';
import type { RegisterServices } from '../../registers/build.ts';
import type { Disclosure } from '../../registers/disclosures.ts';
import { processorRegister } from '../../registers/processors.ts';
import { toLocalInput } from '../../registers/register-input.ts';
import { AccessPage, AdminPage, CsrfField, sendAdminPage } from './admin-layout.tsx';
import { requireRole } from './session.ts';

/**
 * The officer's registers: processors (from the policy), disclosures to authorities, and breaches
 * with their 72-hour clock. Plain forms, no script; a form with a mistake comes back with the field
 * named and nothing saved.
 */

export interface RegisterRouteDeps {
  registers: RegisterServices;
  policy: () => Policy;
  clock: Clock;
}

type Values = Record<string, string | string[] | undefined>;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const when = (iso: string | null) => (iso ? formatDateTime(iso, 'nl') : '—');
const actorOf = (request: FastifyRequest) => `user:${request.adminUser!.id}`;

function Page(props: { request: FastifyRequest; title: string; children: ComponentChildren }): VNode {
  return (
    <AdminPage title={props.title} user={props.request.adminUser!} csrf={props.request.csrfToken!} active="registers">
      <p class="muted">
        <a href="/admin/registers">Registers</a>
      </p>
      {props.children}
    </AdminPage>
  );
}

function notFoundPage(request: FastifyRequest, reply: FastifyReply, what: string) {
  return sendAdminPage(
    reply,
    AccessPage({
      title: 'Niet gevonden',
      text: `Deze ${what} bestaat niet (not found).`,
      link: { href: '/admin/registers', label: 'Naar de registers' },
      user: request.adminUser!,
      csrf: request.csrfToken!,
    }),
    404,
  );
}

/** One labelled field; the problem, when there is one, is said next to it and marks it invalid. */
function Field(props: {
  name: string;
  label: string;
  values: Values;
  problems: Record<string, string>;
  type?: 'text' | 'date' | 'datetime-local' | 'email' | 'number';
  area?: boolean;
  hint?: string;
  required?: boolean;
}) {
  const value = props.values[props.name];
  const text = typeof value === 'string' ? value : '';
  const problem = props.problems[props.name];
  const id = `f-${props.name}`;
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': problem ? (true as const) : undefined,
    'aria-describedby': problem ? `${id}-problem` : undefined,
  };
  return (
    <label for={id}>
      {props.label}
      {props.area ? (
        <textarea rows={3} {...common}>
          {text}
        </textarea>
      ) : (
        // An address as text on the e-mail keyboard: type="email" would refuse zoë@… (see request-forms.tsx).
        <input
          type={props.type === 'email' ? 'text' : ((props.type ?? 'text') as 'text')}
          inputMode={props.type === 'email' ? 'email' : undefined}
          value={text}
          {...common}
        />
      )}
      {props.hint && <span class="muted">{props.hint}</span>}
      {problem && (
        <span class="problem" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </label>
  );
}

function Check(props: { name: string; label: string; values: Values }) {
  const v = props.values[props.name];
  return (
    <label>
      <input type="checkbox" name={props.name} checked={v === 'on' || v === '1' || v === 'true'} /> {props.label}
    </label>
  );
}

function FormProblem({ problems }: { problems: Record<string, string> }) {
  const entries = Object.entries(problems);
  if (entries.length === 0) return null;
  return (
    <p class="problem" role="alert">
      Niet opgeslagen: {entries.map(([field, message]) => `${field}: ${message}`).join('; ')}
    </p>
  );
}

/** The form's problem from a domain error: the field it names and its message without the prefix. */
function problemOf(err: unknown): Record<string, string> | undefined {
  if (!(err instanceof InzageError) || err.code !== 'VALIDATION_FAILED') return undefined;
  const field = err.field ?? '_';
  return { [field]: err.message.replace(new RegExp(`^${field}: `), '') };
}

const formBody = (request: FastifyRequest): Values => {
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const { _csrf: _, ...rest } = body as Values;
  return rest;
};

// ---------- index and processors ----------

function IndexPage({ request, openBreaches }: { request: FastifyRequest; openBreaches: number }) {
  return (
    <Page request={request} title="Registers">
      <ul>
        <li>
          <a href="/admin/registers/processors">Verwerkers</a> — wie welke gegevens ontvangt, waar, en of de
          verwerkersovereenkomst rond is.
        </li>
        <li>
          <a href="/admin/registers/disclosures">Verstrekkingen aan instanties</a> — fiscaal en strafrechtelijk
          onderzoek: wat, aan wie, op welke grond, en of het is aangevochten.
        </li>
        <li>
          <a href="/admin/registers/breaches">Datalekken</a> — AVG art. 33 lid 5, met de meldtermijn van 72 uur
          {openBreaches > 0 && <strong class="status broken"> ({openBreaches} open)</strong>}.
        </li>
        <li>
          <a href="/api/v1/policy/register">Verwerkingsregister (AVG art. 30)</a> als JSON, of{' '}
          <a href="/api/v1/policy/register?format=csv">als CSV</a>.
        </li>
      </ul>
    </Page>
  );
}

function ProcessorsPage({ request, policy }: { request: FastifyRequest; policy: Policy }) {
  const entries = processorRegister(policy, 'nl');
  const attention = entries.filter((e) => e.attention.length > 0);
  return (
    <Page request={request} title="Verwerkers">
      <p class="muted">Uit het privacybeleid (policy.yaml, versie {policy.version}).</p>
      {attention.length > 0 && (
        <p class="problem" role="alert">
          Aandacht nodig: {attention.map((e) => `${e.name} (${e.attention.join(', ')})`).join('; ')}
        </p>
      )}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Partij</th>
              <th>Rol</th>
              <th>Gegevens</th>
              <th>Doelen</th>
              <th>Waar</th>
              <th>Overeenkomst</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr id={`processor-${e.id}`}>
                <td>
                  <strong>{e.name}</strong>
                  {e.legalName && <div class="muted">{e.legalName}</div>}
                  <div class="muted">{e.service}</div>
                </td>
                <td>{roleLabel(e.role, 'nl')}</td>
                <td>{e.categories.map((c) => c.name).join(', ')}</td>
                <td>{e.purposes.map((p) => p.name).join(', ') || '—'}</td>
                <td>
                  {e.locations.map((c) => countryName(c, 'nl')).join(', ') || '—'}
                  {e.transfers.length > 0 && (
                    <div class={e.transferMechanism ? 'muted' : 'status broken'}>
                      Doorgifte: {e.transferMechanism ? safeguardLabel(e.transferMechanism, 'nl') : 'geen waarborg'}
                    </div>
                  )}
                </td>
                <td>
                  <AgreementCell status={e.agreement.status} signedOn={e.agreement.signedOn} role={e.role} />
                  {e.agreement.reference && <div class="muted">{e.agreement.reference}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}

function AgreementCell(props: { status: 'signed' | 'pending' | 'none'; signedOn?: string; role: string }) {
  if (props.status === 'signed')
    return <span class="status ok">getekend{props.signedOn ? ` op ${props.signedOn}` : ''}</span>;
  if (props.status === 'pending')
    return <strong class="status broken agreement-pending">NOG NIET GETEKEND (pending)</strong>;
  return props.role === 'processor' ? (
    <strong class="status broken">geen overeenkomst</strong>
  ) : (
    <span class="muted">n.v.t. ({props.role})</span>
  );
}

// ---------- disclosures ----------

function DisclosureList({ request, items }: { request: FastifyRequest; items: Disclosure[] }) {
  return (
    <Page request={request} title="Verstrekkingen aan instanties">
      <p>
        <a href="/admin/registers/disclosures/new">Nieuwe verstrekking vastleggen</a>
      </p>
      {items.length === 0 ? (
        <p class="muted">Nog geen verstrekkingen vastgelegd.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Datum</th>
                <th>Instantie</th>
                <th>Grondslag</th>
                <th>Wat, over wie</th>
                <th>Aangevochten</th>
                <th>Uitkomst</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr>
                  <td>
                    <a href={`/admin/registers/disclosures/${d.id}`}>{d.disclosedOn}</a>
                  </td>
                  <td>{d.authority}</td>
                  <td>{d.legalBasis}</td>
                  <td>
                    {d.disclosed}
                    <div class="muted">
                      {d.about}
                      {d.requestId && (
                        <>
                          {' '}
                          · <a href={`/admin/requests/${d.requestId}`}>verzoek</a>
                        </>
                      )}
                      {d.subjectRef && ` · persoon (ref ${d.subjectRef.slice(0, 10)}…)`}
                    </div>
                  </td>
                  <td>{d.resisted ? `ja: ${d.resistance ?? ''}` : 'nee'}</td>
                  <td>{d.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function DisclosureForm(props: {
  request: FastifyRequest;
  action: string;
  values: Values;
  problems: Record<string, string>;
  existing?: Disclosure;
}) {
  const { values, problems } = props;
  const f = { values, problems };
  return (
    <Page request={props.request} title={props.existing ? 'Verstrekking bewerken' : 'Nieuwe verstrekking'}>
      <FormProblem problems={problems} />
      <form method="post" action={props.action} class="stack" novalidate>
        <CsrfField token={props.request.csrfToken!} />
        <Field name="disclosedOn" label="Datum van verstrekking" type="date" required {...f} />
        <Field name="authority" label="Instantie" hint="bv. Belastingdienst, politie, FIOD" required {...f} />
        <Field name="legalBasis" label="Wettelijke grondslag" hint="bv. art. 47 AWR, art. 126nd Sv" required {...f} />
        <Field name="disclosed" label="Wat is verstrekt" area required {...f} />
        <Field
          name="about"
          label="Over wie (in woorden)"
          area
          required
          hint="Geen e-mailadres hier; dat kan hieronder en wordt alleen als referentie bewaard."
          {...f}
        />
        <Field name="requestId" label="Verzoek (id, optioneel)" {...f} />
        <Field
          name="subjectEmail"
          label="E-mailadres van de persoon (optioneel)"
          type="email"
          hint={
            props.existing?.subjectRef
              ? 'Er is al een persoon gekoppeld; leeg laten houdt die koppeling. Alleen een sleutel-hash wordt bewaard.'
              : 'Wordt niet bewaard: alleen een sleutel-hash, zodat de persoon terug te vinden is zonder het adres op te slaan.'
          }
          {...f}
        />
        <fieldset>
          <legend>Aangevochten?</legend>
          <Check name="resisted" label="Ja, het verzoek is aangevochten of beperkt" values={values} />
          <Field name="resistance" label="Hoe" area {...f} />
        </fieldset>
        <Field name="outcome" label="Uitkomst" area required {...f} />
        <button type="submit">Opslaan</button>
      </form>
    </Page>
  );
}

const disclosureValues = (d: Disclosure): Values => ({
  disclosedOn: d.disclosedOn,
  authority: d.authority,
  legalBasis: d.legalBasis,
  disclosed: d.disclosed,
  about: d.about,
  requestId: d.requestId ?? '',
  subjectEmail: '',
  resisted: d.resisted ? 'on' : undefined,
  resistance: d.resistance ?? '',
  outcome: d.outcome,
});

// ---------- breaches ----------

function ClockCell({ breach, now }: { breach: Breach; now: Date }) {
  const clock = breachClock(breach, now);
  const text = breachClockText(clock, 'nl');
  const cls = clock.overdue ? 'status broken' : clock.notified || clock.waived ? 'status ok' : 'status';
  return (
    <span class={cls}>
      {clock.overdue || (!clock.notified && !clock.waived) ? <strong>{text}</strong> : text}
      <div class="muted">termijn: {formatDateTime(clock.deadline, 'nl')}</div>
    </span>
  );
}

function BreachList({ request, items, now }: { request: FastifyRequest; items: Breach[]; now: Date }) {
  return (
    <Page request={request} title="Datalekken">
      <p class="muted">
        Elk datalek wordt hier vastgelegd, ook als het niet gemeld hoeft te worden (AVG art. 33 lid 5). Melden bij de
        Autoriteit Persoonsgegevens binnen 72 uur na ontdekking (art. 33 lid 1).
      </p>
      <p>
        <a href="/admin/registers/breaches/new">Nieuw datalek vastleggen</a>
      </p>
      {items.length === 0 ? (
        <p class="muted">Geen datalekken vastgelegd.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Ontdekt</th>
                <th>Wat</th>
                <th>Omvang</th>
                <th>Melding AP (72 uur)</th>
                <th>Betrokkenen</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr>
                  <td>
                    <a href={`/admin/registers/breaches/${b.id}`}>{when(b.discoveredAt)}</a>
                  </td>
                  <td>
                    {b.summary}
                    <div class="muted">{b.categories.join(', ')}</div>
                  </td>
                  <td>
                    {b.peopleCount ?? '?'} personen, {b.recordsCount ?? '?'} records
                  </td>
                  <td>
                    {b.authorityNotifiedAt ? `gemeld ${when(b.authorityNotifiedAt)}` : null}
                    <ClockCell breach={b} now={now} />
                  </td>
                  <td>
                    {b.subjectsNotifiedAt
                      ? `geïnformeerd ${when(b.subjectsNotifiedAt)}`
                      : b.subjectsReason
                        ? `niet: ${b.subjectsReason}`
                        : '—'}
                  </td>
                  <td>{b.status === 'open' ? <strong>open</strong> : 'gesloten'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

function BreachForm(props: {
  request: FastifyRequest;
  action: string;
  values: Values;
  problems: Record<string, string>;
  policy: Policy;
  existing?: Breach;
  now: Date;
}) {
  const { values, problems } = props;
  const f = { values, problems };
  const chosen = new Set([values.categories ?? []].flat());
  return (
    <Page request={props.request} title={props.existing ? 'Datalek bewerken' : 'Nieuw datalek'}>
      {props.existing && (
        <p>
          Meldtermijn: <ClockCell breach={props.existing} now={props.now} />
        </p>
      )}
      <FormProblem problems={problems} />
      <form method="post" action={props.action} class="stack" novalidate>
        <CsrfField token={props.request.csrfToken!} />
        <Field
          name="discoveredAt"
          label="Ontdekt op (Nederlandse tijd)"
          type="datetime-local"
          required
          hint="De 72 uur voor de melding tellen vanaf hier."
          {...f}
        />
        <Field name="summary" label="Kort: wat is er gebeurd" required {...f} />
        <Field name="description" label="Feiten" area required {...f} />
        <fieldset>
          <legend>Soorten gegevens</legend>
          {props.policy.categories.map((c) => (
            <label>
              <input type="checkbox" name="categories" value={c.id} checked={chosen.has(c.id)} /> {c.name.nl}
            </label>
          ))}
          {problems.categories && <span class="problem">{problems.categories}</span>}
        </fieldset>
        <Field name="peopleCount" label="Aantal betrokkenen (schatting)" type="number" {...f} />
        <Field name="recordsCount" label="Aantal records (schatting)" type="number" {...f} />
        <Field name="consequences" label="Waarschijnlijke gevolgen" area required {...f} />
        <Field name="measures" label="Genomen maatregelen" area required {...f} />
        <fieldset>
          <legend>Autoriteit Persoonsgegevens</legend>
          <Field name="authorityNotifiedAt" label="Gemeld op" type="datetime-local" {...f} />
          <Field name="authorityReference" label="Meldingsnummer" {...f} />
          <Field name="authorityReason" label="Niet gemeld, omdat" area {...f} />
        </fieldset>
        <fieldset>
          <legend>Betrokkenen</legend>
          <Field name="subjectsNotifiedAt" label="Geïnformeerd op" type="datetime-local" {...f} />
          <Field name="subjectsHow" label="Hoe" area {...f} />
          <Field name="subjectsReason" label="Niet geïnformeerd, omdat" area {...f} />
        </fieldset>
        <Check name="closed" label="Afgehandeld (gesloten)" values={values} />
        <button type="submit">Opslaan</button>
      </form>
    </Page>
  );
}

const breachValues = (b: Breach): Values => ({
  discoveredAt: toLocalInput(b.discoveredAt),
  summary: b.summary,
  description: b.description,
  categories: b.categories,
  peopleCount: b.peopleCount === null ? '' : String(b.peopleCount),
  recordsCount: b.recordsCount === null ? '' : String(b.recordsCount),
  consequences: b.consequences,
  measures: b.measures,
  authorityNotifiedAt: toLocalInput(b.authorityNotifiedAt),
  authorityReference: b.authorityReference ?? '',
  authorityReason: b.authorityReason ?? '',
  subjectsNotifiedAt: toLocalInput(b.subjectsNotifiedAt),
  subjectsHow: b.subjectsHow ?? '',
  subjectsReason: b.subjectsReason ?? '',
  closed: b.status === 'closed' ? 'on' : undefined,
});

// ---------- routes ----------

export function registerRegisterRoutes(app: FastifyInstance, deps: RegisterRouteDeps): void {
  const officer = { preHandler: requireRole('officer') };
  const { disclosures, breaches } = deps.registers;
  const idOf = (request: FastifyRequest) => {
    const id = (request.params as { id?: string }).id ?? '';
    return ID.test(id) ? id : undefined;
  };

  app.get('/admin/registers', officer, async (request, reply) => {
    const open = await breaches.openBreaches();
    return sendAdminPage(reply, <IndexPage request={request} openBreaches={open.length} />);
  });

  app.get('/admin/registers/processors', officer, async (request, reply) =>
    sendAdminPage(reply, <ProcessorsPage request={request} policy={deps.policy()} />),
  );

  app.get('/admin/registers/disclosures', officer, async (request, reply) =>
    sendAdminPage(reply, <DisclosureList request={request} items={await disclosures.list()} />),
  );

  const disclosureForm = (request: FastifyRequest, values: Values, problems: Problems = {}, existing?: Disclosure) => (
    <DisclosureForm
      request={request}
      action={existing ? `/admin/registers/disclosures/${existing.id}` : '/admin/registers/disclosures'}
      values={values}
      problems={problems}
      {...(existing ? { existing } : {})}
    />
  );
  const breachForm = (request: FastifyRequest, values: Values, problems: Problems = {}, existing?: Breach) => (
    <BreachForm
      request={request}
      action={existing ? `/admin/registers/breaches/${existing.id}` : '/admin/registers/breaches'}
      values={values}
      problems={problems}
      policy={deps.policy()}
      now={deps.clock.now()}
      {...(existing ? { existing } : {})}
    />
  );

  app.get('/admin/registers/disclosures/new', officer, async (request, reply) =>
    sendAdminPage(reply, disclosureForm(request, { disclosedOn: deps.clock.now().toISOString().slice(0, 10) })),
  );

  app.post('/admin/registers/disclosures', officer, async (request, reply) => {
    const values = formBody(request);
    return saveOrShowAgain(
      reply,
      () => disclosures.create(values, actorOf(request)),
      (problems) => disclosureForm(request, values, problems),
      '/admin/registers/disclosures',
    );
  });

  app.get('/admin/registers/disclosures/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await disclosures.get(id) : undefined;
    if (!existing) return notFoundPage(request, reply, 'verstrekking');
    return sendAdminPage(reply, disclosureForm(request, disclosureValues(existing), {}, existing));
  });

  app.post('/admin/registers/disclosures/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await disclosures.get(id) : undefined;
    if (!existing) return notFoundPage(request, reply, 'verstrekking');
    const values = formBody(request);
    return saveOrShowAgain(
      reply,
      () => disclosures.update(existing.id, values, actorOf(request)),
      (problems) => disclosureForm(request, values, problems, existing),
      '/admin/registers/disclosures',
    );
  });

  app.get('/admin/registers/breaches', officer, async (request, reply) =>
    sendAdminPage(reply, <BreachList request={request} items={await breaches.list()} now={deps.clock.now()} />),
  );

  app.get('/admin/registers/breaches/new', officer, async (request, reply) =>
    sendAdminPage(reply, breachForm(request, { discoveredAt: toLocalInput(deps.clock.now().toISOString()) })),
  );

  app.post('/admin/registers/breaches', officer, async (request, reply) => {
    const values = formBody(request);
    return saveOrShowAgain(
      reply,
      () => breaches.create(values, actorOf(request)),
      (problems) => breachForm(request, values, problems),
      '/admin/registers/breaches',
    );
  });

  app.get('/admin/registers/breaches/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await breaches.get(id) : undefined;
    if (!existing) return notFoundPage(request, reply, 'melding');
    return sendAdminPage(reply, breachForm(request, breachValues(existing), {}, existing));
  });

  app.post('/admin/registers/breaches/:id', officer, async (request, reply) => {
    const id = idOf(request);
    const existing = id ? await breaches.get(id) : undefined;
    if (!existing) return notFoundPage(request, reply, 'melding');
    const values = formBody(request);
    return saveOrShowAgain(
      reply,
      () => breaches.update(existing.id, values, actorOf(request)),
      (problems) => breachForm(request, values, problems, existing),
      '/admin/registers/breaches',
    );
  });
}

type Problems = Record<string, string>;

/** Saves a register form, or shows it again (400) with its problems named; any other error is a real one. */
async function saveOrShowAgain(
  reply: FastifyReply,
  save: () => Promise<unknown>,
  formWith: (problems: Problems) => VNode,
  then: string,
) {
  try {
    await save();
  } catch (err) {
    const problems = problemOf(err);
    if (!problems) throw err;
    return sendAdminPage(reply, formWith(problems), 400);
  }
  return reply.redirect(then, 303);
}
