import type { Command } from 'commander';
import { systemClock } from '../lib/clock.ts';
import type { CliIo } from './io.ts';

export function registerConnectorCommands(program: Command, io: CliIo): void {
  const connectors = program.command('connectors').description('processors reached through their APIs');
  connectors
    .command('test')
    .description('check each api system of the data map: secrets set, processor reachable, credentials and permissions')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      // Loaded when the command runs (see context.ts).
      const [
        { loadConfig },
        { loadConfiguredDataMap },
        { checkConnections, connectionsExitCode, describeConnections },
      ] = await Promise.all([
        import('../config/config.ts'),
        import('../datamap/configured.ts'),
        import('../connectors/api/connection-check.ts'),
      ]);
      const config = loadConfig();
      const map = loadConfiguredDataMap(config);
      const results = await checkConnections(map, config.policy, { env: process.env, clock: systemClock });
      if (opts.json) io.out(JSON.stringify({ ok: connectionsExitCode(results) === 0, systems: results }, null, 2));
      else for (const line of describeConnections(results)) io.out(line);
      process.exitCode = connectionsExitCode(results);
    });
}
