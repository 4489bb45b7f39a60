import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { yaml } from '../lib/yaml.ts';
import type { YamlCache } from './yaml-cache.ts';

/** A problem in a config file, with the place a person can go and fix it. */
export interface FileProblem {
  file: string;
  /** Dotted path into the document, e.g. `processors[2].agreement.status`; empty for the whole file. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T; source: YamlSource } | { ok: false; problems: FileProblem[] };

/** A parsed YAML document that can say on which line a path sits. */
export interface YamlSource {
  file: string;
  data: unknown;
  locate(path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function formatProblem(p: FileProblem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}${p.path ? ` ${p.path}` : ''}: ${p.message}`;
}

/** Parses YAML text, keeping line positions; syntax errors become problems, never exceptions. */
export function parseYaml(
  text: string,
  file: string,
  cache?: YamlCache,
): { ok: true; source: YamlSource } | { ok: false; problems: FileProblem[] } {
  const cached = cache?.get(file, text);
  if (cached !== undefined) {
    // Lines are only asked for when something is wrong: then the text is parsed after all.
    let parsed: ReturnType<typeof parseYaml> | undefined;
    const locate: YamlSource['locate'] = (path) => {
      parsed ??= parseYaml(text, file);
      return parsed.ok ? parsed.source.locate(path) : undefined;
    };
    return { ok: true, source: { file, data: cached, locate } };
  }
  const { isNode, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, path: '', line: pos.line, column: pos.col, message: `YAML syntax: ${firstLine(e.message)}` };
      }),
    };
  }
  const locate = (path: ReadonlyArray<PropertyKey>) => {
    // Walk up until a node exists: a missing key is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
  const data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  cache?.set(file, text, data);
  return { ok: true, source: { file, data, locate } };
}

/** Turns zod issues into problems that carry the file, path and line. */
export function issuesToProblems(issues: ReadonlyArray<z.core.$ZodIssue>, source: YamlSource): FileProblem[] {
  return unfoldUnions(issues).flatMap((issue) => {
    // One problem per unknown key, placed on the key itself.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((path) => {
      const pos = source.locate(path);
      return {
        file: source.file,
        path: formatPath(path),
        line: pos?.line,
        column: pos?.column,
        message: describeIssue(issue),
      };
    });
  });
}

/**
 * A union's "Invalid input" says nothing; report instead the issues of the alternative that came
 * closest: the one whose input had the right type (a string for a short form, an object for the long one).
 */
function unfoldUnions(issues: ReadonlyArray<z.core.$ZodIssue>): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const typeMismatch = (branch: z.core.$ZodIssue[]) =>
      branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
    const closest = issue.errors.find((branch) => !typeMismatch(branch));
    if (!closest) return [issue];
    return unfoldUnions(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

/** Plain wording for the zod messages a person editing YAML meets most. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'unknown key (check the spelling, or remove it)';
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'is required';
  if (issue.code === 'invalid_type') return issue.message.replace(/^Invalid input: /, '');
  return issue.message;
}

/** Reads a YAML file and validates it against a zod schema; never throws for bad input. */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  cache?: YamlCache,
): ParseResult<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'file cannot be read';
    return { ok: false, problems: [{ file, path: '', message: reason }] };
  }
  return parseYamlWith(text, file, schema, cache);
}

export function parseYamlWith<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  cache?: YamlCache,
): ParseResult<z.output<S>> {
  const parsed = parseYaml(text, file, cache);
  if (!parsed.ok) return parsed;
  const result = schema.safeParse(parsed.source.data);
  if (!result.success) return { ok: false, problems: issuesToProblems(result.error.issues, parsed.source) };
  return { ok: true, value: result.data, source: parsed.source };
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
