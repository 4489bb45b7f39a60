import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type * as promClientTypes from 'prom-client';
import type { Clock } from '../lib/clock.ts';
import { lazily } from '../lib/lazy-require.ts';
import type { Database } from '../store/schema.ts';
import { MetricsRepository } from './metrics.repository.ts';

// Loaded only when metrics are switched on (INZAGE_METRICS_TOKEN).
const promClient = lazily<typeof promClientTypes>('prom-client');
/**
 * `GET /metrics` in Prometheus's text format, only when INZAGE_METRICS_TOKEN is set (404 otherwise) and only
 * for `Authorization: Bearer <token>`. Labels are types, statuses, processors, routes: never personal data.
 * A registry of its own per app (not prom-client's global one): two apps in one process stay apart.
 */
export function registerMetrics(app: FastifyInstance, deps: { db: Kysely<Database>; clock: Clock; token?: string }) {
  const token = deps.token;
  if (!token) return;
  const { Gauge, Histogram, Registry } = promClient();
  const registry = new Registry();
  const repository = new MetricsRepository(deps.db);
  const duration = new Histogram({
    name: 'inzage_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route's template (`/api/v1/requests/:id`), never the address asked for: no token or id in a label.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const open = gauge('inzage_requests_open', 'Open data-subject requests by type and status', ['type', 'status']);
  const overdue = gauge('inzage_requests_overdue', 'Open requests past their due date');
  const dueSoon = gauge('inzage_requests_due_within_7_days', 'Open requests due within the next 7 days');
  const jobs = gauge('inzage_jobs', 'Background jobs by status (queued = pending, running, failed)', ['status']);
  const processors = gauge('inzage_processor_calls', 'Processor calls recorded, by processor and outcome', [
    'processor',
    'outcome',
  ]);
  const mails = gauge('inzage_mails', 'E-mails in the outbox by status (queued, sent, failed)', ['status']);
  const retentionRuns = gauge('inzage_retention_runs', 'Retention runs carried out');
  const retentionLast = gauge(
    'inzage_retention_last_run_timestamp_seconds',
    'When the last retention run was (0: never)',
  );

  const collect = async () => {
    const f = await repository.figures(deps.clock.now());
    for (const g of [open, jobs, processors, mails]) g.reset();
    for (const r of f.openRequests) open.set({ type: r.type, status: r.status }, r.n);
    overdue.set(f.overdue);
    dueSoon.set(f.dueWithin7Days);
    for (const status of ['queued', 'running', 'failed']) jobs.set({ status }, 0);
    for (const r of f.jobs) jobs.set({ status: r.status }, r.n);
    for (const r of f.processorCalls) processors.set({ processor: r.processor, outcome: r.outcome }, r.n);
    for (const status of ['queued', 'sent', 'failed']) mails.set({ status }, 0);
    for (const r of f.mails) mails.set({ status: r.status }, r.n);
    retentionRuns.set(f.retention.runs);
    retentionLast.set(f.retention.lastAt ? Date.parse(f.retention.lastAt) / 1000 : 0);
  };

  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return reply.status(401).header('www-authenticate', 'Bearer').type('text/plain').send('unauthorized\n');
    await collect();
    return reply
      .type(registry.contentType)
      .header('cache-control', 'no-store')
      .send(await registry.metrics());
  });
}
