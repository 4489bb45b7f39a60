import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  createTableStatements,
  DEMO_SCHEMA,
  dropTableStatements,
  indexStatements,
  TABLE_NAMES,
  type TableName,
} from './demo-shop.schema.ts';
import type { DemoShopWriter } from './demo-shop.writer.ts';
import type { Row } from './row-buffer.ts';

/** Rows per multi-row INSERT: fewer calls across the native boundary, well under SQLite's variable limit. */
const ROWS_PER_STATEMENT = 64;
const ROWS_PER_TRANSACTION = 200_000;

interface TableInsert {
  one: Database.Statement;
  many: Database.Statement;
  columns: number;
  params: Array<string | number | null>;
}

/**
 * Bulk-loads the demo shop into a SQLite file: no fsync while loading (a half-written demo database is
 * simply generated again), large transactions, multi-row INSERTs, indexes after the data.
 */
export function openSqliteWriter(file: string): DemoShopWriter {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  const q = (table: string) => table;
  // The rollback journal in memory: some 15% faster than WAL for a bulk load, and unlike `off` a failed
  // batch can still roll back. WAL again at the end, so the hub can read while someone writes.
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -65536');
  db.transaction(() => {
    for (const sql of dropTableStatements('sqlite', q)) db.exec(sql);
  })();
  // Give back the pages of a previous demo shop, so the new tables are not scattered over them.
  if ((db.pragma('freelist_count', { simple: true }) as number) > 0) db.exec('vacuum');
  db.transaction(() => {
    for (const sql of createTableStatements('sqlite', q)) db.exec(sql);
  })();

  const inserts = new Map<TableName, TableInsert>();
  for (const table of TABLE_NAMES) {
    const names = DEMO_SCHEMA[table].map((c) => c.name);
    const tuple = `(${names.map(() => '?').join(', ')})`;
    const head = `insert into ${table} (${names.join(', ')}) values `;
    inserts.set(table, {
      one: db.prepare(head + tuple),
      many: db.prepare(head + Array(ROWS_PER_STATEMENT).fill(tuple).join(', ')),
      columns: names.length,
      params: new Array(names.length * ROWS_PER_STATEMENT),
    });
  }

  const insertRows = (insert: TableInsert, rows: Row[]) => {
    const { columns, params } = insert;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) {
        const row = rows[i + r]!;
        const base = r * columns;
        for (let c = 0; c < columns; c++) params[base + c] = row[c]!;
      }
      insert.many.run(params);
    }
    for (; i < rows.length; i++) insert.one.run(rows[i]!);
  };
  // Batches from the generator are small (young objects are cheap to collect); a transaction spans many.
  let rowsInTransaction = 0;
  const commit = () => {
    if (db.inTransaction) db.exec('commit');
    rowsInTransaction = 0;
  };

  return {
    write(batch) {
      if (!db.inTransaction) db.exec('begin');
      for (const table of TABLE_NAMES) {
        insertRows(inserts.get(table)!, batch[table]);
        rowsInTransaction += batch[table].length;
      }
      if (rowsInTransaction >= ROWS_PER_TRANSACTION) commit();
    },
    finish() {
      commit();
      for (const sql of indexStatements('sqlite', q)) db.exec(sql);
      db.pragma('analysis_limit = 1000');
      db.exec('analyze');
      db.pragma('journal_mode = WAL');
    },
    close() {
      if (db.inTransaction) db.exec('rollback');
      if (db.open) db.close();
    },
  };
}
