import type { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type {
  CollectionErasure,
  CollectionFindings,
  CollectionRectification,
  Corrections,
  EraseOptions,
  SubjectIdentity,
} from '../connector.ts';
import type { HttpClient } from '../http/http-client.ts';

/**
 * What each processor folder (src/connectors/<processor>/) implements. The ApiConnector
 * (api.connector.ts) turns it into a Connector: missing capabilities become manual tasks,
 * ProcessorErrors become failed systems, and every HTTP request is counted.
 */

export interface ProcessorApiContext {
  /** Data-map system id; FoundRecord.system and CollectionErasure.system use it. */
  system: string;
  /** The policy's processor id. */
  processor: string;
  /** The categories the policy says this processor receives. */
  categories: string[];
  /** Configured with baseUrl, auth, retries, rate limit and idempotency header. */
  http: HttpClient;
  /** Resolved secrets, by the factory's credential keys (from the env vars the data map names). */
  credentials: Record<string, string>;
  /** The data map's `options` for this system, parsed by the factory's `optionsSchema`. */
  options: Record<string, unknown>;
  clock: Clock;
  /** Waits, e.g. for a processor's own throttle (Shopify's query cost); tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
}

/** What the processor answered, in plain words, without personal data (counts, statuses, its own object ids are fine). */
export interface ApiAnswer {
  answer: string;
}

export interface ApiErasure extends ApiAnswer {
  /**
   * Deleted / anonymised counts per collection. Records the processor must keep (payments, invoices)
   * go in a CollectionErasure with `retained`, `retainedUntil` (when known) and `reason`.
   */
  collections: CollectionErasure[];
  /** Parts the API cannot do (e.g. MyOnlineStore orders): these become a manual task with these instructions. */
  manual?: { nl: string; en: string };
}

export interface ApiRectification extends ApiAnswer {
  collections: CollectionRectification[];
  manual?: { nl: string; en: string };
}

export interface ApiRestriction extends ApiAnswer {
  /** False when the processor held nothing of the person (nothing to restrict). */
  found: boolean;
  manual?: { nl: string; en: string };
}

export interface ProcessorApiCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface ProcessorCapabilities {
  access: boolean;
  erase: boolean;
  rectify: boolean;
  restrict: boolean;
}

export interface ProcessorApi {
  capabilities: ProcessorCapabilities;
  /**
   * The person's records, per collection (e.g. 'customers', 'payments', 'messages'), each field
   * labelled with a policy category id (contact, address, payment, order, …). An empty list: nothing held.
   */
  find(subject: SubjectIdentity): Promise<CollectionFindings[]>;
  erase?(subject: SubjectIdentity, options: EraseOptions): Promise<ApiErasure>;
  rectify?(subject: SubjectIdentity, corrections: Corrections): Promise<ApiRectification>;
  restrict?(subject: SubjectIdentity): Promise<ApiRestriction>;
  /** `inzage connectors test`: credentials, reachability, permissions — plain answers, no personal data. */
  test(): Promise<{ ok: boolean; checks: ProcessorApiCheck[] }>;
}

/** What `auth` gets: enough to fetch and cache a token (Graph's client credentials) without the HttpClient. */
export interface ProcessorAuthContext {
  credentials: Record<string, string>;
  options: Record<string, unknown>;
  /** The processor's API base URL (data map `url`, or the factory's defaultUrl). */
  baseUrl: string;
  fetch: typeof fetch;
  clock: Clock;
}

export interface ProcessorApiFactory {
  /** The data map's `connector:` name. */
  connector: string;
  /** e.g. 'Mollie'. */
  name: string;
  /** The API's address for everyone; '' when each customer has their own (then `baseUrlFrom` or the map's `url`). */
  defaultUrl: string;
  /** The address from the resolved secrets (Shopify: `https://{shop}.myshopify.com`), or why it cannot be had. */
  baseUrlFrom?(credentials: Record<string, string>): { url: string } | { problem: string };
  /** Credential keys it needs, e.g. ['apiKey'] or ['tenantId', 'clientId', 'clientSecret']. */
  credentials: string[];
  /** Connector-specific options; the data map's `options` is parsed with it (an empty object when absent). */
  optionsSchema: z.ZodType<Record<string, unknown>>;
  /** Returns the function the HttpClient calls before every attempt for its auth headers. */
  auth(ctx: ProcessorAuthContext): () => Promise<Record<string, string>>;
  rateLimit?: { requests: number; perMs: number };
  idempotencyHeader?: string;
  /** What the API can do, known before its code is loaded: a capability it lacks becomes the manual task. */
  capabilities: ProcessorCapabilities;
  /**
   * The implementation (`<processor>.api.ts`), imported on first use. A start, the data-map check and the
   * executor's wiring need only this description (`<processor>.factory.ts`); a processor's code is loaded
   * when a request first reaches it, so that `serve` does not load seven API clients it may never call.
   */
  load(): Promise<(ctx: ProcessorApiContext) => ProcessorApi>;
}

/** Bearer-token auth, the most common shape (Mollie, MoneyBird, MyOnlineStore). */
export const bearerAuth =
  (key: string) =>
  (ctx: ProcessorAuthContext): (() => Promise<Record<string, string>>) =>
  async () => ({ authorization: `Bearer ${ctx.credentials[key] ?? ''}` });
