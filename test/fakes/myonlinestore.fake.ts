import type { ServerResponse } from 'node:http';
import { type FakeProcessor, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * A local MyOnlineStore (API v1) for tests, after its OpenAPI spec: the store token in the query
 * string (`token`), customers searched with `q` (a substring search, as a search box does) and
 * optionally embedding their addresses, PATCH limited to CustomerPatchable / CustomerAddressPatchable
 * fields (422 otherwise), DELETE of a customer, orders filtered by `debtor_email` OR `debtor_id` with
 * `limit` (at most 100) / `offset` paging, no way to delete an order, errors as RFC 7807 problems.
 */

export interface MosPersonSeed {
  email: string;
  firstName: string;
  lastName: string;
  /** Whether the person has an account (a customer); guests only have orders. */
  account?: boolean;
  addresses?: Array<{ street: string; streetNumber: string; zipCode: string; city: string; phone?: string }>;
  /** Number of orders (as debtor); default 1. */
  orders?: number;
}

export interface MyOnlineStoreFakeOptions {
  people?: MosPersonSeed[];
  /** A broken store that serves the first page of orders whatever the `offset`. */
  ignoreOffset?: boolean;
}

interface Customer {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  description: string | null;
  deleted: boolean;
  addresses: Array<Record<string, unknown> & { id: string }>;
}

export interface MyOnlineStoreFake extends FakeProcessor {
  token: string;
  customers: Customer[];
  orders: Array<
    Record<string, unknown> & {
      number: number;
      uuid: string;
      debtor: { id: string | null; email: string; address: unknown };
    }
  >;
}

export const MOS_FAKE_TOKEN = 'mos-store-token-5f1c0a9e2b7d4c3a';

/** Sanne (an account, two addresses, 120 orders: two pages of 100), Piet (a guest with one order), Els (other address). */
export const MOS_PEOPLE: MosPersonSeed[] = [
  {
    email: 'sanne.deboer@example.nl',
    firstName: 'Sanne',
    lastName: 'de Boer',
    account: true,
    addresses: [
      { street: 'Dorpsstraat', streetNumber: '12', zipCode: '8401AB', city: 'Gorredijk', phone: '0612345678' },
      { street: 'Oude Weg', streetNumber: '3', zipCode: '8442CD', city: 'Heerenveen' },
    ],
    orders: 120,
  },
  { email: 'piet.gast@example.nl', firstName: 'Piet', lastName: 'Gast', account: false, orders: 1 },
  // Her address contains Sanne's as a substring: a search for Sanne also finds her, a match does not.
  { email: 'xsanne.deboer@example.nl', firstName: 'Els', lastName: 'Boersma', account: true, orders: 2 },
];

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: `https://httpstatuses.io/${status}`, title, detail, status }));
}

const CUSTOMER_PATCHABLE = ['firstName', 'lastName', 'dateOfBirth', 'description'];
const ADDRESS_PATCHABLE = [
  'firstName',
  'lastName',
  'street',
  'streetNumber',
  'zipCode',
  'city',
  'countryCode',
  'company',
  'gender',
  'phone',
  'taxNumber',
  'iban',
  'isDefaultForDelivery',
  'isDefaultForInvoice',
];

export async function startMyOnlineStoreFake(options: MyOnlineStoreFakeOptions = {}): Promise<MyOnlineStoreFake> {
  const customers: Customer[] = [];
  const orders: MyOnlineStoreFake['orders'] = [];
  let serial = 1;
  let orderNumber = 1000;
  for (const person of options.people ?? MOS_PEOPLE) {
    const customer: Customer | undefined =
      person.account === false
        ? undefined
        : {
            id: uuid(serial++),
            email: person.email,
            firstName: person.firstName,
            lastName: person.lastName,
            dateOfBirth: null,
            description: null,
            deleted: false,
            addresses: (person.addresses ?? []).map((a, i) => ({
              id: uuid(serial++),
              firstName: person.firstName,
              lastName: person.lastName,
              ...a,
              countryCode: 'NL',
              company: null,
              phone: a.phone ?? null,
              iban: null,
              isDefaultForDelivery: i === 0,
              isDefaultForInvoice: i === 0,
            })),
          };
    if (customer) customers.push(customer);
    const home = person.addresses?.[0];
    for (let i = 0; i < (person.orders ?? 1); i++) {
      const invoice = {
        name: `${person.firstName} ${person.lastName}`,
        street: home?.street ?? 'Stationsweg',
        number: home?.streetNumber ?? '1',
        zipcode: home?.zipCode ?? '8401AA',
        city: home?.city ?? 'Gorredijk',
        country: 'Nederland',
        country_code: 'NL',
        phone: home?.phone ?? '',
      };
      orders.push({
        number: orderNumber++,
        uuid: uuid(serial++),
        date: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
        time: '10:00:00',
        status: 1,
        archived: false,
        debtor: { id: customer?.id ?? null, email: person.email, address: { invoice, delivery: invoice } },
        price: { total: '849.000000' },
        orderlines: [{ type: 'article', quantity: 1, description: 'Balkonpaneel 400 W' }],
      });
    }
  }
  const live = () => customers.filter((c) => !c.deleted);
  const customerJson = (c: Customer, embed: boolean) => {
    const { deleted: _deleted, addresses, ...rest } = c;
    return { ...rest, storeId: uuid(0), ...(embed ? { addresses } : {}) };
  };
  const unknownFields = (body: Record<string, unknown>, allowed: string[]) =>
    Object.keys(body).filter((k) => !allowed.includes(k));

  const fake = await startFakeServer(
    async (req, res) => {
      if (req.query.get('token') !== MOS_FAKE_TOKEN)
        return sendProblem(res, 401, 'Unauthorized', 'Invalid or missing token');
      if (req.method === 'GET' && req.path === '/v1/store')
        return sendJson(res, 200, { id: uuid(0), name: 'Balkonzon', locale: 'nl_NL', currency: 'EUR' });
      if (req.method === 'GET' && req.path === '/v1/customers') {
        const q = (req.query.get('q') ?? '').toLowerCase();
        const embed = (req.query.get('embed') ?? '').split(',').includes('address');
        const found = live().filter((c) => c.email.toLowerCase().includes(q));
        return sendJson(res, 200, { customers: found.map((c) => customerJson(c, embed)) });
      }
      if (req.method === 'GET' && req.path === '/v1/orders') {
        const limit = Number(req.query.get('limit') ?? 10);
        const offset = options.ignoreOffset ? 0 : Number(req.query.get('offset') ?? 0);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
          return sendProblem(res, 400, 'Bad Request', 'limit must be between 1 and 100');
        const email = req.query.get('debtor_email')?.toLowerCase();
        const id = req.query.get('debtor_id');
        const matching = orders.filter((o) =>
          email === undefined && id === null
            ? true
            : o.debtor.email.toLowerCase() === email || (id !== null && o.debtor.id === id),
        );
        return sendJson(res, 200, matching.slice(offset, offset + limit));
      }
      const orderPath = /^\/v1\/orders\/(\d+)$/.exec(req.path);
      if (orderPath && req.method === 'DELETE')
        return sendProblem(res, 405, 'Method Not Allowed', 'Orders cannot be deleted');
      const m = /^\/v1\/customers\/([^/]+)(?:\/addresses(?:\/([^/]+))?)?$/.exec(req.path);
      const customer = m ? live().find((c) => c.id === m[1]) : undefined;
      if (!m || !customer) return sendProblem(res, 404, 'Not Found', 'Customer not found');
      const isAddresses = req.path.includes('/addresses');
      if (isAddresses && !m[2] && req.method === 'GET') return sendJson(res, 200, { addresses: customer.addresses });
      if (isAddresses && m[2]) {
        const address = customer.addresses.find((a) => a.id === m[2]);
        if (!address) return sendProblem(res, 404, 'Not Found', 'Address not found');
        if (req.method === 'GET') return sendJson(res, 200, { address });
        if (req.method === 'PATCH') {
          const body = req.json<Record<string, unknown>>() ?? {};
          const bad = unknownFields(body, ADDRESS_PATCHABLE);
          if (bad.length) return sendProblem(res, 422, 'Invalid Payload', `Unknown fields: ${bad.join(', ')}`);
          Object.assign(address, body);
          return sendJson(res, 200, { address });
        }
      }
      if (!isAddresses && req.method === 'GET') return sendJson(res, 200, { customer: customerJson(customer, true) });
      if (!isAddresses && req.method === 'PATCH') {
        const body = req.json<Record<string, unknown>>() ?? {};
        const bad = unknownFields(body, CUSTOMER_PATCHABLE);
        if (bad.length) return sendProblem(res, 422, 'Invalid Payload', `Unknown fields: ${bad.join(', ')}`);
        Object.assign(customer, body);
        return sendJson(res, 200, { customer: customerJson(customer, true) });
      }
      if (!isAddresses && req.method === 'DELETE') {
        customer.deleted = true;
        return sendJson(res, 200, undefined);
      }
      return sendProblem(res, 405, 'Method Not Allowed', 'Method not allowed');
    },
    {
      env: (url) => ({ MYONLINESTORE_API_KEY: MOS_FAKE_TOKEN, MYONLINESTORE_API_URL: url }),
      failure: (res, status, retryAfter) =>
        sendProblem(
          res,
          status,
          'Error',
          'Injected failure',
          retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
        ),
    },
  );
  return Object.assign(fake, { token: MOS_FAKE_TOKEN, customers, orders });
}
