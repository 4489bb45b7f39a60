import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { RestoreCheck } from '../backup/backup.ts';
import { readPlaces } from '../config/places.ts';
import { systemClock } from '../lib/clock.ts';
import { InzageError } from '../lib/errors.ts';
import type { CliIo } from './io.ts';

// Loaded when `backup` or `restore` runs, not with every command (see context.ts).
const backupModules = async () => {
  const [backup, config, audit, sealed, database, kysely] = await Promise.all([
    import('../backup/backup.ts'),
    import('../config/config.ts'),
    import('../audit/audit-trail.ts'),
    import('../retention/sealed-archive.ts'),
    import('../store/database.ts'),
    import('kysely'),
  ]);
  return { sql: kysely.sql, ...backup, ...config, ...audit, ...sealed, ...database };
};

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** `inzage backup` and `inzage restore`: a snapshot that restores, checked when it is restored. */
export function registerBackupCommands(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('a consistent snapshot of the hub (SQLite) and the config folder, with a manifest, in one zip')
    .requiredOption('--out <file>', 'the zip to write')
    .option('--include-secret', 'put the secret in the backup too (then the backup alone opens the sealed archive)')
    .action(async (opts: { out: string; includeSecret?: boolean }) => {
      const { loadConfig, createBackup } = await backupModules();
      const config = loadConfig();
      if (opts.includeSecret)
        io.err(
          'warning: this backup holds the secret: whoever has the file can open the sealed archive. Keep it apart and encrypted.',
        );
      const { manifest } = await createBackup({
        out: opts.out,
        database: config.database,
        configDir: config.configDir,
        secret: opts.includeSecret ? config.secret : undefined,
        inzageVersion: pkg.version,
        now: systemClock.now(),
      });
      if (manifest.hub.dialect === 'postgres') {
        io.err('the hub is on PostgreSQL: this backup holds the config folder and manifest only. Dump the hub with:');
        io.err(`  ${manifest.hub.command}`);
      }
      const counts = Object.entries(manifest.counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      io.out(
        `wrote ${opts.out}: ${manifest.hub.dialect === 'sqlite' ? `hub at ${manifest.migrations.at(-1) ?? 'no migration'}, ` : ''}${manifest.configFiles.length} config files${counts ? `; ${counts}` : ''}`,
      );
      if (!opts.includeSecret)
        io.out(
          `  the secret is not in it: keep a copy of ${config.secretGenerated ? join(config.dataDir, 'secret.key') : 'INZAGE_SECRET'} elsewhere; without it the sealed archive cannot be read`,
        );
    });

  program
    .command('restore')
    .description(
      'unpack a backup into an empty data folder and check it: migrations, counts, the audit chain, the secret',
    )
    .argument('<file>', 'a zip written by `inzage backup`')
    .option('--force', 'overwrite the hub database and secret that are there')
    .option('--config-to <dir>', "where the backup's config folder goes (default: config/ in the data folder)")
    .action(async (file: string, opts: { force?: boolean; configTo?: string }) => {
      if (!existsSync(file)) throw new InzageError('NOT_FOUND', `${file}: no such file`);
      const {
        parseDatabaseUrl,
        restoreBackup,
        describeSqlite,
        openStore,
        migrateToLatest,
        AuditTrail,
        SealedArchive,
        sql,
      } = await backupModules();
      // The places only: loading the whole config would make a fresh secret before the backup's is back.
      const places = readPlaces(process.env, process.cwd(), undefined);
      const database = parseDatabaseUrl(process.env.INZAGE_DATABASE_URL || join(places.dataDir, 'inzage.db'));
      if (!database)
        throw new InzageError('CONFIG_INVALID', 'INZAGE_DATABASE_URL must be postgres://…, sqlite:PATH or a file path');
      // Everything is checked on the unpacked copy, before it replaces anything: a backup that fails a check
      // leaves the data folder as it was (with --force too).
      const check: RestoreCheck = async (staged) => {
        const { manifest } = staged;
        const found = describeSqlite(staged.hubFile).counts;
        const differ = Object.entries(manifest.counts).filter(([t, n]) => found[t] !== n);
        if (differ.length)
          throw new InzageError(
            'CONFLICT',
            `the backup's hub does not match its manifest: ${differ.map(([t, n]) => `${t} ${found[t]} ≠ ${n}`).join(', ')}; nothing was restored`,
          );
        io.out(
          `  counts match the manifest (${Object.values(manifest.counts).reduce((a, b) => a + b, 0)} rows counted)`,
        );
        const store = openStore({ dialect: 'sqlite', file: staged.hubFile });
        try {
          const applied = await migrateToLatest(store);
          if (applied.length) io.out(`  migrations applied since the backup: ${applied.join(', ')}`);
          const audit = await new AuditTrail({ db: store.db, clock: systemClock, dialect: store.dialect }).verify();
          if (!audit.ok)
            throw new InzageError(
              'CONFLICT',
              `the backup's audit chain is broken at entry ${audit.firstBroken.seq}: ${audit.firstBroken.reason}; nothing was restored`,
            );
          io.out(`  audit chain verified: ${audit.entries} entries intact`);
          // The secret the server will use: INZAGE_SECRET, else the backup's, else the one in the data folder.
          const secret =
            process.env.INZAGE_SECRET ||
            (staged.secretFile && readSecretFile(staged.secretFile)) ||
            readSecretFile(join(places.dataDir, 'secret.key'));
          if (!secret) {
            io.err(
              'warning: no secret yet (neither INZAGE_SECRET nor secret.key in the data folder or the backup): put the one this hub was sealed with back before starting, or the sealed archive stays closed',
            );
          } else {
            const opens = await new SealedArchive(store.db, secret, systemClock).checkSecret();
            if (opens.status === 'wrong')
              throw new InzageError(
                'CONFLICT',
                `the secret does not open the sealed archive (${opens.unreadable} of ${opens.keys} keys): set the INZAGE_SECRET this hub was sealed with; nothing was restored`,
              );
            io.out(
              opens.status === 'ok'
                ? `  the secret opens the sealed archive (${opens.keys} keys)`
                : '  the sealed archive is empty',
            );
          }
          // The write-ahead log back into the file, so that the hub moves into place as one file.
          await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
        } finally {
          await store.close();
        }
      };
      const restored = await restoreBackup(
        file,
        {
          dataDir: places.dataDir,
          database,
          configDir: opts.configTo ?? join(places.dataDir, 'config'),
          force: Boolean(opts.force),
        },
        check,
      );
      const { manifest } = restored;
      io.out(`restored the hub of ${manifest.createdAt} (Inzage ${manifest.inzageVersion}) to ${restored.hubFile}`);
      io.out(`  config folder: ${restored.configDir} (set INZAGE_CONFIG_DIR to it, or compare it with yours)`);
    });
}

function readSecretFile(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
