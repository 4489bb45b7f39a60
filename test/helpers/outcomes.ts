import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { AuditTrail } from '../../src/audit/audit-trail.ts';
import { systemClock } from '../../src/lib/clock.ts';
import type { Dialect } from '../../src/store/database.ts';
import type { Database } from '../../src/store/schema.ts';
import { withPgClient } from './db.ts';

/**
 * Everything a run leaves behind that a crash could make wrong, with what differs between two runs
 * by nature taken out (random ids, wall-clock times, hashes over them). Two outcomes compare equal when
 * a run killed and resumed recorded exactly what an uninterrupted one did. For the crash matrix.
 */
export interface Outcome {
  /** Every table of the shop, rows in key order. */
  shop: Record<string, unknown[]>;
  /** The register of requests: every request without its id and wall-clock stamps, sorted. */
  register: unknown[];
  /** The audit trail in order (actor, action, target, subject, details) and whether its chain holds. */
  audit: { intact: boolean; entries: unknown[] };
  /** What the hub keeps about people by keyed reference, per table. */
  traces: Record<string, unknown[]>;
  /** Sealed records by place and hold, and the people with a key in the archive. */
  sealed: { records: unknown[]; keys: string[] };
  /** Mail in the outbox: template and status, sorted. */
  mails: unknown[];
  /** Retention plans and runs recorded, in counts (without the seconds they took). */
  retentionRuns: unknown[];
}

export type ShopLocation = { sqliteFile: string } | { postgresUrl: string; schema: string };

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Reads the outcome from the hub's store and the shop's database. */
export async function captureOutcome(
  hub: { db: Kysely<Database>; dialect: Dialect },
  shop: ShopLocation,
): Promise<Outcome> {
  const { db } = hub;
  const requests = await db.selectFrom('requests').selectAll().execute();
  const register = sorted(
    requests.map(({ id: _, updated_at: _u, ...r }) => ({ ...r, result: r.result ? JSON.parse(r.result) : null })),
  );
  const entries = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const verified = await new AuditTrail({ db, clock: systemClock, dialect: hub.dialect }).verify();
  const traces = {
    subject_activity: sorted(
      await db.selectFrom('subject_activity').select(['subject_ref', 'last_at', 'last_type']).execute(),
    ),
    contact_consents: sorted(
      await db.selectFrom('contact_consents').select(['subject_ref', 'purpose', 'granted', 'text', 'at']).execute(),
    ),
    consent_tokens: sorted(await db.selectFrom('consent_tokens').select(['subject_ref', 'purposes']).execute()),
    retention_reminders: sorted(
      await db.selectFrom('retention_reminders').select(['subject_ref', 'sent_at']).execute(),
    ),
    analytics_ids: sorted(await db.selectFrom('analytics_ids').select(['subject_ref', 'id_hash', 'kind']).execute()),
    subject_flags: sorted(
      await db.selectFrom('subject_flags').select(['subject_ref', 'restricted', 'objection']).execute(),
    ),
  };
  const sealedRecords = sorted(
    await db
      .selectFrom('sealed_records')
      .select(['system', 'collection', 'record_key', 'hold', 'hold_until'])
      .execute(),
  );
  const keys = (await db.selectFrom('archive_keys').select('subject_ref').execute()).map((k) => k.subject_ref).sort();
  const mails = sorted(await db.selectFrom('mail_outbox').select(['template', 'status']).execute());
  const runs = await db.selectFrom('retention_runs').select(['kind', 'status', 'at', 'summary']).execute();
  return {
    shop: await readShop(shop),
    register,
    audit: {
      intact: verified.ok,
      entries: entries.map((e) => ({
        seq: Number(e.seq),
        actor: e.actor,
        action: e.action,
        target: e.target,
        subjectRef: e.subject_ref,
        details: e.details ? JSON.parse(e.details) : null,
      })),
    },
    traces,
    sealed: { records: sealedRecords, keys },
    mails,
    retentionRuns: sorted(
      runs.map((r) => {
        const {
          seconds: _,
          resumed: _r,
          finishedFirst: _f,
          ...summary
        } = JSON.parse(r.summary) as Record<string, unknown>;
        return { kind: r.kind, status: r.status, at: r.at, summary };
      }),
    ),
  };
}

/** Fails with the first part that differs: the shop, the register, the audit trail, the traces, … */
export function assertSameOutcome(actual: Outcome, expected: Outcome, what = 'the resumed run'): void {
  assert.ok(actual.audit.intact, `${what}: the audit chain is intact`);
  for (const part of Object.keys(expected) as Array<keyof Outcome>) {
    if (part === 'shop') {
      for (const table of Object.keys(expected.shop))
        assert.deepEqual(actual.shop[table], expected.shop[table], `${what}: shop table ${table} differs`);
      continue;
    }
    assert.deepEqual(actual[part], expected[part], `${what}: ${part} differs`);
  }
}

async function readShop(shop: ShopLocation): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  if ('sqliteFile' in shop) {
    const db = new SqliteDatabase(shop.sqliteFile, { readonly: true, fileMustExist: true });
    try {
      const tables = db
        .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
        .all() as Array<{ name: string }>;
      for (const { name } of tables) out[name] = db.prepare(`select * from "${name}" order by rowid`).all();
    } finally {
      db.close();
    }
    return out;
  }
  await withPgClient(async (c) => {
    const tables = await c.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = $1 order by table_name`,
      [shop.schema],
    );
    for (const { table_name } of tables.rows)
      out[table_name] = (await c.query(`select * from "${shop.schema}"."${table_name}" order by 1`)).rows;
  }, shop.postgresUrl);
  return out;
}
