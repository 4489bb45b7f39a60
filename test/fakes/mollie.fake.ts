import type { ServerResponse } from 'node:http';
import { type FakeProcessor, type FakeRequest, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * A local Mollie (API v2) for tests: bearer API keys, customers listed with cursor paging
 * (`from`/`limit`, at most 250, `_links.next` with the full URL, null on the last page), a customer's
 * payments and mandates, PATCH and DELETE of a customer (which cancels its mandates; payments stay),
 * Idempotency-Key replays, and errors as `application/hal+json` with status, title and detail.
 */

export interface MolliePersonSeed {
  name: string;
  email: string;
  payments?: Array<{
    amount: string;
    description: string;
    method?: string;
    status?: string;
    paidAt?: string;
    consumerName?: string;
    consumerAccount?: string;
  }>;
  mandates?: Array<{ consumerName: string; consumerAccount: string; status?: string }>;
}

export interface MollieFakeOptions {
  /** People to seed, listed after the filler customers (so that a search pages to the end). */
  people?: MolliePersonSeed[];
  /** Other customers before them; default 600 (three pages of 250, then one more). */
  filler?: number;
}

interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  locale: string | null;
  createdAt: string;
  deleted: boolean;
}

interface Payment {
  id: string;
  customerId: string;
  createdAt: string;
  amount: { value: string; currency: string };
  description: string;
  method: string;
  status: string;
  paidAt?: string;
  mandateId?: string;
  details: Record<string, string>;
}

interface Mandate {
  id: string;
  customerId: string;
  status: string;
  method: string;
  mandateReference: string;
  signatureDate: string;
  createdAt: string;
  details: Record<string, string>;
}

export interface MollieFake extends FakeProcessor {
  apiKey: string;
  customers: Customer[];
  payments: Payment[];
  mandates: Mandate[];
  /** Idempotency keys seen, by key. */
  idempotencyKeys: Map<string, number>;
  /** After `after` more customer deletes, the next `times` (default all) are answered with `status`. */
  failDeletesAfter(after: number, status: number, times?: number): void;
}

export const MOLLIE_FAKE_KEY = 'test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM';

/** Sanne (two payments and a mandate, her address stored in other capitals) and Jan (one payment). */
export const MOLLIE_PEOPLE: MolliePersonSeed[] = [
  {
    name: 'Sanne de Boer',
    email: 'Sanne.DeBoer@Example.nl',
    payments: [
      {
        amount: '849.00',
        description: 'Bestelling 1042',
        method: 'ideal',
        paidAt: '2025-03-14T10:02:11+00:00',
        consumerName: 'S. de Boer',
        consumerAccount: 'NL91ABNA0417164300',
      },
      {
        amount: '24.95',
        description: 'Bestelling 1187',
        method: 'directdebit',
        paidAt: '2026-02-01T08:00:00+00:00',
        consumerName: 'S. de Boer',
        consumerAccount: 'NL91ABNA0417164300',
      },
    ],
    mandates: [{ consumerName: 'S. de Boer', consumerAccount: 'NL91ABNA0417164300' }],
  },
  {
    name: 'Jan Jansen',
    email: 'jan.jansen@example.nl',
    payments: [
      { amount: '399.00', description: 'Bestelling 1100', method: 'creditcard', paidAt: '2025-09-30T12:00:00+00:00' },
    ],
  },
];

const ERROR_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized Request',
  404: 'Not Found',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function sendProblem(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/hal+json', ...headers });
  res.end(
    JSON.stringify({
      status,
      title: ERROR_TITLES[status] ?? 'Error',
      detail,
      _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } },
    }),
  );
}

const token = (prefix: string, n: number) => `${prefix}_${n.toString(36).padStart(10, 'x')}`;

export async function startMollieFake(options: MollieFakeOptions = {}): Promise<MollieFake> {
  const customers: Customer[] = [];
  const payments: Payment[] = [];
  const mandates: Mandate[] = [];
  const idempotencyKeys = new Map<string, number>();
  let refuseDeletes: { after: number; status: number; times: number } | undefined;
  const replies = new Map<string, { status: number; body: unknown }>();
  let serial = 1;

  const filler = options.filler ?? 600;
  for (let i = 0; i < filler; i++)
    customers.push({
      id: token('cst', serial++),
      name: `Klant ${i}`,
      email: `klant${i}@voorbeeld.nl`,
      locale: 'nl_NL',
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      deleted: false,
    });
  for (const person of options.people ?? MOLLIE_PEOPLE) {
    const customer: Customer = {
      id: token('cst', serial++),
      name: person.name,
      email: person.email,
      locale: 'nl_NL',
      createdAt: '2025-01-10T09:00:00+00:00',
      deleted: false,
    };
    customers.push(customer);
    const mandateIds: string[] = [];
    for (const m of person.mandates ?? []) {
      const id = token('mdt', serial++);
      mandateIds.push(id);
      mandates.push({
        id,
        customerId: customer.id,
        status: m.status ?? 'valid',
        method: 'directdebit',
        mandateReference: `BALKONZON-${serial}`,
        signatureDate: '2025-03-14',
        createdAt: '2025-03-14T10:02:11+00:00',
        details: { consumerName: m.consumerName, consumerAccount: m.consumerAccount, consumerBic: 'ABNANL2A' },
      });
    }
    for (const p of person.payments ?? []) {
      const details: Record<string, string> = {};
      if (p.consumerName) details.consumerName = p.consumerName;
      if (p.consumerAccount) details.consumerAccount = p.consumerAccount;
      payments.push({
        id: token('tr', serial++),
        customerId: customer.id,
        createdAt: p.paidAt ?? '2025-01-10T09:00:00+00:00',
        amount: { value: p.amount, currency: 'EUR' },
        description: p.description,
        method: p.method ?? 'ideal',
        status: p.status ?? 'paid',
        paidAt: p.paidAt,
        mandateId: p.method === 'directdebit' ? mandateIds[0] : undefined,
        details,
      });
    }
  }

  let baseUrl = '';
  const customerJson = (c: Customer) => ({
    resource: 'customer',
    id: c.id,
    mode: 'test',
    name: c.name,
    email: c.email,
    locale: c.locale,
    metadata: null,
    createdAt: c.createdAt,
    _links: { self: { href: `${baseUrl}/v2/customers/${c.id}`, type: 'application/hal+json' } },
  });
  const paymentJson = (p: Payment) => ({ resource: 'payment', mode: 'test', ...p, customerId: p.customerId });
  const mandateJson = (m: Mandate) => ({ resource: 'mandate', mode: 'test', ...m });

  /** Mollie's cursor paging: `from` is the first id on the page, `limit` at most 250 (default 50). */
  function sendPage<T extends { id: string }>(
    req: FakeRequest,
    res: ServerResponse,
    name: string,
    items: T[],
    toJson: (item: T) => unknown,
  ) {
    const limit = Number(req.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250)
      return sendProblem(res, 400, 'The limit must be between 1 and 250.');
    const from = req.query.get('from');
    const start = from ? items.findIndex((i) => i.id === from) : 0;
    if (start < 0) return sendProblem(res, 400, 'The from cursor does not exist.');
    const page = items.slice(start, start + limit);
    const next = items[start + limit];
    const link = (id: string) => ({
      href: `${baseUrl}${req.path}?from=${id}&limit=${limit}`,
      type: 'application/hal+json',
    });
    res.writeHead(200, { 'content-type': 'application/hal+json' });
    res.end(
      JSON.stringify({
        count: page.length,
        _embedded: { [name]: page.map(toJson) },
        _links: {
          self: { href: `${baseUrl}${req.path}?limit=${limit}`, type: 'application/hal+json' },
          previous: null,
          next: next ? link(next.id) : null,
          documentation: { href: 'https://docs.mollie.com/reference/list-customers', type: 'text/html' },
        },
      }),
    );
  }

  const fake = await startFakeServer(
    async (req, res) => {
      if (req.headers.authorization !== `Bearer ${MOLLIE_FAKE_KEY}`)
        return sendProblem(res, 401, 'Missing authentication, or failed to authenticate');
      const key = req.headers['idempotency-key'];
      const replayKey =
        typeof key === 'string' && req.method !== 'GET' ? `${req.method} ${req.path} ${key}` : undefined;
      if (typeof key === 'string') idempotencyKeys.set(key, (idempotencyKeys.get(key) ?? 0) + 1);
      const send = (status: number, body?: unknown) => {
        if (status === 204) {
          res.writeHead(204);
          res.end();
        } else sendJson(res, status, body, { 'content-type': 'application/hal+json' });
      };
      // Mollie answers a repeated key with the first answer, without doing the work again.
      const replay = replayKey ? replies.get(replayKey) : undefined;
      if (replay) return send(replay.status, replay.body);
      const remember = (status: number, body?: unknown) => {
        if (replayKey) replies.set(replayKey, { status, body });
        send(status, body);
      };

      const live = customers.filter((c) => !c.deleted);
      if (req.method === 'GET' && req.path === '/v2/customers')
        return sendPage(req, res, 'customers', live, customerJson);
      const m = /^\/v2\/customers\/([^/]+)(?:\/(payments|mandates))?$/.exec(req.path);
      const customer = m ? live.find((c) => c.id === m[1]) : undefined;
      if (!m) return sendProblem(res, 404, 'The resource does not exist.');
      if (!customer) return sendProblem(res, 404, `No customer exists with token ${m[1]}.`);
      if (m[2] === 'payments' && req.method === 'GET')
        return sendPage(
          req,
          res,
          'payments',
          payments.filter((p) => p.customerId === customer.id),
          paymentJson,
        );
      if (m[2] === 'mandates' && req.method === 'GET')
        return sendPage(
          req,
          res,
          'mandates',
          mandates.filter((x) => x.customerId === customer.id),
          mandateJson,
        );
      if (m[2]) return sendProblem(res, 404, 'The resource does not exist.');
      if (req.method === 'GET') return sendJson(res, 200, customerJson(customer));
      if (req.method === 'PATCH') {
        const body = req.json<Record<string, unknown>>() ?? {};
        for (const field of Object.keys(body))
          if (!['name', 'email', 'locale', 'metadata'].includes(field))
            return sendProblem(res, 422, `Unknown field ${field}.`);
        if (typeof body.name === 'string') customer.name = body.name;
        if (typeof body.email === 'string') customer.email = body.email;
        return remember(200, customerJson(customer));
      }
      if (req.method === 'DELETE') {
        if (refuseDeletes && refuseDeletes.after <= 0 && refuseDeletes.times > 0) {
          refuseDeletes.times--;
          return sendProblem(res, refuseDeletes.status, 'Injected refusal of a delete.');
        }
        if (refuseDeletes) refuseDeletes.after--;
        customer.deleted = true;
        for (const mandate of mandates) if (mandate.customerId === customer.id) mandate.status = 'invalid';
        return remember(204);
      }
      return sendProblem(res, 404, 'The resource does not exist.');
    },
    {
      env: (url) => ({ MOLLIE_API_KEY: MOLLIE_FAKE_KEY, MOLLIE_API_URL: url }),
      failure: (res, status, retryAfter) =>
        sendProblem(
          res,
          status,
          'Injected failure.',
          retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
        ),
    },
  );
  baseUrl = fake.url;
  const failDeletesAfter = (after: number, status: number, times = Number.POSITIVE_INFINITY) => {
    refuseDeletes = { after, status, times };
  };
  return Object.assign(fake, {
    apiKey: MOLLIE_FAKE_KEY,
    customers,
    payments,
    mandates,
    idempotencyKeys,
    failDeletesAfter,
  });
}
