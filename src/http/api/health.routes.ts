import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WORKER_ALIVE_MS } from '../../jobs/worker.ts';
import { pendingMigrations, ping } from '../../store/database.ts';
import type { AppDeps } from '../app.ts';
import type { ApiRegistry } from './api-route.ts';

const Check = z.object({ ok: z.boolean(), detail: z.string().optional() });
export const HealthBody = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ store: Check, migrations: Check, worker: Check }),
    jobs: z.object({ queued: z.number(), running: z.number(), failed: z.number() }).optional(),
  })
  .meta({ id: 'Health' });

/** For whoever runs Inzage: 200 when the store answers, migrations are current and a worker is alive. */
export function registerHealthRoutes(app: FastifyInstance, api: ApiRegistry, deps: AppDeps): void {
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
      const store = await check(() => ping(deps.store.db));
      const migrations = await check(async () => {
        const pending = await pendingMigrations(deps.store);
        if (pending.length) throw new Error(`${pending.length} pending: ${pending.join(', ')}`);
      });
      const worker = await check(async () => {
        const last = await deps.jobs.lastHeartbeat();
        if (!last) throw new Error('no worker has reported');
        const age = deps.clock.now().getTime() - last.getTime();
        if (age > WORKER_ALIVE_MS) throw new Error(`last heartbeat ${Math.round(age / 1000)} s ago`);
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
