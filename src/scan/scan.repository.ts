import type { Kysely } from 'kysely';
import type { Database, ScanRunTable } from '../store/schema.ts';
import type { Finding } from './scan.types.ts';

/** What the dashboard shows of a run. */
export interface ScanRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  status: 'done' | 'failed';
  pages: string[];
  errors: number;
  warnings: number;
  findings: Finding[];
  incomplete?: string;
  failure?: string;
}

/** The daily scan's runs and the errors the officer was told about. */
export class ScanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(row: ScanRunTable, db: Kysely<Database> = this.db): Promise<void> {
    await db.insertInto('scan_runs').values(row).execute();
  }

  async latest(): Promise<ScanRun | undefined> {
    const row = await this.db
      .selectFrom('scan_runs')
      .selectAll()
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const report = row.report
      ? (JSON.parse(row.report) as { pages: string[]; findings: Finding[]; incomplete?: string })
      : { pages: [], findings: [] };
    return {
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: row.status,
      pages: report.pages,
      errors: row.errors,
      warnings: row.warnings,
      findings: report.findings,
      ...(report.incomplete ? { incomplete: report.incomplete } : {}),
      ...(row.failure ? { failure: row.failure } : {}),
    };
  }

  /** Of these keys, the ones the officer was mailed about before. */
  async mailedKeys(keys: readonly string[], db: Kysely<Database> = this.db): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .selectFrom('scan_errors_mailed')
      .select('key')
      .where('key', 'in', [...keys])
      .execute();
    return new Set(rows.map((r) => r.key));
  }

  async markMailed(keys: readonly string[], runId: string, at: string, db: Kysely<Database> = this.db): Promise<void> {
    if (keys.length === 0) return;
    await db
      .insertInto('scan_errors_mailed')
      .values(keys.map((key) => ({ key, run_id: runId, mailed_at: at })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  /** Runs older than `before` go, the latest always stays. */
  async forgetRunsBefore(before: string): Promise<number> {
    const latest = await this.db
      .selectFrom('scan_runs')
      .select('id')
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const result = await this.db
      .deleteFrom('scan_runs')
      .where('started_at', '<', before)
      .where('id', '!=', latest?.id ?? '')
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
