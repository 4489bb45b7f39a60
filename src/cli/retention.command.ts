import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { validationFailed } from '../lib/errors.ts';
import { subtractTerm } from '../policy/term.ts';
import type { RetentionPlan, RetentionRunSummary } from '../retention/retention.service.ts';
import { withServices } from './context.ts';
import type { CliIo } from './io.ts';

/**
 * `--at`: a day (noon UTC on it) or a moment. Today's date means now, so that `--at` with today's date is
 * never a moment later today (which a run refuses as being in the future).
 */
function parseAt(value: string | undefined, now = new Date()): Date | undefined {
  if (!value) return undefined;
  const day = value.length === 10;
  const at = new Date(day ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(at.getTime())) throw validationFailed(`--at: "${value}" is not a date (YYYY-MM-DD)`, 'at');
  if (day && value === now.toISOString().slice(0, 10) && at > now) return now;
  return at;
}

function parseBatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw validationFailed(`--batch: "${value}" is not a number of people between 1 and 100000`, 'batch');
  return n;
}

function describePlan(plan: RetentionPlan, done = false): string[] {
  const p = plan.people;
  const lines = [
    `retention on ${plan.at.slice(0, 10)} (rule ${plan.rule}, mode ${plan.mode}): last contact before ${plan.cutoff.slice(0, 10)} is past the term`,
    `  people known ${p.known}, past the term ${p.pastTerm}; kept: restricted ${p.restricted}, open request ${p.openRequest}`,
    `  to erase: ${p.toErase} people`,
    `every retention rule of the policy, and what ${done ? 'it removed' : 'it would remove now'}:`,
  ];
  for (const rule of plan.rules) {
    lines.push(`  ${rule.rule} (${rule.title.en}, mode ${rule.mode})`);
    for (const e of rule.executors) lines.push(`    ${e.executor}: ${e.records} in ${e.what}`);
    if (rule.notEnforced) lines.push(`    not enforced by Inzage: ${rule.notEnforced}`);
  }
  if (plan.housekeeping?.length) {
    lines.push("the hub's own working data, each with its short term (daily job retention.housekeeping):");
    for (const h of plan.housekeeping) lines.push(`  ${h.executor}: ${h.records} (${h.term})`);
  }
  return lines;
}

function describeRun(run: RetentionRunSummary): string[] {
  const lines = [
    ...(run.resumed
      ? [`finished the run of ${run.at.slice(0, 10)} that an earlier process began and did not end`]
      : []),
    `erased ${run.erased} people in ${run.seconds.toFixed(1)} s (${Math.round(run.erased / Math.max(run.seconds, 0.001))} per second)`,
  ];
  if (run.finishedFirst)
    lines.push(
      `  of which the interrupted run had recorded ${run.finishedFirst.erased} in ${run.finishedFirst.batches} batches (${run.finishedFirst.pendingBatches} left between the shop and the hub, finished now)`,
    );
  const k = run.keptAtErasure;
  if (k.active + k.restricted + k.openRequest > 0)
    lines.push(
      `  kept at the last check before erasing: active since ${k.active}, restricted ${k.restricted}, open request ${k.openRequest}`,
    );
  for (const c of run.perCollection) {
    lines.push(
      `  ${`${c.system}.${c.collection}`.padEnd(28)} found ${c.found}, deleted ${c.deleted}, anonymised ${c.anonymised}, sealed ${c.sealed}`,
    );
  }
  for (const h of run.expiredHolds)
    lines.push(`  destroyed ${h.records} records in ${h.system}.${h.collection} (legal hold ended)`);
  lines.push(`  destroyed ${run.sealedToDestroy} sealed records past their hold`);
  if (run.failedBatches) lines.push(`  INCOMPLETE: ${run.failedBatches} batches failed; run it again`);
  if (run.notSwept.length) lines.push(`  not swept (processors keep their own terms): ${run.notSwept.join(', ')}`);
  return lines;
}

export function registerRetentionCommands(program: Command, io: CliIo): void {
  const retention = program.command('retention').description("the policy's retention terms, enforced");

  retention
    .command('plan')
    .description('who would be erased, which records sealed, and what has outlived its legal hold')
    .option('--at <date>', 'as if it were that day (YYYY-MM-DD)')
    .option('--json', 'as JSON (counts only)')
    .action((opts: { at?: string; json?: boolean }) =>
      withServices(async ({ retention: service }) => {
        if (!service) throw new Error('no data map is configured');
        const { emails: _, ...plan } = await service.plan(parseAt(opts.at));
        io.out(opts.json ? JSON.stringify(plan, null, 2) : describePlan(plan).join('\n'));
      }),
    );

  retention
    .command('remind')
    .description("e-mail people whose term ends soon (the policy's reminderDaysBefore); once per person")
    .option('--at <date>', 'as if it were that day (YYYY-MM-DD)')
    .option('--dry-run', 'count, send nothing')
    .option('--json', 'as JSON (counts only)')
    .action((opts: { at?: string; dryRun?: boolean; json?: boolean }) =>
      withServices(async ({ retention: service }) => {
        if (!service) throw new Error('no data map is configured');
        const days = service.profileRule().reminderDaysBefore;
        const summary = await service.remind(parseAt(opts.at), { dryRun: opts.dryRun });
        if (opts.json) return io.out(JSON.stringify(summary, null, 2));
        if (!days) return io.out('the policy sets no reminder (retention rule reminderDaysBefore): nothing to do');
        io.out(
          `${opts.dryRun ? 'would remind' : 'reminded'} ${summary.reminded} of ${summary.due} people whose term ends within ${days} days (${summary.skipped} skipped: told already, restricted, or recently active)`,
        );
      }),
    );

  retention
    .command('run')
    .description('erase who is past the term and destroy what has outlived its hold; safe to run again')
    .option('--at <date>', 'as if it were that day (YYYY-MM-DD)')
    .option('--yes', 'do not ask for confirmation in a terminal')
    .option('--batch <n>', 'people per batch (default 2000)')
    .option('--dry-run', 'plan only: what the run would do, with its options; nothing erased or recorded')
    .option('--json', 'print the summary as JSON')
    .action((opts: { at?: string; yes?: boolean; batch?: string; dryRun?: boolean; json?: boolean }) =>
      withServices(async ({ retention: service, clock }) => {
        if (!service) throw new Error('no data map is configured');
        const { BATCH, WHOLE_RUN } = await import('../retention/retention.service.ts');
        const at = parseAt(opts.at, clock.now());
        // Refused before the confirmation too: the service refuses it again (a run dated ahead erases early).
        service.refuseFuture(at);
        const batchSize = parseBatch(opts.batch);
        if (opts.dryRun) {
          const { emails: _, ...plan } = await service.plan(at);
          const options = { at: plan.at, dryRun: true, ...WHOLE_RUN, batchSize: batchSize ?? BATCH };
          return io.out(opts.json ? JSON.stringify({ ...plan, options }, null, 2) : describePlan(plan).join('\n'));
        }
        const tty = process.stdout.isTTY && process.stdin.isTTY;
        if (tty && !opts.yes) {
          const { emails: _, ...plan } = await service.plan(at);
          io.out(describePlan(plan).join('\n'));
          const rl = createInterface({ input: process.stdin, output: process.stdout });
          const answer = await rl.question('Run it now? [y/N] ');
          rl.close();
          if (!/^y(es)?$/i.test(answer.trim())) return io.out('nothing done');
        }
        const progress = tty
          ? (done: number, total: number) => {
              const width = 30;
              const filled = Math.round((done / Math.max(total, 1)) * width);
              process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} people`);
              if (done === total) process.stderr.write('\n');
            }
          : undefined;
        // The run records itself and its audit entry; one left unfinished by a dead process is finished first.
        const summary = await service.run(at, progress, undefined, 'cli', { ...WHOLE_RUN, batchSize });
        io.out(
          opts.json
            ? JSON.stringify(summary, null, 2)
            : [...describeRun(summary), ...describePlan(summary, true)].join('\n'),
        );
        if (summary.failedBatches) process.exitCode = 1;
      }),
    );
}

export function registerSubjectsCommands(program: Command, io: CliIo): void {
  const subjects = program.command('subjects').description('everyone the systems know, as retention sees them');
  subjects
    .command('sync')
    .description("rebuild the activity index: each person's last contact or transaction across every system")
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) =>
      withServices(async ({ executor, retention: service, clock }) => {
        if (!executor || !service) throw new Error('no data map is configured');
        const started = performance.now();
        const rule = service.profileRule();
        const { emails, known } = await executor.pastTerm(subtractTerm(clock.now(), rule.term!));
        const past = emails.length;
        const summary = { people: known, pastTerm: past, seconds: (performance.now() - started) / 1000 };
        io.out(
          opts.json
            ? JSON.stringify(summary)
            : `${summary.people} people known across the systems, ${past} past the term of rule ${rule.id} (${summary.seconds.toFixed(1)} s)`,
        );
      }),
    );
}
