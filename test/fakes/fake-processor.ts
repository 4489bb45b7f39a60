import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What every fake processor (test/fakes/<connector>.fake.ts) exports: a real HTTP server on
 * 127.0.0.1, port 0, driven by the real connector code.
 */
export interface FakeProcessor {
  url: string;
  /** The env vars the example data map's credentials name, with the fake's valid secrets, plus the URL var. */
  env: Record<string, string>;
  requests: Array<{ method: string; path: string; at: number }>;
  /** Make the next N requests fail with this status (and optional Retry-After in seconds). */
  fail(next: { status: number; times: number; retryAfter?: number }): void;
  /** Down: every connection is dropped without an answer (a network error for the client). */
  down(isDown: boolean): void;
  close(): Promise<void>;
}

/** One request as the handler sees it, body already read. */
export interface FakeRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
  form(): URLSearchParams;
}

export type FakeHandler = (req: FakeRequest, res: ServerResponse) => unknown;

export interface FakeServerOptions {
  /** The env vars for the data map, given the server's URL. */
  env: (url: string) => Record<string, string>;
  /** How an injected failure looks (default: JSON `{ error: { status, message } }`). */
  failure?: (res: ServerResponse, status: number, retryAfter?: number) => void;
}

/** Starts a node:http server around `handler`, recording every request, with failure injection and down mode. */
export async function startFakeServer(handler: FakeHandler, options: FakeServerOptions): Promise<FakeProcessor> {
  const requests: FakeProcessor['requests'] = [];
  let failing: { status: number; times: number; retryAfter?: number } | undefined;
  let isDown = false;
  const server = createServer(async (req, res) => {
    if (isDown) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, at: Date.now() });
    if (failing && failing.times > 0) {
      failing.times--;
      const { status, retryAfter } = failing;
      if (failing.times === 0) failing = undefined;
      (options.failure ?? defaultFailure)(res, status, retryAfter);
      return;
    }
    try {
      await handler(
        {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          json: <T>() => JSON.parse(body || 'null') as T,
          form: () => new URLSearchParams(body),
        },
        res,
      );
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: { status: 500, message: String(err) } });
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: options.env(url),
    requests,
    fail: (next) => {
      failing = { ...next };
    },
    down: (value) => {
      isDown = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function defaultFailure(res: ServerResponse, status: number, retryAfter?: number) {
  sendJson(
    res,
    status,
    { error: { status, message: 'injected failure' } },
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
  );
}
