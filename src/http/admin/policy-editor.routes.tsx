import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasControlCharacters } from '../../lib/text-input.ts';
import { yaml } from '../../lib/yaml.ts';
import { type DraftCheck, PolicyEditor } from '../../policy/policy-editor.ts';
import { formEdits } from '../../policy/policy-form.ts';
import type { AuditRecorder } from '../../policy/versions.ts';
import type { RegisterServices } from '../../registers/build.ts';
import { AdminPage, sendAdminPage } from './admin-layout.tsx';
import { CheckResults, EDITOR_CSS_PATH, EditorForm, type EditorMode } from './policy-editor-pages.tsx';
import { LANG_LABEL, placeLabel } from './policy-editor-words.ts';
import { requireRole } from './session.ts';

/**
 * /admin/policy/edit (officer): the policy file edited as a form of its texts and lists, or as YAML.
 * "Controleren" shows the lint findings by line, what changes in the file and in processing against
 * the latest version, and the policy as it would read; "Opslaan" writes the file (atomically, refused
 * when it changed meanwhile or would not load). Publishing is then /admin/policy, as before. Every POST
 * carries the session's CSRF token (checked by the admin hook for all of /admin).
 */

export interface PolicyEditorRouteDeps {
  registers: RegisterServices;
  audit?: AuditRecorder;
}

const EDITOR_CSS = readFileSync(new URL('./policy-editor.css', import.meta.url), 'utf8');

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The field of the sent form that holds a control character, in words; undefined when none does. Such
 * characters are refused everywhere (src/lib/text-input.ts): the file would carry them to every page.
 */
function controlCharacterField(body: Body, text: string): string | undefined {
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string' || !hasControlCharacters(value, { multiline: true })) continue;
    if (name === 'yaml') return 'het YAML-bestand';
    const path = name
      .slice(2)
      .split('/')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const lang = path.at(-1) === 'nl' || path.at(-1) === 'en' ? ` (${LANG_LABEL[path.at(-1) as 'nl' | 'en']})` : '';
    return `het veld "${placeLabel(path, yaml().parseDocument(text).toJS())}${lang}"`;
  }
  return undefined;
}

export function registerPolicyEditorRoutes(app: FastifyInstance, deps: PolicyEditorRouteDeps): void {
  const { registers } = deps;
  const editor = new PolicyEditor({
    file: registers.policyFile,
    versions: registers.policyVersions,
    audit: deps.audit,
  });
  const officer = { preHandler: requireRole('officer') };

  app.get(EDITOR_CSS_PATH, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(EDITOR_CSS),
  );

  const show = (
    request: FastifyRequest,
    reply: FastifyReply,
    view: { mode: EditorMode; base: string; check: DraftCheck; fileBefore: string; problem?: string; status?: number },
  ) => {
    const { mode, check } = view;
    const fields = mode === 'form' ? editor.fields(check.text) : [];
    const before = new Map(editor.fields(view.fileBefore).map((f) => [f.key, JSON.stringify(f.value)]));
    const changed = new Set(fields.filter((f) => before.get(f.key) !== JSON.stringify(f.value)).map((f) => f.key));
    const data = mode === 'form' ? yaml().parseDocument(check.text).toJS() : undefined;
    const tab = (m: EditorMode, label: string) => (
      <a href={`/admin/policy/edit${m === 'yaml' ? '?mode=yaml' : ''}`} aria-current={m === mode ? 'page' : undefined}>
        {label}
      </a>
    );
    return sendAdminPage(
      reply,
      <AdminPage title="Beleid bewerken" user={request.adminUser!} csrf={request.csrfToken!} active="policy">
        <link rel="stylesheet" href={EDITOR_CSS_PATH} />
        <p class="muted">
          Het bestand <code>{editor.file}</code> is de bron van het beleid: opslaan schrijft uw wijzigingen daarin
          terug. Publiceren als nieuwe versie doet u daarna op <a href="/admin/policy">Beleid</a>.
        </p>
        <nav class="tabs" aria-label="Manier van bewerken">
          {tab('form', 'Formulier')}
          {tab('yaml', 'YAML')}
        </nav>
        {view.problem && (
          <p class="problem" role="alert">
            {view.problem}
          </p>
        )}
        <CheckResults
          check={check}
          fields={fields}
          fileBefore={view.fileBefore}
          file={editor.file}
          submitted={request.method === 'POST'}
        />
        <h2>Bewerken</h2>
        <EditorForm
          mode={mode}
          csrf={request.csrfToken!}
          base={view.base}
          file={editor.file}
          text={check.text}
          fields={fields}
          data={data}
          findings={check.findings}
          changed={changed}
        />
      </AdminPage>,
      view.status ?? 200,
    );
  };

  const unreadable = (request: FastifyRequest, reply: FastifyReply) =>
    sendAdminPage(
      reply,
      <AdminPage title="Beleid bewerken" user={request.adminUser!} csrf={request.csrfToken!} active="policy">
        <p class="problem">
          Het beleidsbestand <code>{editor.file}</code> is niet te lezen.
        </p>
      </AdminPage>,
      500,
    );

  app.get('/admin/policy/edit', officer, async (request, reply) => {
    const mode: EditorMode = (request.query as { mode?: string }).mode === 'yaml' ? 'yaml' : 'form';
    await registers.ensureFirstVersion();
    const file = editor.read();
    if (!file) return unreadable(request, reply);
    return show(request, reply, { mode, base: file.hash, check: await editor.check(file.text), fileBefore: file.text });
  });

  app.post('/admin/policy/edit', officer, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const mode: EditorMode = body.mode === 'yaml' ? 'yaml' : 'form';
    const base = str(body.base) ?? '';
    await registers.ensureFirstVersion();
    const file = editor.read();
    if (!file) return unreadable(request, reply);
    const refused = controlCharacterField(body, file.text);
    if (refused) {
      return show(request, reply, {
        mode,
        base: file.hash,
        check: await editor.check(file.text),
        fileBefore: file.text,
        problem: `Niet gecontroleerd en niet opgeslagen: ${refused} bevat een stuurteken (zoals NUL); tab en nieuwe regel mogen wel.`,
        status: 400,
      });
    }
    const draft =
      mode === 'yaml'
        ? (str(body.yaml) ?? '').replace(/\r\n?/g, '\n')
        : editor.applyEdits(file.text, formEdits(editor.fields(file.text), body));
    if (body.action !== 'save') {
      const stale = base !== file.hash;
      return show(request, reply, {
        mode,
        base,
        check: await editor.check(draft),
        fileBefore: file.text,
        problem: stale
          ? 'Let op: het bestand is gewijzigd sinds u deze pagina opende; opslaan wordt geweigerd.'
          : undefined,
      });
    }
    const saved = await editor.save({ text: draft, base, actor: `user:${request.adminUser!.id}`, mode });
    if (saved.ok) return reply.redirect('/admin/policy?saved=1', 303);
    if (saved.reason === 'invalid') {
      return show(request, reply, {
        mode,
        base,
        check: saved.check,
        fileBefore: file.text,
        problem: 'Niet opgeslagen: zo is het bestand niet te lezen als beleid. Los de fouten hieronder op.',
        status: 400,
      });
    }
    // Changed meanwhile: nothing written. The officer's draft stays, compared with the file as it is now;
    // saving again (deliberately) writes it over the other change.
    return show(request, reply, {
      mode,
      base: saved.current.hash,
      check: saved.check,
      fileBefore: saved.current.text,
      problem:
        'Niet opgeslagen: het bestand is gewijzigd sinds u deze pagina opende. Hieronder staat wat uw versie ' +
        'daarin zou veranderen; sla opnieuw op om het toch te schrijven, of open de pagina opnieuw.',
      status: 409,
    });
  });
}
