import type { Kysely } from 'kysely';
import { type ApiWiring, connectApiSystem, type Env, resolveApiSystem } from '../connectors/api/api-systems.ts';
import type { ProcessorApiFactory } from '../connectors/api/processor-api.ts';
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
import type { Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { Executor } from './executor.ts';

export interface BuildExecutorOptions {
  dataMap: DataMap;
  policy: Policy;
  /** The hub's store, which holds the sealed archive. */
  hub: Kysely<Database>;
  secret: string;
  clock: Clock;
  /**
   * Runs a seal with its commit synced to disk (the hub store's `durably`): the shop erases the originals
   * right after, so the sealed copy must survive a power cut. Without it (tests of the engine alone), as is.
   */
  durably?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** A SQLite hub store's `syncedTransaction`: its seal then goes straight to the connection, synced as well. */
  syncedTransaction?: Store['syncedTransaction'];
  /** Where api systems' secrets are read (the variables the data map names); default process.env. */
  env?: Env;
  /** For processor APIs: logger, and in tests a fetch, sleep and shorter retries. */
  apis?: Omit<ApiWiring, 'clock'>;
  /** The processor APIs to look connectors up in; default the registry. */
  processorApis?: ReadonlyArray<ProcessorApiFactory>;
}

/** The policy's legal holds: retention rules that name one give its term and basis. */
export function legalHolds(policy: Policy): Map<string, HoldTerm> {
  const holds = new Map<string, HoldTerm>();
  for (const rule of policy.retention.rules) {
    if (!rule.legalHold || !rule.term) continue;
    holds.set(rule.legalHold, {
      term: rule.term,
      ...(rule.until ? { until: rule.until, financialYearEnd: policy.controller.financialYearEnd } : {}),
      basis: rule.legalBasis?.nl ?? rule.title.nl,
    });
  }
  return holds;
}

/** Wires a connector for every system of the data map into one executor. */
export function buildExecutor(options: BuildExecutorOptions): Executor {
  const { dataMap, policy, clock } = options;
  const archive = new SealedArchive(options.hub, options.secret, clock, options.durably, options.syncedTransaction);
  const hashKey = deriveKey(options.secret, 'erasure/hash');
  const holds = legalHolds(policy);
  const connectors: Connector[] = [];
  const warnings: string[] = [];
  const categoriesOf = (processor: string) => policy.processors.find((p) => p.id === processor)?.categories ?? [];
  try {
    for (const [id, system] of Object.entries(dataMap.systems)) {
      if (system.type === 'manual') {
        connectors.push(new ManualConnector(id, system, categoriesOf(system.processor)));
        continue;
      }
      if (system.type === 'api') {
        const resolved = resolveApiSystem(id, system, options.env ?? process.env, options.processorApis);
        const categories = system.categories ?? categoriesOf(system.processor);
        const wired = connectApiSystem(resolved, categories, { ...options.apis, clock });
        if (wired.connector) connectors.push(wired.connector);
        if (wired.warning) warnings.push(wired.warning);
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
  return new Executor({ connectors, policy, clock, warnings });
}
