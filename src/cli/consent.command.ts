import type { Command } from 'commander';
import type { ConsentRates } from '../consent/cookie-consent.ts';
import { withServices } from './context.ts';
import type { CliIo } from './io.ts';

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/** The rates as lines: one block per policy version, one line per category. */
export function formatConsentStats(stats: ConsentRates[]): string[] {
  if (stats.length === 0) return ['no cookie choices recorded'];
  const lines: string[] = [];
  for (const v of stats) {
    lines.push(`policy ${v.policyVersion}: ${v.visitors} visitor(s), ${v.byGpc} by Global Privacy Control`);
    const width = Math.max(...v.categories.map((c) => c.id.length));
    for (const c of v.categories) {
      lines.push(`  ${c.id.padEnd(width)}  ${percent(c.rate).padStart(7)}  (${c.granted} of ${v.visitors})`);
    }
  }
  return lines;
}

export function registerConsentCommands(program: Command, io: CliIo): void {
  const consent = program.command('consent').description('cookie consent recorded by the banner');
  consent
    .command('stats')
    .description("consent rates per category and policy version, from each visitor's latest choice")
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) =>
      withServices(async ({ store, policy, clock, registers }) => {
        const [{ CookieConsentRepository }, { CookieConsentService }] = await Promise.all([
          import('../consent/cookie-consent.repository.ts'),
          import('../consent/cookie-consent.service.ts'),
        ]);
        const service = new CookieConsentService({
          consents: new CookieConsentRepository(store.db),
          policy,
          publishedPolicy: async (label) => (await registers.policyVersions.byLabel(label))?.policy,
          clock,
        });
        const stats = await service.stats();
        if (opts.json) return io.out(JSON.stringify(stats, null, 2));
        for (const line of formatConsentStats(stats)) io.out(line);
      }),
    );
}
