/**
 * The processor issue's figures:
 *
 *   npm run bench -- processors [--email E]
 *
 * Starts the six local fakes (test/fakes/<connector>.fake.ts; a missing one is named and left out),
 * each with the person present, connects the example data map's api systems to them exactly as Inzage
 * does (real HttpClient, real connectors), and runs one access and one erasure through the Executor.
 * Reported: HTTP requests per processor per DSR, and the wall time of the erasure across all of them.
 * Then the same on fresh fakes with one 429 (Retry-After: 1) and one 503 injected per processor, each
 * in the fake's own error format: the retries and waits they cost. Timings are real (real sleeps).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadYamlFile } from '../src/config/yaml-file.ts';
import { connectApiSystem, resolveApiSystem } from '../src/connectors/api/api-systems.ts';
import type { Connector } from '../src/connectors/connector.ts';
import type { AnalyticsSubject } from '../src/connectors/google-analytics/google-analytics.api.ts';
import type { DataMap } from '../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { Executor } from '../src/executor/executor.ts';
import { systemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/logger.ts';
import type { Policy } from '../src/policy/policy.schema.ts';
import { Policy as PolicySchema } from '../src/policy/policy.schema.ts';
import type { FakeProcessor } from '../test/fakes/fake-processor.ts';

const EXAMPLE = new URL('../examples/balkonzon/', import.meta.url).pathname;
const FAKES = new URL('../test/fakes/', import.meta.url).pathname;

/** The six processors: the example data map's system, its fake's file and start function. */
const PROCESSORS = [
  { system: 'myonlinestore', file: 'myonlinestore.fake.ts', start: 'startMyOnlineStoreFake' },
  { system: 'mollie', file: 'mollie.fake.ts', start: 'startMollieFake' },
  { system: 'moneybird', file: 'moneybird.fake.ts', start: 'startMoneybirdFake' },
  { system: 'webwinkelkeur', file: 'webwinkelkeur.fake.ts', start: 'startWebwinkelKeurFake' },
  { system: 'google-analytics', file: 'google-analytics.fake.ts', start: 'startGoogleAnalyticsFake' },
  { system: 'office365', file: 'microsoft-graph.fake.ts', start: 'startMicrosoftGraphFake' },
] as const;

type Started = { system: string; fake: FakeProcessor };

async function startFakes(): Promise<{ started: Started[]; missing: string[] }> {
  const started: Started[] = [];
  const missing: string[] = [];
  for (const p of PROCESSORS) {
    if (!existsSync(FAKES + p.file)) {
      missing.push(`${p.system} (no test/fakes/${p.file})`);
      continue;
    }
    const module = (await import(FAKES + p.file)) as Record<string, (o?: unknown) => Promise<FakeProcessor>>;
    const start = module[p.start];
    if (!start) {
      missing.push(`${p.system} (${p.file} exports no ${p.start})`);
      continue;
    }
    started.push({ system: p.system, fake: await start() });
  }
  return { started, missing };
}

interface Faults {
  fetch: typeof fetch;
  /** Arms one 429 (Retry-After: 1) and, once that went out, one 503 on every fake: before each DSR. */
  arm(): void;
}

/** Faults in each fake's own error format: its 503 is armed once its 429 has been answered. */
function injectFaults(started: Started[]): Faults {
  const byOrigin = new Map(started.map((s) => [new URL(s.fake.url).origin, { fake: s.fake, stage: 0 }]));
  return {
    arm: () => {
      for (const entry of byOrigin.values()) {
        entry.stage = 0;
        entry.fake.fail({ status: 429, times: 1, retryAfter: 1 });
      }
    },
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const entry = byOrigin.get(url.origin);
      if (entry && entry.stage === 0 && res.status === 429) {
        entry.stage = 1;
        entry.fake.fail({ status: 503, times: 1 });
      }
      return res;
    },
  };
}

function connect(map: DataMap, policy: Policy, started: Started[], fetchImpl?: typeof fetch) {
  const env: Record<string, string> = Object.assign({}, ...started.map((s) => s.fake.env));
  const connectors: Connector[] = [];
  const warnings: string[] = [];
  for (const { system } of started) {
    const config = map.systems[system];
    if (config?.type !== 'api') {
      warnings.push(`${system}: not an api system in the example data map yet`);
      continue;
    }
    const resolved = resolveApiSystem(system, config, env);
    const categories = policy.processors.find((p) => p.id === config.processor)?.categories ?? [];
    const wired = connectApiSystem(resolved, categories, {
      clock: systemClock,
      logger: silentLogger(),
      fetch: fetchImpl,
    });
    if (wired.warning) warnings.push(wired.warning);
    if (wired.connector) connectors.push(wired.connector);
  }
  return { executor: new Executor({ connectors, policy, clock: systemClock, warnings }), connectors };
}

interface Row {
  system: string;
  access: string;
  accessRequests: number | string;
  erase: string;
  eraseRequests: number | string;
}

async function runScenario(
  loadMap: (env: Record<string, string>) => DataMap,
  policy: Policy,
  email: string,
  faults: boolean,
) {
  const { started, missing } = await startFakes();
  try {
    // The data map's URLs and secrets come from the env vars the fakes give.
    const map = loadMap(Object.assign({}, ...started.map((s) => s.fake.env)));
    const injected = faults ? injectFaults(started) : undefined;
    const { executor, connectors } = connect(map, policy, started, injected?.fetch);
    injected?.arm();
    const t0 = performance.now();
    const access = await executor.find({ email });
    const accessMs = performance.now() - t0;
    injected?.arm();
    const t1 = performance.now();
    // The client id the shop would have passed with its events (POST /api/v1/events `analytics`).
    const subject: AnalyticsSubject = { email, analytics: { clientIds: ['1234567890.1712345678'] } };
    const erasure = await executor.erase(subject);
    const eraseMs = performance.now() - t1;
    const rows: Row[] = connectors.map((c) => {
      const answer = access.answers?.find((a) => a.system === c.system);
      const failed = access.failed?.find((f) => f.system === c.system);
      const erased = erasure.systems.find((s) => s.system === c.system);
      return {
        system: c.system,
        access: failed ? `failed: ${failed.error}` : answer ? answer.answer : 'no API for access (listed only)',
        accessRequests: answer?.queries ?? (failed ? '?' : 0),
        erase: erased ? erased.status + (erased.task ? ' + task' : '') : '—',
        eraseRequests: erased?.queries ?? 0,
      };
    });
    return {
      rows,
      accessMs,
      eraseMs,
      missing,
      warnings: executor.warnings,
      requests: started.map((s) => s.fake.requests.length),
    };
  } finally {
    await Promise.all(started.map((s) => s.fake.close()));
  }
}

function table(rows: Row[]): string {
  const head = ['processor', 'access answer', 'HTTP (access)', 'erasure', 'HTTP (erasure)'];
  const body = rows.map((r) => [r.system, r.access, String(r.accessRequests), r.erase, String(r.eraseRequests)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string', default: 'sanne.deboer@example.nl' } } });
  const email = values.email!;
  const policyFile = loadYamlFile(`${EXAMPLE}policy.yaml`, PolicySchema);
  if (!policyFile.ok) throw new Error('the example policy does not load');
  const loadMap = (env: Record<string, string>) => {
    const loaded = loadDataMap(`${EXAMPLE}datamap.yaml`, { INZAGE_DATA_DIR: '/tmp', ...env });
    if (!loaded.ok) throw new Error(`the example data map does not load: ${JSON.stringify(loaded.problems)}`);
    return loaded.value;
  };
  for (const faults of [false, true]) {
    const result = await runScenario(loadMap, policyFile.value, email, faults);
    process.stdout.write(
      `\n${faults ? 'With one 429 (Retry-After: 1 s) and one 503 injected per processor' : 'Healthy processors'} — one access and one erasure for ${email.replace(/@.*/, '@…')}\n\n`,
    );
    process.stdout.write(`${table(result.rows)}\n\n`);
    process.stdout.write(
      `access across all: ${result.accessMs.toFixed(0)} ms; erasure across all: ${result.eraseMs.toFixed(0)} ms (databases in sequence, processors at the same time)\n`,
    );
    if (result.missing.length) process.stdout.write(`fakes not there yet: ${result.missing.join('; ')}\n`);
    for (const w of result.warnings) process.stdout.write(`warning: ${w}\n`);
  }
}
