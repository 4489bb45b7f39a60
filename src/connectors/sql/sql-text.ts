import type { Value } from '../connector.ts';
import type { SqlDialect } from './sql-database.ts';

/**
 * Writes the engine's few statement shapes as SQL text for one dialect. The text depends only on
 * the data map, so it is built once and reused; values always travel as parameters.
 */
export class SqlText {
  readonly #params: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  id(name: string): string {
    return this.dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
  }

  column(table: string, column: string): string {
    return `${this.id(table)}.${this.id(column)}`;
  }

  param(value: unknown): string {
    this.#params.push(value);
    return this.dialect === 'postgres' ? `$${this.#params.length}` : '?';
  }

  /** `column IN (values)` as one parameter where the dialect allows it, so a long list is still one statement. */
  keyIn(column: string, values: ReadonlyArray<Value>): string {
    if (this.dialect === 'sqlite')
      return `${column} in (select value from json_each(${this.param(JSON.stringify(values))}))`;
    if (this.dialect === 'postgres') return `${column} = any(${this.param(values)})`;
    return `${column} in (${values.map((v) => this.param(v)).join(', ')})`;
  }

  emailIs(column: string, normalizedEmail: string): string {
    return `lower(trim(${column})) = ${this.param(normalizedEmail)}`;
  }

  /** The column's trimmed, lower-cased value is one of these addresses (one parameter where possible). */
  emailIn(column: string, normalizedEmails: ReadonlyArray<string>): string {
    if (normalizedEmails.length === 1) return this.emailIs(column, normalizedEmails[0]!);
    return this.keyIn(`lower(trim(${column}))`, normalizedEmails);
  }

  get params(): unknown[] {
    return this.#params;
  }
}
