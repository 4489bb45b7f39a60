import type { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import type { HttpClient } from '../http/http-client.ts';
import { ProcessorError } from '../http/http-client.ts';
import { parseAnswer } from '../processor-helpers.ts';
import { GraphqlAnswer, type QueryCost } from './shopify.schema.ts';

/**
 * Shopify's Admin GraphQL API under its cost-based throttle: every app has a bucket of points per shop
 * that refills at `restoreRate` points a second; a query costs points, and one that costs more than the
 * bucket holds is answered with a `THROTTLED` error (HTTP 200) instead of data. Every answer says what
 * the bucket holds (`extensions.cost.throttleStatus`), so the client waits exactly as long as the bucket
 * needs to refill, before a query it knows the cost of and after one that was throttled.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */

export interface ShopifyGraphqlOptions {
  system: string;
  http: HttpClient;
  /** e.g. `2025-07`: part of the URL, `/admin/api/{version}/graphql.json`. */
  apiVersion: string;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** The longest wait for the bucket it accepts; longer → a retryable 'rate-limited' error. Default 60 000. */
  maxWaitMs?: number;
  /** How often one query may be throttled before the call gives up (retryable). Default 5. */
  maxThrottled?: number;
}

/** Errors Shopify's GraphQL answers with (`errors[].extensions.code`), and what they mean for a retry. */
const RETRYABLE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);
const FORBIDDEN_CODES = new Set(['ACCESS_DENIED', 'FORBIDDEN']);

interface Bucket {
  available: number;
  maximum: number;
  restoreRate: number;
  /** When Shopify reported it, in ms since the epoch. */
  at: number;
}

export class ShopifyGraphql {
  readonly #o: ShopifyGraphqlOptions;
  #bucket: Bucket | undefined;
  /** What each query asked for the last time (its requestedQueryCost), by query text. */
  readonly #costs = new Map<string, number>();

  constructor(options: ShopifyGraphqlOptions) {
    this.#o = options;
  }

  get path(): string {
    return `/admin/api/${this.#o.apiVersion}/graphql.json`;
  }

  /** Runs a query or mutation and returns its `data`, checked against `schema`. `what` names it in errors. */
  async run<T extends z.ZodType>(
    what: string,
    query: string,
    variables: Record<string, unknown>,
    schema: T,
  ): Promise<z.output<T>> {
    const { system, http } = this.#o;
    const maxThrottled = this.#o.maxThrottled ?? 5;
    for (let throttled = 0; ; ) {
      const known = this.#costs.get(query);
      if (known !== undefined) await this.#waitFor(known, what);
      const res = await http.request({ method: 'POST', path: this.path, json: { query, variables } });
      const answer = parseAnswer(system, GraphqlAnswer, res.body, what);
      const cost = answer.extensions?.cost;
      if (cost) this.#note(query, cost);
      const codes = (answer.errors ?? []).map((e) => e.extensions?.code ?? 'GRAPHQL_ERROR');
      if (codes.includes('THROTTLED')) {
        throttled++;
        if (throttled > maxThrottled)
          throw new ProcessorError(system, 'rate-limited', `${what}: throttled ${throttled} times; try later`, {
            retryable: true,
          });
        // Without a cost in the answer: wait a second, in which the bucket refills by its restore rate.
        await this.#waitFor(cost?.requestedQueryCost ?? known ?? 0, what, cost ? 0 : 1000);
        continue;
      }
      if (codes.length > 0) throw graphqlError(system, what, codes);
      return parseAnswer(system, schema, answer.data, what);
    }
  }

  /** Remembers the bucket as the answer reported it, and what the query asked for. */
  #note(query: string, cost: QueryCost): void {
    const t = cost.throttleStatus;
    this.#costs.set(query, cost.requestedQueryCost);
    this.#bucket = {
      available: t.currentlyAvailable,
      maximum: t.maximumAvailable,
      restoreRate: t.restoreRate,
      at: this.#o.clock.now().getTime(),
    };
  }

  /** Waits until the bucket holds `needed` points (as far as it is known), or at least `minMs`. */
  async #waitFor(needed: number, what: string, minMs = 0): Promise<void> {
    const wait = Math.max(minMs, this.#refillMs(needed));
    if (wait <= 0) return;
    const maxWait = this.#o.maxWaitMs ?? 60_000;
    if (wait > maxWait)
      throw new ProcessorError(
        this.#o.system,
        'rate-limited',
        `${what}: Shopify's query budget needs ${Math.ceil(wait / 1000)} s to refill (more than ${maxWait / 1000} s); try later`,
        { retryable: true },
      );
    await this.#o.sleep(wait);
  }

  /** Milliseconds until the bucket, refilling at its restore rate since it was reported, holds `needed`. */
  #refillMs(needed: number): number {
    const b = this.#bucket;
    if (!b || b.restoreRate <= 0) return 0;
    const elapsed = Math.max(0, this.#o.clock.now().getTime() - b.at) / 1000;
    const now = Math.min(b.maximum, b.available + elapsed * b.restoreRate);
    const missing = Math.min(needed, b.maximum) - now;
    return missing > 0 ? Math.ceil((missing / b.restoreRate) * 1000) : 0;
  }
}

/** A GraphQL error in words for a record: the codes Shopify gave, never its messages (they can quote input). */
function graphqlError(system: string, what: string, codes: string[]): ProcessorError {
  const unique = [...new Set(codes)].slice(0, 5).join(', ');
  if (codes.some((c) => FORBIDDEN_CODES.has(c)))
    return new ProcessorError(
      system,
      'forbidden',
      `${what}: Shopify refused it (${unique}): the app lacks an access scope`,
    );
  if (codes.every((c) => RETRYABLE_CODES.has(c)))
    return new ProcessorError(system, 'unavailable', `${what}: Shopify failed (${unique})`, { retryable: true });
  return new ProcessorError(system, 'rejected', `${what}: Shopify answered with errors (${unique})`);
}
