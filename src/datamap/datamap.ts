import { existsSync } from 'node:fs';
import type { FileProblem, ParseResult } from '../config/yaml-file.ts';
import { loadYamlFile } from '../config/yaml-file.ts';
import { type DataMap, DataMap as DataMapSchema, type SqlSystem } from './datamap.schema.ts';

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
export function loadDataMap(file: string, vars: Readonly<Record<string, string | undefined>>): ParseResult<DataMap> {
  const result = loadYamlFile(file, DataMapSchema);
  if (!result.ok) return result;
  const problems = checkStructure(result.value, file, (path) => result.source.locate(path));
  if (problems.length) return { ok: false, problems };
  for (const system of Object.values(result.value.systems)) {
    if (system.type === 'sql') system.url = interpolate(system.url, vars);
    else if (system.type === 'api' && system.url) system.url = interpolate(system.url, vars);
  }
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
      for (const [column, target] of Object.entries(c.references)) {
        const [targetCollection, targetColumn] = target.split('.') as [string, string];
        const parent = system.collections[targetCollection];
        if (!parent)
          add(
            [...base, 'references', column],
            `refers to "${targetCollection}", which is not a collection of ${systemId}`,
          );
        else if (targetColumn !== parent.primaryKey && !parent.fields[targetColumn])
          add(
            [...base, 'references', column],
            `refers to ${target}, which is neither its primary key nor a mapped field`,
          );
      }
      if (c.identity.length === 0 && Object.keys(c.references).length === 0) {
        add(base, 'has no identity fields and no references: nobody could ever be found in it');
      }
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
    for (const target of Object.values(system.collections[name]?.references ?? {})) {
      const found = visit(target.split('.')[0]!, [...path, name]);
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
