import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { InzageError } from '../lib/errors.ts';

export interface EnvFileUse {
  /** The arguments without `--env-file FILE`. */
  argv: string[];
  /** The file read, absolute; undefined when none was given and the working folder has no `.env`. */
  file: string | undefined;
}

/**
 * One configuration for the server and the CLI: `--env-file FILE` (anywhere in the arguments), else `.env`
 * in the working folder when there is one. Its settings fill the environment; a variable the environment
 * already has wins (as with Node's own --env-file and systemd's EnvironmentFile= beside Environment=).
 */
export function applyEnvFile(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): EnvFileUse {
  const rest: string[] = [];
  let given: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--env-file') {
      given = argv[++i];
      if (!given) throw new InzageError('CONFIG_INVALID', '--env-file needs a file name', { field: 'env-file' });
    } else if (arg.startsWith('--env-file=')) given = arg.slice('--env-file='.length);
    else rest.push(arg);
  }
  const file = given ? resolve(cwd, given) : resolve(cwd, '.env');
  if (!existsSync(file)) {
    if (given) throw new InzageError('CONFIG_INVALID', `--env-file ${file}: no such file`, { field: 'env-file' });
    return { argv: rest, file: undefined };
  }
  let values: Record<string, string>;
  try {
    values = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new InzageError('CONFIG_INVALID', `${file}: cannot be read (${(err as Error).message})`, { cause: err });
  }
  for (const [key, value] of Object.entries(values)) if (env[key] === undefined) env[key] = value;
  return { argv: rest, file };
}
