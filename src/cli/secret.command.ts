import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InzageError, validationFailed } from '../lib/errors.ts';
import type { CliIo } from './io.ts';

/** `inzage secret rotate`: the hub moves to a new INZAGE_SECRET (src/secrets/rotate.ts). */
export function registerSecretCommands(program: Command, io: CliIo): void {
  const secret = program.command('secret').description('the secret that keys and encrypts the hub');
  secret
    .command('rotate')
    .description(
      'move the hub to a new secret: re-encrypt what the secret encrypts, keep every subject reference, end back-office sessions; stop serve and worker first; run again to finish an interrupted rotation',
    )
    .option('--new-secret-file <file>', 'a file holding the new secret (at least 32 characters)')
    .option('--leave-unreadable', 'rotate although some values open with neither secret (they stay unreadable)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { newSecretFile?: string; leaveUnreadable?: boolean; json?: boolean }) => {
      // Loaded when the command runs (see context.ts).
      const [{ loadConfig }, { migrateToLatest, openStore }, { rotateSecret }, { keyringOpensWith }, { AuditTrail }] =
        await Promise.all([
          import('../config/config.ts'),
          import('../store/database.ts'),
          import('../secrets/rotate.ts'),
          import('../secrets/keyring.ts'),
          import('../audit/audit-trail.ts'),
        ]);
      const { default: writeFileAtomic } = await import('write-file-atomic');
      const config = loadConfig();
      // With the secret in the data folder (secret.key), the new one is written beside it before anything
      // changes, and takes its place after: a crash in between leaves both, and a rerun goes on with them.
      const keyFile = join(config.dataDir, 'secret.key');
      const pendingFile = `${keyFile}.new`;
      let newSecret = opts.newSecretFile ? readSecret(opts.newSecretFile) : process.env.INZAGE_NEW_SECRET?.trim();
      if (config.secretGenerated) {
        const pending = existsSync(pendingFile) ? readSecret(pendingFile) : undefined;
        if (pending && newSecret && pending !== newSecret)
          throw new InzageError(
            'CONFLICT',
            `${pendingFile} holds another new secret, from a rotation begun earlier: finish that one (run without a new secret), or remove the file if that rotation never began`,
          );
        // Whatever the new secret's source, it is in the data folder before anything changes.
        newSecret ??= pending ?? randomBytes(32).toString('hex');
        if (!pending) await writeFileAtomic(pendingFile, `${newSecret}\n`, { mode: 0o600 });
      }
      if (!newSecret)
        throw validationFailed(
          'INZAGE_SECRET is set: give the new secret with --new-secret-file FILE or INZAGE_NEW_SECRET, then set INZAGE_SECRET to it',
          'new-secret-file',
        );

      const store = openStore(config.database);
      try {
        await migrateToLatest(store);
        if (await keyringOpensWith(store.db, newSecret)) {
          // Rotated already (a rerun after the end, or a crash before secret.key was replaced).
          if (config.secretGenerated && existsSync(pendingFile)) renameSync(pendingFile, keyFile);
          io.out('the hub is already under the new secret; nothing to do');
          if (!config.secretGenerated) io.out('set INZAGE_SECRET to the new secret before starting');
          return;
        }
        const audit = new AuditTrail({ db: store.db, clock: { now: () => new Date() }, dialect: store.dialect });
        const summary = await rotateSecret({
          db: store.db,
          oldSecret: config.secret,
          newSecret,
          now: new Date(),
          leaveUnreadable: opts.leaveUnreadable,
          // Recorded before the hub is unmarked: a crash after it is resumed, and the entry is not lost.
          recordDone: (s) =>
            audit.record({
              actor: 'cli',
              action: 'secret.rotate',
              details: {
                columns: Object.fromEntries(Object.entries(s.columns).map(([c, n]) => [c, n.rewritten])),
                unreadable: Object.values(s.columns).reduce((n, c) => n + c.unreadable, 0),
                keptKeys: s.keptKeys,
                sessionsEnded: s.sessionsEnded,
                resumed: s.resumed,
              },
            }),
        });
        if (config.secretGenerated && existsSync(pendingFile)) renameSync(pendingFile, keyFile);
        if (opts.json) return io.out(JSON.stringify(summary, null, 2));
        const rewritten = Object.values(summary.columns).reduce((n, c) => n + c.rewritten, 0);
        io.out(
          `${summary.resumed ? 'finished the rotation begun earlier' : 'rotated the secret'}: ${rewritten} encrypted values re-encrypted, ${summary.keptKeys} kept keys rewrapped (subject references unchanged)`,
        );
        for (const [column, n] of Object.entries(summary.columns))
          if (n.rows)
            io.out(
              `  ${column}: ${n.rewritten} of ${n.rows}${n.unreadable ? ` (${n.unreadable} unreadable, left)` : ''}`,
            );
        io.out(
          `  ${summary.sessionsEnded} back-office sessions ended, ${summary.setupLinksEnded} unused setup links ended (\`inzage user reset\` makes new ones)`,
        );
        io.out(
          config.secretGenerated
            ? `  the new secret is in ${keyFile}: keep a copy of it where you kept the old one`
            : '  now set INZAGE_SECRET to the new secret everywhere Inzage runs, then start serve and worker',
        );
      } finally {
        await store.close();
      }
    });
  registerLostCommand(secret, io);
}

function registerLostCommand(secret: Command, io: CliIo): void {
  secret
    .command('lost')
    .description(
      "the hub's secret is lost for good: start over with the current INZAGE_SECRET (what only the old one could open is let go; see docs/deploy.md)",
    )
    .option('--confirm', 'yes: the old secret is lost, and what only it could open is gone')
    .action(async (opts: { confirm?: boolean }) => {
      if (!opts.confirm)
        throw validationFailed(
          'this lets go of what only the old secret could open (the sealed archive stays unreadable, officers enrol TOTP again, people get new references): add --confirm if the old secret is truly lost',
          'confirm',
        );
      const [{ loadConfig }, { migrateToLatest, openStore }, { startOverWithNewSecret }, { AuditTrail }] =
        await Promise.all([
          import('../config/config.ts'),
          import('../store/database.ts'),
          import('../secrets/rotate.ts'),
          import('../audit/audit-trail.ts'),
        ]);
      const config = loadConfig();
      const store = openStore(config.database);
      try {
        await migrateToLatest(store);
        const result = await startOverWithNewSecret({ db: store.db, secret: config.secret, now: new Date() });
        await new AuditTrail({ db: store.db, clock: { now: () => new Date() }, dialect: store.dialect }).record({
          actor: 'cli',
          action: 'secret.lost',
          details: { ...result.dropped, sessionsEnded: result.sessionsEnded },
        });
        io.out('the hub starts over with the current secret; let go of:');
        for (const [what, n] of Object.entries(result.dropped)) io.out(`  ${what}: ${n}`);
        io.out(
          '  the sealed archive stays, unreadable, until its holds end; record the loss in the breach register (`/admin/registers`)',
        );
      } finally {
        await store.close();
      }
    });
}

function readSecret(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    throw new InzageError('VALIDATION_FAILED', `cannot read ${file}`, { field: 'new-secret-file' });
  }
  if (text.length < 32)
    throw validationFailed(`${file}: the new secret must be at least 32 characters`, 'new-secret-file');
  return text;
}
