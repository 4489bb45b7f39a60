import type { Value } from '../connector.ts';
import type { SqlDialect } from './sql-database.ts';
import { DIALECT_ADAPTERS, type SqlDialectAdapter } from './sql-dialect.ts';

/** Quoted names per dialect: statements are written for every person, from the same few names. */
const QUOTED: Record<SqlDialect, Map<string, string>> = { sqlite: new Map(), postgres: new Map(), mysql: new Map() };
/** `table.column` quoted, per dialect and table: looked up without joining the two names into a key first. */
const COLUMNS: Record<SqlDialect, Map<string, Map<string, string>>> = {
  sqlite: new Map(),
  postgres: new Map(),
  mysql: new Map(),
};

/**
 * Writes the engine's few statement shapes as SQL text for one dialect (through its adapter in
 * sql-dialect.ts). The text depends only on the data map, so it is built once and reused; values always
 * travel as parameters.
 */
export class SqlText {
  readonly #params: unknown[] = [];
  readonly #dialect: SqlDialectAdapter;
  readonly #quoted: Map<string, string>;
  readonly #columns: Map<string, Map<string, string>>;
  /** Hands a value to the dialect's writers; made on first use (most statements have no list to write). */
  #paramFn: ((value: unknown) => string) | undefined;

  constructor(dialect: SqlDialect) {
    this.#dialect = DIALECT_ADAPTERS[dialect];
    this.#quoted = QUOTED[dialect];
    this.#columns = COLUMNS[dialect];
  }

  id(name: string): string {
    let quoted = this.#quoted.get(name);
    if (quoted === undefined) {
      quoted = this.#dialect.quote(name);
      // The names are the data map's tables and columns: a few hundred at most.
      if (this.#quoted.size > 10_000) this.#quoted.clear();
      this.#quoted.set(name, quoted);
    }
    return quoted;
  }

  column(table: string, column: string): string {
    let ofTable = this.#columns.get(table);
    if (ofTable === undefined) {
      // The names are the data map's: a few hundred at most.
      if (this.#columns.size > 10_000) this.#columns.clear();
      ofTable = new Map();
      this.#columns.set(table, ofTable);
    }
    let written = ofTable.get(column);
    if (written === undefined) {
      written = `${this.id(table)}.${this.id(column)}`;
      ofTable.set(column, written);
    }
    return written;
  }

  /** Whether placeholders are numbered ($1, $2 …: PostgreSQL), so that a statement may name one twice. */
  get numbered(): boolean {
    return this.#dialect.placeholder(1) !== this.#dialect.placeholder(2);
  }

  param(value: unknown): string {
    this.#params.push(value);
    return this.#dialect.placeholder(this.#params.length);
  }

  get #param(): (value: unknown) => string {
    this.#paramFn ??= (value) => this.param(value);
    return this.#paramFn;
  }

  /** `column IN (values)` as one parameter where the dialect allows it, so a long list is still one statement. */
  keyIn(column: string, values: ReadonlyArray<Value>): string {
    return this.#dialect.keyIn(column, values, this.#param);
  }

  /** An address as it is compared and grouped: trimmed, lower-cased, otherwise exact on every dialect. */
  emailKey(column: string): string {
    return this.#dialect.emailKey(column);
  }

  /** An expression written by `emailKey` is one of these addresses. */
  addressKeyIn(key: string, normalizedEmails: ReadonlyArray<string>): string {
    return this.#dialect.addressKeyIn(key, normalizedEmails, this.#param);
  }

  emailIs(column: string, normalizedEmail: string): string {
    return this.emailIn(column, [normalizedEmail]);
  }

  /**
   * The column's trimmed, lower-cased value is one of these addresses (one parameter where possible).
   * `indexed`: the column has a case-insensitive collation, so MySQL may use its index for a range first.
   * `underOr`: the comparison is one of several joined by `or` in one statement.
   */
  emailIn(column: string, normalizedEmails: ReadonlyArray<string>, indexed = false, underOr = false): string {
    return this.#dialect.emailIn(column, normalizedEmails, this.#param, indexed, underOr);
  }

  /** The column, lower-cased, is LIKE one of these patterns (see `likeLiteral` for their escaping). */
  likeAny(column: string, patterns: ReadonlyArray<string>): string {
    return this.#dialect.likeAny(column, patterns, this.#param);
  }

  asText(expression: string): string {
    return this.#dialect.asText(expression);
  }

  /** A text of Unix seconds as a time (null when it is not one). */
  unixTime(expression: string): string {
    return this.#dialect.unixTime(expression);
  }

  /** The collection's row filter as a condition on `table` (`true` without one). */
  filter(table: string, where: ReadonlyArray<{ column: string; values: ReadonlyArray<string | number> }>): string {
    if (where.length === 0) return '1 = 1';
    return where
      .map(({ column, values }) =>
        values.length === 1
          ? `${this.column(table, column)} = ${this.param(values[0])}`
          : `${this.column(table, column)} in (${values.map((v) => this.param(v)).join(', ')})`,
      )
      .join(' and ');
  }

  get params(): unknown[] {
    return this.#params;
  }
}
