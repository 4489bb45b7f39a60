import type { DataMap } from '../../datamap/datamap.schema.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { describeError } from './api.connector.ts';
import { type ApiWiring, apiReadiness, createProcessorApi, type Env, resolveApiSystem } from './api-systems.ts';
import type { ProcessorApiCheck, ProcessorApiFactory } from './processor-api.ts';

export interface ConnectionCheck {
  system: string;
  processor: string;
  connector: string;
  /** `missing-secrets`: not configured here (falls back to manual tasks); `invalid`: a mistake in the map. */
  state: 'ok' | 'failed' | 'missing-secrets' | 'invalid';
  /** The environment variables that are not set (names only). */
  missing: string[];
  /** What happens without the secrets: `manual` tasks, or `skip` (left out). */
  unconfigured: 'manual' | 'skip';
  checks: ProcessorApiCheck[];
}

export interface ConnectionCheckOptions {
  env: Env;
  clock: Clock;
  registry?: ReadonlyArray<ProcessorApiFactory>;
  wiring?: Omit<ApiWiring, 'clock'>;
}

/**
 * `inzage connectors test`: for every api system, whether its secrets are set, and, when they are, what
 * the processor's own test says about reachability, credentials and permissions.
 */
export async function checkConnections(
  map: DataMap,
  policy: Policy,
  options: ConnectionCheckOptions,
): Promise<ConnectionCheck[]> {
  const results: ConnectionCheck[] = [];
  for (const [id, system] of Object.entries(map.systems)) {
    if (system.type !== 'api') continue;
    const resolved = resolveApiSystem(id, system, options.env, options.registry);
    const base = {
      system: id,
      processor: system.processor,
      connector: system.connector,
      missing: resolved.missingEnv,
      unconfigured: system.unconfigured,
    };
    if (resolved.problems.length) {
      results.push({
        ...base,
        state: 'invalid',
        checks: resolved.problems.map((p) => ({ name: 'data map', ok: false, message: `${p.path}: ${p.message}` })),
      });
      continue;
    }
    if (!apiReadiness(resolved).ready) {
      results.push({ ...base, state: 'missing-secrets', checks: [] });
      continue;
    }
    const categories = system.categories ?? policy.processors.find((p) => p.id === system.processor)?.categories ?? [];
    try {
      const { api } = createProcessorApi(resolved, categories, {
        ...options.wiring,
        clock: options.clock,
        // A check answers quickly: one retry, short waits; a processor that is down says so.
        http: { maxRetries: 1, timeoutMs: 10_000, maxWaitMs: 5_000, ...options.wiring?.http },
      });
      const answer = await api.test();
      results.push({
        ...base,
        state: answer.ok && answer.checks.every((c) => c.ok) ? 'ok' : 'failed',
        checks: answer.checks,
      });
    } catch (err) {
      results.push({
        ...base,
        state: 'failed',
        checks: [{ name: 'connection', ok: false, message: describeError(err) }],
      });
    }
  }
  return results;
}

/** The check in plain lines, for a terminal. */
export function describeConnections(results: ReadonlyArray<ConnectionCheck>): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const head = `${r.system} (${r.connector}, processor ${r.processor})`;
    if (r.state === 'missing-secrets')
      lines.push(
        `${head}: not configured — ${r.missing.join(', ')} not set; ${r.unconfigured === 'skip' ? 'left out (another system covers its data)' : 'handled by hand (manual tasks)'}`,
      );
    else
      lines.push(`${head}: ${r.state === 'ok' ? 'ok' : r.state === 'invalid' ? 'mistake in the data map' : 'FAILED'}`);
    for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
  }
  const count = (state: ConnectionCheck['state']) => results.filter((r) => r.state === state).length;
  lines.push(
    results.length === 0
      ? 'no api systems in the data map'
      : `${results.length} api systems: ${count('ok')} ok, ${count('failed') + count('invalid')} failed, ${count('missing-secrets')} not configured`,
  );
  return lines;
}

/** Exit code: 0 when every configured system passes (systems without secrets do not fail it). */
export const connectionsExitCode = (results: ReadonlyArray<ConnectionCheck>) =>
  results.some((r) => r.state === 'failed' || r.state === 'invalid') ? 1 : 0;
