import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ScryptCost } from '../../src/admin/passwords.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { loadYamlFile } from '../../src/config/yaml-file.ts';
import type { DataMap } from '../../src/datamap/datamap.schema.ts';
import { type AppDeps, buildApp } from '../../src/http/app.ts';
import { createWorker } from '../../src/jobs/worker.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { type Policy, Policy as PolicySchema } from '../../src/policy/policy.schema.ts';
import { openKeyring } from '../../src/secrets/keyring.ts';
import { type BuildOptions, buildServices, type Services } from '../../src/services.ts';
import type { Dialect, Store } from '../../src/store/database.ts';
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
  services: Services;
  drain(): Promise<void>;
  store: TestStore;
  clock: FakeClock;
  /** Every log line the app wrote, as text. */
  logs: () => string;
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** A configuration like a newcomer's, with a data folder of its own. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    INZAGE_DATA_DIR: dataDir,
    INZAGE_CONFIG_DIR: 'examples/balkonzon',
    INZAGE_SECRET: TEST_SECRET,
    ...env,
  });
}

export interface TestAppOptions {
  /** The data map the engine works on; none by default. */
  dataMap?: DataMap;
  /** Routes added after buildApp, before the app is ready: for a capability not yet wired into it. */
  extraRoutes?: (app: FastifyInstance, services: Services) => void;
  /** Environment for the configuration, e.g. INZAGE_CONFIG_DIR for a policy file a test may change. */
  env?: Record<string, string>;
  /** For processor APIs: their secrets (env), fetch, sleep and factories, as in buildServices. */
  executor?: BuildOptions['executor'];
  /**
   * A store another app uses too (e.g. `store.openAnother()`), as a second server on the same database
   * would; the caller closes it. A fresh store of the app's own by default.
   */
  store?: Store;
  /** The clock, e.g. one shared with another app; a fresh fake clock by default. */
  clock?: FakeClock;
  /**
   * scrypt's parameters for back-office passwords. By default a cheap one: at OWASP's N = 2^17 each
   * login costs most of a second, which tripled the back-office tests' time. The production parameters
   * are tested where they are the point (test/admin-password-upgrade.test.ts, src/admin/users.test.ts).
   */
  passwordCost?: ScryptCost;
}

/** scrypt for tests where its cost is not the point. */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };

/** The real app on a fresh store, with a fake clock and its log captured; call with app.inject(). */
export async function buildTestApp(dialect: Dialect = 'sqlite', options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.store;
  const store: TestStore = shared
    ? { ...shared, drop: async () => {}, openAnother: () => shared }
    : await createTestStore(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'inzage-app-'));
  const clock = options.clock ?? new FakeClock();
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const config = testConfig(dataDir, options.env);
  await openKeyring(store.db, config.secret, clock.now());
  const services = buildServices(config, store, clock, logger, {
    dataMap: options.dataMap ?? null,
    executor: options.executor,
    passwordCost: options.passwordCost ?? TEST_PASSWORD_COST,
  });
  const deps: AppDeps = { ...services, baseUrl: config.baseUrl, logger, devMailbox: 'loopback' };
  deps.consentsPerMinute = config.consentsPerMinute;
  deps.metricsToken = config.metricsToken;
  const app = await buildApp(deps);
  options.extraRoutes?.(app, services);
  const worker = createWorker({ jobs: services.jobs, definitions: services.jobDefinitions, clock, logger });
  return {
    app,
    deps,
    services,
    store,
    clock,
    logs: () => lines.join(''),
    /** Runs every job that is due now, until none is left. */
    drain: async () => {
      for (let i = 0; i < 50 && (await worker.tick()) > 0; i++) {}
    },
    close: async () => {
      await app.close();
      await services.close();
      await store.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Several servers on one database, as `inzage serve` run more than once would be: the first app's
 * store is fresh (on SQLite a file, so that the others can open it too), every other app opens a
 * connection pool of its own on it. They share one fake clock.
 */
export async function buildTestServers(
  dialect: Dialect,
  count: number,
  options: Omit<TestAppOptions, 'store' | 'clock'> = {},
): Promise<{ apps: TestApp[]; store: TestStore; clock: FakeClock; close(): Promise<void> }> {
  const store = await createTestStore(dialect, { shared: true });
  const clock = new FakeClock();
  const others = Array.from({ length: count - 1 }, () => store.openAnother());
  const apps = [await buildTestApp(dialect, { ...options, store, clock })];
  for (const other of others) apps.push(await buildTestApp(dialect, { ...options, store: other, clock }));
  return {
    apps,
    store,
    clock,
    close: async () => {
      for (const app of apps) await app.close();
      for (const other of others) await other.close();
      await store.drop();
    },
  };
}
