import type { Value } from '../connector.ts';
import type { SqlDialect } from './sql-database.ts';
import { DIALECT_ADAPTERS, type SqlDialectAdapter } from './sql-dialect.ts';

/**
 * Writes the engine's few statement shapes as SQL text for one dialect (through its adapter in
 * sql-dialect.ts). The text depends only on the data map, so it is built once and reused; values always
 * travel as parameters.
 */
export class SqlText {
  readonly #params: unknown[] = [];
  readonly #dialect: SqlDialectAdapter;

  constructor(dialect: SqlDialect) {
    this.#dialect = DIALECT_ADAPTERS[dialect];
  }

  id(name: string): string {
    return this.#dialect.quote(name);
  }

  column(table: string, column: string): string {
    return `${this.id(table)}.${this.id(column)}`;
  }

  param(value: unknown): string {
    this.#params.push(value);
    return this.#dialect.placeholder(this.#params.length);
  }

  readonly #param = (value: unknown) => this.param(value);

  /** `column IN (values)` as one parameter where the dialect allows it, so a long list is still one statement. */
  keyIn(column: string, values: ReadonlyArray<Value>): string {
    return this.#dialect.keyIn(column, values, this.#param);
  }

  /** An address as it is compared and grouped: trimmed, lower-cased, otherwise exact on every dialect. */
  emailKey(column: string): string {
    return this.#dialect.emailKey(column);
  }

  emailIs(column: string, normalizedEmail: string): string {
    return this.emailIn(column, [normalizedEmail]);
  }

  /**
   * The column's trimmed, lower-cased value is one of these addresses (one parameter where possible).
   * `indexed`: the column has a case-insensitive collation, so MySQL may use its index for a range first.
   */
  emailIn(column: string, normalizedEmails: ReadonlyArray<string>, indexed = false): string {
    return this.#dialect.emailIn(column, normalizedEmails, this.#param, indexed);
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
