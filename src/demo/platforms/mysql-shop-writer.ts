import type * as mysqlPromise from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { lazily } from '../../lib/lazy-require.ts';

// Loaded when a platform shop is written.
const mysql = lazily<typeof mysqlPromise>('mysql2/promise');

export type Cell = string | number | null;

/**
 * Writes a platform's demo shop into MySQL/MariaDB: creates its tables from the platform's own DDL and
 * inserts rows in batches of multi-row statements (a shop of 100,000 customers is millions of meta rows).
 */
export class MysqlShopWriter {
  /** Rows waiting, per table and column list (rows of one table can name different columns). */
  readonly #pending = new Map<string, { table: string; columns: string[]; rows: Cell[][] }>();
  readonly counts: Record<string, number> = {};

  private constructor(
    private readonly connection: Connection,
    readonly prefix: string,
  ) {}

  static async open(url: string, prefix: string): Promise<MysqlShopWriter> {
    const connection = await mysql().createConnection({ uri: url.replace(/^mariadb:/, 'mysql:'), charset: 'utf8mb4' });
    // The platforms' own DDL writes zero dates as defaults; their installers run without strict mode too.
    await connection.query(`set session sql_mode = ''`);
    return new MysqlShopWriter(connection, prefix);
  }

  /** Drops and creates the tables; `ddl` holds each table's column list as the platform writes it. */
  async createTables(ddl: Readonly<Record<string, string>>): Promise<void> {
    for (const [name, body] of Object.entries(ddl)) {
      await this.connection.query(`drop table if exists \`${this.prefix}${name}\``);
      await this.connection.query(
        `create table \`${this.prefix}${name}\` (${body}) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`,
      );
      this.counts[name] = 0;
    }
  }

  async dropTables(names: ReadonlyArray<string>): Promise<void> {
    for (const name of names) await this.connection.query(`drop table if exists \`${this.prefix}${name}\``);
  }

  /** Queues a row; a table's rows go in statements of up to 2,000. */
  async add(table: string, columns: string[], row: Cell[]): Promise<void> {
    const key = `${table}(${columns.join(',')})`;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = { table, columns, rows: [] };
      this.#pending.set(key, pending);
    }
    pending.rows.push(row);
    if (pending.rows.length >= 2000) await this.#flush(key);
  }

  async #flush(key: string): Promise<void> {
    const pending = this.#pending.get(key);
    if (!pending || pending.rows.length === 0) return;
    const table = pending.table;
    const columns = pending.columns.map((c) => `\`${c}\``).join(', ');
    await this.connection.query(`insert into \`${this.prefix}${table}\` (${columns}) values ?`, [pending.rows]);
    this.counts[table] = (this.counts[table] ?? 0) + pending.rows.length;
    pending.rows = [];
  }

  async flush(): Promise<void> {
    for (const key of this.#pending.keys()) await this.#flush(key);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.connection.end();
  }
}

/** A row object as columns and values, in the order of its keys. */
export function columnsOf(row: Record<string, Cell>): { columns: string[]; values: Cell[] } {
  return { columns: Object.keys(row), values: Object.values(row) };
}
