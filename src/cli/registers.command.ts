import type { Command } from 'commander';
import { breachClock, breachClockText } from '../registers/breaches.ts';
import { withServices } from './context.ts';
import type { CliIo } from './io.ts';

/** `inzage registers breaches|disclosures [--json]`: the registers as the back office keeps them. */
export function registerRegistersCommands(program: Command, io: CliIo): void {
  const registers = program.command('registers').description('the breach and disclosure registers');

  registers
    .command('breaches')
    .description('personal data breaches (GDPR Art. 33(5)), open ones first, with the 72-hour clock')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) =>
      withServices(async ({ registers: r, clock }) => {
        const now = clock.now();
        const breaches = (await r.breaches.list()).map((b) => {
          const c = breachClock(b, now);
          return {
            ...b,
            clock: {
              deadline: c.deadline.toISOString(),
              overdue: c.overdue,
              notified: c.notified,
              late: c.late,
              text: breachClockText(c, 'en'),
            },
          };
        });
        if (opts.json) return io.out(JSON.stringify(breaches, null, 2));
        if (breaches.length === 0) return io.out('no breaches recorded');
        for (const b of breaches) {
          io.out(
            `${b.discoveredAt}  ${b.status.padEnd(6)}  ${b.clock.text.padEnd(16)}  ${b.summary} [${b.categories.join(', ')}; ${b.peopleCount ?? '?'} people]`,
          );
        }
        const overdue = breaches.filter((b) => b.status === 'open' && b.clock.overdue).length;
        if (overdue > 0) io.out(`${overdue} open breach(es) past the 72-hour deadline without a notification`);
      }),
    );

  registers
    .command('disclosures')
    .description('disclosures to authorities, newest first')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) =>
      withServices(async ({ registers: r }) => {
        const items = await r.disclosures.list();
        if (opts.json) return io.out(JSON.stringify(items, null, 2));
        if (items.length === 0) return io.out('no disclosures recorded');
        for (const d of items) {
          io.out(
            `${d.disclosedOn}  ${d.authority} (${d.legalBasis})  resisted: ${d.resisted ? 'yes' : 'no'}  ${d.outcome}`,
          );
        }
      }),
    );
}
