/**
 * Issue 17's "several servers, one PostgreSQL": two `inzage serve --no-worker` and two `inzage worker`
 * processes (the release in dist/) on one PostgreSQL hub and a PostgreSQL demo shop, mailing through an
 * SMTP server in this process, behave as one.
 *
 *   npm run bench -- cluster [--intakes 2000] [--answers 200] [--clients N] [--concurrency 50]
 *                            [--confirm-concurrency 4] [--customers 1000] [--url postgres://…] [--keep]
 *
 * 1. Limits across the servers: one client's posts to both servers at once share one count (20 a minute);
 *    posts for one address to both at once join one request and one e-mail; one address gets at most 5
 *    verification e-mails an hour, whichever server took its requests.
 * 2. `--intakes` posts from `--clients` client addresses (X-Forwarded-For behind a pretend proxy),
 *    alternating between the servers: throughput, and every 202 stored once and mailed once.
 * 3. `--answers` of those people (customers of the shop) confirm through the link in their e-mail, as a
 *    person would, on either server: the time from the click to the access answer in the mailbox.
 * 4. Each job ran once, none failed, and no answer at all was a 5xx. Exits non-zero when a check fails.
 *
 * Each run gets fresh databases (dropped at the end unless `--keep`); the shop is seeded first and is not
 * part of any figure. The figures depend on the machine's load: they are what this machine did this time.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ACCOUNT_FAILURES } from '../src/admin/throttle.ts';
import { PRE_SESSION_COOKIE } from '../src/http/admin/session.ts';
import { openStore } from '../src/store/database.ts';
import { type ServeProcess, spawnServe } from '../test/helpers/serve.ts';
import { decodeBody, type ReceivedMail, startSmtpServer } from '../test/helpers/smtp.ts';
import { ms, summarize } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
/** The public address in the e-mails' links: a proxy in front of both servers, as in production. */
const PUBLIC_URL = 'https://privacy.balkonzon.test';
const VERIFY_LINK = /\/requests\/verify\/[A-Za-z0-9_-]{16,128}/;
const DOWNLOAD_LINK = /\/requests\/download\/[A-Za-z0-9_-]{16,128}/;
/** Per client, posts to the request API a minute (INTAKE_RATE_LIMIT in src/http/api/requests.routes.ts). */
const PER_CLIENT = 20;
/** Verification e-mails to one address in an hour (VERIFICATION_MAILS_PER_HOUR). */
const PER_ADDRESS = 5;

interface Answer {
  status: number;
  body: { id?: string; state?: string };
}

/** Every HTTP answer the bench got, by status (0: no answer at all). */
const statuses = new Map<number, number>();
const checks: Array<{ ok: boolean; text: string }> = [];
const check = (ok: boolean, text: string) => {
  checks.push({ ok, text });
  process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'} ${text}\n`);
};
const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));

/** A POST as a browser behind the proxy makes it: the proxy appends the client's address. */
async function post(url: string, client: string, body?: unknown): Promise<Answer> {
  const answer = await fetch(url, {
    method: 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      accept: 'application/json',
      'x-forwarded-for': client,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(
    async (r) => ({ status: r.status, body: (await r.json().catch(() => ({}))) as Answer['body'] }),
    () => ({ status: 0, body: {} }),
  );
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  return answer;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!, i);
    }),
  );
  return results;
}

const clientAddress = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      intakes: { type: 'string', default: '2000' },
      answers: { type: 'string', default: '200' },
      clients: { type: 'string' },
      concurrency: { type: 'string', default: '50' },
      'confirm-concurrency': { type: 'string', default: '4' },
      customers: { type: 'string', default: '1000' },
      url: {
        type: 'string',
        default: process.env.INZAGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      },
      keep: { type: 'boolean', default: false },
    },
  });
  const intakes = Number(values.intakes);
  const answers = Math.min(Number(values.answers), intakes, Number(values.customers) - 2);
  // Eight posts per client by default: well under the 20 a minute each client may make.
  const clients = Number(values.clients ?? Math.max(1, Math.ceil(intakes / 8)));
  if (Math.ceil(intakes / clients) >= PER_CLIENT)
    throw new Error(`--clients ${clients}: each would post ${PER_CLIENT} or more, and its limit would refuse some`);

  // @ts-expect-error a plain JavaScript module without types
  const { buildRelease } = (await import('../scripts/build.mjs')) as {
    buildRelease(o: { force: boolean }): Promise<boolean>;
  };
  await buildRelease({ force: false });

  const run = `inzage_cluster_${process.pid}_${randomBytes(3).toString('hex')}`;
  const urlOf = (db: string) => Object.assign(new URL(values.url!), { pathname: `/${db}` }).toString();
  const hubUrl = urlOf(`${run}_hub`);
  const shopUrl = urlOf(`${run}_shop`);
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: values.url });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  const folders: string[] = [];
  const folder = () => {
    const f = mkdtempSync(join(tmpdir(), 'inzage-bench-cluster-'));
    folders.push(f);
    return f;
  };
  const processes: ServeProcess[] = [];
  const smtp = await startSmtpServer();
  try {
    await admin(`create database ${run}_hub`);
    await admin(`create database ${run}_shop`);
    process.stdout.write(`seeding a demo shop of ${values.customers} customers into PostgreSQL ${run}_shop …\n`);
    execFileSync(
      process.execPath,
      ['bin/inzage.js', 'demo', 'seed', '--customers', values.customers!, '--url', shopUrl],
      {
        cwd: ROOT,
        env: { ...process.env, INZAGE_DATA_DIR: folder(), INZAGE_LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      },
    );
    const shop = new pg.Client({ connectionString: shopUrl });
    await shop.connect();
    const customers = (
      await shop.query<{ email: string }>(
        'select lower(email) as email from customers where id > 1 group by lower(email) order by min(id) limit $1',
        [answers + 1],
      )
    ).rows.map((r) => r.email);
    // One more customer, who clicks the link on both servers at once (a double click through the proxy).
    const doubleClick = customers.pop()!;
    await shop.end();

    // Four processes as four hosts would run them: a data folder each, one secret, one hub, one shop.
    const env = {
      INZAGE_SECRET: `cluster-bench-${randomBytes(24).toString('hex')}`,
      INZAGE_DATABASE_URL: hubUrl,
      INZAGE_SHOP_DATABASE_URL: shopUrl,
      INZAGE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      INZAGE_BASE_URL: PUBLIC_URL,
      INZAGE_TRUST_PROXY: 'true',
      INZAGE_DEMO: '0',
      INZAGE_LOG_LEVEL: 'warn',
      INZAGE_LOG_FORMAT: 'json',
    };
    process.stdout.write('starting 2 × `inzage serve --no-worker` and 2 × `inzage worker` at once …\n');
    const started = performance.now();
    for (const args of [undefined, undefined, ['worker'], ['worker']])
      processes.push(await spawnServe({ ...env, INZAGE_DATA_DIR: folder() }, args ? { args } : {}));
    const up = await Promise.all(processes.map((p) => p.running()));
    if (!up.every(Boolean))
      throw new Error(
        `a process did not start:\n${processes
          .map((p) => p.err())
          .join('\n')
          .slice(0, 4000)}`,
      );
    process.stdout.write(`  all four running after ${ms(performance.now() - started)}\n`);
    const servers = processes.slice(0, 2).map((p) => p.base);
    const server = (i: number) => servers[i % 2]!;

    /** Addresses that were accepted as new requests, with the receipt id: each must be stored and mailed once. */
    const accepted = new Map<string, string>();
    const verifyMails = (to: string) => smtp.received.filter((m) => m.rcptTo.includes(to) && isVerify(m));

    process.stdout.write('\nlimits across the two servers\n');
    // (a) One client, 30 posts at once, half to each server: the count is shared, so exactly 20 pass.
    const flood = await Promise.all(
      Array.from({ length: PER_CLIENT + 10 }, (_, i) =>
        post(`${server(i)}/api/v1/requests`, '10.250.0.1', { type: 'access', email: `flood-${i}@example.org` }),
      ),
    );
    flood.forEach((a, i) => {
      if (a.status === 202 && a.body.id) accepted.set(`flood-${i}@example.org`, a.body.id);
    });
    const after = await Promise.all(
      [0, 1].map((i) =>
        post(`${server(i)}/api/v1/requests`, '10.250.0.1', { type: 'access', email: `flood-after-${i}@example.org` }),
      ),
    );
    const passed = flood.filter((a) => a.status === 202).length;
    check(
      passed === PER_CLIENT && flood.every((a) => a.status === 202 || a.status === 429),
      `per client: ${PER_CLIENT + 10} posts at once from one client to both servers → ${passed} × 202, ${flood.filter((a) => a.status === 429).length} × 429 (limit ${PER_CLIENT} a minute)`,
    );
    check(
      after.every((a) => a.status === 429),
      `per client: that client's next post gets ${after.map((a) => a.status).join(' from the first server and ')} from the second`,
    );
    // (b) One address, ten posts of one type at once over both servers from ten clients: one request, one e-mail.
    const joinAddress = 'joined@example.org';
    const joined = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(`${server(i)}/api/v1/requests`, clientAddress(0xfa0100 + i), { type: 'access', email: joinAddress }),
      ),
    );
    // (c) One address, six requests of six types at once over both servers: 5 e-mails now, the sixth in an hour.
    const busyAddress = 'busy@example.org';
    const types = ['access', 'portability', 'restriction', 'erasure', 'closure', 'rectification'] as const;
    const busy = await Promise.all(
      types.map((type, i) =>
        post(`${server(i)}/api/v1/requests`, clientAddress(0xfa0200 + i), {
          type,
          email: busyAddress,
          ...(type === 'rectification' ? { corrections: { last_name: 'Jansen' } } : {}),
        }),
      ),
    );

    // (e) The login lockout: wrong passwords for one account, alternating servers and clients. The fifth failure
    // locks the account (it is answered 429 itself); every attempt after it is refused on both servers.
    const login = await loginAttempts(servers, ACCOUNT_FAILURES + 2);
    const [checked, locked] = [login.slice(0, ACCOUNT_FAILURES - 1), login.slice(ACCOUNT_FAILURES - 1)];
    check(
      checked.every((st) => st === 401) && locked.every((st) => st === 429),
      `login lockout: ${login.length} wrong passwords for one account from as many clients, alternating servers → ${checked.join(', ')}, then ${locked.join(', ')} (locked from the ${ACCOUNT_FAILURES}th failure on, on both servers)`,
    );

    // (d) The customer who will click twice: an ordinary intake.
    const twice = await post(`${server(0)}/api/v1/requests`, clientAddress(0xfa0300), {
      type: 'access',
      email: doubleClick,
    });
    if (twice.status === 202 && twice.body.id) accepted.set(doubleClick, twice.body.id);

    process.stdout.write(`\n${intakes} intakes from ${clients} clients, alternating between the two servers\n`);
    const people = Array.from({ length: intakes }, (_, i) => {
      // Every tenth post is one of the shop's customers who will confirm; the others are strangers to the shop.
      const customer = i % 10 === 0 ? customers[i / 10] : undefined;
      return { email: customer ?? `intake-${i}@example.org`, client: clientAddress(0x0a0000 + (i % clients)) };
    });
    const burstStarted = performance.now();
    const burst = await pool(people, Number(values.concurrency), (p, i) =>
      post(`${server(i)}/api/v1/requests`, p.client, { type: 'access', email: p.email }),
    );
    const burstMs = performance.now() - burstStarted;
    burst.forEach((a, i) => {
      if (a.status === 202 && a.body.id) accepted.set(people[i]!.email, a.body.id);
    });
    const burstStatuses = countBy(burst.map((a) => a.status));
    process.stdout.write(
      `  answers ${[...burstStatuses].map(([s, n]) => `${s || 'none'}: ${n}`).join(', ')} in ${ms(burstMs)}: ${(intakes / (burstMs / 1000)).toFixed(1)} intakes/s\n`,
    );
    check(burstStatuses.get(202) === intakes, `every intake from a client under its limit was accepted (202)`);

    // Every accepted address gets its e-mail; joinAddress one, busyAddress five now.
    const expectedNow = accepted.size + 1 + PER_ADDRESS;
    const mailWait = performance.now();
    while (smtp.received.filter(isVerify).length < expectedNow && performance.now() - mailWait < 180_000)
      await sleep(200);
    const mailedMs = performance.now() - burstStarted;
    process.stdout.write(
      `  verification e-mails received: ${smtp.received.filter(isVerify).length} of ${expectedNow}, the last ${ms(mailedMs)} after the first post\n`,
    );

    const samples: number[] = [];
    const hub = openStore({ dialect: 'postgres', url: hubUrl }, { poolSize: 2 });
    try {
      const storedBy = async (emails: string[]) => {
        const rows = await hub.db.selectFrom('requests').select(['id', 'email']).where('email', 'in', emails).execute();
        return countBy(rows.map((r) => r.email!));
      };
      const joinedRows = await storedBy([joinAddress]);
      check(
        joined.every((a) => a.status === 202) &&
          joinedRows.get(joinAddress) === 1 &&
          verifyMails(joinAddress).length === 1,
        `joined: 10 posts of one type for one address at once on both servers → ${joinedRows.get(joinAddress) ?? 0} request, ${verifyMails(joinAddress).length} e-mail`,
      );
      const busyRows = await storedBy([busyAddress]);
      check(
        busy.every((a) => a.status === 202) &&
          busyRows.get(busyAddress) === types.length &&
          verifyMails(busyAddress).length === PER_ADDRESS,
        `per address: ${types.length} requests of ${types.length} types for one address at once on both servers → ${busyRows.get(busyAddress) ?? 0} requests, ${verifyMails(busyAddress).length} e-mails now (at most ${PER_ADDRESS} an hour)`,
      );

      // Every 202 stored once (by address, and with the id it answered) and mailed once.
      const emails = [...accepted.keys()];
      const rows: Array<{ id: string; email: string | null }> = [];
      for (let i = 0; i < emails.length; i += 500)
        rows.push(
          ...(await hub.db
            .selectFrom('requests')
            .select(['id', 'email'])
            .where('email', 'in', emails.slice(i, i + 500))
            .execute()),
        );
      const stored = countBy(rows.map((r) => r.email!));
      const notOnce = emails.filter((e) => stored.get(e) !== 1);
      const wrongId = rows.filter((r) => accepted.get(r.email!) !== r.id);
      const mailed = countBy(smtp.received.filter(isVerify).flatMap((m) => m.rcptTo));
      const notMailedOnce = emails.filter((e) => mailed.get(e) !== 1);
      check(
        notOnce.length === 0 && wrongId.length === 0,
        `stored once: ${emails.length} accepted requests → ${rows.length} rows (${notOnce.length} addresses not exactly once, ${wrongId.length} ids differ)`,
      );
      check(
        notMailedOnce.length === 0,
        `mailed once: ${emails.length} accepted requests → ${emails.length - notMailedOnce.length} addresses with exactly one verification e-mail (${notMailedOnce.filter((e) => !mailed.get(e)).length} with none, ${notMailedOnce.filter((e) => (mailed.get(e) ?? 0) > 1).length} with more)`,
      );

      process.stdout.write(
        `\n${customers.length} customers confirm through the link in their e-mail (${values['confirm-concurrency']} at a time), on either server\n`,
      );
      const confirmed = await pool(customers, Number(values['confirm-concurrency']), async (email, i) => {
        const mail = verifyMails(email)[0];
        const link = mail && VERIFY_LINK.exec(bodyOf(mail))?.[0];
        if (!link) return false;
        const clicked = performance.now();
        const answer = await post(`${server(i)}${link}`, clientAddress(0xfb0000 + i));
        if (answer.status !== 200 || answer.body.state !== 'verified') return false;
        const ready = await smtp
          .waitFor((m) => m.at >= clicked && m.rcptTo.includes(email) && DOWNLOAD_LINK.test(bodyOf(m)), 60_000)
          .catch(() => undefined);
        if (ready) samples.push(ready.at - clicked);
        return ready !== undefined;
      });
      const s = summarize(samples);
      process.stdout.write(`  confirm → access answer in the mailbox: median ${ms(s.median)}, p95 ${ms(s.p95)}\n`);
      // The same link clicked on both servers at once: one click verifies, the other finds it used.
      const link = VERIFY_LINK.exec(bodyOf(verifyMails(doubleClick)[0] ?? ({ raw: '' } as ReceivedMail)))?.[0];
      const clicks = link
        ? await Promise.all([0, 1].map((i) => post(`${server(i)}${link}`, clientAddress(0xfb1000 + i))))
        : [];
      const answered = await smtp
        .waitFor((m) => m.rcptTo.includes(doubleClick) && DOWNLOAD_LINK.test(bodyOf(m)), 60_000)
        .then(
          () => true,
          () => false,
        );
      const clickStatuses = clicks.map((c) => c.status).sort();
      check(
        clickStatuses.join() === '200,409' && answered,
        `double click: one link posted to both servers at once → ${clickStatuses.join(' and ') || 'no link'}, ${answered ? 'an' : 'no'} access answer`,
      );
      check(
        confirmed.every(Boolean),
        `answered: ${confirmed.filter(Boolean).length} of ${customers.length} confirmed requests have their access answer in the mailbox`,
      );

      // Nothing left to run now (the busy address's sixth e-mail waits for its hour), then count.
      const settle = performance.now();
      const due = async () =>
        (
          await hub.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where((eb) =>
              eb.or([
                eb('status', '=', 'running'),
                eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', new Date().toISOString())]),
              ]),
            )
            .executeTakeFirstOrThrow()
        ).n;
      while (Number(await due()) > 0 && performance.now() - settle < 60_000) await sleep(200);
      const answerMails = countBy(smtp.received.filter((m) => DOWNLOAD_LINK.test(bodyOf(m))).flatMap((m) => m.rcptTo));
      const answeredTwice = [...customers, doubleClick].filter((e) => (answerMails.get(e) ?? 0) > 1);
      check(answeredTwice.length === 0, `answered once: ${answeredTwice.length} people got their access answer twice`);
      const jobs = await hub.db.selectFrom('jobs').select(['name', 'status', 'attempts', 'run_at']).execute();
      const ranTwice = jobs.filter((j) => j.attempts > 1);
      const failed = jobs.filter((j) => j.status === 'failed');
      const later = jobs.filter((j) => j.status === 'queued' && j.attempts === 0);
      check(
        ranTwice.length === 0 && failed.length === 0 && jobs.every((j) => j.status === 'done' || j.attempts === 0),
        `jobs: ${jobs.length}, each run once (${ranTwice.length} more than once, ${failed.length} failed; ${later.length} not due yet: ${[...countBy(later.map((j) => j.name))].map(([n, c]) => `${c} ${n}`).join(', ') || 'none'})`,
      );
      const processed = jobs.filter((j) => j.name === 'request.process').length;
      check(
        processed === customers.length + 1,
        `${processed} request.process jobs for ${customers.length + 1} confirmed requests`,
      );
      const outbox = await hub.db.selectFrom('mail_outbox').select(['status', 'attempts', 'handed_over_at']).execute();
      const sentTwice = outbox.filter((m) => m.attempts > 1);
      check(
        sentTwice.length === 0 && outbox.every((m) => m.status !== 'failed'),
        `mail outbox: ${outbox.length} messages, ${outbox.filter((m) => m.status === 'sent').length} sent, none tried twice or failed (${sentTwice.length} tried twice)`,
      );
      process.stdout.write(`  SMTP server received ${smtp.received.length} messages in all\n`);
    } finally {
      await hub.close();
    }

    const fivexx = [...statuses].filter(([s]) => s >= 500 || s === 0).reduce((n, [, c]) => n + c, 0);
    check(
      fivexx === 0,
      `no 5xx: ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s || 'no answer'}: ${n}`)
        .join(', ')}`,
    );
    const errors = processes.flatMap((p) => p.out().split('\n').concat(p.err().split('\n'))).filter(isErrorLine);
    check(errors.length === 0, `no error in the four processes' logs (${errors.length})`);
    for (const line of errors.slice(0, 5)) process.stdout.write(`       ${line.slice(0, 300)}\n`);
    // Warnings are not failures (a job retried is allowed), but they are worth seeing: by message.
    const warnings = countBy(
      processes
        .flatMap((p) => p.out().split('\n'))
        .filter((l) => l.includes('"level":40'))
        .map((l) => /"msg":"([^"]*)"/.exec(l)?.[1] ?? '?'),
    );
    process.stdout.write(
      `  warnings in the logs: ${[...warnings].map(([m, n]) => `${n} × ${m}`).join('; ') || 'none'}\n`,
    );

    const failedChecks = checks.filter((c) => !c.ok).length;
    process.stdout.write(
      `\nsummary: intake ${(intakes / (burstMs / 1000)).toFixed(1)} req/s (${intakes} in ${ms(burstMs)}, ${values.concurrency} at a time); ` +
        `all verification e-mails in the mailbox ${(mailedMs / 1000).toFixed(1)} s after the first post; ` +
        `confirm → answer median ${ms(summarize(samples).median)}, p95 ${ms(summarize(samples).p95)} (${samples.length} people); ` +
        `${failedChecks ? `${failedChecks} check(s) FAILED` : 'all checks passed'}\n`,
    );
    if (failedChecks) process.exitCode = 1;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await smtp.close();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
    if (!values.keep) {
      await admin(`drop database if exists ${run}_hub with (force)`).catch(() => {});
      await admin(`drop database if exists ${run}_shop with (force)`).catch(() => {});
    } else process.stdout.write(`kept the databases ${run}_hub and ${run}_shop\n`);
  }
}

// Decoded once per message: the bench looks at each many times while thousands arrive.
const bodies = new WeakMap<ReceivedMail, string>();
function bodyOf(m: ReceivedMail): string {
  let body = bodies.get(m);
  if (body === undefined) {
    body = decodeBody(m.raw);
    bodies.set(m, body);
  }
  return body;
}

function isVerify(m: ReceivedMail): boolean {
  return VERIFY_LINK.test(bodyOf(m));
}

/**
 * Wrong passwords for one account, attempt i on server i % 2 from a client of its own, as the login form
 * posts them (with the pre-session cookie and CSRF token the first server handed out): their statuses.
 */
async function loginAttempts(servers: string[], attempts: number): Promise<number[]> {
  const page = await fetch(`${servers[0]}/admin/login`);
  statuses.set(page.status, (statuses.get(page.status) ?? 0) + 1);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${PRE_SESSION_COOKIE}=`));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!cookie || !csrf) throw new Error('the login page came without its pre-session cookie or CSRF token');
  const out: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const status = await fetch(`${servers[i % 2]}/admin/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        'x-forwarded-for': clientAddress(0xfc0000 + i),
      },
      body: new URLSearchParams({ _csrf: csrf, email: 'officer@balkonzon.test', password: `wrong-${i}` }).toString(),
    }).then(
      (r) => r.status,
      () => 0,
    );
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    out.push(status);
  }
  return out;
}

function countBy<T>(xs: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** A pino line at level error (50) or fatal (60). */
function isErrorLine(line: string): boolean {
  return /"level":(5|6)0\b/.test(line);
}
