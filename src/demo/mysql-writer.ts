import type * as mysqlPromise from 'mysql2/promise';
import { lazily } from '../lib/lazy-require.ts';
import {
  createTableStatements,
  DEMO_SCHEMA,
  dropTableStatements,
  mysqlKeyStatements,
  TABLE_NAMES,
  type TableName,
} from './demo-shop.schema.ts';
import type { DemoShopWriter } from './demo-shop.writer.ts';
import type { Row } from './row-buffer.ts';

// A demo shop in SQLite or PostgreSQL never loads the MySQL driver.
const mysqlDriver = lazily<typeof mysqlPromise>('mysql2/promise');

const quote = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** Rows per multi-row INSERT (some 600 kB, well under the server's 16 MB packet) and per transaction. */
const ROWS_PER_STATEMENT = 2_000;
const ROWS_PER_TRANSACTION = 100_000;

/**
 * Loads the demo shop into the MySQL/MariaDB database the URL names (which must exist): multi-row INSERTs in
 * large transactions, one statement on the wire while the next rows are generated; indexes and keys after the
 * data.
 */
export async function openMysqlWriter(url: string): Promise<DemoShopWriter> {
  const connection = await mysqlDriver().createConnection({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    charset: 'utf8mb4',
  });
  const q = quote;
  try {
    // Keys are checked once, when they are added after the load; a half-loaded demo shop is generated again.
    await connection.query('set session foreign_key_checks = 0, unique_checks = 0');
    for (const sql of dropTableStatements('mysql', q)) await connection.query(sql);
    for (const sql of createTableStatements('mysql', q)) await connection.query(sql);
  } catch (error) {
    await connection.end();
    throw error;
  }

  const insertSql = (table: TableName) =>
    `insert into ${q(table)} (${DEMO_SCHEMA[table].map((c) => q(c.name)).join(', ')}) values ?`;
  const pending = new Map<TableName, Row[]>(TABLE_NAMES.map((t) => [t, []]));
  let inFlight: Promise<unknown> = Promise.resolve();
  let rowsInTransaction = 0;
  let inTransaction = false;

  /** Sends a statement once the previous one is done, without waiting for this one. */
  const send = async (sql: string, values?: unknown[]) => {
    await inFlight;
    const sent = connection.query(sql, values);
    inFlight = sent;
    sent.catch(() => {}); // reported by the next await, not as an unhandled rejection
  };
  const flush = async (table: TableName) => {
    const rows = pending.get(table)!;
    if (rows.length === 0) return;
    pending.set(table, []);
    if (!inTransaction) {
      await send('start transaction');
      inTransaction = true;
    }
    await send(insertSql(table), [rows]);
    rowsInTransaction += rows.length;
    if (rowsInTransaction >= ROWS_PER_TRANSACTION) await commit();
  };
  const commit = async () => {
    if (inTransaction) await send('commit');
    inTransaction = false;
    rowsInTransaction = 0;
  };

  return {
    async write(batch) {
      for (const table of TABLE_NAMES) {
        const rows = batch[table];
        if (rows.length === 0) continue;
        const gathered = pending.get(table)!;
        for (const row of rows) gathered.push(row);
        if (gathered.length >= ROWS_PER_STATEMENT) await flush(table);
      }
    },
    async finish() {
      for (const table of TABLE_NAMES) await flush(table);
      await commit();
      await inFlight;
      for (const sql of mysqlKeyStatements(q)) await connection.query(sql);
      await connection.query(`analyze table ${TABLE_NAMES.map(q).join(', ')}`);
    },
    async close() {
      await inFlight.catch(() => {});
      if (inTransaction) await connection.query('rollback').catch(() => {});
      await connection.end();
    },
  };
}
