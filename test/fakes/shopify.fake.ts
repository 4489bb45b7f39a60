import type { ServerResponse } from 'node:http';
import { type FakeProcessor, type FakeRequest, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * A local Shopify Admin GraphQL API for tests, in Shopify's documented shapes
 * (https://shopify.dev/docs/api/admin-graphql): `POST /admin/api/{version}/graphql.json` with the token in
 * `X-Shopify-Access-Token` (401 `{"errors": "[API] Invalid API key or access token …"}` without it), answers
 * `{data, errors?, extensions: {cost: {requestedQueryCost, actualQueryCost, throttleStatus}}}`, and a
 * leaky bucket per app: a query that costs more than the bucket holds gets `errors[].extensions.code:
 * "THROTTLED"`, no data, and the bucket's state. It has no GraphQL engine: it knows the connector's
 * operations by name (FindCustomers, CustomerOrders, RequestErasure, Shop) and answers what they select.
 * Its customer search is as loose as a search: `email:"x"` finds every address that contains x, in any case.
 */

export interface ShopifyPersonSeed {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  addresses?: Array<{ address1: string; zip: string; city: string }>;
  /** Order dates (ISO); each order has the person's billing and shipping address. */
  orders?: string[];
}

export interface ShopifyFakeOptions {
  people?: ShopifyPersonSeed[];
  /** The clock the bucket refills by (tests pass their fake clock's); Date.now by default. */
  now?: () => number;
  /** The API version the URL must name; default 2025-07. */
  apiVersion?: string;
}

interface Customer {
  id: string;
  person: ShopifyPersonSeed;
  createdAt: string;
  erasureRequested: boolean;
}

export interface ShopifyFake extends FakeProcessor {
  accessToken: string;
  customers: Customer[];
  /** Every GraphQL operation received, by name, with its variables. */
  operations: Array<{ name: string; variables: Record<string, unknown> }>;
  /** Sets the bucket: what it holds now, and how fast it refills (points a second). */
  throttle(bucket: { available: number; restoreRate?: number; maximum?: number }): void;
  /** The next `times` GraphQL operations are answered with this error code (HTTP 200, no data). */
  graphqlError(code: string, times?: number): void;
  /** The next erasure requests are refused with this user error code. */
  refuseErasure(code: string | undefined): void;
}

export const SHOPIFY_FAKE_TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

export const SHOPIFY_PEOPLE: ShopifyPersonSeed[] = [
  {
    firstName: 'Sanne',
    lastName: 'de Boer',
    email: 'Sanne.DeBoer@Example.nl',
    phone: '+31612345678',
    addresses: [
      { address1: 'Zonnebloemstraat 12', zip: '3512 AB', city: 'Utrecht' },
      { address1: 'Kerkweg 3', zip: '3701 AA', city: 'Zeist' },
    ],
    orders: ['2025-03-14T10:02:11Z', '2026-02-01T08:00:00Z', '2026-09-30T12:00:00Z'],
  },
  // Look-alikes a loose search also finds: they must stay out of Sanne's answer.
  { firstName: 'Anne', lastName: 'Boer', email: 'xsanne.deboer@example.nl', orders: ['2026-01-01T00:00:00Z'] },
  { firstName: 'Jan', lastName: 'Jansen', email: 'jan.jansen@example.nl', orders: ['2024-05-01T09:00:00Z'] },
  { firstName: 'Guus', lastName: 'Geen', email: 'guus@example.nl' },
];

/** What each operation asks of the bucket (the connector learns these from `requestedQueryCost`). */
const COSTS: Record<string, number> = { FindCustomers: 232, CustomerOrders: 104, RequestErasure: 10, Shop: 1 };
const PAGE = 10;

export async function startShopifyFake(options: ShopifyFakeOptions = {}): Promise<ShopifyFake> {
  const now = options.now ?? Date.now;
  const version = options.apiVersion ?? '2025-07';
  const customers: Customer[] = (options.people ?? SHOPIFY_PEOPLE).map((person, i) => ({
    id: `gid://shopify/Customer/${7001 + i}`,
    person,
    createdAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    erasureRequested: false,
  }));
  const operations: ShopifyFake['operations'] = [];
  const bucket = { available: 2000, maximum: 2000, restoreRate: 100, at: now() };
  let injected: { code: string; times: number } | undefined;
  let refusal: string | undefined;

  const level = () => Math.min(bucket.maximum, bucket.available + ((now() - bucket.at) / 1000) * bucket.restoreRate);
  const cost = (requested: number, actual: number | null) => ({
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: bucket.maximum,
        currentlyAvailable: Math.floor(level()),
        restoreRate: bucket.restoreRate,
      },
    },
  });

  const handler = (req: FakeRequest, res: ServerResponse) => {
    if (req.headers['x-shopify-access-token'] !== SHOPIFY_FAKE_TOKEN)
      return sendJson(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    if (req.method !== 'POST' || req.path !== `/admin/api/${version}/graphql.json`)
      return sendJson(res, 404, { errors: 'Not Found' });
    const { query, variables = {} } = req.json<{ query: string; variables?: Record<string, unknown> }>();
    const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    operations.push({ name, variables });
    const requested = COSTS[name] ?? 1;
    if (injected && injected.times > 0) {
      injected.times--;
      const code = injected.code;
      if (injected.times === 0) injected = undefined;
      return sendJson(res, 200, {
        errors: [{ message: code, extensions: { code } }],
        extensions: cost(requested, null),
      });
    }
    const available = level();
    if (available < requested) {
      bucket.available = available;
      bucket.at = now();
      return sendJson(res, 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: cost(requested, null),
      });
    }
    bucket.available = available - requested;
    bucket.at = now();
    const data = answer(name, variables);
    if (data === undefined)
      return sendJson(res, 200, {
        errors: [{ message: `Field '${name}' doesn't exist`, extensions: { code: 'undefinedField' } }],
      });
    return sendJson(res, 200, { data, extensions: cost(requested, requested) });
  };

  function answer(name: string, v: Record<string, unknown>): unknown {
    switch (name) {
      case 'Shop':
        return { shop: { name: 'Balkonzon', myshopifyDomain: 'balkonzon.myshopify.com' } };
      case 'FindCustomers': {
        const wanted = /^email:"((?:[^"\\]|\\.)*)"$/.exec(String(v.query))?.[1]?.replace(/\\(.)/g, '$1');
        const found = wanted
          ? customers.filter((c) => c.person.email.toLowerCase().includes(wanted.toLowerCase().trim()))
          : [];
        return { customers: page(found.map(customerNode), v.after, PAGE) };
      }
      case 'CustomerOrders': {
        const c = customers.find((x) => x.id === v.id);
        if (!c) return { customer: null };
        return { customer: { orders: page(ordersOf(c), v.after, Number(v.first) || 50) } };
      }
      case 'RequestErasure': {
        const c = customers.find((x) => x.id === v.customerId);
        if (!c)
          return {
            customerRequestDataErasure: {
              customerId: null,
              userErrors: [{ field: ['customerId'], message: 'Customer does not exist', code: 'DOES_NOT_EXIST' }],
            },
          };
        if (refusal)
          return {
            customerRequestDataErasure: {
              customerId: null,
              userErrors: [{ field: null, message: 'Failed to request customer data erasure', code: refusal }],
            },
          };
        c.erasureRequested = true;
        return { customerRequestDataErasure: { customerId: c.id, userErrors: [] } };
      }
      default:
        return undefined;
    }
  }

  const fake = await startFakeServer(handler, {
    env: (url) => ({
      SHOPIFY_API_URL: url,
      SHOPIFY_SHOP_DOMAIN: 'balkonzon.myshopify.com',
      SHOPIFY_ACCESS_TOKEN: SHOPIFY_FAKE_TOKEN,
    }),
    failure: (res, status, retryAfter) =>
      sendJson(
        res,
        status,
        { errors: 'injected failure' },
        retryAfter === undefined ? {} : { 'retry-after': `${retryAfter}` },
      ),
  });
  return {
    ...fake,
    accessToken: SHOPIFY_FAKE_TOKEN,
    customers,
    operations,
    throttle: (b) => {
      bucket.available = b.available;
      bucket.restoreRate = b.restoreRate ?? bucket.restoreRate;
      bucket.maximum = b.maximum ?? bucket.maximum;
      bucket.at = now();
    },
    graphqlError: (code, times = 1) => {
      injected = { code, times };
    },
    refuseErasure: (code) => {
      refusal = code;
    },
  };
}

function customerNode(c: Customer) {
  const p = c.person;
  return {
    id: c.id,
    firstName: p.firstName,
    lastName: p.lastName,
    createdAt: c.createdAt,
    locale: 'nl',
    note: null,
    tags: [],
    defaultEmailAddress: { emailAddress: p.email },
    defaultPhoneNumber: p.phone ? { phoneNumber: p.phone } : null,
    addressesV2: {
      nodes: (p.addresses ?? []).map((a, i) => ({
        id: `gid://shopify/MailingAddress/${c.id.split('/').pop()}${i}`,
        ...mailing(p, a),
      })),
    },
  };
}

function mailing(p: ShopifyPersonSeed, a: { address1: string; zip: string; city: string }) {
  const { firstName, lastName } = p;
  return {
    firstName,
    lastName,
    company: null,
    address2: null,
    province: null,
    country: 'Netherlands',
    phone: p.phone ?? null,
    ...a,
  };
}

function ordersOf(c: Customer) {
  const p = c.person;
  const home = p.addresses?.[0] ?? { address1: 'Onbekend 1', zip: '1000 AA', city: 'Amsterdam' };
  return (p.orders ?? []).map((at, i) => ({
    id: `gid://shopify/Order/${c.id.split('/').pop()}${i + 1}`,
    name: `#${1000 + i + Number(c.id.split('/').pop()) - 7000}`,
    createdAt: at,
    processedAt: at,
    cancelledAt: null,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'FULFILLED',
    email: p.email,
    phone: p.phone ?? null,
    totalPriceSet: { shopMoney: { amount: '849.0', currencyCode: 'EUR' } },
    billingAddress: mailing(p, home),
    shippingAddress: mailing(p, home),
  }));
}

/** A connection page by an opaque cursor (the index, base64), as Shopify's `first`/`after` paging. */
function page<T>(items: T[], after: unknown, first: number) {
  const start = typeof after === 'string' ? Number(Buffer.from(after, 'base64').toString()) : 0;
  const nodes = items.slice(start, start + first);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: {
      hasNextPage: end < items.length,
      endCursor: nodes.length ? Buffer.from(String(end)).toString('base64') : null,
    },
  };
}
