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
  const executor = buildExecutor({ dataMap, policy: policy.value, hub: db, secret: SECRET, clock });
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
