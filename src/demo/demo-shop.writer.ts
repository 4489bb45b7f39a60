import type { RowBatch } from './row-buffer.ts';

/** Where generated rows go: a SQLite file or a PostgreSQL schema. Opening one (re)creates the tables. */
export interface DemoShopWriter {
  write(batch: RowBatch): void | Promise<void>;
  /** Builds indexes (and, on PostgreSQL, foreign keys) once all rows are in. */
  finish(): void | Promise<void>;
  close(): void | Promise<void>;
}
