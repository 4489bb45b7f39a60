import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InzageError } from '../lib/errors.ts';
import { parseDatabaseUrl } from './config.ts';

/** Where a process keeps its data, read from the environment alone (before the config is loaded). */
export interface Places {
  dataDir: string;
  /** The hub database, a password never in it. */
  hub: string;
  hubFile: string | undefined;
  configDir: string;
  envFile: string | undefined;
  /** True when neither the environment nor an env file chose any of the three. */
  defaults: boolean;
}

const PLACE_VARIABLES = ['INZAGE_DATA_DIR', 'INZAGE_DATABASE_URL', 'INZAGE_CONFIG_DIR'] as const;

export function readPlaces(env: NodeJS.ProcessEnv, cwd: string, envFile: string | undefined): Places {
  const set = (k: string) => (env[k] === '' ? undefined : env[k]);
  const dataDir = resolve(cwd, set('INZAGE_DATA_DIR') ?? './data');
  const target = parseDatabaseUrl(set('INZAGE_DATABASE_URL') ?? resolve(dataDir, 'inzage.db'), cwd);
  const hub =
    target === undefined
      ? 'an unreadable INZAGE_DATABASE_URL'
      : target.dialect === 'postgres'
        ? `PostgreSQL ${redactUrl(target.url)}`
        : `SQLite ${target.file}`;
  return {
    dataDir,
    hub,
    hubFile: target?.dialect === 'sqlite' && target.file !== ':memory:' ? target.file : undefined,
    configDir: resolve(cwd, set('INZAGE_CONFIG_DIR') ?? 'examples/balkonzon'),
    envFile,
    defaults: PLACE_VARIABLES.every((k) => set(k) === undefined),
  };
}

/** A database URL without its password (user, host, port and database name stay: they say which one). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    u.search = '';
    return u.toString().replace(/^(\w+:\/\/[^@/]*):@/, '$1@');
  } catch {
    return 'an unreadable URL';
  }
}

/** The one line every command prints on stderr: which data, hub and config it works on, and from where. */
export function placesLine(p: Places, cwd: string): string {
  const show = (path: string) => {
    const rel = relative(cwd, path);
    return rel && !rel.startsWith('..') && rel.length < path.length ? `${rel} (${path})` : path;
  };
  const from = p.envFile ? `settings from ${show(p.envFile)}` : 'no .env: settings from the environment';
  return `inzage: data folder ${show(p.dataDir)} · hub ${p.hub} · config ${show(p.configDir)} · ${from}`;
}

/** Commands that set a place up on purpose: they may create the data folder. */
export const CREATING_COMMANDS = new Set(['serve', 'worker', 'migrate', 'demo', 'restore']);

/**
 * A command never sets up a fresh data folder (with a new secret and a demo shop) because it ran in the wrong
 * folder. The rule: `serve`, `worker`, `migrate`, `demo …` and `restore` may create it; any other command
 * refuses when the data folder does not exist — except a newcomer's first try in the checkout itself (no
 * place set anywhere, and the example config folder is right here), which the quick start promises works.
 */
export function assertDataFolderChosen(p: Places, command: string, cwd: string): void {
  if (CREATING_COMMANDS.has(command) || existsSync(p.dataDir)) return;
  if (p.defaults && existsSync(p.configDir) && resolve(cwd, 'examples/balkonzon') === p.configDir) return;
  throw new InzageError(
    'CONFIG_INVALID',
    `no data folder at ${p.dataDir}: nothing was created. Run this where Inzage runs (its .env), pass --env-file FILE, or set INZAGE_DATA_DIR; \`inzage serve\` or \`inzage migrate\` sets up a new one`,
    { field: 'INZAGE_DATA_DIR' },
  );
}
