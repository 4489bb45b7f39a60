import type { Command } from 'commander';
import { validationFailed } from '../lib/errors.ts';
import type { CliIo } from './io.ts';

function positive(option: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max)
      throw validationFailed(`--${option}: "${value}" is not a number between 1 and ${max}`, option);
    return n;
  };
}

export function registerScanCommands(program: Command, io: CliIo): void {
  program
    .command('scan')
    .description(
      "visit the shop's pages in Chromium (no choice, after 'Alles weigeren', after 'Alles accepteren') and hold the cookies, third parties and Consent Mode calls against the policy; exit 1 on errors",
    )
    .argument('[url...]', "pages to start from (default: the shop's home page and scan.yaml's pages)")
    .option('--json', 'as JSON: {pages, passes, findings}')
    .option('--max-pages <n>', 'pages per pass at most (default: scan.yaml, 10)', positive('max-pages', 500))
    .option('--page-timeout <seconds>', 'time limit per page (default: scan.yaml, 20)', positive('page-timeout', 600))
    .option(
      '--total-timeout <seconds>',
      'time limit for the scan (default: scan.yaml, 300)',
      positive('total-timeout', 7200),
    )
    .action(
      async (
        urls: string[],
        opts: { json?: boolean; maxPages?: number; pageTimeout?: number; totalTimeout?: number },
      ) => {
        // Loaded when the command runs (see context.ts).
        const [{ loadConfig }, { describeScan }, { errorsIn }, { loadScanConfig }, { planScan, scanShop }] =
          await Promise.all([
            import('../config/config.ts'),
            import('../scan/report-text.ts'),
            import('../scan/scan.types.ts'),
            import('../scan/scan-config.ts'),
            import('../scan/scan-shop.ts'),
          ]);
        const config = loadConfig();
        const input = {
          urls,
          policy: config.policy,
          config: loadScanConfig(config.configDir),
          baseUrl: config.baseUrl,
          shopOrigins: process.env.INZAGE_SHOP_ORIGINS,
          chromium: config.chromium,
          limits: {
            maxPages: opts.maxPages && Math.floor(opts.maxPages),
            pageTimeoutSeconds: opts.pageTimeout,
            totalTimeoutSeconds: opts.totalTimeout,
          },
        };
        const plan = planScan(input);
        for (const url of plan.adopted) {
          io.err(
            `note: ${new URL(url).origin} is not one of the shop's origins (the policy's website, INZAGE_SHOP_ORIGINS, INZAGE_BASE_URL); scanned as the shop's own because it was named`,
          );
        }
        const report = await scanShop(input, plan);
        io.out(opts.json ? JSON.stringify(report, null, 2) : describeScan(report).join('\n'));
        process.exitCode = errorsIn(report.findings).length > 0 ? 1 : 0;
      },
    );
}
