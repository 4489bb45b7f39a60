import { Writable } from 'node:stream';
import { loadYamlFile } from '../../src/config/yaml-file.ts';
import { createProcessorApi, resolveApiSystem } from '../../src/connectors/api/api-systems.ts';
import type { ProcessorApi } from '../../src/connectors/api/processor-api.ts';
import type { HttpClient } from '../../src/connectors/http/http-client.ts';
import { loadDataMap } from '../../src/datamap/datamap.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { Policy } from '../../src/policy/policy.schema.ts';
import type { FakeProcessor } from './fake-processor.ts';

const EXAMPLE = new URL('../../examples/balkonzon/', import.meta.url).pathname;

export interface ConnectedSystem {
  api: ProcessorApi;
  http: HttpClient;
  clock: FakeClock;
  /** Milliseconds the client asked to sleep (its sleep only records them). */
  slept: number[];
  /** Every log line the client wrote, as text. */
  logs: () => string;
}

/**
 * The example data map's `system`, with the fake's environment (secrets and URL), connected the way
 * Inzage connects it, with a fake clock, a sleep that returns at once, and the log captured.
 */
export function connectExampleSystem(
  system: string,
  fake: FakeProcessor,
  options: { env?: Record<string, string>; maxRetries?: number; clock?: FakeClock } = {},
): ConnectedSystem {
  const env = { INZAGE_DATA_DIR: '/tmp', ...fake.env, ...options.env };
  const map = loadDataMap(`${EXAMPLE}datamap.yaml`, env);
  if (!map.ok) throw new Error(`example data map is invalid: ${JSON.stringify(map.problems)}`);
  const config = map.value.systems[system];
  if (config?.type !== 'api') throw new Error(`${system} is not an api system in the example data map`);
  const policy = loadYamlFile(`${EXAMPLE}policy.yaml`, Policy);
  if (!policy.ok) throw new Error('example policy is invalid');
  const categories = policy.value.processors.find((p) => p.id === config.processor)?.categories ?? [];
  const resolved = resolveApiSystem(system, config, env);
  if (resolved.problems.length || resolved.missingEnv.length)
    throw new Error(`${system} is not ready: ${JSON.stringify(resolved.problems)} ${resolved.missingEnv}`);
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const clock = options.clock ?? new FakeClock();
  const slept: number[] = [];
  // A variable, not a literal: \`now\` (the rate budget's time) is an HttpClient option the wiring passes on.
  const http = { maxRetries: options.maxRetries ?? 5, backoffMs: 1, now: () => clock.now().getTime() };
  const { api, http: client } = createProcessorApi(resolved, categories, {
    clock,
    logger: createLogger({ level: 'debug', destination }),
    sleep: async (ms) => {
      slept.push(ms);
      clock.advance(ms);
    },
    http,
  });
  return { api, http: client, clock, slept, logs: () => lines.join('') };
}
