/**
 * The request issue's figures, against a real `inzage serve` (a child process on its own port and
 * data folder, with the demo shop of 1,000 customers and the dev mailbox):
 *
 *   npm run bench -- requests [--people N] [--burst N]
 *
 * 1. From the click on "confirm" to the access answer in the mailbox, per person (median, p95).
 * 2. A burst of concurrent intake requests, from one client and from many: every answer is 202 or
 *    429, none 5xx, and every 202 is stored and mailed exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { ms, summarize } from './stats.ts';

interface Mail {
  to: string;
  template: string;
  links: string[];
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { people: { type: 'string', default: '50' }, burst: { type: 'string', default: '1000' } },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-bench-requests-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['bin/inzage.js', 'serve'], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      PORT: String(port),
      INZAGE_HOST: '127.0.0.1',
      INZAGE_BASE_URL: base,
      INZAGE_DATA_DIR: dataDir,
      INZAGE_TRUST_PROXY: 'true',
      // Behind a (pretend) proxy the dev mailbox is refused unless asked for: the bench reads it.
      INZAGE_DEV_MAILBOX: '1',
      INZAGE_LOG_LEVEL: 'warn',
      INZAGE_SMTP_URL: '',
      INZAGE_DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(base, server);
    await measureLatency(base, dataDir, Number(values.people));
    await measureBurst(base, dataDir, Number(values.burst));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitForHealth(base: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error('inzage serve stopped');
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error('inzage serve did not become healthy');
}

const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));
let client = 0;
/** A client address of its own per call, so that the per-client limit does not hide the rest. */
const post = (url: string, body?: unknown, forwardedFor = `10.1.${(client >> 8) & 255}.${client++ & 255}`) =>
  fetch(url, {
    method: 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      accept: 'application/json',
      'x-forwarded-for': forwardedFor,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function mailbox(base: string, to?: string): Promise<Mail[]> {
  const res = await fetch(`${base}/api/v1/dev/mailbox${to ? `?to=${encodeURIComponent(to)}` : ''}`);
  return (await res.json()) as Mail[];
}

async function waitForMail(base: string, to: string, template: string, timeoutMs = 10_000): Promise<Mail> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const mail = (await mailbox(base, to)).find((m) => m.template === template);
    if (mail) return mail;
    await sleep(10);
  }
  throw new Error(`no ${template} mail for a person within ${timeoutMs} ms`);
}

async function measureLatency(base: string, dataDir: string, people: number): Promise<void> {
  const shop = new SqliteDatabase(join(dataDir, 'demo-shop.db'), { readonly: true });
  const emails = (
    shop
      .prepare('select distinct lower(email) as email from customers where id > 1 order by id limit ?')
      .all(people) as {
      email: string;
    }[]
  ).map((r) => r.email);
  shop.close();
  const samples: number[] = [];
  for (const email of emails) {
    const res = await post(`${base}/api/v1/requests`, { type: 'access', email });
    if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
    const verify = await waitForMail(base, email, 'verify');
    const started = performance.now();
    const confirm = await post(verify.links[0]!.replace(/^https?:\/\/[^/]+/, base));
    if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}`);
    await waitForMail(base, email, 'access-ready');
    samples.push(performance.now() - started);
  }
  const s = summarize(samples);
  process.stdout.write(
    `\nconfirm → access answer in the mailbox, ${s.n} people on the demo shop (1,000 customers):\n  median ${ms(s.median)}, p95 ${ms(s.p95)}\n`,
  );
}

async function measureBurst(base: string, dataDir: string, burst: number): Promise<void> {
  for (const [label, oneClient] of [
    ['from one client', true],
    ['from as many clients', false],
  ] as const) {
    const tag = oneClient ? 'one' : 'many';
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        post(
          `${base}/api/v1/requests`,
          { type: 'access', email: `burst-${tag}-${i}@example.org` },
          oneClient ? '10.9.9.9' : undefined,
        )
          .then(async (r) => ({ status: r.status, body: (await r.json()) as { id?: string } }))
          .catch(() => ({ status: 0, body: {} as { id?: string } })),
      ),
    );
    const elapsed = performance.now() - started;
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const accepted = answers.filter((a) => a.status === 202);
    const ids = new Set(accepted.map((a) => a.body.id));

    // Every accepted request is stored once and mailed once: read from the hub's store (the mailbox
    // API shows the newest 500 only).
    const hub = new SqliteDatabase(join(dataDir, 'inzage.db'), { readonly: true });
    const idList = JSON.stringify([...ids]);
    const count = (sql: string) => (hub.prepare(sql).get(idList) as { n: number }).n;
    const until = Date.now() + 60_000;
    let sent = 0;
    while (Date.now() < until) {
      sent = count(
        "select count(*) as n from mail_outbox where template = 'verify' and status = 'sent' and request_id in (select value from json_each(?))",
      );
      if (sent >= accepted.length) break;
      await sleep(200);
    }
    const mailedIn = performance.now() - started;
    const stored = count('select count(*) as n from requests where id in (select value from json_each(?))');
    const verifyMails = count(
      "select count(*) as n from mail_outbox where template = 'verify' and request_id in (select value from json_each(?))",
    );
    const twice = count(
      "select count(*) as n from (select request_id from mail_outbox where template = 'verify' and request_id in (select value from json_each(?)) group by request_id having count(*) > 1)",
    );
    hub.close();
    const statuses = [...byStatus].map(([s, n]) => `${s || 'network error'}: ${n}`).join(', ');
    const fivexx = answers.filter((a) => a.status >= 500 || a.status === 0).length;
    process.stdout.write(
      `\n${burst} concurrent intake requests ${label}: ${statuses} in ${ms(elapsed)}\n` +
        `  5xx or no answer: ${fivexx}; accepted ${accepted.length}, stored ${stored}, verification mails ${verifyMails} (sent ${sent} within ${ms(mailedIn)}), mailed twice ${twice}\n`,
    );
  }
}
