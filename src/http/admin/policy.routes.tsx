import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import type { Clock } from '../../lib/clock.ts';
import { InzageError } from '../../lib/errors.ts';
import { formatDateTime } from '../../notify/templates/words.ts';
import { describeChange } from '../../policy/diff.ts';
import type { NotifyProgress } from '../../policy/notify.ts';
import { type PolicyVersion, type PublishPreview, parseEffectiveDate, versionState } from '../../policy/versions.ts';
import type { RegisterServices } from '../../registers/build.ts';
import { AdminPage, CsrfField, sendAdminPage } from './admin-layout.tsx';
import { categoryNames } from './policy-editor-pages.tsx';
import { requireRole } from './session.ts';

/**
 * /admin/policy (officer): the published versions with their notification's progress, and a preview
 * of publishing the policy file as it is now: lint errors, or what changed and who will be told.
 */

export interface PolicyAdminDeps {
  registers: RegisterServices;
  clock: Clock;
}

const STATE = { pending: 'gaat in', 'in-force': 'geldt nu', superseded: 'vervangen' } as const;
const NOTIFY = { none: '—', queued: 'wacht', sending: 'bezig', done: 'klaar' } as const;

function VersionsTable({
  versions,
  progress,
  now,
}: {
  versions: PolicyVersion[];
  progress: Map<string, NotifyProgress>;
  now: Date;
}) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Versie</th>
            <th>Geldig vanaf</th>
            <th>Tot</th>
            <th>Status</th>
            <th>Wijziging</th>
            <th>Bericht aan betrokkenen</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const p = progress.get(v.id);
            return (
              <tr id={`version-${v.number}`}>
                <td>
                  <a href={`/privacy/versions/${v.number}`}>
                    {v.number} ({v.label})
                  </a>
                </td>
                <td>{formatDateTime(v.effectiveAt, 'nl')}</td>
                <td>{v.supersededAt ? formatDateTime(v.supersededAt, 'nl') : '—'}</td>
                <td>{STATE[versionState(v, now)]}</td>
                <td>
                  {v.diff === null ? (
                    'eerste versie'
                  ) : v.material ? (
                    <strong>verwerking gewijzigd</strong>
                  ) : (
                    'alleen tekst'
                  )}
                </td>
                <td class="notify-progress">
                  {NOTIFY[p?.status ?? v.notify.status]}
                  {(p ?? v.notify.status !== 'none') && (
                    <>
                      {' '}
                      · {p?.affected ?? v.notify.affected} betrokken, {p?.sent ?? v.notify.sent} verstuurd
                      {p && p.failed > 0 ? `, ${p.failed} mislukt` : ''}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Preview(props: {
  preview: PublishPreview | { ok: false; reason: 'unreadable' };
  file: string;
  csrf: string;
  problem?: string;
  effective: string;
  perMinute?: number;
}) {
  const { preview } = props;
  const problem = props.problem && (
    <p class="problem" role="alert">
      Niet gepubliceerd: {props.problem}
    </p>
  );
  if (!preview.ok)
    return (
      <>
        {problem}
        <PreviewRefused preview={preview} file={props.file} />
      </>
    );
  return <PreviewChanges {...props} preview={preview} problem={problem} />;
}

function PreviewRefused(props: {
  preview: Exclude<PublishPreview, { ok: true }> | { ok: false; reason: 'unreadable' };
  file: string;
}) {
  const { preview } = props;
  if (preview.reason === 'unreadable')
    return (
      <p class="problem">
        Het beleidsbestand <code>{props.file}</code> is niet te lezen.
      </p>
    );
  if (preview.reason === 'invalid') {
    return (
      <>
        <p class="problem" role="alert">
          Het beleidsbestand heeft fouten; los ze op voor het publiceren (inzage policy lint):
        </p>
        <ul>
          {preview.findings.map((f) => (
            <li>
              {f.line ? `regel ${f.line}: ` : ''}
              <code>{f.rule}</code> {f.path}: {f.message}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <p class="muted">
      Niets veranderd: het beleidsbestand is gelijk aan versie {preview.against}. Pas <code>{props.file}</code> aan om
      een nieuwe versie te publiceren.
    </p>
  );
}

function PreviewChanges(props: {
  preview: Extract<PublishPreview, { ok: true }>;
  csrf: string;
  problem: VNode | undefined | '' | false;
  effective: string;
  perMinute?: number;
}) {
  const { preview } = props;
  const diff = preview.diff;
  const next = (preview.against?.number ?? 0) + 1;
  const notifies = diff?.material && preview.policy.changes.notifyAffectedByEmail;
  return (
    <>
      {diff ? (
        <ul class="changes">
          {diff.changes.map((c) => (
            <li>
              {c.material ? <strong>verwerking: </strong> : <span class="muted">tekst: </span>}
              {describeChange(c, 'nl', diff.names)}
            </li>
          ))}
        </ul>
      ) : (
        <p>Er is nog geen gepubliceerde versie; dit wordt versie 1.</p>
      )}
      <p>
        {notifies ? (
          <strong>
            Na publicatie krijgt iedereen met gegevens in {categoryNames(diff!)} een e-mail
            {props.perMinute ? ` (hoogstens ${props.perMinute} per minuut)` : ''}.
          </strong>
        ) : (
          'Alleen tekstuele wijzigingen: niemand krijgt een e-mail.'
        )}
      </p>
      {props.problem}
      <form method="post" action="/admin/policy/publish" class="stack">
        <CsrfField token={props.csrf} />
        <label for="effective">
          Geldig vanaf (leeg: nu)
          <input id="effective" type="date" name="effective" value={props.effective} />
        </label>
        <button type="submit">Publiceer als versie {next}</button>
      </form>
    </>
  );
}

export function registerPolicyAdminRoutes(app: FastifyInstance, deps: PolicyAdminDeps): void {
  const { registers } = deps;
  const officer = { preHandler: requireRole('officer') };

  const readFile = () => {
    try {
      return readFileSync(registers.policyFile, 'utf8');
    } catch {
      return undefined;
    }
  };

  const page = async (
    request: FastifyRequest,
    options: { problem?: string; effective?: string; message?: ComponentChildren } = {},
  ) => {
    await registers.ensureFirstVersion();
    const versions = await registers.policyVersions.list();
    const progress = new Map<string, NotifyProgress>();
    for (const v of versions) {
      if (v.notify.status === 'queued' || v.notify.status === 'sending')
        progress.set(v.id, await registers.policyNotifier.progress(v.id));
    }
    const yaml = readFile();
    const preview =
      yaml === undefined
        ? ({ ok: false, reason: 'unreadable' } as const)
        : await registers.policyVersions.preview(yaml);
    return (
      <AdminPage title="Beleid" user={request.adminUser!} csrf={request.csrfToken!} active="policy">
        {options.message && (
          <p class="notice" role="status">
            {options.message}
          </p>
        )}
        <p>
          <a href="/admin/policy/edit">Beleid bewerken</a> (de teksten en lijsten in een formulier, of het bestand als
          YAML), met controle, voorbeeld en wat er verandert.
        </p>
        <h2>Versies</h2>
        <p class="muted">
          Openbaar op <a href="/privacy/versions">/privacy/versions</a>.
        </p>
        <VersionsTable versions={versions} progress={progress} now={deps.clock.now()} />
        <h2>Publiceren</h2>
        <p class="muted">
          Het beleidsbestand <code>{registers.policyFile}</code>, vergeleken met de laatste versie:
        </p>
        <Preview
          preview={preview}
          file={registers.policyFile}
          csrf={request.csrfToken!}
          problem={options.problem}
          effective={options.effective ?? ''}
          perMinute={registers.notifyPerMinute}
        />
      </AdminPage>
    );
  };

  app.get('/admin/policy', officer, async (request, reply) => {
    const q = request.query as { saved?: string; published?: string };
    const message =
      q.saved === '1' ? (
        <>
          Opgeslagen in <code>{registers.policyFile}</code>. Hieronder staat wat er verandert; publiceer als het klopt.
        </>
      ) : q.published && /^\d{1,7}$/.test(q.published) ? (
        `Gepubliceerd als versie ${q.published}.`
      ) : undefined;
    return sendAdminPage(reply, await page(request, { message }));
  });

  app.post('/admin/policy/publish', officer, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const raw = typeof body.effective === 'string' ? body.effective.trim() : '';
    const now = deps.clock.now();
    const effective = raw ? parseEffectiveDate(raw, now) : undefined;
    if (raw && !effective)
      return sendAdminPage(
        reply,
        await page(request, { problem: 'effective: geen geldige datum', effective: raw }),
        400,
      );
    const yaml = readFile();
    if (yaml === undefined)
      return sendAdminPage(reply, await page(request, { problem: 'het beleidsbestand is niet te lezen' }), 500);
    let published: PolicyVersion;
    try {
      await registers.ensureFirstVersion();
      published = await registers.policyVersions.publish({
        yaml,
        effective,
        actor: `user:${request.adminUser!.id}`,
        file: registers.policyFile,
      });
    } catch (err) {
      if (!(err instanceof InzageError)) throw err;
      return sendAdminPage(reply, await page(request, { problem: err.message, effective: raw }), err.status);
    }
    return reply.redirect(`/admin/policy?published=${published.number}`, 303);
  });
}
