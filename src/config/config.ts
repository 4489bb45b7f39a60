import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Branding } from '../lib/branding.ts';
import { DEFAULT_HOLIDAY_CALENDAR, HOLIDAY_CALENDARS, type HolidayCalendar } from '../lib/holidays.ts';
import { type Policy, Policy as PolicySchema } from '../policy/policy.schema.ts';
import { loadBranding } from './branding.ts';
import { assertWritableFolder } from './data-folder.ts';
import { dataFolderYamlCache } from './yaml-cache.ts';
import { type FileProblem, formatProblem, loadYamlFile } from './yaml-file.ts';

/**
 * The environment: places and secrets. Files in the config folder say what the
 * shop promises (policy.yaml) and where its data lives (datamap.yaml).
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  INZAGE_HOST: z.string().min(1).default('localhost'),
  INZAGE_CONFIG_DIR: z.string().min(1).default('examples/balkonzon'),
  INZAGE_DATA_DIR: z.string().min(1).default('./data'),
  INZAGE_DATABASE_URL: z.string().min(1).optional(),
  INZAGE_BASE_URL: z.url({ error: 'must be an absolute URL such as https://privacy.example.nl' }).optional(),
  INZAGE_SECRET: z
    .string()
    .min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)' })
    .optional(),
  INZAGE_SMTP_URL: z
    .url({ error: 'must be an smtp:// or smtps:// URL' })
    .refine((u) => /^smtps?:\/\//.test(u), { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  INZAGE_MAIL_FROM: z.string().min(3).optional(),
  INZAGE_DEV_MAILBOX: z.enum(['0', '1', 'true', 'false']).optional(),
  INZAGE_LOG_FORMAT: z.enum(['json', 'pretty', 'auto'], { error: 'must be json, pretty or auto' }).optional(),
  INZAGE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INZAGE_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  INZAGE_TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('false'),
  INZAGE_NOTIFY_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  INZAGE_HOLIDAYS: z.enum(HOLIDAY_CALENDARS, { error: 'must be common or atw' }).default(DEFAULT_HOLIDAY_CALENDAR),
  INZAGE_CONSENTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  SHOPIFY_API_SECRET: z.string().min(8, { error: "must be the Shopify app's client secret" }).optional(),
  INZAGE_CHROMIUM: z.string().min(1).optional(),
  INZAGE_DEMO_PIXEL: z.enum(['0', '1', 'true', 'false']).optional(),
  INZAGE_METRICS_TOKEN: z
    .string()
    .min(16, { error: 'must be at least 16 characters (e.g. `openssl rand -hex 24`)' })
    .optional(),
});

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  readonly secret: string;
  /** True when the secret was generated for this data folder rather than given. */
  readonly secretGenerated: boolean;
  readonly smtpUrl: string | undefined;
  /** INZAGE_DEV_MAILBOX: true to serve the dev mailbox beyond loopback, false never to; undefined when not set. */
  readonly devMailbox: boolean | undefined;
  readonly mailFrom: string;
  readonly logLevel: string;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (per-client rate limits). */
  readonly trustProxy: boolean;
  /** Policy-change e-mails sent per minute at most (the notification is throttled). */
  readonly notifyPerMinute: number;
  /** Which Dutch public holidays move a legal deadline to the next working day (src/lib/holidays.ts). */
  readonly holidays: HolidayCalendar;
  /** Banner proofs (`POST /api/v1/consents`) one client may post a minute. */
  readonly consentsPerMinute: number;
  /** The Shopify app's client secret: Shopify's compliance webhooks are verified with it; none: refused. */
  readonly shopifyApiSecret: string | undefined;
  /** INZAGE_CHROMIUM: the browser `inzage scan` drives; Debian's chromium when not set. */
  readonly chromium: string | undefined;
  /** The demo shop's page with a tracker that misbehaves on purpose (INZAGE_DEMO_PIXEL; on with the demo). */
  readonly demoPixel: boolean;
  /** INZAGE_METRICS_TOKEN: `GET /metrics` answers only with it as a bearer token; no token, no /metrics (404). */
  readonly metricsToken: string | undefined;
  readonly policyFile: string;
  readonly datamapFile: string;
  readonly policy: Policy;
  /** The shop's look, from branding.yaml in the config folder (its policy's name and Inzage's colour without one). */
  readonly branding: Branding;
}

export class ConfigError extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the database URL; a plain path or `sqlite:` / `file:` URL means SQLite. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget | undefined {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file://') && !url.startsWith('sqlite://'))
    return undefined;
  const path = url.replace(/^(sqlite|file):(\/\/)?/, '');
  if (path === ':memory:') return { dialect: 'sqlite', file: path };
  return { dialect: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
}

/** Reads the environment and config folder once; every problem is collected before failing. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // An empty variable (`INZAGE_SMTP_URL=`) means "not set", as in most tools.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ file: 'environment', path: i.path.join('.'), message: i.message })),
    );
  }
  const e = parsed.data;
  const problems: FileProblem[] = [];
  const configDir = resolve(cwd, e.INZAGE_CONFIG_DIR);
  const dataDir = resolve(cwd, e.INZAGE_DATA_DIR);
  const database = parseDatabaseUrl(e.INZAGE_DATABASE_URL ?? join(dataDir, 'inzage.db'), cwd);
  if (!database) {
    problems.push({
      file: 'environment',
      path: 'INZAGE_DATABASE_URL',
      message: 'must be postgres://…, sqlite:PATH or a file path',
    });
  }
  const policyFile = join(configDir, 'policy.yaml');
  // Entries are signed with the secret: INZAGE_SECRET, or the one the data folder already keeps (none is made here).
  const cache = dataFolderYamlCache(dataDir, e.INZAGE_SECRET ?? keptDevSecret(dataDir));
  const policy = loadYamlFile(policyFile, PolicySchema, cache);
  if (!policy.ok) problems.push(...policy.problems);
  const baseUrl = (e.INZAGE_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  // Read even when the policy has problems: every mistake is listed at once.
  const branding = loadBranding(configDir, { name: policy.ok ? policy.value.controller.name : '', baseUrl }, cache);
  if (!branding.ok) problems.push(...branding.problems);
  if (problems.length > 0 || !policy.ok || !database || !branding.ok) throw new ConfigError(problems);

  const { secret, generated } = e.INZAGE_SECRET
    ? { secret: e.INZAGE_SECRET, generated: false }
    : loadOrCreateDevSecret(dataDir, database.dialect === 'sqlite' ? database.file : undefined);
  return Object.freeze({
    port: e.PORT,
    host: e.INZAGE_HOST,
    baseUrl,
    configDir,
    dataDir,
    database,
    secret,
    secretGenerated: generated,
    smtpUrl: e.INZAGE_SMTP_URL,
    devMailbox:
      e.INZAGE_DEV_MAILBOX === undefined ? undefined : e.INZAGE_DEV_MAILBOX === '1' || e.INZAGE_DEV_MAILBOX === 'true',
    mailFrom: e.INZAGE_MAIL_FROM ?? `${policy.value.controller.name} <${policy.value.controller.privacyContact.email}>`,
    logLevel: e.INZAGE_LOG_LEVEL,
    trustProxy: e.INZAGE_TRUST_PROXY === '1' || e.INZAGE_TRUST_PROXY === 'true',
    notifyPerMinute: e.INZAGE_NOTIFY_PER_MINUTE,
    holidays: e.INZAGE_HOLIDAYS,
    consentsPerMinute: e.INZAGE_CONSENTS_PER_MINUTE,
    shopifyApiSecret: e.SHOPIFY_API_SECRET,
    chromium: e.INZAGE_CHROMIUM,
    demoPixel: isOn(e.INZAGE_DEMO_PIXEL ?? e.INZAGE_DEMO ?? '1'),
    metricsToken: e.INZAGE_METRICS_TOKEN,
    policyFile,
    datamapFile: join(configDir, 'datamap.yaml'),
    policy: policy.value,
    branding: branding.value,
  });
}

const isOn = (v: string) => v === '1' || v === 'true';

/** The generated secret the data folder keeps, if it keeps one. */
function keptDevSecret(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, 'secret.key'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Without INZAGE_SECRET a fresh machine still starts: a random secret is kept in the
 * data folder (mode 0600). Production sets INZAGE_SECRET so that it lives with the other secrets.
 */
function loadOrCreateDevSecret(dataDir: string, hubFile: string | undefined): { secret: string; generated: boolean } {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: true };
  // A hub that is there was sealed with a secret: a new one would leave its archive closed for good (a
  // restore without the secret, a secret.key lost or moved). Say so instead of starting over.
  if (hubFile && hubFile !== ':memory:' && existsSync(hubFile) && statSync(hubFile).size > 0)
    throw new ConfigError([
      {
        file: 'environment',
        path: 'INZAGE_SECRET',
        message: `not set, and the data folder has a hub (${hubFile}) but no secret.key: a new secret would leave its sealed archive and TOTP secrets unreadable. Put its secret back (INZAGE_SECRET, or the secret.key you kept); to start over, remove the data folder`,
      },
    ]);
  assertWritableFolder(dataDir, 'INZAGE_DATA_DIR');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, generated: true };
}
