/**
 * The cookie banner issue's figures, side by side in one run:
 *
 *   npm run bench -- banner [--duration 10] [--connections 50]
 *
 * 1. Bytes of `/banner.js` raw, gzip and brotli, next to vanilla-cookieconsent 3.1.0 (JS + CSS) and
 *    klaro 0.7.22 (JS with its CSS), from their packages (dev dependencies, for this only).
 * 2. `POST /api/v1/consents` on a real HTTP server (the consent routes behind helmet, the hub's
 *    SQLite store in a temporary folder, no request log), loaded by autocannon in a separate
 *    process over loopback, next to a bare Fastify route answering 201 under the same load and a
 *    minimal Fastify route that inserts the same row into SQLite through better-sqlite3 (the floor
 *    the issue measures against: same file settings, one prepared insert, no validation).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import helmet from '@fastify/helmet';
import SqliteDatabase from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import { ApiRegistry } from '../src/http/api/api-route.ts';
import { registerConsentRoutes } from '../src/http/api/consents.routes.ts';
import { installErrorHandlers } from '../src/http/errors.ts';
import { systemClock } from '../src/lib/clock.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { migrateToLatest, openStore } from '../src/store/database.ts';

const require = createRequire(import.meta.url);
const SHOP = 'https://www.balkonzon.nl';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
  });
  const loaded = loadYamlFile(join(import.meta.dirname, '../examples/balkonzon/policy.yaml'), Policy);
  if (!loaded.ok) throw new Error('the example policy does not load');
  const policy = loaded.value;
  await measureBytes(policy);
  await measureThroughput(policy, Number(values.duration), Number(values.connections));
}

async function measureBytes(policy: Policy): Promise<void> {
  const app = Fastify();
  registerConsentRoutes(app, new ApiRegistry(), {
    policy: () => policy,
    baseUrl: 'https://privacy.balkonzon.nl',
    store: { db: undefined as never },
    clock: systemClock,
  });
  const ours = (await app.inject({ url: '/banner.js' })).body;
  await app.close();
  const pkg = (name: string, ...files: string[]) =>
    files.map((f) => readFileSync(require.resolve(`${name}/${f}`), 'utf8')).join('\n');
  const rows: [string, string][] = [
    ['inzage /banner.js (JS + CSS + config)', ours],
    [
      'vanilla-cookieconsent 3.1.0 (umd JS + CSS)',
      pkg('vanilla-cookieconsent', 'dist/cookieconsent.umd.js', 'dist/cookieconsent.css'),
    ],
    ['klaro 0.7.22 (dist/klaro.js, CSS inside)', pkg('klaro', 'dist/klaro.js')],
  ];
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
  process.stdout.write('\nBanner bytes (gzip -9, brotli q11)\n');
  process.stdout.write(`${'script'.padEnd(44)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}\n`);
  for (const [name, text] of rows) {
    const raw = Buffer.byteLength(text);
    const gz = gzipSync(text, { level: 9 }).length;
    const br = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    process.stdout.write(`${name.padEnd(44)} ${kb(raw)} ${kb(gz)} ${kb(br)}\n`);
  }
}

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function measureThroughput(policy: Policy, duration: number, connections: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-bench-banner-'));
  const store = openStore({ dialect: 'sqlite', file: join(dataDir, 'inzage.db') });
  const body = JSON.stringify({
    consentId: '6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f',
    choices: { necessary: true, analytics: false },
    policyVersion: policy.version,
    gpc: false,
    bannerVersion: 'bench',
  });
  try {
    await migrateToLatest(store);
    const hub = Fastify({ logger: false });
    await hub.register(helmet, { contentSecurityPolicy: false });
    installErrorHandlers(hub);
    const deps = { policy: () => policy, baseUrl: 'http://127.0.0.1', store, clock: systemClock, shopOrigins: SHOP };
    registerConsentRoutes(hub, new ApiRegistry(), deps);
    const bare = Fastify({ logger: false });
    bare.post('/api/v1/consents', async (_req, reply) => reply.status(201).send({ ok: true }));
    const { app: minimal, close: closeMinimal } = await minimalInsertRoute(join(dataDir, 'minimal.db'));

    process.stdout.write(
      `\nPOST /api/v1/consents, ${connections} connections for ${duration} s, autocannon in its own process\n`,
    );
    process.stdout.write(
      `${'server'.padEnd(38)} ${'req/s'.padStart(9)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  answers\n`,
    );
    const rates = new Map<FastifyInstance, number>();
    for (const [name, app] of [
      ['bare Fastify route (201, no work)', bare],
      ['minimal Fastify + SQLite insert', minimal],
      ['inzage consent route, SQLite', hub],
    ] as [string, FastifyInstance][]) {
      const url = await listen(app);
      const r = await autocannon(`${url}/api/v1/consents`, body, duration, connections);
      await app.close();
      rates.set(app, r.requests.average);
      const answers = `${r['2xx']} × 2xx, ${r.non2xx} other, ${r.errors} errors, ${r.timeouts} timeouts`;
      process.stdout.write(
        `${name.padEnd(38)} ${r.requests.average.toFixed(0).padStart(9)} ${`${r.latency.p50} ms`.padStart(8)} ${`${r.latency.p99} ms`.padStart(8)} ${`${r.latency.max} ms`.padStart(8)}  ${answers}\n`,
      );
      if (app === hub) {
        const { n } = await store.db
          .selectFrom('cookie_consents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        // autocannon counts the answers inside its window; the last few in flight are stored too.
        process.stdout.write(`${''.padEnd(38)} ${n} proofs stored in SQLite\n`);
      }
    }
    closeMinimal();
    process.stdout.write(
      `inzage / minimal insert: ${(rates.get(hub)! / rates.get(minimal)!).toFixed(2)}× (floor 0.6×, p99 under 20 ms)\n`,
    );
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor: Fastify parsing JSON and inserting the proof's row with one prepared statement. */
async function minimalInsertRoute(file: string): Promise<{ app: FastifyInstance; close: () => void }> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table cookie_consents (id text primary key, consent_id text not null, choices text not null,
    policy_version text not null, banner_version text, gpc integer not null, ip_truncated text, ua_family text,
    created_at text not null)`);
  const insert = db.prepare('insert into cookie_consents values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const app = Fastify({ logger: false });
  app.post('/api/v1/consents', async (req, reply) => {
    const b = req.body as {
      consentId: string;
      choices: object;
      policyVersion: string;
      bannerVersion?: string;
      gpc: boolean;
    };
    insert.run(
      randomUUID(),
      b.consentId,
      JSON.stringify(b.choices),
      b.policyVersion,
      b.bannerVersion ?? null,
      b.gpc ? 1 : 0,
      req.ip,
      req.headers['user-agent'] ?? null,
      new Date().toISOString(),
    );
    return reply.status(201).send({ ok: true });
  });
  return { app, close: () => db.close() };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

/** Runs autocannon as a child process (so that the load does not share the server's event loop). */
function autocannon(url: string, body: string, duration: number, connections: number): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [
    bin,
    ...['-c', String(connections), '-d', String(duration), '-m', 'POST', '-b', body, '--json'],
    ...['-H', 'content-type=application/json', '-H', `origin=${SHOP}`, url],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (err) {
        reject(err);
      }
    });
  });
}
