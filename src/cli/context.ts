// Types only at the top: a command's modules (the engine, every service, the store's drivers) are loaded when
// the command runs, so that `inzage --help`, `inzage policy lint` or a typo answers without loading them.
import type { AdminServices } from '../admin/build.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { Config } from '../config/config.ts';
import type { DataMap } from '../datamap/datamap.schema.ts';
import type { Executor } from '../executor/executor.ts';
import type { Services } from '../services.ts';
import type { Store } from '../store/database.ts';
import type { CliIo } from './io.ts';

export interface EngineContext {
  config: Config;
  dataMap: DataMap;
  store: Store;
  executor: Executor;
  /** What a command looks at or changes about a person is audited as `cli`, as the back office is. */
  audit: AuditTrail;
}

/** Opens config, store and every system of the data map for one command, and closes them after. */
export async function withEngine<T>(fn: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { loadConfiguredDataMap }, { migrateToLatest, openStore }, { buildExecutor }, { AuditTrail }] =
    await Promise.all([
      import('../config/config.ts'),
      import('../datamap/configured.ts'),
      import('../store/database.ts'),
      import('../executor/build.ts'),
      import('../audit/audit-trail.ts'),
    ]);
  const { systemClock } = await import('../lib/clock.ts');
  const config = loadConfig();
  await ensureDemoShopForCommand(config);
  const dataMap = loadConfiguredDataMap(config);
  const store = openStore(config.database);
  try {
    await migrateToLatest(store);
    await (await import('../secrets/keyring.ts')).openKeyring(store.db, config.secret);
    const executor = buildExecutor({
      dataMap,
      policy: config.policy,
      hub: store.db,
      durably: (fn) => store.durably(fn),
      syncedTransaction: store.syncedTransaction,
      secret: config.secret,
      clock: systemClock,
    });
    try {
      const audit = new AuditTrail({ db: store.db, clock: systemClock, dialect: store.dialect });
      return await fn({ config, dataMap, store, executor, audit });
    } finally {
      await executor.close();
    }
  } finally {
    await store.close();
  }
}

/** Opens config, store and every service for one command (requests, tasks, API keys), and closes them after. */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { migrateToLatest, openStore }, { buildServices }, { createLogger }, { systemClock }] =
    await Promise.all([
      import('../config/config.ts'),
      import('../store/database.ts'),
      import('../services.ts'),
      import('../lib/logger.ts'),
      import('../lib/clock.ts'),
    ]);
  const config = loadConfig();
  await ensureDemoShopForCommand(config);
  const store = openStore(config.database);
  try {
    await migrateToLatest(store);
    await (await import('../secrets/keyring.ts')).openKeyring(store.db, config.secret);
    const services = buildServices(
      config,
      store,
      systemClock,
      // A command speaks in sentences; the server's JSON warnings (e.g. processors without secrets) are
      // for its log, and `datamap check` / `connectors test` say the same in words.
      createLogger({ level: 'error', destination: process.stderr }),
    );
    try {
      return await fn(services);
    } finally {
      await services.close();
    }
  } finally {
    await store.close();
  }
}

/**
 * Accounts and the audit trail only, for `user` and `audit`: they need the hub's store, not the shop's
 * systems, so they work before the first start has written the demo shop.
 */
export async function withAccounts<T>(
  fn: (ctx: { admin: AdminServices; audit: AuditTrail }) => Promise<T>,
): Promise<T> {
  const [{ loadConfig }, { migrateToLatest, openStore }, { buildAccounts }, { systemClock }] = await Promise.all([
    import('../config/config.ts'),
    import('../store/database.ts'),
    import('../services.ts'),
    import('../lib/clock.ts'),
  ]);
  const config = loadConfig();
  const store = openStore(config.database);
  try {
    await migrateToLatest(store);
    await (await import('../secrets/keyring.ts')).openKeyring(store.db, config.secret);
    const { admin, audit } = buildAccounts(config, store, systemClock);
    return await fn({ admin, audit });
  } finally {
    await store.close();
  }
}

/** Where a command's notices go (stderr, or a test's reader): set by `runCli` for the run. */
let notices: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

export function sendNoticesTo(io: CliIo): void {
  notices = io.err;
}

/**
 * A command run before the first `npm start` finds the demo shop the example data map points at, as the
 * server would: written once (1,000 customers, a fraction of a second), and said in a line.
 */
async function ensureDemoShopForCommand(config: Config): Promise<void> {
  const [{ DEMO_CUSTOMERS_ON_FIRST_START, ensureDemoShop }, { createLogger }] = await Promise.all([
    import('../demo/first-start.ts'),
    import('../lib/logger.ts'),
  ]);
  const file = await ensureDemoShop(config.dataDir, process.env, createLogger({ level: 'error' }));
  if (file)
    notices(
      `wrote the demo shop (${DEMO_CUSTOMERS_ON_FIRST_START.toLocaleString('en')} customers) to ${file}, as the first start does`,
    );
}
