import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type FakeProcessor, sendJson, startFakeServer } from '../../../test/fakes/fake-processor.ts';
import { createLogger } from '../../lib/logger.ts';
import { HttpClient, type HttpClientOptions, ProcessorError } from './http-client.ts';

/** A virtual clock for the client: `sleep` moves it instead of waiting. */
function virtualTime(start = Date.UTC(2026, 10, 1, 9)) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('HttpClient', () => {
  let server: FakeProcessor;
  const seen: Array<{ path: string; headers: Record<string, string | string[] | undefined> }> = [];
  let breaksOff = 0;

  before(async () => {
    server = await startFakeServer(
      async (req, res) => {
        seen.push({ path: req.path, headers: req.headers });
        if (req.path === '/v1/items') {
          // Three pages of three, linked like Mollie's _links.next.
          const page = Number(req.query.get('page') ?? '1');
          const items = [1, 2, 3].map((i) => (page - 1) * 3 + i);
          const next = page < 3 ? { href: `${server.url}/v1/items?page=${page + 1}` } : null;
          return sendJson(res, 200, { items, _links: { next } });
        }
        if (req.path === '/v1/slow') return; // never answers
        if (req.path === '/v1/same-next') {
          // A processor whose next link keeps pointing at the page just read.
          return sendJson(res, 200, { items: [1], next: `${server.url}/v1/same-next?page=2` });
        }
        if (req.path === '/v1/no-end') {
          const page = Number(req.query.get('page') ?? '1');
          return sendJson(res, 200, { items: [page], next: `${server.url}/v1/no-end?page=${page + 1}` });
        }
        if (req.path === '/v1/breaks-off' && breaksOff > 0) {
          // Headers and the start of the body, then the connection drops.
          breaksOff--;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"ok":');
          setTimeout(() => res.socket?.destroy(), 10);
          return;
        }
        if (req.path === '/v1/stalls') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"ok":');
          return; // the rest never comes
        }
        if (req.path === '/v1/endless') {
          // A body without end (chunked): only a reader that stops can get past it.
          res.writeHead(200, { 'content-type': 'message/rfc822' });
          const chunk = Buffer.alloc(64 * 1024, 'x');
          const pump = () => {
            while (!res.destroyed && res.write(chunk));
            if (!res.destroyed) res.once('drain', pump);
          };
          pump();
          return;
        }
        if (req.path === '/v1/sized') {
          res.writeHead(200, { 'content-type': 'message/rfc822', 'content-length': '5000' });
          return res.end(Buffer.alloc(5000, 'y'));
        }
        if (req.path === '/v1/text') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('plain words');
        }
        if (req.path === '/v1/missing') return sendJson(res, 404, { error: 'not found' });
        return sendJson(res, 200, { ok: true, method: req.method, body: req.body });
      },
      { env: () => ({}) },
    );
  });
  after(() => server.close());

  const client = (options: Partial<HttpClientOptions> = {}) =>
    new HttpClient({
      system: 'processor',
      baseUrl: `${server.url}/`,
      auth: async () => ({ authorization: 'Bearer secret-key' }),
      ...virtualTime(),
      ...options,
    });

  it('follows pages to the end', async () => {
    const http = client();
    const items: number[] = [];
    for await (const item of http.paginate<{ items: number[]; _links: { next: { href: string } | null } }, number>(
      { method: 'GET', path: 'v1/items' },
      (page) => page.items,
      (page) => (page._links.next ? { method: 'GET', path: page._links.next.href } : undefined),
    ))
      items.push(item);
    assert.deepEqual(items, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(http.stats.requests, 3);
  });

  // A regression would loop or read forever: the timeout turns that into a failure.
  it('stops paging with a bad-response error when the next link is a page already read', {
    timeout: 10_000,
  }, async () => {
    const http = client();
    const read: number[] = [];
    const pages = http.paginate<{ items: number[]; next: string }, number>(
      { method: 'GET', path: 'v1/same-next' },
      (page) => page.items,
      (page) => ({ method: 'GET', path: page.next }),
    );
    await assert.rejects(
      (async () => {
        for await (const item of pages) read.push(item);
      })(),
      (err: unknown) =>
        err instanceof ProcessorError &&
        err.kind === 'bad-response' &&
        !err.retryable &&
        /already read/.test(err.message),
    );
    assert.equal(http.stats.requests, 2);
    assert.deepEqual(read, [1, 1]);
  });

  // A regression would loop or read forever: the timeout turns that into a failure.
  it('stops paging with a bad-response error after its page cap, when the pages do not end', {
    timeout: 10_000,
  }, async () => {
    const http = client({ maxPages: 5 });
    const pages = http.paginate<{ items: number[]; next: string }, number>(
      { method: 'GET', path: 'v1/no-end' },
      (page) => page.items,
      (page) => ({ method: 'GET', path: page.next }),
    );
    await assert.rejects(
      (async () => {
        for await (const _ of pages);
      })(),
      (err: unknown) =>
        err instanceof ProcessorError && err.kind === 'bad-response' && /more than 5 pages/.test(err.message),
    );
    assert.equal(http.stats.requests, 5);
  });

  it('tries again when the answer breaks off while its body is read', async () => {
    breaksOff = 2;
    const http = client();
    const res = await http.request<{ ok: boolean }>({ method: 'GET', path: '/v1/breaks-off' });
    assert.equal(res.body.ok, true);
    assert.deepEqual(http.stats, { requests: 3, retries: 2 });
  });

  it('reports a body that stalls as unavailable and retryable, after its retries', async () => {
    const http = client({ timeoutMs: 100, maxRetries: 1 });
    await assert.rejects(
      http.request({ method: 'GET', path: '/v1/stalls' }),
      (err: unknown) =>
        err instanceof ProcessorError && err.kind === 'unavailable' && err.retryable && /timed out/.test(err.message),
    );
    assert.equal(http.stats.requests, 2);
  });

  // A regression would loop or read forever: the timeout turns that into a failure.
  it('stops reading a raw body past maxBytes, whether or not it declares its length', { timeout: 10_000 }, async () => {
    const http = client({ timeoutMs: 5000, maxRetries: 0 });
    const endless = await http.request<Uint8Array>({
      method: 'GET',
      path: '/v1/endless',
      raw: true,
      maxBytes: 100_000,
    });
    assert.equal(endless.tooLarge, true);
    assert.equal(endless.body.byteLength, 0);
    const sized = await http.request<Uint8Array>({ method: 'GET', path: '/v1/sized', raw: true, maxBytes: 1000 });
    assert.equal(sized.tooLarge, true);
    const fits = await http.request<Uint8Array>({ method: 'GET', path: '/v1/sized', raw: true, maxBytes: 5000 });
    assert.equal(fits.tooLarge, undefined);
    assert.equal(fits.body.byteLength, 5000);
  });

  it('waits as long as a 429 Retry-After in seconds says, then succeeds', async () => {
    const time = virtualTime();
    const http = client(time);
    server.fail({ status: 429, times: 1, retryAfter: 7 });
    const res = await http.request<{ ok: boolean }>({ method: 'GET', path: '/v1/thing' });
    assert.equal(res.body.ok, true);
    assert.deepEqual(time.sleeps, [7000]);
    assert.deepEqual(http.stats, { requests: 2, retries: 1 });
  });

  it('waits until the HTTP date a 429 Retry-After gives', async () => {
    const time = virtualTime();
    let answered = false;
    const fetchOnce: typeof fetch = async (input, init) => {
      if (!answered) {
        answered = true;
        const at = new Date(time.now() + 12_000).toUTCString();
        return new Response('{}', { status: 429, headers: { 'retry-after': at } });
      }
      return fetch(input, init);
    };
    const http = client({ ...time, fetch: fetchOnce });
    await http.request({ method: 'GET', path: '/v1/thing' });
    assert.equal(time.sleeps.length, 1);
    assert.ok(time.sleeps[0]! > 11_000 && time.sleeps[0]! <= 12_000, `slept ${time.sleeps[0]}`);
  });

  it('honours RateLimit-Reset when a 429 has no Retry-After', async () => {
    const time = virtualTime();
    let answered = false;
    const fetchOnce: typeof fetch = async (input, init) => {
      if (answered) return fetch(input, init);
      answered = true;
      const reset = String(Math.floor(time.now() / 1000) + 30);
      return new Response('{}', { status: 429, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': reset } });
    };
    const http = client({ ...time, fetch: fetchOnce });
    await http.request({ method: 'GET', path: '/v1/thing' });
    assert.ok(time.sleeps[0]! >= 29_000 && time.sleeps[0]! <= 30_000, `slept ${time.sleeps[0]}`);
  });

  it('recovers from 5xx answers with backoff', async () => {
    const time = virtualTime();
    const http = client(time);
    server.fail({ status: 503, times: 2 });
    const res = await http.request<{ ok: boolean }>({ method: 'GET', path: '/v1/thing' });
    assert.equal(res.status, 200);
    assert.equal(http.stats.retries, 2);
    assert.equal(time.sleeps.length, 2);
    assert.ok(time.sleeps[1]! > time.sleeps[0]! * 0.9, 'the second wait is not shorter than the first');
  });

  it('gives up after maxRetries with a retryable ProcessorError', async () => {
    const http = client({ maxRetries: 3 });
    server.fail({ status: 502, times: 10 });
    await assert.rejects(
      http.request({ method: 'GET', path: '/v1/thing' }),
      (err: unknown) =>
        err instanceof ProcessorError && err.kind === 'unavailable' && err.retryable && err.status === 502,
    );
    assert.equal(http.stats.requests, 4);
    server.fail({ status: 200, times: 0 });
  });

  it('does not retry a 401 and reports an auth error', async () => {
    const http = client();
    server.fail({ status: 401, times: 1 });
    await assert.rejects(
      http.request({ method: 'GET', path: '/v1/thing' }),
      (err: unknown) => err instanceof ProcessorError && err.kind === 'auth' && !err.retryable,
    );
    assert.equal(http.stats.requests, 1);
  });

  it('does not retry when the auth step refuses the secret (a token endpoint said no)', async () => {
    let calls = 0;
    const http = client({
      auth: async () => {
        calls++;
        throw new ProcessorError('processor', 'auth', 'token endpoint refused the client secret', {
          status: 401,
          retryable: false,
        });
      },
    });
    await assert.rejects(
      http.request({ method: 'GET', path: '/v1/thing' }),
      (err: unknown) => err instanceof ProcessorError && err.kind === 'auth',
    );
    assert.equal(calls, 1);
  });

  it('treats okStatuses as answers', async () => {
    const res = await client().request({ method: 'GET', path: '/v1/missing', okStatuses: [404] });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'not found' });
  });

  it('returns text when the answer is not JSON, and bytes when asked for raw', async () => {
    assert.equal((await client().request({ method: 'GET', path: '/v1/text' })).body, 'plain words');
    const raw = await client().request<Uint8Array>({ method: 'GET', path: '/v1/text', raw: true });
    assert.equal(Buffer.from(raw.body).toString(), 'plain words');
  });

  it('sends the same idempotency key on every retry', async () => {
    seen.length = 0;
    const http = client({ idempotencyHeader: 'Idempotency-Key' });
    server.fail({ status: 500, times: 2 });
    await http.request({ method: 'DELETE', path: '/v1/customers/cst_1', idempotencyKey: 'erase-req-1' });
    const keys = server.requests.slice(-3).map((r) => r.method);
    assert.deepEqual(keys, ['DELETE', 'DELETE', 'DELETE']);
    // The fake records headers only for requests its handler sees: the last one; the key on the failed ones
    // is checked through fetch below.
    assert.equal(seen.at(-1)?.headers['idempotency-key'], 'erase-req-1');
    const sent: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      sent.push(new Headers(init?.headers).get('idempotency-key') ?? '');
      return fetch(input, init);
    };
    server.fail({ status: 503, times: 2 });
    await client({ idempotencyHeader: 'Idempotency-Key', fetch: spy }).request({
      method: 'POST',
      path: '/v1/thing',
      json: { a: 1 },
      idempotencyKey: 'k-42',
    });
    assert.deepEqual(sent, ['k-42', 'k-42', 'k-42']);
  });

  it('asks auth for headers before every attempt', async () => {
    let calls = 0;
    server.fail({ status: 503, times: 1 });
    await client({
      auth: async () => {
        calls++;
        return { authorization: `Bearer t${calls}` };
      },
    }).request({ method: 'GET', path: '/v1/thing' });
    assert.equal(calls, 2);
    assert.equal(seen.at(-1)?.headers.authorization, 'Bearer t2');
  });

  it('spreads requests over time within a client-side rate limit', async () => {
    const time = virtualTime();
    const starts: number[] = [];
    const spy: typeof fetch = async (input, init) => {
      starts.push(time.now());
      return fetch(input, init);
    };
    const http = client({ ...time, fetch: spy, rateLimit: { requests: 3, perMs: 10_000 } });
    await Promise.all(Array.from({ length: 7 }, () => http.request({ method: 'GET', path: '/v1/thing' })));
    assert.equal(starts.length, 7);
    for (const t of starts) {
      const inWindow = starts.filter((s) => s > t - 10_000 && s <= t).length;
      assert.ok(inWindow <= 3, `${inWindow} requests within 10 s`);
    }
    assert.ok(starts.at(-1)! - starts[0]! >= 20_000, 'seven requests at three per 10 s take at least 20 s');
  });

  it('waits for the reset when the processor says its budget is spent', async () => {
    const time = virtualTime();
    let n = 0;
    const starts: number[] = [];
    const spy: typeof fetch = async () => {
      starts.push(time.now());
      n++;
      return new Response('{}', {
        status: 200,
        headers: n === 1 ? { 'ratelimit-remaining': '0', 'ratelimit-reset': '20' } : {},
      });
    };
    const http = client({ ...time, fetch: spy });
    await http.request({ method: 'GET', path: '/v1/a' });
    await http.request({ method: 'GET', path: '/v1/b' });
    assert.equal(starts[1]! - starts[0]!, 20_000);
  });

  it('stops with a retryable rate-limited error when asked to wait longer than its cap', async () => {
    const time = virtualTime();
    const http = client({ ...time, maxWaitMs: 60_000 });
    server.fail({ status: 429, times: 1, retryAfter: 3600 });
    await assert.rejects(
      http.request({ method: 'GET', path: '/v1/thing' }),
      (err: unknown) => err instanceof ProcessorError && err.kind === 'rate-limited' && err.retryable,
    );
    assert.deepEqual(time.sleeps, []);
  });

  it('times out an attempt that gets no answer', async () => {
    const http = client({ timeoutMs: 50, maxRetries: 1 });
    await assert.rejects(
      http.request({ method: 'GET', path: '/v1/slow' }),
      (err: unknown) => err instanceof ProcessorError && err.kind === 'unavailable' && /timed out/.test(err.message),
    );
    assert.equal(http.stats.requests, 2);
  });

  it('reports a processor that is down as unavailable and retryable', async () => {
    const http = client({ maxRetries: 2 });
    server.down(true);
    try {
      await assert.rejects(
        http.request({ method: 'GET', path: '/v1/thing' }),
        (err: unknown) => err instanceof ProcessorError && err.kind === 'unavailable' && err.retryable,
      );
    } finally {
      server.down(false);
    }
  });

  it('does not follow a next link to another host', async () => {
    await assert.rejects(
      client().request({ method: 'GET', path: 'https://elsewhere.example/v1/items?page=2' }),
      (err: unknown) => err instanceof ProcessorError && err.kind === 'bad-response',
    );
  });

  it('writes no e-mail address, query string or secret to any log line', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logger = createLogger({ level: 'debug', destination: stream });
    const http = client({ logger, maxRetries: 1 });
    server.fail({ status: 503, times: 1 });
    await http.request({
      method: 'GET',
      path: `/v1/customers/${encodeURIComponent('sanne.deboer@example.nl')}`,
      query: { email: 'sanne.deboer@example.nl', q: 'De Boer' },
    });
    await http.request({ method: 'GET', path: '/v1/by-email/sanne.deboer@example.nl/orders' });
    server.fail({ status: 400, times: 1 });
    const err = await http
      .request({ method: 'GET', path: '/v1/customers', query: { email: 'sanne.deboer@example.nl' } })
      .catch((e: unknown) => e as ProcessorError);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(lines.length >= 3, 'something was logged');
    for (const text of [...lines, (err as Error).message]) {
      assert.doesNotMatch(text, /sanne|deboer|example\.nl|%40|@|De Boer|secret-key|\?email|q=/i, text);
    }
    assert.ok(lines.some((l) => l.includes('/v1/customers/:email')));
  });
});
