import type { z } from 'zod';
import { addTerm } from '../../policy/term.ts';
import type { ProcessorApi, ProcessorApiContext } from '../api/processor-api.ts';
import type {
  CollectionErasure,
  CollectionFindings,
  EraseOptions,
  FoundRecord,
  SubjectIdentity,
} from '../connector.ts';
import { ProcessorError } from '../http/http-client.ts';
import { check, FISCAL_REASON, fiscalRetainedUntil, sameEmail, values, withProgress } from '../processor-helpers.ts';
import { Options } from './shopify.factory.ts';
import {
  CustomerOrders,
  CustomerSearch,
  ErasureRequested,
  type MailingAddress,
  ShopAnswer,
  type ShopifyCustomer,
  type ShopifyOrder,
} from './shopify.schema.ts';
import { ShopifyGraphql } from './shopify-graphql.ts';

/**
 * Shopify, through the Admin GraphQL API of the shop (`https://{shop}.myshopify.com/admin/api/{version}/graphql.json`,
 * a custom app's Admin API access token in `X-Shopify-Access-Token`). Customers are searched with
 * `email:"…"` and kept only when their address is the person's exactly (trimmed, any case): Shopify's search
 * is a search, not an equality. Access gives the customers, their addresses and their orders.
 *
 * Erasure asks Shopify with `customerRequestDataErasure`: Shopify erases the personal data itself, on its own
 * terms (a customer with an order in the last 180 days is erased 180 days after that order), and keeps the
 * orders (what was sold, when, for how much) without them. So the answer says "requested", never "erased", and
 * reports the customers and orders as retained, with the reason.
 */

/** Shopify postpones erasing a customer with a recent order until this long after that order (its help centre). */
const ERASURE_HOLD = { days: 180 } as const;

const CUSTOMER_CATEGORIES: Record<string, string> = {
  firstName: 'contact',
  lastName: 'contact',
  email: 'contact',
  phone: 'contact',
  createdAt: 'account',
  locale: 'account',
  note: 'account',
  tags: 'account',
};
const ADDRESS_FIELDS = ['firstName', 'lastName', 'company', 'address1', 'address2', 'zip', 'city', 'province'];
const ADDRESS_CATEGORIES: Record<string, string> = Object.fromEntries(
  [...ADDRESS_FIELDS, 'country', 'phone'].map((f) => [f, 'contact']),
);
const ORDER_CATEGORIES: Record<string, string> = {
  name: 'order',
  createdAt: 'order',
  total: 'order',
  financialStatus: 'order',
  fulfillmentStatus: 'order',
  email: 'contact',
  phone: 'contact',
  ...Object.fromEntries(
    [...ADDRESS_FIELDS, 'country', 'phone'].flatMap((f) => [
      [`billing_${f}`, 'contact'],
      [`shipping_${f}`, 'shipping'],
    ]),
  ),
};

const ADDRESS_SELECTION = 'firstName lastName company address1 address2 zip city province country phone';
const FIND_CUSTOMERS = `query FindCustomers($query: String!, $after: String) {
  customers(first: 10, query: $query, after: $after) {
    nodes {
      id firstName lastName createdAt locale note tags
      defaultEmailAddress { emailAddress }
      defaultPhoneNumber { phoneNumber }
      addressesV2(first: 20) { nodes { id ${ADDRESS_SELECTION} } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CUSTOMER_ORDERS = `query CustomerOrders($id: ID!, $first: Int!, $after: String) {
  customer(id: $id) {
    orders(first: $first, after: $after, sortKey: CREATED_AT) {
      nodes {
        id name createdAt processedAt cancelledAt displayFinancialStatus displayFulfillmentStatus email phone
        totalPriceSet { shopMoney { amount currencyCode } }
        billingAddress { ${ADDRESS_SELECTION} }
        shippingAddress { ${ADDRESS_SELECTION} }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
const REQUEST_ERASURE = `mutation RequestErasure($customerId: ID!) {
  customerRequestDataErasure(customerId: $customerId) {
    customerId
    userErrors { field message code }
  }
}`;
const SHOP = 'query Shop { shop { name myshopifyDomain } }';

interface Holding {
  customer: ShopifyCustomer;
  orders: ShopifyOrder[];
}

export class ShopifyApi implements ProcessorApi {
  // What this code does; registry.test.ts holds it to the description in shopify.factory.ts.
  readonly capabilities = { access: true, erase: true, rectify: false, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #gql: ShopifyGraphql;
  readonly #ordersPerPage: number;

  constructor(ctx: ProcessorApiContext) {
    const options = Options.parse(ctx.options);
    this.#ctx = ctx;
    this.#ordersPerPage = options.ordersPerPage;
    this.#gql = new ShopifyGraphql({
      system: ctx.system,
      http: ctx.http,
      apiVersion: options.apiVersion,
      clock: ctx.clock,
      sleep: ctx.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    });
  }

  async find(subject: SubjectIdentity): Promise<CollectionFindings[]> {
    const holdings = await this.#holdings(subject);
    const findings: CollectionFindings[] = [
      this.#findings(
        'customers',
        holdings.map((h) => this.#customerRecord(h.customer)),
      ),
      this.#findings(
        'addresses',
        holdings.flatMap((h) => h.customer.addressesV2.nodes.map((a, i) => this.#addressRecord(h.customer, a, i))),
      ),
      this.#findings(
        'orders',
        holdings.flatMap((h) => h.orders.map((o) => this.#orderRecord(o))),
      ),
    ];
    return findings.filter((f) => f.records.length > 0);
  }

  async erase(subject: SubjectIdentity, options: EraseOptions) {
    const holdings = await this.#holdings(subject);
    if (holdings.length === 0) return { answer: 'Shopify holds no customer with this address.', collections: [] };
    if (!options.dryRun) {
      let asked = 0;
      try {
        for (const { customer } of holdings) {
          await this.#requestErasure(customer.id);
          asked++;
        }
      } catch (err) {
        throw withProgress(err, `after erasure was requested for ${asked} of ${holdings.length} customers`);
      }
    }
    const orders = holdings.flatMap((h) => h.orders);
    const lastOrder = latest(orders.map((o) => o.createdAt));
    const postponedUntil =
      lastOrder && addTerm(lastOrder, ERASURE_HOLD) > options.now
        ? addTerm(lastOrder, ERASURE_HOLD).toISOString().slice(0, 10)
        : undefined;
    const collections: CollectionErasure[] = [
      this.#erasure('customers', {
        found: holdings.length,
        retained: holdings.length,
        keptFields: Object.keys(CUSTOMER_CATEGORIES),
        ...(postponedUntil ? { retainedUntil: postponedUntil } : {}),
        reason: postponedUntil
          ? 'erasure requested from Shopify, which erases the personal data itself 180 days after the last order'
          : 'erasure requested from Shopify, which erases the personal data itself, within its own terms',
      }),
    ];
    if (orders.length > 0)
      collections.push(
        this.#erasure('orders', {
          found: orders.length,
          retained: orders.length,
          keptFields: ['name', 'createdAt', 'total', 'financialStatus', 'fulfillmentStatus'],
          retainedUntil: fiscalRetainedUntil(orders.map((o) => o.processedAt ?? o.createdAt)),
          reason: `${FISCAL_REASON}; Shopify keeps what was sold, when and for how much, without the personal data`,
        }),
      );
    const ids = holdings.map((h) => h.customer.id.split('/').pop()).join(', ');
    const verb = options.dryRun ? 'Would ask' : 'Asked';
    const parts = [`${verb} Shopify to erase ${holdings.length} customer(s) (${ids}); Shopify erases them itself`];
    if (postponedUntil) parts.push(`not before ${postponedUntil} (180 days after the last order)`);
    if (orders.length > 0) parts.push(`${orders.length} order(s) stay with Shopify without the personal data`);
    return { answer: `${parts.join('; ')}.`, collections };
  }

  async test() {
    const token = this.#ctx.credentials.accessToken ?? '';
    const checks = [
      {
        name: 'access token',
        ok: /^shpat_[0-9a-f]{32}$/.test(token),
        message: /^shpat_[0-9a-f]{32}$/.test(token)
          ? "a custom app's Admin API access token"
          : "not an Admin API access token (expected shpat_ and 32 hexadecimal characters, from the custom app's API credentials)",
      },
      await check('shop', async () => {
        const data = await this.#gql.run('shop', SHOP, {}, ShopAnswer);
        return `Shopify answered for the shop ${data.shop.myshopifyDomain ?? data.shop.name}`;
      }),
      await check('customers', async () => {
        await this.#gql.run(
          'customers search',
          FIND_CUSTOMERS,
          { query: 'email:"inzage-check@example.invalid"' },
          CustomerSearch,
        );
        return 'the token may read customers (read_customers) and their orders';
      }),
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** The customers whose address is the person's, each with every order, page by page. */
  async #holdings(subject: SubjectIdentity): Promise<Holding[]> {
    const holdings: Holding[] = [];
    for (const customer of await this.#matchingCustomers(subject))
      holdings.push({ customer, orders: await this.#orders(customer.id) });
    return holdings;
  }

  async #matchingCustomers(subject: SubjectIdentity): Promise<ShopifyCustomer[]> {
    const query = `email:${searchValue(subject.email)}`;
    const matches: ShopifyCustomer[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 100; page++) {
      const data: z.output<typeof CustomerSearch> = await this.#gql.run(
        'customers search',
        FIND_CUSTOMERS,
        { query, after },
        CustomerSearch,
      );
      for (const c of data.customers.nodes)
        if (sameEmail(c.defaultEmailAddress?.emailAddress, subject.email)) matches.push(c);
      if (!data.customers.pageInfo.hasNextPage) return matches;
      after = data.customers.pageInfo.endCursor;
    }
    throw new ProcessorError(this.#ctx.system, 'bad-response', 'customers search: more than 100 pages; stopped', {
      retryable: false,
    });
  }

  async #orders(customerId: string): Promise<ShopifyOrder[]> {
    const orders: ShopifyOrder[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 1000; page++) {
      const variables: Record<string, unknown> = { id: customerId, first: this.#ordersPerPage, after };
      const data: z.output<typeof CustomerOrders> = await this.#gql.run(
        'customer orders',
        CUSTOMER_ORDERS,
        variables,
        CustomerOrders,
      );
      if (!data.customer) return orders;
      orders.push(...data.customer.orders.nodes);
      if (!data.customer.orders.pageInfo.hasNextPage) return orders;
      after = data.customer.orders.pageInfo.endCursor;
    }
    throw new ProcessorError(this.#ctx.system, 'bad-response', 'customer orders: more than 1000 pages; stopped', {
      retryable: false,
    });
  }

  /** Asks Shopify to erase one customer. A customer already gone (DOES_NOT_EXIST) is the wanted state. */
  async #requestErasure(customerId: string): Promise<void> {
    const data = await this.#gql.run('customerRequestDataErasure', REQUEST_ERASURE, { customerId }, ErasureRequested);
    const errors = data.customerRequestDataErasure.userErrors.filter((e) => e.code !== 'DOES_NOT_EXIST');
    if (errors.length > 0)
      throw new ProcessorError(
        this.#ctx.system,
        'rejected',
        `customerRequestDataErasure: Shopify refused (${errors.map((e) => e.code ?? 'error').join(', ')})`,
      );
  }

  #findings(collection: string, records: FoundRecord[]): CollectionFindings {
    return { system: this.#ctx.system, collection, records };
  }

  #record(collection: string, key: string, data: FoundRecord['data'], categories: Record<string, string>): FoundRecord {
    const present = Object.fromEntries(Object.entries(categories).filter(([field]) => data[field] != null));
    return { system: this.#ctx.system, collection, key, data, categories: present };
  }

  #customerRecord(c: ShopifyCustomer): FoundRecord {
    const data = values({
      id: c.id,
      firstName: c.firstName ?? undefined,
      lastName: c.lastName ?? undefined,
      email: c.defaultEmailAddress?.emailAddress ?? undefined,
      phone: c.defaultPhoneNumber?.phoneNumber ?? undefined,
      createdAt: c.createdAt ?? undefined,
      locale: c.locale ?? undefined,
      note: c.note || undefined,
      tags: c.tags?.length ? c.tags.join(', ') : undefined,
    });
    return this.#record('customers', c.id, data, CUSTOMER_CATEGORIES);
  }

  #addressRecord(c: ShopifyCustomer, a: MailingAddress, index: number): FoundRecord {
    const data = values({ customer: c.id, ...address(a) });
    return this.#record('addresses', a.id ?? `${c.id}#${index}`, data, ADDRESS_CATEGORIES);
  }

  #orderRecord(o: ShopifyOrder): FoundRecord {
    const total = o.totalPriceSet?.shopMoney;
    const data = values({
      id: o.id,
      name: o.name,
      createdAt: o.createdAt,
      cancelledAt: o.cancelledAt ?? undefined,
      total: total ? `${total.amount} ${total.currencyCode}` : undefined,
      financialStatus: o.displayFinancialStatus ?? undefined,
      fulfillmentStatus: o.displayFulfillmentStatus ?? undefined,
      email: o.email ?? undefined,
      phone: o.phone ?? undefined,
      ...prefixed('billing_', o.billingAddress),
      ...prefixed('shipping_', o.shippingAddress),
    });
    return this.#record('orders', o.id, data, ORDER_CATEGORIES);
  }

  #erasure(
    collection: string,
    part: Partial<CollectionErasure> & { found: number; keptFields: string[] },
  ): CollectionErasure {
    return { system: this.#ctx.system, collection, deleted: 0, anonymised: 0, sealed: 0, ...part };
  }
}

/**
 * A value for Shopify's search syntax: quoted, so that `:`, spaces and parentheses are literal, with `\` and
 * `"` escaped. Matching is exact afterwards in any case.
 */
export const searchValue = (email: string): string => `"${email.trim().replace(/["\\]/g, (c) => `\\${c}`)}"`;

function address(a: MailingAddress): Record<string, string | undefined> {
  return Object.fromEntries(
    [...ADDRESS_FIELDS, 'country', 'phone'].map((f) => [
      f,
      ((a as Record<string, unknown>)[f] as string | null) ?? undefined,
    ]),
  );
}

function prefixed(prefix: string, a: MailingAddress | null | undefined): Record<string, string | undefined> {
  if (!a) return {};
  return Object.fromEntries(Object.entries(address(a)).map(([k, v]) => [`${prefix}${k}`, v]));
}

function latest(dates: string[]): Date | undefined {
  const times = dates.map((d) => Date.parse(d)).filter((t) => !Number.isNaN(t));
  return times.length ? new Date(Math.max(...times)) : undefined;
}

/** The implementation shopify.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new ShopifyApi(ctx);
