/**
 * `npm run bench -- <name> [options]`: figures the issues name, measured side by side with a
 * hand-written baseline in the same run. Not part of `npm test`: a benchmark is not a timed test.
 */
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  engine: () => import('./engine.ts'),
  requests: () => import('./requests.ts'),
  retention: () => import('./retention.ts'),
  'retention-postgres': () => import('./retention-postgres.ts'),
  banner: () => import('./banner.ts'),
  cluster: () => import('./cluster.ts'),
  processors: () => import('./processors.ts'),
  scan: () => import('./scan.ts'),
  start: () => import('./start.ts'),
  woocommerce: () => import('./woocommerce.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(2);
}
await (await load()).run(args);
