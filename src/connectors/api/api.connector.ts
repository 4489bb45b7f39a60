import { scrubMessage } from '../../lib/logger.ts';
import type {
  CollectionErasure,
  CollectionFindings,
  Connector,
  Corrections,
  EraseOptions,
  ManualTask,
  SubjectIdentity,
  SystemErasure,
  SystemRectification,
  SystemRestriction,
} from '../connector.ts';
import type { HttpClient } from '../http/http-client.ts';
import { ProcessorError } from '../http/http-client.ts';
import type { ManualConnector } from '../manual/manual.connector.ts';
import type { ProcessorApi } from './processor-api.ts';

export interface ApiConnectorOptions {
  system: string;
  processor: string;
  api: ProcessorApi;
  /** The client the api uses: its request count is what each action cost. */
  http: HttpClient;
  /** What the API cannot do becomes this system's manual task (the data map's contact, instructions, days). */
  fallback: ManualConnector;
}

/**
 * A processor reached through its API. A capability the API lacks becomes the manual task;
 * parts an answer says it could not do become a task with the processor's own instructions;
 * a processor that fails is reported as failed (with a message free of personal data), never thrown
 * through an erasure, so the other systems go on.
 */
export class ApiConnector implements Connector {
  readonly kind = 'api';
  readonly system: string;
  readonly processor: string;
  readonly #api: ProcessorApi;
  readonly #http: HttpClient;
  readonly #fallback: ManualConnector;

  constructor(options: ApiConnectorOptions) {
    this.system = options.system;
    this.processor = options.processor;
    this.#api = options.api;
    this.#http = options.http;
    this.#fallback = options.fallback;
  }

  get capabilities() {
    return this.#api.capabilities;
  }

  /** Throws a ProcessorError when the processor cannot be reached; the executor reports it per system. */
  async find(subject: SubjectIdentity) {
    if (!this.#api.capabilities.access) return { ...(await this.#fallback.find(subject)), answer: undefined };
    const queries = this.#requestsFromHere();
    const findings = await this.#api.find(subject);
    return { findings, queries: queries(), answer: describeFindings(findings) };
  }

  async erase(subject: SubjectIdentity, options: EraseOptions): Promise<SystemErasure> {
    const queries = this.#requestsFromHere();
    if (!this.#api.capabilities.erase || !this.#api.erase) return this.#fallback.erase(subject, options);
    try {
      if (options.dryRun) {
        // A processor's API has no dry run: say what would be asked, from what it holds now.
        const findings = this.#api.capabilities.access ? await this.#api.find(subject) : [];
        return {
          system: this.system,
          status: 'dry-run',
          collections: findings.map((f) => wouldErase(f)),
          queries: queries(),
          answer: describeFindings(findings),
        };
      }
      const result = await this.#api.erase(subject, options);
      const found = result.collections.some((c) => c.found > 0 || c.deleted + c.anonymised + (c.retained ?? 0) > 0);
      const task = result.manual ? this.#task('erase', result.manual) : undefined;
      return {
        system: this.system,
        status: found ? 'erased' : task ? 'manual' : 'nothing-found',
        collections: result.collections,
        task,
        queries: queries(),
        answer: result.answer,
      };
    } catch (err) {
      return { ...this.#failed(err, queries()), collections: [] };
    }
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections): Promise<SystemRectification> {
    if (!this.#api.capabilities.rectify || !this.#api.rectify) return this.#fallback.rectify(subject, corrections);
    const queries = this.#requestsFromHere();
    try {
      const result = await this.#api.rectify(subject, corrections);
      const changed = result.collections.some((c) => c.records > 0);
      const task = result.manual ? this.#task('rectify', result.manual) : undefined;
      return {
        system: this.system,
        status: changed ? 'rectified' : task ? 'manual' : 'nothing-found',
        collections: result.collections,
        task,
        answer: result.answer,
        queries: queries(),
      };
    } catch (err) {
      return { ...this.#failed(err, queries()), collections: [] };
    }
  }

  async restrict(subject: SubjectIdentity): Promise<SystemRestriction> {
    if (!this.#api.capabilities.restrict || !this.#api.restrict)
      return { system: this.system, status: 'manual', task: this.#fallback.manualTask('restrict'), queries: 0 };
    const queries = this.#requestsFromHere();
    try {
      const result = await this.#api.restrict(subject);
      const task = result.manual ? this.#task('restrict', result.manual) : undefined;
      return {
        system: this.system,
        status: result.found ? 'restricted' : task ? 'manual' : 'nothing-found',
        answer: result.answer,
        task,
        queries: queries(),
      };
    } catch (err) {
      return this.#failed(err, queries());
    }
  }

  /** How many requests this connector has sent to the API since the call. */
  #requestsFromHere(): () => number {
    const before = this.#http.stats.requests;
    return () => this.#http.stats.requests - before;
  }

  /** A call that failed: the error in words, and whether trying again later may help. */
  #failed(err: unknown, queries: number) {
    return {
      system: this.system,
      status: 'failed' as const,
      error: describeError(err),
      retryable: isRetryable(err),
      queries,
    };
  }

  /** The system's manual task, for an action or a part of one the API cannot do. */
  manualTask(action: ManualTask['action']): ManualTask {
    return this.#fallback.manualTask(action);
  }

  #task(action: ManualTask['action'], instructions: { nl: string; en: string }): ManualTask {
    return { ...this.#fallback.manualTask(action), instructions };
  }

  async close(): Promise<void> {}
}

/** "2 customers, 5 payments" — counts only. */
export function describeFindings(findings: CollectionFindings[]): string {
  const held = findings.filter((f) => f.records.length > 0);
  if (held.length === 0) return 'nothing found';
  return `found ${held.map((f) => `${f.records.length} ${f.collection}`).join(', ')}`;
}

/** A failure in words fit for a record and a log: the processor's error kind and status, never its body. */
export function describeError(err: unknown): string {
  if (err instanceof ProcessorError) return scrubMessage(err.message);
  return `unexpected error (${err instanceof Error ? err.name : typeof err}): ${scrubMessage(String((err as Error)?.message ?? err)).slice(0, 200)}`;
}

/**
 * Whether trying again later can help: a processor that refused (a rejected key, a 400, an answer we
 * cannot read) will refuse again; an outage or an unexpected error may pass.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof ProcessorError ? err.retryable : true;
}

function wouldErase(f: CollectionFindings): CollectionErasure {
  return {
    system: f.system,
    collection: f.collection,
    found: f.records.length,
    deleted: 0,
    anonymised: 0,
    sealed: 0,
    keptFields: [],
  };
}
