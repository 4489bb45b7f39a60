import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from './io.ts';

// A command's modules are loaded when it runs (see context.ts): `inzage --help` does not load the server.
const server = async () => {
  const [{ loadConfig }, { start, stopOnSignals }, { MAIL_NOT_SENT }] = await Promise.all([
    import('../config/config.ts'),
    import('../http/server.ts'),
    import('../notify/dev-mailbox.ts'),
  ]);
  return { loadConfig, start, stopOnSignals, MAIL_NOT_SENT };
};

export function registerServeCommands(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the portal, back office and API, with a worker for background jobs')
    .option('--no-worker', 'run the web server only (workers run elsewhere as `inzage worker`)')
    .action(async (opts: { worker: boolean }) => {
      const { loadConfig, start, stopOnSignals, MAIL_NOT_SENT } = await server();
      const config = loadConfig();
      const running = await start(config, { web: true, worker: opts.worker });
      stopOnSignals(running);
      if (running.devMailbox === 'explicit') {
        // Loud on purpose, and first: an open mailbox on a reachable address hands out everyone's links.
        io.err(`!! ${MAIL_NOT_SENT}`);
        io.err(`!! INZAGE_DEV_MAILBOX=1: the mailbox is open to everyone who can reach ${config.host}:${config.port}.`);
      }
      io.out(`Inzage for ${config.policy.controller.name} is running at ${config.baseUrl}`);
      io.out(`  portal      ${config.baseUrl}/`);
      io.out(`  policy      ${config.baseUrl}/privacy  (${config.baseUrl}/privacy?lang=en)`);
      io.out(`  back office ${config.baseUrl}/admin`);
      io.out(`  API docs    ${config.baseUrl}/api/docs`);
      io.out(`  health      ${config.baseUrl}/healthz`);
      if (running.devMailbox !== 'off') io.out(`  dev mailbox ${config.baseUrl}/dev/mailbox`);
      if (running.devMailbox === 'loopback') io.out(`  (${MAIL_NOT_SENT})`);
      const accounts = await running.store.db
        .selectFrom('admin_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(accounts.n) === 0)
        io.out(
          '  (no back-office accounts yet: `npx inzage user add --email you@example.nl --role officer` prints a setup link)',
        );
      if (config.secretGenerated)
        io.out('  (INZAGE_SECRET is not set: using a generated secret kept in the data folder)');
    });

  program
    .command('worker')
    .description('run background jobs only (several may run against one PostgreSQL database)')
    .option(
      '--once',
      'run the jobs that are queued and due now, then exit (recurring jobs are left to running workers)',
    )
    .action(async (opts: { once?: boolean }) => {
      const { loadConfig, start, stopOnSignals } = await server();
      const config = loadConfig();
      if (opts.once) {
        const running = await start(config, { web: false, worker: true, once: true });
        try {
          const ran = await running.worker!.drain();
          io.out(`ran ${ran} job${ran === 1 ? '' : 's'}`);
        } finally {
          await running.stop();
        }
        return;
      }
      const running = await start(config, { web: false, worker: true });
      stopOnSignals(running);
      io.out(`Inzage worker ${running.worker?.id} is running`);
    });

  program
    .command('migrate')
    .description("bring the hub's database schema up to date")
    .action(async () => {
      const [{ loadConfig }, { assertWritableFolder }, { migrateToLatest, openStore }] = await Promise.all([
        import('../config/config.ts'),
        import('../config/data-folder.ts'),
        import('../store/database.ts'),
      ]);
      const config = loadConfig();
      if (config.database.dialect === 'sqlite' && config.database.file !== ':memory:')
        assertWritableFolder(dirname(config.database.file), 'INZAGE_DATABASE_URL');
      const store = openStore(config.database);
      try {
        const applied = await migrateToLatest(store);
        io.out(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      } finally {
        await store.close();
      }
    });
}
