import type { Value } from '../connector.ts';
import type { SqlDialect } from './sql-database.ts';

/**
 * What differs between SQLite, PostgreSQL and MySQL/MariaDB in the engine's few statement shapes. Each
 * dialect is one small adapter; SqlText writes statements through it, and values always travel as
 * parameters (`param` hands one over and returns its placeholder).
 */
export interface SqlDialectAdapter {
  readonly name: SqlDialect;
  quote(name: string): string;
  placeholder(index: number): string;
  /** `column IN (values)`, as one parameter where the dialect allows it. */
  keyIn(column: string, values: ReadonlyArray<Value>, param: Param): string;
  /** An expression already written as an address key (`emailKey`) is one of these addresses. */
  addressKeyIn(key: string, emails: ReadonlyArray<string>, param: Param): string;
  /**
   * The value as an address is compared: trimmed and lower-cased, and otherwise exact. MySQL's usual
   * collations also ignore accents and trailing spaces (`zoe@` = `zoë@`), so there the comparison and any
   * grouping happen under a binary collation.
   */
  emailKey(expression: string): string;
  /**
   * The expression's address is one of these (normalised) addresses. With `indexed`, MySQL also names a
   * range its index on the column can serve (the column's case-insensitive collation must make it a
   * superset); the exact comparison still decides.
   */
  emailIn(expression: string, emails: ReadonlyArray<string>, param: Param, indexed: boolean, underOr?: boolean): string;
  /**
   * The expression, lower-cased, is LIKE one of these patterns (written for `ESCAPE '!'`); MySQL may also
   * return rows that differ from a pattern in case only (the exact check after the query decides).
   */
  likeAny(expression: string, patterns: ReadonlyArray<string>, param: Param): string;
  /** The expression as text, to compare a key with a meta value (meta values are always text). */
  asText(expression: string): string;
  /** A text of Unix seconds (a meta value such as `wc_last_active`) as a time in UTC; null when it is not one. */
  unixTime(expression: string): string;
}

type Param = (value: unknown) => string;

const ESCAPE = `escape '!'`;

/** `text` as a LIKE pattern that matches only itself (`_` and `%` are wildcards), for `ESCAPE '!'`. */
export function likeLiteral(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

const sqlite: SqlDialectAdapter = {
  name: 'sqlite',
  quote: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: () => '?',
  // One key (a person's account, their one order) is compared as it is: the JSON list costs SQLite a
  // virtual table and a temporary index per statement, a tenth of an access request's time in all. The one
  // difference: a number against a column declared TEXT matches its text ('5', '5.0'), where a JSON list's
  // number matches no text at all (a reference column of text is found by one person's request, not by a
  // retention batch of several).
  keyIn: (column, values, param) =>
    values.length === 1 && typeof values[0] !== 'boolean'
      ? `${column} = ${param(values[0])}`
      : `${column} in (select value from json_each(${param(JSON.stringify(values))}))`,
  emailKey: (e) => `lower(trim(${e}))`,
  emailIn: (e, emails, param) => sqlite.addressKeyIn(sqlite.emailKey(e), emails, param),
  addressKeyIn: (key, emails, param) => sqlite.keyIn(key, emails, param),
  likeAny: (e, patterns, param) =>
    patterns.length === 1
      ? `lower(${e}) like ${param(patterns[0])} ${ESCAPE}`
      : `exists (select 1 from json_each(${param(JSON.stringify(patterns))}) as p where lower(${e}) like p.value ${ESCAPE})`,
  asText: (e) => `cast(${e} as text)`,
  // As the ISO text the engine compares SQLite's times with.
  unixTime: (e) =>
    `case when ${e} glob '[0-9]*' and ${e} not glob '*[^0-9]*' then strftime('%Y-%m-%dT%H:%M:%fZ', ${e}, 'unixepoch') end`,
};

const postgres: SqlDialectAdapter = {
  name: 'postgres',
  quote: sqlite.quote,
  placeholder: (i) => `$${i}`,
  keyIn: (column, values, param) => `${column} = any(${param(values)})`,
  emailKey: sqlite.emailKey,
  // Under an `or` PostgreSQL cannot make `in (select unnest(…))` a join and reads every row (a hashed
  // subplan); there `= any(…)` lets it combine the indexes.
  emailIn: (e, emails, param, _indexed, underOr) =>
    underOr && emails.length > 1
      ? postgres.keyIn(postgres.emailKey(e), emails, param)
      : postgres.addressKeyIn(postgres.emailKey(e), emails, param),
  // A batch's addresses as rows (`in (select unnest(…))`), not `= any(…)`: for an array of 2,000 the planner
  // read the whole table rather than probe the address index 2,000 times (customers of a shop of 200,000:
  // 72 ms against 20 ms, reviews 37 against 11 ms), and the scan grows with the shop.
  addressKeyIn: (key, emails, param) =>
    emails.length === 1 ? `${key} = ${param(emails[0])}` : `${key} in (select unnest(${param(emails)}::text[]))`,
  // `like any(…)` takes no ESCAPE clause: one pattern per row of the array instead.
  likeAny: (e, patterns, param) =>
    `exists (select 1 from unnest(${param(patterns)}::text[]) as p(pattern) where lower(${e}) like p.pattern ${ESCAPE})`,
  asText: (e) => `${e}::text`,
  unixTime: (e) => `case when ${e} ~ '^[0-9]{1,12}$' then to_timestamp(${e}::bigint) end`,
};

/** Up to this many addresses, MySQL's statement names a prefix range per address for the column's index. */
const MAX_RANGES = 20;

/**
 * Values with up to this many leading spaces get a range of their own per address (`' jan@…%'`); values with
 * more share one range (`'    %'`). One range for every value that starts with a space read all of them for
 * each person (a shop's imports and admin entries: 870 rows of 143,000 orders in the bench's shop).
 */
const SPACED_RANGES = 3;

/**
 * A LIKE pattern (escaped for `ESCAPE '!'`) as a regular expression (PCRE on MariaDB, ICU on MySQL) that
 * matches at least the same values: `%` is any text, `_` and every ASCII character other than a letter or
 * digit any one character, other characters themselves. So no character of an address is an operator (`.`,
 * `+`, `#` under a server's extended-syntax default) and the text needs no backslash, which a server in
 * NO_BACKSLASH_ESCAPES mode would read differently. Wider than the pattern: the exact check decides.
 */
export function likeAsRegexp(pattern: string): string {
  const tokens: string[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '!' && i + 1 < chars.length) tokens.push(regexpChar(chars[++i]!));
    else tokens.push(c === '%' ? ANY : regexpChar(c));
  }
  // A pattern that starts or ends with `%` is a search anywhere in the value; otherwise it is anchored.
  const start = tokens[0] === ANY ? 0 : -1;
  const end = tokens.length > 1 && tokens.at(-1) === ANY ? tokens.length - 1 : -1;
  const inner = tokens.slice(start === 0 ? 1 : 0, end === -1 ? undefined : end).join('');
  return `${start === 0 ? '' : '^'}${inner}${end === -1 ? '$' : ''}`;
}

const ANY = '.*';
const regexpChar = (c: string) => (c > '\x7f' || /[a-zA-Z0-9]/.test(c) ? c : '.');

const mysql: SqlDialectAdapter = {
  name: 'mysql',
  quote: (name) => `\`${name.replaceAll('`', '``')}\``,
  placeholder: () => '?',
  // Numbers travel as text: MySQL compares a text column with a number as numbers, so that a key "12ab…"
  // would equal 12; a number column compared with text converts the text, and its index still serves.
  keyIn: (column, values, param) =>
    `${column} in (${values.map((v) => param(typeof v === 'number' ? String(v) : v)).join(', ')})`,
  emailKey: (e) => `convert(lower(trim(${e})) using utf8mb4) collate utf8mb4_bin`,
  addressKeyIn: (key, emails, param) => mysql.keyIn(key, emails, param),
  emailIn: (e, emails, param, indexed) => {
    const key = mysql.emailKey(e);
    const exact = () =>
      emails.length === 1 ? `${key} = ${param(emails[0])}` : `${key} in (${emails.map((x) => param(x)).join(', ')})`;
    if (!indexed || emails.length > MAX_RANGES) return exact();
    // Ranges of the column's (case-insensitive) index: the address and what may follow it (trailing
    // spaces), and values that start with a space; the exact comparison then decides. (Parameters are
    // positional: the ranges' come first, as in the text.)
    const ranges = emails.flatMap((x) =>
      Array.from(
        { length: SPACED_RANGES + 1 },
        (_, n) => `${e} like ${param(`${' '.repeat(n)}${likeLiteral(x)}%`)} ${ESCAPE}`,
      ),
    );
    return `(${ranges.join(' or ')} or ${e} like '${' '.repeat(SPACED_RANGES + 1)}%') and ${exact()}`;
  },
  // A regular expression without regard to case rather than `lower(…) like`: both read every row, but
  // MySQL's lower() and its LIKE under a Unicode collation cost microseconds a row (a shop's 5,000 sessions:
  // 16-22 ms), PCRE's search a tenth of that. It may keep a row that lower() would not (case-folding is
  // wider than lower-casing); the exact check after the query decides, as for any row LIKE narrowed to.
  likeAny: (e, patterns, param) => `${e} regexp ${param(`(?is)(?:${patterns.map(likeAsRegexp).join('|')})`)}`,
  // Under a binary collation: exact, and free of a clash with the column's own collation.
  asText: (e) => `convert(${e} using utf8mb4) collate utf8mb4_bin`,
  // Counted from the epoch as written, not through from_unixtime(), which answers in the session's time zone.
  unixTime: (e) => `case when ${e} regexp '^[0-9]{1,12}$' then timestampadd(second, ${e}, '1970-01-01 00:00:00') end`,
};

export const DIALECT_ADAPTERS: Readonly<Record<SqlDialect, SqlDialectAdapter>> = { sqlite, postgres, mysql };
