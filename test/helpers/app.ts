import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadYamlFile } from '../../src/config/yaml-file.ts';
import { type AppDeps, buildApp } from '../../src/http/app.ts';
import { JobRepository } from '../../src/jobs/job.repository.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { type Policy, Policy as PolicySchema } from '../../src/policy/policy.schema.ts';
import type { Dialect } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from './db.ts';

export const EXAMPLE_POLICY_FILE = new URL('../../examples/balkonzon/policy.yaml', import.meta.url).pathname;

export function loadExamplePolicy(): Policy {
  const result = loadYamlFile(EXAMPLE_POLICY_FILE, PolicySchema);
  if (!result.ok) throw new Error(`example policy is invalid: ${JSON.stringify(result.problems)}`);
  return result.value;
}

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  store: TestStore;
  clock: FakeClock;
  /** Every log line the app wrote, as text. */
  logs: () => string;
  close(): Promise<void>;
}

/** The real app on a fresh store, with a fake clock and its log captured; call with app.inject(). */
export async function buildTestApp(dialect: Dialect = 'sqlite'): Promise<TestApp> {
  const store = await createTestStore(dialect);
  const clock = new FakeClock();
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const policy = loadExamplePolicy();
  const deps: AppDeps = {
    policy: () => policy,
    baseUrl: 'http://localhost:8080',
    store,
    jobs: new JobRepository(store.db, store.dialect, clock),
    clock,
    logger,
  };
  const app = await buildApp(deps);
  return {
    app,
    deps,
    store,
    clock,
    logs: () => lines.join(''),
    close: async () => {
      await app.close();
      await store.drop();
    },
  };
}
