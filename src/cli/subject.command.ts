import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ManualTask } from '../connectors/connector.ts';
import type { AccessResult, ErasureReport } from '../executor/executor.ts';
import { emailAddress } from '../lib/email-address.ts';
import { validationFailed } from '../lib/errors.ts';
import { withEngine } from './context.ts';
import type { CliIo } from './io.ts';

const Email = emailAddress({ error: 'is not an e-mail address' });

function parseEmail(value: string): string {
  const parsed = Email.safeParse(value.trim());
  if (!parsed.success) throw validationFailed(`--email: "${value}" is not an e-mail address`, 'email');
  return value;
}

export function registerSubjectCommands(program: Command, io: CliIo): void {
  const subject = program.command('subject').description("one person's data across every system of the data map");

  subject
    .command('find')
    .description('what is held about a person, where, and which processors receive it')
    .requiredOption('--email <email>', "the person's e-mail address (matched trimmed, any case)", parseEmail)
    .option('--json', 'print the whole result as JSON')
    .action((opts: { email: string; json?: boolean }) =>
      withEngine(async ({ executor, audit, config }) => {
        const { subjectRef } = await import('../requests/intake.service.ts');
        const result = await executor.find({ email: opts.email });
        await audit.record({
          actor: 'cli',
          action: 'customer.lookup',
          subjectRef: subjectRef(config.secret, opts.email),
          details: { records: result.records.length },
        });
        io.out(opts.json ? JSON.stringify(result, null, 2) : describeAccess(result));
      }),
    );

  subject
    .command('export')
    .description("a person's data as a zip: data.json, a CSV per collection, and a readable index.html")
    .requiredOption('--email <email>', "the person's e-mail address", parseEmail)
    .requiredOption('--out <file>', 'where to write the zip')
    .option('--lang <lang>', 'language of index.html: nl or en', 'nl')
    .action((opts: { email: string; out: string; lang: string }) =>
      withEngine(async ({ executor, config, dataMap, audit }) => {
        const [{ subjectRef }, { dataLabels }, { buildExportPackage }] = await Promise.all([
          import('../requests/intake.service.ts'),
          import('../requests/data-labels.ts'),
          import('../requests/export-package.ts'),
        ]);
        if (opts.lang !== 'nl' && opts.lang !== 'en') throw validationFailed('--lang must be nl or en', 'lang');
        const result = await executor.find({ email: opts.email });
        const zip = buildExportPackage(result, config.policy, { lang: opts.lang, labels: dataLabels(dataMap) });
        writeFileSync(opts.out, zip);
        await audit.record({
          actor: 'cli',
          action: 'export.create',
          subjectRef: subjectRef(config.secret, opts.email),
          details: { records: result.records.length },
        });
        io.out(`wrote ${opts.out}: ${result.records.length} records from ${result.collections.length} collections`);
        for (const f of result.failed ?? []) io.err(`incomplete: could not read ${f.system}: ${f.error}`);
        if (result.failed?.length) process.exitCode = 1;
      }),
    );

  subject
    .command('erase')
    .description('erase a person everywhere: legal holds are sealed in the archive first; safe to run again')
    .requiredOption('--email <email>', "the person's e-mail address", parseEmail)
    .option('--dry-run', 'show what would happen and change nothing')
    .option('--json', 'print the report as JSON')
    .action((opts: { email: string; dryRun?: boolean; json?: boolean }) =>
      withEngine(async ({ executor, audit, config }) => {
        const { subjectRef } = await import('../requests/intake.service.ts');
        const report = await executor.erase({ email: opts.email }, { dryRun: opts.dryRun });
        // The keyed reference links to nobody once the person is gone; counts only.
        if (!opts.dryRun)
          await audit.record({
            actor: 'cli',
            action: 'subject.erase',
            subjectRef: subjectRef(config.secret, opts.email),
            details: {
              status: report.status,
              systems: Object.fromEntries(report.systems.map((s) => [s.system, s.status])),
              records: report.systems.reduce(
                (n, s) => n + s.collections.reduce((m, c) => m + c.deleted + c.anonymised + c.sealed, 0),
                0,
              ),
            },
          });
        io.out(opts.json ? JSON.stringify(report, null, 2) : describeErasure(report));
        if (report.status === 'incomplete') process.exitCode = 1;
      }),
    );
}

const pad = (s: string, n: number) => s.padEnd(n);

export function describeAccess(result: AccessResult): string {
  const lines: string[] = [];
  const systems = new Set(result.collections.map((c) => c.system)).size;
  lines.push(
    `${result.records.length} records in ${result.collections.length} collections of ${systems} system${systems === 1 ? '' : 's'}`,
  );
  for (const c of result.collections) {
    lines.push(
      `  ${pad(`${c.system}.${c.collection}`, 28)} ${String(c.count).padStart(6)}   ${c.categories.join(', ')}`,
    );
  }
  if (result.processors.length) {
    lines.push('processors that receive these categories (from the policy):');
    for (const p of result.processors) {
      lines.push(
        `  ${pad(p.name, 22)} ${pad(`${p.role}, ${p.locations.join('/') || '?'}`, 20)} ${p.categories.join(', ')}`,
      );
    }
  }
  lines.push(...describeTasks(result.manualTasks));
  // A processor that could not be reached: the result is without it, and says so.
  for (const f of result.failed ?? []) lines.push(`could not read ${f.system}: ${f.error}`);
  lines.push(`(${result.queries} queries)`);
  return lines.join('\n');
}

export function describeErasure(report: ErasureReport): string {
  const words: Record<ErasureReport['status'], string> = {
    complete: 'complete',
    waiting_on_tasks: 'done in every connected system; waiting on manual tasks',
    incomplete: 'INCOMPLETE: run it again once the failing system is fixed',
    'dry-run': 'dry run: nothing was changed',
  };
  const lines = [`erasure: ${words[report.status]}`];
  for (const s of report.systems) {
    if (s.task) continue;
    lines.push(`  ${s.system}: ${s.status}${s.error ? ` (${s.error})` : ''}`);
    for (const c of s.collections.filter((x) => x.found > 0)) {
      const parts = [`found ${c.found}`];
      if (c.deleted) parts.push(`deleted ${c.deleted}`);
      if (c.anonymised) parts.push(`anonymised ${c.anonymised}`);
      if (c.sealed) parts.push(`sealed ${c.sealed} until ${c.retainedUntil?.slice(0, 10)} (${c.reason})`);
      if (c.keptFields.length && !c.deleted) parts.push(`kept: ${c.keptFields.join(', ')}`);
      lines.push(`    ${pad(c.collection, 18)} ${parts.join(', ')}`);
    }
  }
  lines.push(...describeTasks(report.manualTasks));
  lines.push(`(${report.queries} queries)`);
  return lines.join('\n');
}

function describeTasks(tasks: ManualTask[]): string[] {
  if (!tasks.length) return [];
  return [
    'to ask by hand (no API connected):',
    ...tasks.map((t) => `  ${pad(t.processor, 22)} ${t.action}: ${t.contact}, within ${t.dueInDays} days`),
  ];
}
