import { TABLE_NAMES, type TableName } from './demo-shop.schema.ts';

/** A row in the column order of `DEMO_SCHEMA`; times are ISO 8601 UTC strings. */
export type Row = Array<string | number | null>;
export type RowBatch = Record<TableName, Row[]>;

export type RowCounts = Record<TableName, number>;

function zeroCounts(): RowCounts {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as RowCounts;
}

function emptyBatch(): RowBatch {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as RowBatch;
}

/** Hands out ids and collects rows until the writer takes them, so the whole shop is never in memory. */
export class RowBuffer {
  private batch = emptyBatch();
  private pending = 0;
  private readonly lastIds = zeroCounts();
  readonly counts = zeroCounts();

  nextId(table: TableName): number {
    this.lastIds[table] += 1;
    return this.lastIds[table];
  }

  push(table: TableName, row: Row): void {
    this.batch[table].push(row);
    this.counts[table] += 1;
    this.pending += 1;
  }

  get pendingRows(): number {
    return this.pending;
  }

  take(): RowBatch {
    const batch = this.batch;
    this.batch = emptyBatch();
    this.pending = 0;
    return batch;
  }
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * ISO 8601 UTC in whole seconds (`2024-05-01T10:22:33.000Z`), as stored in SQLite. Formatting by
 * hand with the date part cached per day is several times faster than `Date#toISOString`, and the
 * generator formats a few dozen million timestamps for a large shop.
 */
export function iso(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const rest = seconds - day * 86400;
  const minutes = Math.floor(rest / 60);
  return `${prefix}${PAD2[Math.floor(minutes / 60)]}:${PAD2[minutes % 60]}:${PAD2[rest % 60]}.000Z`;
}
