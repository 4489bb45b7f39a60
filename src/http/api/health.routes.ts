import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WORKER_ALIVE_MS } from '../../jobs/worker.ts';
import { describeStoreError, pendingMigrations, ping, probeWrite } from '../../store/database.ts';
import type { AppDeps } from '../app.ts';
import type { ApiRegistry } from './api-route.ts';

const PROBE_EVERY_MS = 5000;

const Check = z.object({ ok: z.boolean(), detail: z.string().optional() });
export const HealthBody = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ store: Check, migrations: Check, worker: Check }),
    jobs: z.object({ queued: z.number(), running: z.number(), failed: z.number() }).optional(),
  })
  .meta({ id: 'Health' });

/**
 * For whoever runs Inzage: 200 when the store answers and can be written, migrations are current and a
 * worker is alive. A store that answers but cannot be written (a read-only file, a full disk) says so.
 */
export function registerHealthRoutes(app: FastifyInstance, api: ApiRegistry, deps: AppDeps): void {
  // The write test writes a few pages: an open endpoint asked often (a monitor, or a flood) does it at most
  // once per PROBE_EVERY_MS, and answers with its last result meanwhile.
  let lastProbe: { at: number; error?: unknown } | undefined;
  const probe = async () => {
    const now = performance.now();
    if (!lastProbe || now - lastProbe.at >= PROBE_EVERY_MS) {
      lastProbe = { at: now };
      await probeWrite(deps.store.db, deps.clock.now().toISOString()).catch((err) => {
        lastProbe = { at: now, error: err };
      });
    }
    if (lastProbe.error) throw lastProbe.error;
  };
  api.add(
    app,
    {
      method: 'GET',
      url: '/healthz',
      summary: 'Health of the service',
      tags: ['operations'],
      responses: {
        200: { description: 'Everything works', schema: HealthBody },
        503: { description: 'Something is wrong; `checks` says what', schema: HealthBody },
      },
    },
    async ({ reply }) => {
      let writable = true;
      const store = await check(async () => {
        await ping(deps.store.db);
        await probe().catch((err) => {
          writable = false;
          throw new Error(`cannot be written: ${describeStoreError(err)}`);
        });
      });
      const migrations = await check(async () => {
        const pending = await pendingMigrations(deps.store);
        if (pending.length) throw new Error(`${pending.length} pending: ${pending.join(', ')}`);
      });
      const worker = await check(async () => {
        const last = await deps.jobs.lastHeartbeat();
        const age = last ? deps.clock.now().getTime() - last.getTime() : undefined;
        const silent =
          age === undefined
            ? 'no worker has reported'
            : age > WORKER_ALIVE_MS
              ? `last heartbeat ${Math.round(age / 1000)} s ago`
              : undefined;
        // A worker reports by writing to the store: with the store unwritable, its silence says nothing more.
        if (silent && !writable) throw new Error(`${silent}: the store cannot be written, so no worker can report`);
        if (silent) throw new Error(silent);
      });
      const counts = store.ok ? await deps.jobs.counts().catch(() => undefined) : undefined;
      const ok = store.ok && migrations.ok && worker.ok;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        checks: { store, migrations, worker },
        ...(counts ? { jobs: { queued: counts.queued, running: counts.running, failed: counts.failed } } : {}),
      });
    },
  );
}

async function check(fn: () => Promise<void>): Promise<z.infer<typeof Check>> {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
