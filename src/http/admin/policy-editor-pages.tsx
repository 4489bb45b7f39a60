import type * as diffTypes from 'diff';
import type { VNode } from 'preact';
import { formatPath } from '../../config/yaml-file.ts';
import { lazily } from '../../lib/lazy-require.ts';
import { describeChange } from '../../policy/diff.ts';
import type { Finding } from '../../policy/lint.ts';
import type { DraftCheck } from '../../policy/policy-editor.ts';
import { type PolicyField, textForForm } from '../../policy/policy-form.ts';
import { renderPolicyBody } from '../../policy/render.ts';
import { CsrfField } from './admin-layout.tsx';
import { groupLabel, groupOf, LANG_LABEL, placeLabel, SEVERITY } from './policy-editor-words.ts';

/** The policy editor's pages (routes in policy-editor.routes.tsx): the results of a check, and the two forms. */

// The line diff is loaded when the policy editor first shows one.
const diff = lazily<typeof diffTypes>('diff');
export const EDITOR_CSS_PATH = '/assets/policy-editor.css';
export type EditorMode = 'form' | 'yaml';

const fieldId = (key: string) => `f-${key.replace(/\//g, '-')}`;
const where = (f: Finding) => (f.line ? `regel ${f.line}${f.column ? `:${f.column}` : ''}` : 'bestand');

/** One finding in words, with its place in the file and the law that says why. */
function FindingText({ f }: { f: Finding }) {
  return (
    <>
      <strong>{SEVERITY[f.severity]}</strong> · {where(f)}
      {f.path ? (
        <>
          {' '}
          · <code>{f.path}</code>
        </>
      ) : null}
      : {f.message}
      {f.reference ? ` (${f.reference})` : ''} <span class="muted">[{f.rule}]</span>
    </>
  );
}

/** The findings, each with its line of the file beside its number, so it is found without a line counter. */
function Findings({ check, fields }: { check: DraftCheck; fields?: PolicyField[] }) {
  if (check.findings.length === 0) return <p class="status ok">Geen fouten en geen waarschuwingen.</p>;
  const lines = check.text.split('\n');
  const anchor = (f: Finding) =>
    fields?.find((x) => formatPath(x.path) === f.path || formatPath(x.path).startsWith(`${f.path}.`));
  return (
    <ol class="findings">
      {check.findings.map((f) => {
        const field = anchor(f);
        return (
          <li class={f.severity}>
            {field ? (
              <a href={`#${fieldId(field.key)}`}>
                <FindingText f={f} />
              </a>
            ) : (
              <FindingText f={f} />
            )}
            {f.line && lines[f.line - 1] !== undefined && (
              <pre class="excerpt">
                <span class="ln">{f.line}</span> {lines[f.line - 1]}
              </pre>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** What saving would change in the file, line by line, with the line numbers of the file after saving. */
export function FileChanges({ before, after, file }: { before: string; after: string; file: string }) {
  const patch = diff().structuredPatch(file, file, before, after, '', '', { context: 1 });
  if (patch.hunks.length === 0) return <p class="muted">Het bestand verandert niet.</p>;
  return (
    <section class="file-diff" aria-label="Wijzigingen in het bestand" tabindex={0}>
      {patch.hunks.map((h) => {
        let line = h.newStart;
        return (
          <pre>
            {h.lines.map((l) => {
              const sign = l[0];
              const n = sign === '-' ? '' : String(line++);
              const kind = sign === '+' ? 'add' : sign === '-' ? 'del' : 'ctx';
              return (
                <span class={kind}>
                  <span class="ln">{n}</span>
                  {sign === '+' ? '+ ' : sign === '-' ? '− ' : '  '}
                  {l.slice(1)}
                  {'\n'}
                </span>
              );
            })}
          </pre>
        );
      })}
    </section>
  );
}

/** The affected categories by their Dutch names, as the policy calls them. */
export const categoryNames = (diff: NonNullable<DraftCheck['diff']>): string =>
  diff.affectedCategories.map((id) => diff.names[id]?.nl.toLowerCase() ?? id).join(', ');

/** What changes in processing against the latest version, as the publish page will say it. */
function ProcessingChanges({ check }: { check: DraftCheck }) {
  if (!check.policy)
    return <p class="muted">Het voorbeeld en de wijzigingen verschijnen als het bestand te lezen is.</p>;
  if (check.unchanged)
    return <p class="muted">Gelijk aan versie {check.against}: er is niets nieuws om te publiceren.</p>;
  const diff = check.diff;
  if (!diff) return <p>Er is nog geen gepubliceerde versie; dit wordt versie 1.</p>;
  const material = diff.changes.filter((c) => c.material);
  const editorial = diff.changes.filter((c) => !c.material);
  return (
    <>
      <p>Vergeleken met versie {check.against}:</p>
      {material.length > 0 && (
        <>
          <h4>Verandert de verwerking</h4>
          <ul class="changes">
            {material.map((c) => (
              <li>{describeChange(c, 'nl', diff.names)}</li>
            ))}
          </ul>
        </>
      )}
      {editorial.length > 0 && (
        <>
          <h4>Alleen tekst</h4>
          <ul class="changes">
            {editorial.map((c) => (
              <li>{describeChange(c, 'nl', diff.names)}</li>
            ))}
          </ul>
        </>
      )}
      <p>
        {diff.material && check.policy.changes.notifyAffectedByEmail
          ? `Na publicatie krijgt iedereen met gegevens in ${categoryNames(diff)} een e-mail.`
          : 'Niemand krijgt hierover een e-mail.'}
      </p>
    </>
  );
}

/** The results of a check: findings, changes in the file and in processing, and the policy as it would read. */
export function CheckResults(props: {
  check: DraftCheck;
  fields?: PolicyField[];
  fileBefore: string;
  file: string;
  /** After the officer sent the form: then what it changes in the file is shown, even when nothing. */
  submitted: boolean;
}) {
  const { check } = props;
  const summary =
    check.errors + check.warnings === 0
      ? 'Het beleid is in orde.'
      : `${check.errors} ${check.errors === 1 ? 'fout' : 'fouten'}, ${check.warnings} ${check.warnings === 1 ? 'waarschuwing' : 'waarschuwingen'}.`;
  return (
    <section class="results" aria-labelledby="results">
      <h2 id="results">Controle</h2>
      <p role="status" class={check.errors > 0 ? 'problem' : 'notice'}>
        {summary}
        {check.errors > 0 && !check.policy ? ' Zo kan het bestand niet worden opgeslagen.' : ''}
        {check.errors > 0 && check.policy ? ' Opslaan kan; publiceren pas als de fouten zijn opgelost.' : ''}
      </p>
      <Findings check={check} fields={props.fields} />
      {props.submitted && (
        <>
          <h3>Wat er in het bestand verandert</h3>
          <FileChanges before={props.fileBefore} after={check.text} file={props.file} />
        </>
      )}
      <h3>Wat er verandert in de verwerking</h3>
      <ProcessingChanges check={check} />
      {check.policy && (
        <>
          <h3>Voorbeeld</h3>
          <details class="preview">
            <summary>Zo leest het beleid (Nederlands)</summary>
            <div class="policy-preview">{renderPolicyBody(check.policy, 'nl', PREVIEW('nl'))}</div>
          </details>
          <details class="preview">
            <summary>Zo leest het beleid (English)</summary>
            <div class="policy-preview" lang="en">
              {renderPolicyBody(check.policy, 'en', PREVIEW('en'))}
            </div>
          </details>
        </>
      )}
    </section>
  );
}

/** Two previews on one page: ids of their own, and their sections no landmarks (their names repeat). */
const PREVIEW = (lang: 'nl' | 'en') => ({ idPrefix: `preview-${lang}-`, regions: false });

const rowsFor = (value: string) => Math.min(14, Math.max(2, Math.ceil(value.length / 80) + value.split('\n').length));

function FieldInput({ field, label, changed }: { field: PolicyField; label: string; changed: boolean }) {
  const id = fieldId(field.key);
  if (changed) label = `${label} (gewijzigd)`;
  if (field.kind === 'list') {
    return (
      <label for={id} class={changed ? 'changed' : undefined}>
        {label} <span class="muted">(met komma's ertussen)</span>
        <input type="text" id={id} name={`l:${field.key}`} value={(field.value as string[]).join(', ')} />
      </label>
    );
  }
  const value = field.value as string;
  return (
    <label for={id} class={changed ? 'changed' : undefined}>
      {label}
      {field.long ? (
        <textarea id={id} name={`f:${field.key}`} rows={rowsFor(value)} lang={field.lang}>
          {textForForm(value)}
        </textarea>
      ) : (
        <input type="text" id={id} name={`f:${field.key}`} value={value} lang={field.lang} />
      )}
    </label>
  );
}

/** A group's fields; a text in Dutch and English is one fieldset with both. */
function GroupFields(props: { fields: PolicyField[]; data: unknown; findings: Finding[]; changed: Set<string> }) {
  const { fields, data, findings, changed } = props;
  const out: VNode[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const next = fields[i + 1];
    const place = placeLabel(f.path, data);
    const own = findings.filter((x) => x.path === formatPath(f.path) || x.path === formatPath(f.path.slice(0, -1)));
    const notes = own.map((x) => (
      <p class={`field-note ${x.severity}`}>
        {SEVERITY[x.severity]}: {x.message}
      </p>
    ));
    if (f.lang === 'nl' && next?.lang === 'en' && next.key === f.key.replace(/nl$/, 'en')) {
      out.push(
        <fieldset class="pair">
          <legend>{place}</legend>
          {notes}
          <FieldInput field={f} label={LANG_LABEL.nl} changed={changed.has(f.key)} />
          <FieldInput field={next} label={LANG_LABEL.en} changed={changed.has(next.key)} />
        </fieldset>,
      );
      i++;
    } else {
      out.push(
        <div class="single">
          {notes}
          <FieldInput
            field={f}
            label={f.lang ? `${place} (${LANG_LABEL[f.lang]})` : place}
            changed={changed.has(f.key)}
          />
        </div>,
      );
    }
  }
  return <>{out}</>;
}

export interface EditorFormProps {
  mode: EditorMode;
  csrf: string;
  base: string;
  file: string;
  /** The draft's text (YAML mode) and its fields (form mode). */
  text: string;
  fields: PolicyField[];
  data: unknown;
  findings: Finding[];
  /** The keys of fields whose value differs from the file's: their parts of the form open. */
  changed: Set<string>;
}

/** The form: the policy's texts and lists by part of the policy, or the whole file as YAML. */
export function EditorForm(props: EditorFormProps) {
  const groups = new Map<string, PolicyField[]>();
  for (const f of props.fields) groups.set(groupOf(f), [...(groups.get(groupOf(f)) ?? []), f]);
  return (
    <form method="post" action="/admin/policy/edit" class="editor">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="mode" value={props.mode} />
      <input type="hidden" name="base" value={props.base} />
      {props.mode === 'yaml' ? (
        <label for="yaml" class="yaml">
          Het beleidsbestand <code>{props.file}</code>
          <textarea id="yaml" name="yaml" rows={30} spellcheck={false} wrap="off">
            {props.text}
          </textarea>
        </label>
      ) : (
        [...groups].map(([group, fields]) => {
          const findings = props.findings.filter((x) => x.path.split(/[.[]/)[0] === group);
          return (
            <details
              class="group"
              open={findings.some((x) => x.severity === 'error') || fields.some((f) => props.changed.has(f.key))}
            >
              <summary>
                {groupLabel(group)} <span class="muted">({fields.length})</span>
              </summary>
              <GroupFields fields={fields} data={props.data} findings={findings} changed={props.changed} />
            </details>
          );
        })
      )}
      <div class="actions">
        <button type="submit" name="action" value="check">
          Controleren
        </button>
        <button type="submit" name="action" value="save">
          Opslaan
        </button>
      </div>
    </form>
  );
}
