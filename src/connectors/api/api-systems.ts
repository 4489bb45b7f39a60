import type { ApiSystem } from '../../datamap/datamap.schema.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { HttpClient } from '../http/http-client.ts';
import { ManualConnector } from '../manual/manual.connector.ts';
import { ApiConnector } from './api.connector.ts';
import { LoadedOnUse } from './loaded-on-use.ts';
import type { ProcessorApi, ProcessorApiFactory } from './processor-api.ts';
import { PROCESSOR_APIS } from './registry.ts';

/** An api system of the data map, with its connector looked up and its secrets read from the environment. */
export interface ResolvedApiSystem {
  system: string;
  config: ApiSystem;
  factory?: ProcessorApiFactory;
  baseUrl: string;
  credentials: Record<string, string>;
  options: Record<string, unknown>;
  /** Environment variables the map names that are not set: the system falls back to manual tasks. */
  missingEnv: string[];
  /** Mistakes in the map: an unknown connector, a credential the connector needs but the map does not name, bad options. */
  problems: Array<{ path: string; message: string }>;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function resolveApiSystem(
  system: string,
  config: ApiSystem,
  env: Env,
  registry: ReadonlyArray<ProcessorApiFactory> = PROCESSOR_APIS,
): ResolvedApiSystem {
  const factory = registry.find((f) => f.connector === config.connector);
  const base = `systems.${system}`;
  const problems: ResolvedApiSystem['problems'] = [];
  const credentials: Record<string, string> = {};
  const missingEnv: string[] = [];
  let options: Record<string, unknown> = {};
  if (!factory) problems.push({ path: `${base}.connector`, message: `"${config.connector}" is not a known connector` });
  for (const key of factory?.credentials ?? []) {
    if (!config.credentials[key])
      problems.push({
        path: `${base}.credentials`,
        message: `${key} is needed: name the environment variable that holds it`,
      });
  }
  for (const [key, variable] of Object.entries(config.credentials)) {
    const value = env[variable];
    if (value === undefined || value === '') missingEnv.push(variable);
    else credentials[key] = value;
  }
  if (factory) {
    const parsed = factory.optionsSchema.safeParse(config.options ?? {});
    if (parsed.success) options = parsed.data;
    else
      for (const issue of parsed.error.issues)
        problems.push({ path: [`${base}.options`, ...issue.path.map(String)].join('.'), message: issue.message });
  }
  // A processor without one address for everyone (each Shopify shop has its own) derives it from its secrets.
  let baseUrl = config.url || factory?.defaultUrl || '';
  if (factory && !baseUrl && missingEnv.length === 0) {
    const derived = factory.baseUrlFrom?.(credentials);
    if (derived && 'url' in derived) baseUrl = derived.url;
    else
      problems.push({
        path: `${base}.url`,
        message: derived?.problem ?? `is needed: ${factory.name} has no address of its own`,
      });
  }
  return {
    system,
    config,
    factory,
    baseUrl,
    credentials,
    options,
    missingEnv,
    problems,
  };
}

/** Whether the system can use its API; when not, a plain reason without secrets (env var names only). */
export function apiReadiness(resolved: ResolvedApiSystem): { ready: true } | { ready: false; reason: string } {
  if (resolved.problems.length)
    return { ready: false, reason: resolved.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
  if (resolved.missingEnv.length) return { ready: false, reason: `${resolved.missingEnv.join(', ')} not set` };
  return { ready: true };
}

export interface ApiWiring {
  clock: Clock;
  logger?: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Per-attempt limits; tests shorten them. */
  http?: { maxRetries?: number; timeoutMs?: number; maxWaitMs?: number; backoffMs?: number; now?: () => number };
}

/** The HttpClient and ProcessorApi of a ready system. */
export function createProcessorApi(
  resolved: ResolvedApiSystem,
  categories: string[],
  wiring: ApiWiring,
): { api: ProcessorApi; http: HttpClient } {
  const factory = resolved.factory!;
  const fetchImpl = wiring.fetch ?? globalThis.fetch;
  const http = new HttpClient({
    system: resolved.system,
    baseUrl: resolved.baseUrl,
    auth: factory.auth({
      credentials: resolved.credentials,
      options: resolved.options,
      baseUrl: resolved.baseUrl,
      fetch: fetchImpl,
      clock: wiring.clock,
    }),
    fetch: fetchImpl,
    sleep: wiring.sleep,
    rateLimit: factory.rateLimit,
    idempotencyHeader: factory.idempotencyHeader,
    logger: wiring.logger,
    ...wiring.http,
  });
  // The processor's code is imported on the first call (loaded-on-use.ts); a start loads descriptions only.
  const api = new LoadedOnUse(factory, {
    system: resolved.system,
    processor: resolved.config.processor,
    categories,
    http,
    credentials: resolved.credentials,
    options: resolved.options,
    clock: wiring.clock,
    sleep: wiring.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    logger: wiring.logger,
  });
  return { api, http };
}

/**
 * The connector for an api system: the API when its connector is known and its secrets are set,
 * otherwise the manual fallback and a warning (env var names only) the caller shows.
 */
export function connectApiSystem(
  resolved: ResolvedApiSystem,
  categories: string[],
  wiring: ApiWiring,
): { connector?: ApiConnector | ManualConnector; warning?: string } {
  const fallback = new ManualConnector(resolved.system, resolved.config, categories);
  const readiness = apiReadiness(resolved);
  if (!readiness.ready && resolved.config.unconfigured === 'skip')
    return { warning: `${resolved.system}: ${readiness.reason}; left out (another system covers its data)` };
  if (!readiness.ready)
    return {
      connector: fallback,
      warning: `${resolved.system}: ${readiness.reason}; falls back to manual tasks`,
    };
  const { api, http } = createProcessorApi(resolved, categories, wiring);
  return {
    connector: new ApiConnector({
      system: resolved.system,
      processor: resolved.config.processor,
      api,
      http,
      fallback,
    }),
  };
}
