import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { DAY } from '../lib/clock.ts';
import { newOrderedId } from '../lib/ids.ts';
import { scrubMessage } from '../lib/logger.ts';
import type { OutgoingMail } from '../notify/outbox.ts';
import type { Database } from '../store/schema.ts';
import { findingKey } from './findings.ts';
import type { ScanRepository, ScanRun } from './scan.repository.ts';
import { errorsIn, type ScanReport } from './scan.types.ts';

export interface ScanServiceDeps {
  db: Kysely<Database>;
  scans: ScanRepository;
  /** Scans the shop as scan.yaml says (the browser, the pages, the policy); a test passes its own. */
  scan: () => Promise<ScanReport>;
  mail: { enqueue(mail: OutgoingMail<'scan-findings'>, db?: Kysely<Database>): Promise<string | undefined> };
  clock: Clock;
  /** The privacy officer's address: the policy's privacy contact. */
  officerEmail: () => string;
  /** `${INZAGE_BASE_URL}/admin`. */
  adminUrl: string;
}

/** Runs are kept this long for the record; the latest always stays for the dashboard. */
const KEEP_RUNS_MS = 90 * DAY;

/**
 * The daily cookie scan: runs it, keeps the run for the dashboard, and e-mails the officer the errors
 * not mailed before — in the same transaction as the run and the marks, so that a crash mails neither
 * twice nor never.
 */
export class ScanService {
  constructor(private readonly deps: ScanServiceDeps) {}

  latest(): Promise<ScanRun | undefined> {
    return this.deps.scans.latest();
  }

  async daily(): Promise<{ id: string; errors: number; mailed: number }> {
    const { clock, scans } = this.deps;
    const startedAt = clock.now().toISOString();
    const id = newOrderedId();
    let report: ScanReport;
    try {
      report = await this.deps.scan();
    } catch (err) {
      // No browser, no page that loaded: the dashboard says so; there is nothing to judge or mail.
      const failure = scrubMessage(err instanceof Error ? err.message : String(err)).slice(0, 500);
      await scans.record({
        id,
        started_at: startedAt,
        finished_at: clock.now().toISOString(),
        status: 'failed',
        pages: 0,
        errors: 0,
        warnings: 0,
        report: null,
        failure,
      });
      return { id, errors: 0, mailed: 0 };
    }
    const errors = errorsIn(report.findings);
    const mailed = await this.deps.db.transaction().execute(async (trx) => {
      const now = clock.now().toISOString();
      await scans.record(
        {
          id,
          started_at: startedAt,
          finished_at: now,
          status: 'done',
          pages: report.pages.length,
          errors: errors.length,
          warnings: report.findings.length - errors.length,
          report: JSON.stringify({
            pages: report.pages,
            findings: report.findings,
            seconds: report.seconds,
            ...(report.incomplete ? { incomplete: report.incomplete } : {}),
          }),
          failure: null,
        },
        trx,
      );
      const known = await scans.mailedKeys(errors.map(findingKey), trx);
      const fresh = errors.filter((f) => !known.has(findingKey(f)));
      if (fresh.length === 0) return 0;
      await scans.markMailed(fresh.map(findingKey), id, now, trx);
      await this.deps.mail.enqueue(
        {
          to: this.deps.officerEmail(),
          template: 'scan-findings',
          lang: 'nl',
          data: { at: startedAt, findings: fresh, errors: errors.length, adminUrl: this.deps.adminUrl },
          dedupeKey: `scan-findings:${id}`,
        },
        trx,
      );
      return fresh.length;
    });
    await scans.forgetRunsBefore(new Date(clock.now().getTime() - KEEP_RUNS_MS).toISOString());
    return { id, errors: errors.length, mailed };
  }
}
