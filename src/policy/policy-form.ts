import type { Document, Node, Pair } from 'yaml';
import type { z } from 'zod';
import { yaml } from '../lib/yaml.ts';
import { Policy } from './policy.schema.ts';

/**
 * The policy file as a form: every text and every list in it, found by walking the YAML document
 * against the policy's schema (so a new field in the schema is editable without a change here), and
 * edits written back into the same text. Written back by splicing: only the edited values' own
 * characters change, so comments, key order, quoting and line folding elsewhere stay exactly as the
 * integrator wrote them. Each splice is checked by parsing the result; where it would not give the same
 * data, the yaml library's Document API writes the file instead (which also keeps the comments).
 */

export type PolicyPath = ReadonlyArray<string | number>;

export interface PolicyField {
  /** A stable name for the form: the path, `processors/3/purpose/nl`. */
  key: string;
  path: PolicyPath;
  /** `text`: one string (a paragraph per line); `list`: ids or codes, written comma-separated in the form. */
  kind: 'text' | 'list';
  /** The language of a translated text, when it is one. */
  lang?: 'nl' | 'en';
  value: string | string[];
  /** A multi-line text (the policy's prose) rather than a name, address or date. */
  long: boolean;
}

export const fieldKey = (path: PolicyPath): string => path.join('/');

type AnySchema = z.ZodType;
const def = (s: AnySchema) => (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;

/** The schema without its optional, default and transform wrappers. */
function unwrap(s: AnySchema): AnySchema {
  for (let i = 0; i < 10; i++) {
    const d = def(s);
    if (['optional', 'default', 'nullable', 'prefault', 'catch', 'readonly'].includes(d.type))
      s = d.innerType as AnySchema;
    else if (d.type === 'pipe') s = d.in as AnySchema;
    else return s;
  }
  return s;
}

/** The schema of the value at `path`, or undefined where the schema has no such place. */
function schemaAt(path: PolicyPath): AnySchema | undefined {
  let s: AnySchema | undefined = Policy;
  for (const segment of path) {
    if (!s) return undefined;
    const d = def(unwrap(s));
    if (d.type === 'object' && typeof segment === 'string') s = (d.shape as Record<string, AnySchema>)[segment];
    else if (d.type === 'array' && typeof segment === 'number') s = d.element as AnySchema;
    else if (d.type === 'union') {
      // The object branch of a union (a cookie's lifetime: 'session' or a term).
      const objects = (d.options as AnySchema[]).filter((o) => def(unwrap(o)).type === 'object');
      s =
        objects.length === 1 && typeof segment === 'string'
          ? (def(unwrap(objects[0]!)).shape as never)[segment]
          : undefined;
    } else return undefined;
  }
  return s;
}

const isText = (s: AnySchema): boolean => {
  const d = def(unwrap(s));
  if (d.type === 'string') return true;
  // The version label: a string, or a number that becomes one.
  return (
    d.type === 'union' && (d.options as AnySchema[]).every((o) => ['string', 'number'].includes(def(unwrap(o)).type))
  );
};
const isList = (s: AnySchema): boolean => {
  const d = def(unwrap(s));
  return d.type === 'array' && ['string', 'enum'].includes(def(unwrap(d.element as AnySchema)).type);
};

/**
 * Every text and list in the policy text, in document order. Ids are left out: other parts refer to
 * them, so they are changed in the YAML, where the linter checks every reference at once.
 */
export function policyFields(text: string): PolicyField[] {
  const doc = yaml().parseDocument(text);
  if (doc.errors.length > 0) return [];
  const fields: PolicyField[] = [];
  const visit = (node: unknown, path: (string | number)[]) => {
    const schema = schemaAt(path);
    if (!schema) return;
    const last = path.at(-1);
    if (yaml().isScalar(node) && isText(schema) && last !== 'id' && node.value !== null) {
      const lang = last === 'nl' || last === 'en' ? last : undefined;
      const value = String(node.value);
      fields.push({ key: fieldKey(path), path: [...path], kind: 'text', lang, value, long: !!lang });
    } else if (yaml().isSeq(node) && isList(schema) && node.items.every((item) => yaml().isScalar(item))) {
      const value = node.items.map((i) => String((i as { value: unknown }).value));
      fields.push({ key: fieldKey(path), path: [...path], kind: 'list', value, long: false });
    } else if (yaml().isMap(node)) {
      for (const pair of node.items)
        if (yaml().isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
    } else if (yaml().isSeq(node)) {
      node.items.forEach((item, i) => {
        visit(item, [...path, i]);
      });
    }
  };
  visit(doc.contents, []);
  return fields;
}

/** A text as the form shows it: paragraphs apart by a blank line. */
export const textForForm = (value: string): string => value.split('\n').join('\n\n');

/** A text from the form: paragraphs split on blank lines, each on one line, as the folded YAML keeps them. */
export function textFromForm(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** A list from the form: `myonlinestore, mollie` or one per line. */
export const listFromForm = (value: string): string[] =>
  value
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter(Boolean);

export type FieldEdit = { path: PolicyPath; value: string | string[] };

/** The form's fields that differ from the file's: only those are written, so nothing else moves. */
export function formEdits(fields: readonly PolicyField[], body: Record<string, unknown>): FieldEdit[] {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const edits: FieldEdit[] = [];
  for (const f of fields) {
    if (f.kind === 'list') {
      const raw = str(body[`l:${f.key}`]);
      if (raw === undefined) continue;
      const value = listFromForm(raw);
      if (value.join('\n') !== (f.value as string[]).join('\n')) edits.push({ path: f.path, value });
      continue;
    }
    const raw = str(body[`f:${f.key}`]);
    if (raw === undefined) continue;
    const value = f.long ? textFromForm(raw) : raw.replace(/\s+/g, ' ').trim();
    // The file's text as the form showed it and would send it back untouched.
    const before = f.long ? textFromForm(textForForm(f.value as string)) : (f.value as string);
    if (value !== before) edits.push({ path: f.path, value });
  }
  return edits;
}

/** The file's texts are folded at about this width, as the example is written. */
const LINE_WIDTH = 110;

/**
 * Writes the edits into the policy text. Splices each value in place where that is exactly right;
 * otherwise rewrites through the Document API. Never changes anything but the edited values' data.
 */
export function applyPolicyEdits(text: string, edits: readonly FieldEdit[]): string {
  if (edits.length === 0) return text;
  const expected = yaml().parseDocument(text);
  for (const e of edits) setValue(expected, e.path, e.value);
  const spliced = splice(text, edits);
  if (spliced !== undefined) {
    const check = yaml().parseDocument(spliced);
    if (check.errors.length === 0 && sameData(check.toJS(), expected.toJS())) return spliced;
  }
  return expected.toString({ lineWidth: LINE_WIDTH, flowCollectionPadding: false });
}

function setValue(doc: Document, path: PolicyPath, value: string | string[]): void {
  const node = doc.getIn(path, true);
  if (yaml().isScalar(node) && typeof value === 'string') node.value = value;
  else if (yaml().isSeq(node) && Array.isArray(value)) node.items = value.map((v) => doc.createNode(v));
  else doc.setIn(path, doc.createNode(value));
}

const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The edits spliced into the text, last first so earlier offsets stay valid; undefined when one cannot be. */
function splice(text: string, edits: readonly FieldEdit[]): string | undefined {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter });
  const replacements: Array<{ from: number; to: number; with: string }> = [];
  for (const e of edits) {
    const node = doc.getIn(e.path, true) as Node | undefined;
    const parent = doc.getIn(e.path.slice(0, -1), true);
    if (!node?.range || !(yaml().isMap(parent) || yaml().isSeq(parent))) return undefined;
    const [from, to] = node.range;
    const original = text.slice(from, to);
    const pair = yaml().isMap(parent) ? (parent.items as Pair[]).find((p) => p.value === node) : undefined;
    // A block list's lines line up with its first dash; any other value's with its key, two further in.
    const blockSeq = yaml().isSeq(node) && !node.flow;
    const keyAt = !blockSeq && pair && yaml().isScalar(pair.key) && pair.key.range ? pair.key.range[0] : from;
    const column = lineCounter.linePos(keyAt).col - 1 - (blockSeq ? 2 : 0);
    const source = sourceOf(node, e.value, { inFlow: !!parent.flow, column, isSeqItem: !pair });
    if (source === undefined) return undefined;
    replacements.push({ from, to, with: original.endsWith('\n') && !source.endsWith('\n') ? `${source}\n` : source });
  }
  replacements.sort((a, b) => b.from - a.from);
  let out = text;
  for (const r of replacements) out = out.slice(0, r.from) + r.with + out.slice(r.to);
  return out;
}

/** The YAML source of a new value for a node, as it would be written where the node stands. */
function sourceOf(
  node: Node,
  value: string | string[],
  at: { inFlow: boolean; column: number; isSeqItem: boolean },
): string | undefined {
  if (at.isSeqItem) return undefined;
  const indent = ' '.repeat(at.column + 2);
  const mini = yaml().parseDocument('k: null');
  const created = mini.createNode(value);
  if (yaml().isScalar(node) && yaml().isScalar(created)) created.type = node.type;
  if (yaml().isSeq(node) && yaml().isSeq(created)) created.flow = !!node.flow || value.length === 0;
  mini.set('k', created);
  if (at.inFlow) {
    (mini.contents as { flow?: boolean }).flow = true;
    const out = mini.toString({ lineWidth: 0, flowCollectionPadding: false }).trim();
    return out.startsWith('{k: ') && out.endsWith('}') ? out.slice(4, -1) : undefined;
  }
  const out = mini.toString({ lineWidth: Math.max(40, LINE_WIDTH - at.column), flowCollectionPadding: false });
  if (!out.startsWith('k:')) return undefined;
  const lines = out.slice(2).replace(/^ /, '').replace(/\n$/, '').split('\n');
  // The mini document indents by two; the node's own lines sit two further in than its key.
  const body = lines.map((line, i) => (i === 0 ? line : line.replace(/^ {2}/, indent))).join('\n');
  if (yaml().isSeq(node) && !node.flow && value.length > 0) return body.replace(/^\n/, '').trimStart();
  return body;
}
