import { type Command, InvalidArgumentError } from 'commander';
import { INIT_PLATFORMS, type InitPlatform, InitRefused, writeStartingConfig } from '../init/starting-config.ts';
import type { CliIo } from './io.ts';
import { formatFinding } from './policy.command.ts';

/** Adds `init`: a starting config folder (data map and policy skeleton) for a shop on a platform. */
export function registerInitCommands(program: Command, io: CliIo): void {
  program
    .command('init')
    .description('write a starting config folder for a new shop: the platform’s data map and a policy skeleton')
    .requiredOption('--platform <name>', `the shop's platform: ${INIT_PLATFORMS.join(', ')}`, (value: string) => {
      if (!(INIT_PLATFORMS as readonly string[]).includes(value))
        throw new InvalidArgumentError(`expected one of ${INIT_PLATFORMS.join(', ')}, got "${value}".`);
      return value as InitPlatform;
    })
    .requiredOption('--out <dir>', 'the folder to write (new or empty); use it as INZAGE_CONFIG_DIR')
    .action((opts: { platform: InitPlatform; out: string }) => {
      let result: ReturnType<typeof writeStartingConfig>;
      try {
        result = writeStartingConfig(opts.platform, opts.out);
      } catch (err) {
        if (!(err instanceof InitRefused)) throw err;
        io.err(err.message);
        process.exitCode = 1;
        return;
      }
      for (const file of result.files) io.out(`wrote ${file}`);
      io.out(`${result.openPoints.length} open points in the policy, as \`inzage policy lint\` names them:`);
      for (const f of result.openPoints) io.out(`  ${formatFinding('policy.yaml', f)}`);
      io.out(`next: fill them in, then INZAGE_CONFIG_DIR=${opts.out} npx inzage datamap check`);
    });
}
