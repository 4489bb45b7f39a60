import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.ts';
import { applyEnvFile } from '../config/env-file.ts';
import { assertDataFolderChosen, placesLine, readPlaces } from '../config/places.ts';
import { registerDemoCommands } from '../demo/demo.command.ts';
import { InzageError, validationFailed } from '../lib/errors.ts';
import { scrubMessage } from '../lib/logger.ts';
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacters } from '../lib/text-input.ts';
import { registerAuditCommands } from './audit.command.ts';
import { registerBackupCommands } from './backup.command.ts';
import { registerConnectorCommands } from './connectors.command.ts';
import { registerConsentCommands } from './consent.command.ts';
import { sendNoticesTo } from './context.ts';
import { registerDataMapCommands } from './datamap.command.ts';
import { registerInitCommands } from './init.command.ts';
import type { CliIo } from './io.ts';
import { registerPolicyCommands } from './policy.command.ts';
import { registerRegistersCommands } from './registers.command.ts';
import { registerRequestCommands } from './requests.command.ts';
import { registerRetentionCommands, registerSubjectsCommands } from './retention.command.ts';
import { registerScanCommands } from './scan.command.ts';
import { registerSecretCommands } from './secret.command.ts';
import { registerServeCommands } from './serve.command.ts';
import { registerSubjectCommands } from './subject.command.ts';
import { registerUserCommands } from './user.command.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The `inzage` command line: thin commands over the same services the server uses. */
export function buildProgram(io: CliIo, envFile?: string): Command {
  const program = new Command('inzage')
    .description("Privacy operations for webshops: the shop's privacy policy, made executable")
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .option(
      '--env-file <file>',
      'read settings from this file (default: .env in the working folder, when there is one)',
    )
    // Every option and argument, before any command runs: nothing with a control character reaches a store.
    .hook('preAction', (_program, command) => {
      refuseControlCharacters(command);
      statePlaces(command, io, envFile);
    });
  const configDir = () => process.env.INZAGE_CONFIG_DIR ?? 'examples/balkonzon';
  registerServeCommands(program, io);
  registerPolicyCommands(program, { defaultPolicyFile: () => join(configDir(), 'policy.yaml'), ...io });
  registerDataMapCommands(program, io);
  registerInitCommands(program, io);
  registerConnectorCommands(program, io);
  registerSubjectCommands(program, io);
  registerRequestCommands(program, io);
  registerRetentionCommands(program, io);
  registerSubjectsCommands(program, io);
  registerConsentCommands(program, io);
  registerRegistersCommands(program, io);
  registerUserCommands(program, io);
  registerAuditCommands(program, io);
  registerScanCommands(program, io);
  registerBackupCommands(program, io);
  registerSecretCommands(program, io);
  registerDemoCommands(program, { dataDir: () => process.env.INZAGE_DATA_DIR ?? './data', out: io.out });
  return program;
}

/** Runs the CLI; every failure becomes a message and a non-zero exit code, never a stack trace. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  sendNoticesTo(io);
  try {
    // The same settings as the server: --env-file FILE, else ./.env (the environment wins over either).
    const { argv: args, file } = applyEnvFile(argv);
    const program = buildProgram(io, file);
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportCliError(err, io);
  }
}

/**
 * Says in one line (stderr) which data folder, hub database and config folder the command works on, and
 * refuses a command that would set up a fresh data folder by mistake (see `assertDataFolderChosen`).
 */
function statePlaces(command: Command, io: CliIo, envFile: string | undefined): void {
  let top = command;
  while (top.parent?.parent) top = top.parent;
  const places = readPlaces(process.env, process.cwd(), envFile);
  io.err(placesLine(places, process.cwd()));
  assertDataFolderChosen(places, top.name(), process.cwd());
}

/** Options whose value is free text: tab and newline are fine there (a reason pasted from a file). */
const FREE_TEXT_OPTIONS = new Set(['reason', 'note']);

/** Throws, naming the option or argument, when one holds a control character (NUL, ESC, …). */
export function refuseControlCharacters(command: Command): void {
  for (const option of command.options) {
    const name = option.attributeName();
    const raw = command.getOptionValue(name) as unknown;
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    if (values.some((v) => hasControlCharacters(v, { multiline: FREE_TEXT_OPTIONS.has(name) })))
      throw validationFailed(`${option.long ?? option.flags} ${CONTROL_CHARACTERS_MESSAGE}`, name);
  }
  const declared = command.registeredArguments;
  command.args.forEach((raw, i) => {
    const name = declared[Math.min(i, declared.length - 1)]?.name() ?? 'argument';
    if (hasControlCharacters(raw)) throw validationFailed(`<${name}> ${CONTROL_CHARACTERS_MESSAGE}`, name);
  });
}

export function reportCliError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Commander already printed its message (help, version, unknown option).
    return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
  }
  if (err instanceof ConfigError) {
    io.err(err.message);
    return 1;
  }
  if (err instanceof InzageError) {
    io.err(`error: ${err.message}${err.field ? ` (${err.field})` : ''}`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`error: ${scrubMessage(message)}`);
  if (process.env.INZAGE_DEBUG && err instanceof Error) io.err(err.stack ?? '');
  else io.err('(set INZAGE_DEBUG=1 to see where it happened)');
  return 1;
}
