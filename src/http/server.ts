import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import { assertWritableFolder, foldersToWrite } from '../config/data-folder.ts';
import { ensureDemoShop } from '../demo/first-start.ts';
import { createWorker, type Worker } from '../jobs/worker.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { returnMemory } from '../lib/memory.ts';
import { assertWorkerCanMail, type DevMailboxMode, devMailboxMode, MAIL_NOT_SENT } from '../notify/dev-mailbox.ts';
import { openKeyring } from '../secrets/keyring.ts';
import { buildServices } from '../services.ts';
import { migrateToLatest, openStore, type Store } from '../store/database.ts';
import { buildApp } from './app.ts';

export interface Running {
  app?: FastifyInstance;
  worker?: Worker;
  store: Store;
  logger: Logger;
  /** Whether the dev mailbox is served (never when mail goes out over SMTP). */
  devMailbox: DevMailboxMode;
  stop(): Promise<void>;
}

/** When the start's garbage is collected (a pause of about 90 ms on Node 24): after the first answers, as a rule. */
const START_SETTLED_MS = 1000;

/** Opens the store, migrates, and starts the web server and/or the worker. */
export async function start(
  config: Config,
  parts: { web: boolean; worker: boolean /** Leave the worker stopped: the caller drains it once. */; once?: boolean },
): Promise<Running> {
  // Before anything else: a server others can reach, with mail going nowhere, does not start.
  const devMailbox: DevMailboxMode = parts.web ? devMailboxMode(config) : 'off';
  if (!parts.web && parts.worker) assertWorkerCanMail(config);
  // A data folder that cannot be written fails now, in one line, not at the first write deep inside.
  for (const { folder, variable } of foldersToWrite(config, process.env)) assertWritableFolder(folder, variable);
  const logger = createLogger({ level: config.logLevel });
  if (devMailbox === 'explicit') logger.warn({ devMailbox, host: config.host }, MAIL_NOT_SENT);
  const store = openStore(config.database);
  const applied = await migrateToLatest(store);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  // Before any key is derived: the kept keys (subject references) come from the hub, and a wrong secret stops here.
  await openKeyring(store.db, config.secret).catch(async (err) => {
    await store.close();
    throw err;
  });
  await ensureDemoShop(config.dataDir, process.env, logger);
  const clock = systemClock;
  const services = buildServices(config, store, clock, logger);
  const { jobs } = services;
  // The policy Inzage starts with is version 1 until a version is published.
  await services.registers.ensureFirstVersion();

  const worker = parts.worker
    ? createWorker({
        jobs,
        definitions: services.jobDefinitions,
        schedules: services.schedules,
        clock,
        // A queued job wakes the worker at once (jobs.wakeup); polling finds what a lost wake-up missed,
        // and jobs queued by another process on SQLite.
        pollMs: 200,
        logger: logger.child({ part: 'worker' }),
      })
    : undefined;
  if (!parts.once) {
    worker?.start();
    // On PostgreSQL: listening before the first request comes in.
    if (worker) await jobs.wakeup?.ready();
  }

  let app: FastifyInstance | undefined;
  if (parts.web) {
    app = await buildApp({
      ...services,
      baseUrl: config.baseUrl,
      logger,
      devMailbox,
      trustProxy: config.trustProxy,
      consentsPerMinute: config.consentsPerMinute,
      demoPixel: config.demoPixel,
      metricsToken: config.metricsToken,
    });
    await app.listen({ port: config.port, host: config.host });
  }

  // The start leaves garbage behind (the policy and data map parsed, schemas built, migrations checked):
  // about half the heap. V8 collects it when it next needs room, and gives the pages back to the system
  // only after idling for a while (Node 20: about 15 s; Node 24 not within 20 s, as measured). One
  // collection that gives them back, after the first answers, does it at once. Not for a worker that only
  // drains the queue and exits.
  const settle = parts.once ? undefined : setTimeout(returnMemory, START_SETTLED_MS);
  settle?.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    clearTimeout(settle);
    stopping ??= (async () => {
      await app?.close();
      await worker?.stop();
      await services.close();
      await store.close();
    })();
    return stopping;
  };
  return { app, worker, store, logger, devMailbox, stop };
}

/** Stops cleanly on Ctrl-C or a container's SIGTERM: running jobs finish, leases are released. */
export function stopOnSignals(running: Running): void {
  const onSignal = (signal: string) => {
    running.logger.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
