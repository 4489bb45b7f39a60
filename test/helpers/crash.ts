import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail } from '../../src/audit/audit-trail.ts';
import { openSqlDatabase } from '../../src/connectors/sql/sql-database.ts';
import type { Failpoint } from '../../src/lib/failpoints.ts';
import { type Dialect, openStore } from '../../src/store/database.ts';
import { TEST_SECRET } from './app.ts';
import { POSTGRES_URL, withPgClient } from './db.ts';
import { RUN_FROM } from './run-from.ts';
import { startSmtpServer, subjectOf } from './smtp.ts';

/**
 * A place where Inzage runs as it would on a server, for the crash matrix: a data folder with its own copy
 * of a demo shop, its own hub (a SQLite file or a PostgreSQL database), and an SMTP server that counts
 * what it receives. Processes are started with `bin/inzage.js`, so a failpoint kills a real process.
 */
export interface CrashSite {
  env: Record<string, string>;
  /** Messages the SMTP server accepted: recipient and subject, one entry per recipient. */
  readonly received: Array<{ to: string; subject: string }>;
  close(): Promise<void>;
}

export async function crashSite(dialect: Dialect, shopTemplate: string): Promise<CrashSite> {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-crash-'));
  copyFileSync(shopTemplate, join(dataDir, 'demo-shop.db'));
  const smtp = await startSmtpServer();
  let hub = join(dataDir, 'inzage.db');
  let dropHub = async () => {};
  if (dialect === 'postgres') {
    const name = `inzage_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await withPgClient((c) => c.query(`create database ${name}`));
    const url = new URL(POSTGRES_URL!);
    url.pathname = `/${name}`;
    hub = url.toString();
    dropHub = () => withPgClient((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {});
  }
  return {
    env: {
      INZAGE_DATA_DIR: dataDir,
      INZAGE_CONFIG_DIR: 'examples/balkonzon',
      INZAGE_SECRET: TEST_SECRET,
      INZAGE_DATABASE_URL: hub,
      INZAGE_SHOP_DATABASE_URL: `sqlite:${join(dataDir, 'demo-shop.db')}`,
      INZAGE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      INZAGE_DEMO: '0',
      INZAGE_LOG_LEVEL: 'error',
    },
    get received() {
      return smtp.received.flatMap((m) => m.rcptTo.map((to) => ({ to, subject: subjectOf(m.raw) })));
    },
    close: async () => {
      await smtp.close();
      await dropHub();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `inzage …` as its own process on a site; `failpoints` arms them (the process then dies with 137). */
export function runProcess(
  site: CrashSite,
  args: string[],
  failpoints: ReadonlyArray<Failpoint> = [],
): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: process.env.TZ,
    INZAGE_RUN_FROM: RUN_FROM,
    ...site.env,
  };
  if (failpoints.length) env.INZAGE_FAILPOINTS = failpoints.join(',');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/inzage.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/**
 * What a run leaves behind that matters, without what differs between two runs by nature (ids, times,
 * tokens): the shop's rows, the register, the timeline, tasks, mails, the audit chain, the sealed
 * archive, exports and the erasure journal. Two runs that did the same are equal here.
 */
const refsOf = (rows: ReadonlyArray<{ subject_ref: string }>) => rows.map((r) => r.subject_ref).sort();

export async function outcomeOf(site: CrashSite): Promise<Record<string, unknown>> {
  const shop = openSqlDatabase(site.env.INZAGE_SHOP_DATABASE_URL!);
  const shopRows: Record<string, unknown[]> = {};
  try {
    const tables = await shop.run(`select name from sqlite_master where type = 'table' order by name`, []);
    for (const { name } of tables as Array<{ name: string }>)
      shopRows[name] = (await shop.run(`select * from "${name}"`, [])).map((r) => JSON.stringify(r)).sort();
  } finally {
    await shop.close();
  }
  const url = site.env.INZAGE_DATABASE_URL!;
  const store = openStore(url.startsWith('postgres') ? { dialect: 'postgres', url } : { dialect: 'sqlite', file: url });
  try {
    const db = store.db;
    const requests = await db.selectFrom('requests').selectAll().orderBy('received_at').orderBy('type').execute();
    const ids = new Map(requests.map((r, i) => [r.id, `request-${i + 1}`]));
    const anon = (text: string | null) => {
      if (text === null) return null;
      let out = text;
      for (const [id, name] of ids) out = out.replaceAll(id, name);
      return out;
    };
    const events = await db.selectFrom('request_events').selectAll().orderBy('at').orderBy('id').execute();
    const trail = new AuditTrail({ db, clock: { now: () => new Date() }, dialect: store.dialect });
    const audit = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    return {
      shop: shopRows,
      requests: requests.map((r) => ({
        type: r.type,
        status: r.status,
        outcome: r.outcome,
        email: r.email,
        result: r.result ? JSON.parse(r.result) : null,
        channel: r.channel,
      })),
      events: requests.map((r) => ({
        request: ids.get(r.id),
        events: events.filter((e) => e.request_id === r.id).map((e) => e.event),
      })),
      tasks: (await db.selectFrom('tasks').selectAll().execute())
        .map((t) => `${ids.get(t.request_id)} ${t.system} ${t.action} ${t.status}`)
        .sort(),
      outbox: (await db.selectFrom('mail_outbox').selectAll().execute())
        .map((m) => `${ids.get(m.request_id ?? '') ?? '-'} ${m.template} ${m.status}`)
        .sort(),
      smtp: site.received.map((m) => `${m.to} ${m.subject}`).sort(),
      audit: audit.map((e) => ({
        actor: e.actor,
        action: e.action,
        target: anon(e.target),
        subject: e.subject_ref ? 'someone' : null,
        details: anon(e.details),
      })),
      auditChain: (await trail.verify()).ok,
      sealed: (await db.selectFrom('sealed_records').selectAll().execute())
        .map((s) => `${s.system}/${s.collection}/${s.record_key} ${s.hold} ${s.hold_until}`)
        .sort(),
      exports: (await db.selectFrom('request_exports').selectAll().execute())
        .map((x) => `${ids.get(x.request_id)} part ${x.part} ${x.ciphertext === null ? 'destroyed' : 'kept'}`)
        .sort(),
      journal: (await db.selectFrom('erasure_journal').selectAll().execute()).length,
      // What the hub holds about people, by whom (keyed references, the same in both runs): an erasure
      // resumed after a crash must forget exactly what an uninterrupted one does.
      traces: {
        subject_activity: refsOf(await db.selectFrom('subject_activity').select('subject_ref').execute()),
        contact_consents: refsOf(await db.selectFrom('contact_consents').select('subject_ref').execute()),
        analytics_ids: refsOf(await db.selectFrom('analytics_ids').select('subject_ref').execute()),
        subject_flags: refsOf(await db.selectFrom('subject_flags').select('subject_ref').execute()),
        archive_keys: refsOf(await db.selectFrom('archive_keys').select('subject_ref').execute()),
      },
      verificationMails: (await db.selectFrom('verification_mails').selectAll().execute()).length,
    };
  } finally {
    await store.close();
  }
}
