import type pgTypes from 'pg';
import { lazily } from '../lib/lazy-require.ts';
import {
  constraintStatements,
  createTableStatements,
  DEMO_SCHEMA,
  dropTableStatements,
  indexStatements,
  TABLE_NAMES,
  type TableName,
} from './demo-shop.schema.ts';
import type { DemoShopWriter } from './demo-shop.writer.ts';
import type { Row, RowBatch } from './row-buffer.ts';

// A demo shop in SQLite never loads the PostgreSQL driver.
const postgresDriver = lazily<typeof pgTypes>('pg');

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** COPY text gathered per table before it is sent; one COPY runs while the next batch is generated. */
const BYTES_PER_COPY = 8 * 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;

/**
 * Loads the demo shop into a PostgreSQL schema (created if missing) with `COPY … FROM STDIN`;
 * keys and indexes are added after the data.
 */
export async function openPostgresWriter(url: string, schema = 'public'): Promise<DemoShopWriter> {
  const client = new (postgresDriver().Client)({ connectionString: url });
  await client.connect();
  const q = (table: string) => `${quote(schema)}.${quote(table)}`;
  try {
    await client.query('set synchronous_commit = off');
    await client.query(`create schema if not exists ${quote(schema)}`);
    await client.query('begin');
    for (const sql of dropTableStatements('postgres', q)) await client.query(sql);
    for (const sql of createTableStatements('postgres', q)) await client.query(sql);
    await client.query('commit');
  } catch (error) {
    await client.end();
    throw error;
  }

  const copySql = (table: TableName) =>
    `copy ${q(table)} (${DEMO_SCHEMA[table].map((c) => c.name).join(', ')}) from stdin`;
  const pending = new Map<TableName, { parts: string[]; length: number }>(
    TABLE_NAMES.map((t) => [t, { parts: [], length: 0 }]),
  );
  let inFlight: Promise<void> = Promise.resolve();

  /** Sends what was gathered for `table` once the previous COPY is done, without waiting for this one. */
  const flush = async (table: TableName) => {
    const gathered = pending.get(table)!;
    if (gathered.length === 0) return;
    const data = Buffer.from(gathered.parts.join(''), 'utf8');
    gathered.parts = [];
    gathered.length = 0;
    await inFlight;
    const copy = new CopyIn(copySql(table), data);
    client.query(copy);
    inFlight = copy.done;
    inFlight.catch(() => {}); // reported by the next await, not as an unhandled rejection
  };

  return {
    async write(batch: RowBatch) {
      for (const table of TABLE_NAMES) {
        const rows = batch[table];
        if (rows.length === 0) continue;
        // Rows become COPY text at once, so the row arrays die young and cost the collector little.
        const text = copyText(rows);
        const gathered = pending.get(table)!;
        gathered.parts.push(text);
        gathered.length += text.length;
        if (gathered.length >= BYTES_PER_COPY) await flush(table);
      }
    },
    async finish() {
      for (const table of TABLE_NAMES) await flush(table);
      await inFlight;
      for (const sql of constraintStatements(q)) await client.query(sql);
      for (const sql of indexStatements('postgres', q)) await client.query(sql);
      await client.query(`analyze ${TABLE_NAMES.map(q).join(', ')}`);
    },
    async close() {
      await inFlight.catch(() => {});
      await client.end();
    },
  };
}

const SPECIAL = /[\\\t\n\r]/;
const escapeChar = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r');

/** Rows in COPY's text format: tab-separated, `\N` for null, backslash escapes. Joins, not `+=`: much faster here. */
function copyText(rows: Row[]): string {
  const lines = new Array<string>(rows.length + 1);
  const fields: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    fields.length = row.length;
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      fields[c] =
        value === null || value === undefined
          ? '\\N'
          : typeof value === 'number'
            ? String(value)
            : SPECIAL.test(value)
              ? value.replace(/[\\\t\n\r]/g, escapeChar)
              : value;
    }
    lines[r] = fields.join('\t');
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

/**
 * A minimal `COPY … FROM STDIN` for node-postgres (what pg-copy-streams does, for one buffer):
 * the client hands it the connection when the server asks for the data.
 */
class CopyIn {
  readonly done: Promise<void>;
  private settle!: (error?: Error) => void;
  private error: Error | undefined;

  constructor(
    readonly text: string,
    private readonly data: Buffer,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let i = 0; i < this.data.length; i += CHUNK_BYTES) {
      connection.sendCopyFromChunk(this.data.subarray(i, i + CHUNK_BYTES));
    }
    connection.endCopyFrom();
  }

  handleError(error: Error): void {
    this.error = error;
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(this.error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}
