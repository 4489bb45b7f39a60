/**
 * The retention service both retention benchmarks measure: the Balkonzon example's policy and data
 * map, its shop alone (processors keep their own terms), wired as in production.
 */

import { loadYamlFile } from '../src/config/yaml-file.ts';
import type { SqlSystem } from '../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../src/datamap/datamap.ts';
import { buildExecutor } from '../src/executor/build.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { Policy } from '../src/policy/policy.schema.ts';
import { RequestRepository } from '../src/requests/request.repository.ts';
import { RetentionService } from '../src/retention/retention.service.ts';
import { SealedArchive } from '../src/retention/sealed-archive.ts';
import type { Store } from '../src/store/database.ts';

export const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export function exampleRetention(options: {
  /** The shop database, as INZAGE_SHOP_DATABASE_URL. */
  shopUrl: string;
  /** PostgreSQL: the schema the shop was written into. */
  schema?: string;
  hub: Store;
  at: Date;
  batchSize?: number;
}) {
  const example = (file: string) => new URL(`../examples/balkonzon/${file}`, import.meta.url).pathname;
  const policy = loadYamlFile(example('policy.yaml'), Policy);
  const map = loadDataMap(example('datamap.yaml'), { INZAGE_SHOP_DATABASE_URL: options.shopUrl });
  if (!policy.ok || !map.ok) throw new Error('example configuration is invalid');
  const shop = {
    ...(map.value.systems.shop as SqlSystem),
    ...(options.schema ? { schema: options.schema } : {}),
  };
  const dataMap = { ...map.value, systems: { shop } };
  const clock = new FakeClock(options.at);
  const { db } = options.hub;
  // As the server builds it: seals synced (on a SQLite hub, straight on its connection).
  const executor = buildExecutor({
    dataMap,
    policy: policy.value,
    hub: db,
    durably: (fn) => options.hub.durably(fn),
    syncedTransaction: options.hub.syncedTransaction,
    secret: SECRET,
    clock,
  });
  const retention = new RetentionService({
    executor,
    archive: new SealedArchive(db, SECRET, clock),
    requests: new RequestRepository(db, clock),
    policy: () => policy.value,
    clock,
    secret: SECRET,
    hub: options.hub,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
  return { executor, retention };
}

export interface MeasuredSweep {
  plan: Awaited<ReturnType<RetentionService['plan']>>;
  /** People past the term, before `limit` cut the list. */
  pastTerm: number;
  planSeconds: number;
  rssAfterPlan: number;
  summary: Awaited<ReturnType<RetentionService['run']>>;
  runSeconds: number;
  rssAfterRun: number;
}

/** Plans and runs the sweep, timing each and reading the peak memory (MB) after each. */
export async function planAndRun(retention: RetentionService, at: Date, limit?: number): Promise<MeasuredSweep> {
  let started = performance.now();
  const plan = await retention.plan(at);
  const pastTerm = plan.emails.length;
  // Erase only the first N people of the plan: for profiling on the big shop without waiting minutes.
  if (limit) plan.emails = plan.emails.slice(0, limit);
  const planSeconds = (performance.now() - started) / 1000;
  const rssAfterPlan = process.resourceUsage().maxRSS / 1024;
  started = performance.now();
  const summary = await retention.run(at, undefined, plan);
  const runSeconds = (performance.now() - started) / 1000;
  return {
    plan,
    pastTerm,
    planSeconds,
    rssAfterPlan,
    summary,
    runSeconds,
    rssAfterRun: process.resourceUsage().maxRSS / 1024,
  };
}

/** The first lines of both benchmarks' report: where, who is past the term, and the plan. */
export function planLines(m: MeasuredSweep, where: string, customers: number, at: string): string[] {
  const { plan, pastTerm } = m;
  const share = ((100 * pastTerm) / Math.max(plan.people.known, 1)).toFixed(1);
  return [
    '',
    `retention on ${where}, ${customers.toLocaleString('en')} customers, at ${at} (cutoff ${plan.cutoff.slice(0, 10)})`,
    `  people known ${plan.people.known.toLocaleString('en')}, past the term ${pastTerm.toLocaleString('en')} (${share}%), erased in this run ${plan.emails.length.toLocaleString('en')}`,
    `  plan    ${m.planSeconds.toFixed(1)} s (peak RSS ${m.rssAfterPlan.toFixed(0)} MB)`,
  ];
}
