import type { Kysely } from 'kysely';
import type { Connector } from '../connectors/connector.ts';
import { ManualConnector } from '../connectors/manual/manual.connector.ts';
import { type HoldTerm, SqlConnector } from '../connectors/sql/sql.connector.ts';
import { openSqlDatabase } from '../connectors/sql/sql-database.ts';
import type { DataMap } from '../datamap/datamap.schema.ts';
import { planSystem } from '../datamap/plan.ts';
import type { Clock } from '../lib/clock.ts';
import { deriveKey, hmacHex } from '../lib/crypto.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { SealedArchive } from '../retention/sealed-archive.ts';
import type { Database } from '../store/schema.ts';
import { Executor } from './executor.ts';

export interface BuildExecutorOptions {
  dataMap: DataMap;
  policy: Policy;
  /** The hub's store, which holds the sealed archive. */
  hub: Kysely<Database>;
  secret: string;
  clock: Clock;
}

/** The policy's legal holds: retention rules that name one give its term and basis. */
export function legalHolds(policy: Policy): Map<string, HoldTerm> {
  const holds = new Map<string, HoldTerm>();
  for (const rule of policy.retention.rules) {
    if (!rule.legalHold || !rule.term) continue;
    holds.set(rule.legalHold, { term: rule.term, basis: rule.legalBasis?.nl ?? rule.title.nl });
  }
  return holds;
}

/** Wires a connector for every system of the data map into one executor. */
export function buildExecutor(options: BuildExecutorOptions): Executor {
  const { dataMap, policy, clock } = options;
  const archive = new SealedArchive(options.hub, options.secret, clock);
  const hashKey = deriveKey(options.secret, 'erasure/hash');
  const holds = legalHolds(policy);
  const connectors: Connector[] = [];
  try {
    for (const [id, system] of Object.entries(dataMap.systems)) {
      if (system.type === 'manual') {
        const processor = policy.processors.find((p) => p.id === system.processor);
        connectors.push(new ManualConnector(id, system, processor?.categories ?? []));
        continue;
      }
      connectors.push(
        new SqlConnector({
          plan: planSystem(id, system),
          database: openSqlDatabase(system.url, { schema: system.schema }),
          sealer: archive,
          hashValue: (value) => hmacHex(hashKey, value),
          placeholder: dataMap.placeholder,
          holds,
        }),
      );
    }
  } catch (err) {
    for (const c of connectors) void c.close();
    throw err;
  }
  return new Executor({ connectors, policy, clock });
}
