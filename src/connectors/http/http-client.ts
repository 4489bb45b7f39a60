import type { Logger } from '../../lib/logger.ts';
import { scrubMessage, scrubUrl } from '../../lib/logger.ts';

/**
 * The one HTTP client every processor connector uses: retries with backoff and jitter on network
 * errors, 5xx and 429 (honouring Retry-After and RateLimit-Reset), a client-side rate budget,
 * idempotency keys that stay the same across retries, paging to the end, and logs without
 * personal data (no query strings, no bodies, e-mail addresses in paths replaced).
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to baseUrl, or an absolute URL on the same origin (e.g. Mollie's `_links.next.href`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body (sent with content-type application/json). */
  json?: unknown;
  /** x-www-form-urlencoded body. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent in the client's `idempotencyHeader` when set; the same value on every retry. */
  idempotencyKey?: string;
  /** Non-2xx statuses that are answers, not errors (e.g. 404 on a lookup). */
  okStatuses?: number[];
  /** The body as raw bytes (a `Uint8Array`) instead of parsed JSON or text, e.g. a `.eml` download. */
  raw?: boolean;
  /**
   * With `raw`: read at most this many bytes. A larger body (by its Content-Length, or while it streams
   * in) is not read further; the answer then says `tooLarge` and its body holds no bytes.
   */
  maxBytes?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /**
   * Parsed JSON when the response says `application/json` (or `+json`) or the text parses as JSON;
   * the text otherwise; a `Uint8Array` when the request said `raw: true`; `undefined` for an empty body.
   */
  body: T;
  /** Set when a `raw` request's `maxBytes` was exceeded: the body was left unread. */
  tooLarge?: true;
}

export interface HttpClientOptions {
  /** Data-map system id, for logs and errors. */
  system: string;
  baseUrl: string;
  /** Headers such as `{ authorization: 'Bearer …' }`; called before every attempt (tokens can refresh). */
  auth: () => Promise<Record<string, string>>;
  fetch?: typeof fetch;
  /** Tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch, for the rate budget; tests pass one that moves with their `sleep`. */
  now?: () => number;
  /** Retries after the first attempt; default 5. */
  maxRetries?: number;
  /** Per attempt; default 15 000. */
  timeoutMs?: number;
  /** The longest single wait the client accepts (Retry-After, reset); longer → a retryable 'rate-limited' error. Default 60 000. */
  maxWaitMs?: number;
  /** First backoff step; doubles per retry, with jitter. Default 500. */
  backoffMs?: number;
  /** Client-side budget, e.g. MoneyBird: 150 per 300 000 ms. */
  rateLimit?: { requests: number; perMs: number };
  /** e.g. 'Idempotency-Key'. */
  idempotencyHeader?: string;
  /** Logs method, path (scrubbed, without query), status, ms and attempt; never bodies. */
  logger?: Logger;
  /** The most pages `paginate` follows before it gives up on a paging that does not end. Default 10 000. */
  maxPages?: number;
}

export type ProcessorErrorKind = 'unavailable' | 'rate-limited' | 'auth' | 'forbidden' | 'rejected' | 'bad-response';

/** A processor's API did not do what was asked. The message never contains personal data. */
export class ProcessorError extends Error {
  readonly status?: number;
  readonly retryable: boolean;

  constructor(
    readonly system: string,
    readonly kind: ProcessorErrorKind,
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProcessorError';
    this.status = options.status;
    this.retryable = options.retryable ?? (kind === 'unavailable' || kind === 'rate-limited');
  }
}

const DEFAULTS = { maxRetries: 5, timeoutMs: 15_000, maxWaitMs: 60_000, backoffMs: 500, maxPages: 10_000 };

/** What one attempt needs to report a failure that may be retried. */
interface Attempt {
  what: string;
  method: HttpRequest['method'];
  logPath: string;
  attempt: number;
  started: number;
  last: boolean;
}

export class HttpClient {
  readonly stats = { requests: 0, retries: 0 };
  readonly #options: HttpClientOptions;
  readonly #base: URL;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  /** Start times of recent requests, for the client-side budget. */
  readonly #sent: number[] = [];
  /** Requests queue here for the budget, so that concurrent callers do not overrun it together. */
  #budget: Promise<void> = Promise.resolve();

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
  }

  get system(): string {
    return this.#options.system;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const url = this.#url(req);
    const logPath = scrubPath(url.pathname);
    const maxRetries = this.#options.maxRetries ?? DEFAULTS.maxRetries;
    const what = `${req.method} ${logPath}`;
    for (let attempt = 1; ; attempt++) {
      const last = attempt > maxRetries;
      if (attempt > 1) this.stats.retries++;
      await this.#takeBudget();
      this.stats.requests++;
      const started = this.#now();
      const tried: Attempt = { what, method: req.method, logPath, attempt, started, last };
      let res: Response;
      try {
        res = await this.#send(url, req);
      } catch (err) {
        await this.#networkFailure(err, tried);
        continue;
      }
      const ms = this.#now() - started;
      const ok = (res.status >= 200 && res.status < 300) || req.okStatuses?.includes(res.status);
      this.#log(ok ? 'debug' : 'warn', { method: req.method, path: logPath, status: res.status, ms, attempt });
      this.#noteRateHeaders(res);
      if (ok) {
        let read: { body: unknown; tooLarge?: true };
        try {
          read = await this.#body(res, req, what);
        } catch (err) {
          // The answer broke off or stalled (the attempt's timeout covers the body too) while its body
          // was read: as much a network failure as no answer at all.
          await this.#networkFailure(err, tried);
          continue;
        }
        return {
          status: res.status,
          headers: res.headers,
          body: read.body as T,
          ...(read.tooLarge && { tooLarge: true as const }),
        };
      }
      await res.body?.cancel().catch(() => {});
      if (res.status !== 429 && res.status < 500) throw this.#clientError(res.status, what);
      const kind = res.status === 429 ? 'rate-limited' : 'unavailable';
      const asked = waitFromHeaders(res.headers, this.#now());
      const maxWait = this.#options.maxWaitMs ?? DEFAULTS.maxWaitMs;
      if (asked !== undefined && asked > maxWait)
        throw new ProcessorError(
          this.system,
          'rate-limited',
          `${what}: HTTP ${res.status}, asked to wait ${Math.ceil(asked / 1000)} s (more than ${maxWait / 1000} s); try later`,
          { status: res.status, retryable: true },
        );
      if (last)
        throw new ProcessorError(this.system, kind, `${what}: HTTP ${res.status} after ${attempt} attempts`, {
          status: res.status,
          retryable: true,
        });
      await this.#sleep(asked ?? this.#backoff(attempt));
    }
  }

  /**
   * Follows pages to the end: `next` returns the next request, or undefined after the last page.
   * A processor whose paging does not advance (a next link to a page already read, or pages without
   * end) would keep a job busy forever: that stops with a 'bad-response' error.
   */
  async *paginate<P, T>(
    first: HttpRequest,
    items: (page: P) => T[],
    next: (page: P, res: HttpResponse<P>) => HttpRequest | undefined,
  ): AsyncIterable<T> {
    const maxPages = this.#options.maxPages ?? DEFAULTS.maxPages;
    // Kept in memory only, for the length of one listing.
    const fetched = new Set<string>();
    let req: HttpRequest | undefined = first;
    while (req) {
      const url = this.#url(req);
      const what = `${req.method} ${scrubPath(url.pathname)}`;
      const key = `${req.method} ${url.href}`;
      if (fetched.has(key))
        throw new ProcessorError(this.system, 'bad-response', `${what}: the next page is one already read`, {
          retryable: false,
        });
      if (fetched.size >= maxPages)
        throw new ProcessorError(this.system, 'bad-response', `${what}: more than ${maxPages} pages; stopped`, {
          retryable: false,
        });
      fetched.add(key);
      const res: HttpResponse<P> = await this.request<P>(req);
      yield* items(res.body);
      req = next(res.body, res);
    }
  }

  #url(req: HttpRequest): URL {
    const absolute = /^https?:\/\//i.test(req.path);
    const url = absolute ? new URL(req.path) : new URL(req.path.replace(/^\//, ''), this.#base);
    // Credentials go only to the configured processor: a next-page link elsewhere is not followed.
    if (url.origin !== this.#base.origin)
      throw new ProcessorError(this.system, 'bad-response', 'a link in the answer points to another host', {
        retryable: false,
      });
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  async #send(url: URL, req: HttpRequest): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...req.headers,
      ...(await this.#options.auth()),
    };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    if (req.idempotencyKey && this.#options.idempotencyHeader)
      headers[this.#options.idempotencyHeader] = req.idempotencyKey;
    const signal = AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULTS.timeoutMs);
    const res = await this.#fetch(url, { method: req.method, headers, body, signal, redirect: 'manual' });
    return res;
  }

  /** A failed attempt that may be tried again: logged, then a wait, or the last one's retryable error. */
  async #networkFailure(err: unknown, tried: Attempt): Promise<void> {
    // A refused secret (from the auth step, e.g. a token endpoint) or an unreadable answer is not a network failure.
    if (err instanceof ProcessorError && !err.retryable) throw err;
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'network error';
    const { method, logPath, attempt } = tried;
    this.#log('warn', { method, path: logPath, attempt, ms: this.#now() - tried.started, error: reason });
    if (tried.last)
      throw new ProcessorError(this.system, 'unavailable', `${tried.what}: ${reason} after ${attempt} attempts`, {
        retryable: true,
        cause: err,
      });
    await this.#sleep(this.#backoff(attempt));
  }

  async #body(res: Response, req: HttpRequest, what: string): Promise<{ body: unknown; tooLarge?: true }> {
    if (req.raw && req.maxBytes !== undefined) {
      const bytes = await readAtMost(res, req.maxBytes);
      return bytes ? { body: bytes } : { body: new Uint8Array(0), tooLarge: true };
    }
    if (req.raw) return { body: new Uint8Array(await res.arrayBuffer()) };
    const text = await res.text();
    if (text === '') return { body: undefined };
    const type = res.headers.get('content-type') ?? '';
    const json = /[/+]json\b/i.test(type);
    try {
      return { body: JSON.parse(text) };
    } catch (err) {
      if (json)
        throw new ProcessorError(this.system, 'bad-response', `${what}: the answer is not valid JSON`, {
          status: res.status,
          retryable: false,
          cause: err,
        });
      return { body: text };
    }
  }

  #clientError(status: number, what: string): ProcessorError {
    if (status === 401)
      return new ProcessorError(this.system, 'auth', `${what}: HTTP 401, the credentials were refused`, { status });
    if (status === 403)
      return new ProcessorError(this.system, 'forbidden', `${what}: HTTP 403, the credentials lack a permission`, {
        status,
      });
    return new ProcessorError(this.system, 'rejected', `${what}: HTTP ${status}`, { status });
  }

  /** Exponential backoff with full jitter: a random wait up to 500 ms, 1 s, 2 s, … capped at maxWaitMs. */
  #backoff(attempt: number): number {
    const base = this.#options.backoffMs ?? DEFAULTS.backoffMs;
    const cap = Math.min(base * 2 ** (attempt - 1), this.#options.maxWaitMs ?? DEFAULTS.maxWaitMs);
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }

  /** When the processor says its budget is spent (RateLimit-Remaining: 0), the next request waits for its reset. */
  #noteRateHeaders(res: Response): void {
    const remaining = res.headers.get('ratelimit-remaining') ?? res.headers.get('x-ratelimit-remaining');
    if (remaining === null || Number(remaining) > 0) return;
    const wait = resetWait(res.headers, this.#now());
    if (wait === undefined) return;
    const until = this.#now() + Math.min(wait, this.#options.maxWaitMs ?? DEFAULTS.maxWaitMs);
    this.#budget = this.#budget.then(async () => {
      const left = until - this.#now();
      if (left > 0) await this.#sleep(left);
    });
  }

  /** Waits until the client-side budget allows one more request, then counts it. */
  #takeBudget(): Promise<void> {
    const limit = this.#options.rateLimit;
    const turn = this.#budget.then(async () => {
      if (!limit) return;
      for (;;) {
        const now = this.#now();
        while (this.#sent.length && this.#sent[0]! <= now - limit.perMs) this.#sent.shift();
        if (this.#sent.length < limit.requests) break;
        await this.#sleep(this.#sent[0]! + limit.perMs - now);
      }
      this.#sent.push(this.#now());
    });
    this.#budget = turn.catch(() => {});
    return turn;
  }

  #log(level: 'debug' | 'warn', fields: Record<string, unknown>): void {
    this.#options.logger?.[level]({ system: this.system, ...fields }, 'processor request');
  }
}

/**
 * The body's bytes, or undefined when there are more than `max`: then it is not read further (a
 * Content-Length above `max` stops it before the first byte).
 */
async function readAtMost(res: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    await res.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** The wait a 429 or 503 asks for: Retry-After (seconds or an HTTP date), else RateLimit-Reset. In ms. */
export function waitFromHeaders(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && retryAfter.trim() !== '') return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return resetWait(headers, now);
}

/**
 * RateLimit-Reset / X-RateLimit-Reset: seconds until the reset (the IETF draft), or, when the number
 * is that of a time since 1970 (GitHub, MoneyBird), that moment.
 */
function resetWait(headers: Headers, now: number): number | undefined {
  const value = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) return undefined;
  return Math.max(0, n > 1e9 ? n * 1000 - now : n * 1000);
}

/**
 * A URL path fit for a log line: segments holding an e-mail address (plain or percent-encoded)
 * become `:email`, token-like segments `:token`; the query string is dropped by the caller.
 */
export function scrubPath(path: string): string {
  const segments = path.split('/').map((seg) => {
    let decoded = seg;
    try {
      decoded = decodeURIComponent(seg);
    } catch {}
    return decoded.includes('@') ? ':email' : seg;
  });
  return scrubMessage(scrubUrl(segments.join('/')));
}
