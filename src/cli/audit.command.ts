import type { Command } from 'commander';
import { z } from 'zod';
import type { AuditEntry } from '../audit/audit-trail.ts';
import { validationFailed } from '../lib/errors.ts';
import { withAccounts } from './context.ts';
import type { CliIo } from './io.ts';

const Limit = z.coerce.number().int().min(1).max(100_000);

const line = (e: AuditEntry) =>
  [
    String(e.seq).padStart(6),
    e.at,
    e.actor,
    e.action,
    e.target ?? '-',
    e.subjectRef ? `subject:${e.subjectRef.slice(0, 12)}` : '-',
    e.details ? JSON.stringify(e.details) : '',
  ].join('  ');

/** `inzage audit verify|list`: the hash-chained trail, checked end to end. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit trail');

  audit
    .command('verify')
    .description('check every entry against its hash and the one before; exit 1 at the first broken entry')
    .action(() =>
      withAccounts(async ({ audit: trail }) => {
        const result = await trail.verify();
        if (result.ok) return io.out(`${result.entries} entries, chain intact`);
        io.err(`chain broken at entry ${result.firstBroken.seq}: ${result.firstBroken.reason}`);
        io.err(`(${result.entries} entries before it are intact)`);
        process.exitCode = 1;
      }),
    );

  audit
    .command('list')
    .description('the newest entries first')
    .option('--limit <n>', 'how many', '50')
    .option('--action <name>', 'only this action (e.g. login.failed)')
    .option('--json', 'as JSON')
    .action((opts: { limit: string; action?: string; json?: boolean }) => {
      const limit = Limit.safeParse(opts.limit);
      if (!limit.success) throw validationFailed('--limit must be a whole number from 1', 'limit');
      return withAccounts(async ({ audit: trail }) => {
        const entries = await trail.list({ limit: limit.data, action: opts.action });
        if (opts.json) return io.out(JSON.stringify(entries, null, 2));
        if (entries.length === 0) return io.out('no audit entries');
        for (const e of entries) io.out(line(e));
      });
    });
}
