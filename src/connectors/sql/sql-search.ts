import type { SystemPlan } from '../../datamap/plan.ts';
import { normalizeEmail, type SubjectMatch } from '../connector.ts';
import type { SqlDatabase } from './sql-database.ts';
import { SqlText } from './sql-text.ts';

/** Name fields a person can be found by (the data map's roles). */
const NAME_ROLES = new Set(['first_name', 'last_name', 'full_name']);
/** At most this many words of the search count; more would not narrow it usefully. */
const MAX_WORDS = 4;

/** The words of a search, lower-cased; words shorter than two characters are left out. */
export function searchWords(term: string): string[] {
  return term
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.trim())
    .filter((w) => w.length >= 2)
    .slice(0, MAX_WORDS);
}

/** `%word%` for LIKE with `!` as the escape character (the same in SQLite, PostgreSQL and MySQL). */
const contains = (word: string) => `%${word.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * People whose address or name contains every word of `term`, in the collections that identify a person
 * (an identity column), at most `limit` rows per collection. Hashed and masked addresses never match.
 * One statement per such collection; the values travel as parameters.
 */
export async function searchSubjects(
  deps: { plan: SystemPlan; database: SqlDatabase },
  term: string,
  limit: number,
): Promise<SubjectMatch[]> {
  const words = searchWords(term);
  if (words.length === 0) return [];
  const matches: SubjectMatch[] = [];
  for (const c of deps.plan.collections) {
    if (c.identity.length === 0) continue;
    const names = Object.entries(c.fields)
      .filter(([, f]) => f.role && NAME_ROLES.has(f.role))
      .map(([column, f]) => ({ column, role: f.role! }));
    for (const identity of c.identity) {
      const q = new SqlText(deps.database.dialect);
      const e = `lower(trim(${q.column(c.table, identity)}))`;
      const searched = [e, ...names.map((n) => `lower(${q.column(c.table, n.column)})`)];
      const everyWord = words
        .map((w) => `(${searched.map((s) => `${s} like ${q.param(contains(w))} escape '!'`).join(' or ')})`)
        .join(' and ');
      const columns = [`${e} as e`, ...names.map((n, i) => `${q.column(c.table, n.column)} as n${i}`)];
      const text = `select distinct ${columns.join(', ')} from ${q.id(c.table)} where ${e} like '%@%' and ${e} not like 'hmac:%' and ${everyWord} limit ${Math.max(1, Math.floor(limit))}`;
      for (const row of await deps.database.run(text, q.params)) {
        const name = nameOf(names, row);
        matches.push({
          email: normalizeEmail(String(row.e)),
          ...(name ? { name } : {}),
          system: deps.plan.system,
          collection: c.name,
        });
      }
    }
  }
  return matches;
}

/** "Sanne de Boer" from first and last name, or the full name. */
function nameOf(names: Array<{ role: string }>, row: Record<string, unknown>): string | undefined {
  const value = (role: string) => {
    const i = names.findIndex((n) => n.role === role);
    const v = i >= 0 ? row[`n${i}`] : undefined;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  return value('full_name') ?? ([value('first_name'), value('last_name')].filter(Boolean).join(' ') || undefined);
}
