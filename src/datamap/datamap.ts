import { existsSync } from 'node:fs';
import type { YamlCache } from '../config/yaml-cache.ts';
import type { FileProblem, ParseResult } from '../config/yaml-file.ts';
import { loadYamlFile } from '../config/yaml-file.ts';
import {
  type Collection,
  type DataMap,
  DataMap as DataMapSchema,
  type Field,
  type SqlSystem,
} from './datamap.schema.ts';
import { parentsOf } from './plan.ts';

/**
 * Replaces `${VAR}` and `${VAR:-default}` (defaults may nest) with values from `vars`.
 * Secrets such as database passwords stay in the environment; the map only names them.
 */
export function interpolate(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) return out + text.slice(i);
    out += text.slice(i, start);
    let depth = 1;
    let j = start + 2;
    while (j < text.length && depth > 0) {
      if (text.startsWith('${', j)) {
        depth++;
        j += 2;
      } else {
        if (text[j] === '}') depth--;
        j++;
      }
    }
    const inner = text.slice(start + 2, j - 1);
    const sep = inner.indexOf(':-');
    const name = sep < 0 ? inner : inner.slice(0, sep);
    const fallback = sep < 0 ? '' : interpolate(inner.slice(sep + 2), vars);
    const value = vars[name];
    out += value !== undefined && value !== '' ? value : fallback;
    i = j;
  }
  return out;
}

/** Loads datamap.yaml; `${…}` in system URLs is filled from `vars` (the environment plus INZAGE_DATA_DIR). */
export function loadDataMap(
  file: string,
  vars: Readonly<Record<string, string | undefined>>,
  cache?: YamlCache,
): ParseResult<DataMap> {
  const result = loadYamlFile(file, DataMapSchema, cache);
  if (!result.ok) return result;
  const problems = checkStructure(result.value, file, (path) => result.source.locate(path));
  if (problems.length) return { ok: false, problems };
  // What only the filled-in values show (a prefix from the environment, a zone beside a PostgreSQL URL).
  const filledProblems: FileProblem[] = [];
  const refuse = (path: string[], message: string) => {
    const pos = result.source.locate(path);
    filledProblems.push({ file, path: path.join('.'), line: pos?.line, column: pos?.column, message });
  };
  for (const [id, system] of Object.entries(result.value.systems)) {
    if (system.type === 'sql') {
      system.url = interpolate(system.url, vars);
      if (system.timeZone) {
        // A zone that would not be applied is refused, not ignored (sql-time.ts says where it is).
        const unused = /^postgres(ql)?:/.test(system.url)
          ? "is for MySQL/MariaDB and SQLite: PostgreSQL's timestamptz carries its zone"
          : Object.values(system.collections).some((c) => c.meta?.activity.length)
            ? 'cannot go with meta activity keys (Unix times, which have no zone): leave it out, or name columns'
            : undefined;
        if (unused) refuse(['systems', id, 'timeZone'], unused);
      }
      if (system.tablePrefix !== undefined) {
        system.tablePrefix = interpolate(system.tablePrefix, vars);
        // Table names are quoted, but a prefix from the environment is still kept to what a table name holds.
        if (!/^[A-Za-z0-9_]*$/.test(system.tablePrefix))
          refuse(['systems', id, 'tablePrefix'], `"${system.tablePrefix}" must be letters, digits and _ only`);
      }
    } else if (system.type === 'api' && system.url) system.url = interpolate(system.url, vars);
  }
  if (filledProblems.length) return { ok: false, problems: filledProblems };
  return result;
}

export const dataMapExists = (file: string) => existsSync(file);

type Locate = (path: ReadonlyArray<PropertyKey>) => { line: number; column: number } | undefined;

/** What zod cannot see: references to collections and fields that are not there. */
export function checkStructure(map: DataMap, file: string, locate: Locate = () => undefined): FileProblem[] {
  const problems: FileProblem[] = [];
  const add = (path: PropertyKey[], message: string) => {
    const pos = locate(path);
    problems.push({ file, path: path.join('.'), line: pos?.line, column: pos?.column, message });
  };
  for (const [systemId, system] of Object.entries(map.systems)) {
    if (system.type !== 'sql') continue;
    for (const [name, c] of Object.entries(system.collections)) {
      const base: PropertyKey[] = ['systems', systemId, 'collections', name];
      const checkTarget = (path: PropertyKey[], target: string) => {
        const [targetCollection, targetColumn] = target.split('.') as [string, string];
        const parent = system.collections[targetCollection];
        if (!parent) add(path, `refers to "${targetCollection}", which is not a collection of ${systemId}`);
        else if (targetColumn !== parent.primaryKey && !parent.fields[targetColumn])
          add(path, `refers to ${target}, which is neither its primary key nor a mapped field`);
      };
      for (const [column, target] of Object.entries(c.references)) checkTarget([...base, 'references', column], target);
      for (const [key, target] of Object.entries(c.meta?.references ?? {}))
        checkTarget([...base, 'meta', 'references', key], target);
      const findable =
        c.identity.length + Object.keys(c.references).length + (c.meta?.identity.length ?? 0) + parentsOf(c).length;
      if (findable === 0) {
        add(base, 'has no identity fields and no references: nobody could ever be found in it');
      }
      checkFormats(c, base, add);
      if (c.legalHold && c.legalHold.from === c.primaryKey)
        add([...base, 'legalHold', 'from'], 'must be a date column');
      const otherwise = c.legalHold?.otherwise?.split('.')[0];
      if (otherwise && !Object.values(c.references).some((target) => target.split('.')[0] === otherwise))
        add(
          [...base, 'legalHold', 'otherwise'],
          `names "${otherwise}", which this collection does not reference: the date must be its parent's`,
        );
    }
    const cycle = findCycle(system);
    if (cycle) add(['systems', systemId, 'collections'], `references form a cycle: ${cycle.join(' → ')}`);
  }
  return problems;
}

function findCycle(system: SqlSystem): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === 'visiting') return [...path, name];
    if (state.get(name) === 'done') return undefined;
    state.set(name, 'visiting');
    const c = system.collections[name];
    for (const parent of c ? parentsOf(c) : []) {
      const found = visit(parent, [...path, name]);
      if (found) return found;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(system.collections)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * What a value's format allows: a serialized value is never edited in place (PHP's serialize() writes
 * each string's length, so a masked or hashed part breaks the whole value): it is deleted, set to null,
 * or kept. A meta key is not also a column's field (both would be one field of the record).
 */
function checkFormats(c: Collection, base: PropertyKey[], add: (path: PropertyKey[], message: string) => void): void {
  const check = (path: PropertyKey[], field: Field) => {
    if (field.format === 'serialized' && (field.erase === 'mask' || field.erase === 'hash'))
      add(
        path,
        `"${field.erase}" would edit a serialized value in place and break it: use delete (the row goes), null or keep`,
      );
  };
  for (const [column, field] of Object.entries(c.fields)) check([...base, 'fields', column], field);
  for (const [key, field] of Object.entries(c.meta?.fields ?? {})) {
    check([...base, 'meta', 'fields', key], field);
    if (c.fields[key]) add([...base, 'meta', 'fields', key], `is also a column's field of this collection`);
  }
}
