/**
 * The scanner issue's figure: a 10-page demo site scanned with all three passes, in Chromium.
 *
 *   npm run bench -- scan [--runs 3] [--pages 10]
 *
 * The site is the browser tests' (test/fakes/scan-site.ts): a shop on 127.0.0.1 with Inzage's real
 * banner and a tag vendor on 127.0.0.2. Every page links to every other and carries the gated Google-like
 * tag; every third also a widget that loads before consent, so that the findings are not empty. Each run
 * is a whole `inzage scan` as the CLI does it (browser launched, default settle times, the policy
 * compared), timed from start to report.
 */
import { parseArgs } from 'node:util';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { DEFAULT_SCAN_CONFIG } from '../src/scan/scan-config.ts';
import { scanShop } from '../src/scan/scan-shop.ts';
import { page, startScanSite } from '../test/fakes/scan-site.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string', default: '3' }, pages: { type: 'string', default: '10' } },
  });
  const runs = Number(values.runs);
  const count = Number(values.pages);
  const loaded = loadYamlFile(new URL('../examples/balkonzon/policy.yaml', import.meta.url).pathname, Policy);
  if (!loaded.ok) throw new Error('the example policy does not load');
  const policy = loaded.value;
  policy.cookies.services.find((s) => s.id === 'google-analytics')!.hosts = ['127.0.0.2'];

  const paths = Array.from({ length: count }, (_, i) => `/p${i + 1}`);
  const nav = paths.map((p) => `<a href="${p}">${p}</a>`).join(' ');
  const gated = '<script type="text/plain" data-category="analytics" src="{{TAGS}}/tag.js"></script>';
  const pages = Object.fromEntries(
    paths.map((p, i) => [
      p,
      page(`Pagina ${i + 1}`, `${nav}${gated}${i % 3 === 2 ? '<script src="{{TAGS}}/widget.js"></script>' : ''}`),
    ]),
  );
  const site = await startScanSite(policy, pages);
  try {
    process.stdout.write(
      `\nScan of a ${count}-page site, three passes each, ${runs} runs (Chromium: ${process.env.INZAGE_CHROMIUM ?? "Debian's"})\n`,
    );
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const report = await scanShop({
        urls: [`${site.shop}/p1`],
        policy,
        config: { ...DEFAULT_SCAN_CONFIG, maxPages: count },
        baseUrl: site.shop,
        chromium: process.env.INZAGE_CHROMIUM,
      });
      const s = (performance.now() - start) / 1000;
      seconds.push(s);
      const kinds = [...new Set(report.findings.map((f) => f.kind))].join(', ');
      process.stdout.write(
        `run ${i + 1}: ${s.toFixed(1)} s, ${report.pages.length} pages, ${report.passes.length} passes, ${report.findings.length} findings (${kinds})\n`,
      );
    }
    const sorted = [...seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    process.stdout.write(
      `median ${median.toFixed(1)} s, spread ${sorted[0]!.toFixed(1)}–${sorted.at(-1)!.toFixed(1)} s (${(sorted.at(-1)! - sorted[0]!).toFixed(1)} s); ${(median / count).toFixed(1)} s per page for its three passes (the two choices run side by side)\n`,
    );
  } finally {
    await site.close();
  }
}
