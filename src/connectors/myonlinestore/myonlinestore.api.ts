import type { ProcessorApi, ProcessorApiContext } from '../api/processor-api.ts';
import {
  type CollectionErasure,
  type CollectionFindings,
  type CollectionRectification,
  type Corrections,
  type EraseOptions,
  type FoundRecord,
  normalizeEmail,
  type SubjectIdentity,
} from '../connector.ts';
import { type HttpRequest, ProcessorError } from '../http/http-client.ts';
import {
  check,
  collect,
  FISCAL_REASON,
  fiscalRetainedUntil,
  parseAnswer,
  sameEmail,
  values,
} from '../processor-helpers.ts';
import { Options } from './myonlinestore.factory.ts';
import {
  AddressList,
  CustomerList,
  type MosAddress,
  type MosCustomer,
  type MosOrder,
  OrderList,
} from './myonlinestore.schema.ts';

/**
 * MyOnlineStore (the webshop software), API v1. Customers are found by e-mail (`q`), with their
 * addresses; orders by `debtor_email` (and the account's `debtor_id`). Erasure deletes the customer
 * account; orders cannot be deleted through the API, so they are reported as retained under the
 * fiscal hold and become a task. The store token travels in the query string, as the API wants.
 */

interface MosHolding {
  customers: Array<{ customer: MosCustomer; addresses: MosAddress[] }>;
  orders: MosOrder[];
}

const CUSTOMER_CATEGORIES = {
  email: 'contact',
  firstName: 'contact',
  lastName: 'contact',
  dateOfBirth: 'account',
  description: 'account',
};
const ADDRESS_CATEGORIES: Record<string, string> = {
  firstName: 'contact',
  lastName: 'contact',
  company: 'contact',
  street: 'contact',
  streetNumber: 'contact',
  zipCode: 'contact',
  city: 'contact',
  countryCode: 'contact',
  phone: 'contact',
  // An IBAN is payment data, though the policy lists no payment category for MyOnlineStore.
  iban: 'payment',
};
const ORDER_CATEGORIES: Record<string, string> = {
  date: 'order',
  total: 'order',
  lines: 'order',
  email: 'contact',
  ...Object.fromEntries(
    ['name', 'company', 'street', 'number', 'zipcode', 'city', 'country', 'phone'].map((f) => [
      `invoice_${f}`,
      'contact',
    ]),
  ),
  invoice_bankaccount: 'payment',
  ...Object.fromEntries(
    ['name', 'company', 'street', 'number', 'zipcode', 'city', 'country', 'phone'].map((f) => [
      `delivery_${f}`,
      'shipping',
    ]),
  ),
};

export class MyOnlineStoreApi implements ProcessorApi {
  // What this code does; registry.test.ts holds it to the description in myonlinestore.factory.ts.
  readonly capabilities = { access: true, erase: true, rectify: true, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #pageSize: number;

  constructor(ctx: ProcessorApiContext) {
    this.#ctx = ctx;
    this.#pageSize = Options.parse(ctx.options).pageSize;
  }

  async find(subject: SubjectIdentity): Promise<CollectionFindings[]> {
    const { customers, orders } = await this.#holding(subject);
    const findings: CollectionFindings[] = [
      this.#findings(
        'customers',
        customers.map(({ customer }) => this.#customerRecord(customer)),
      ),
      this.#findings(
        'addresses',
        customers.flatMap(({ addresses }) => addresses.map((a) => this.#addressRecord(a))),
      ),
      this.#findings(
        'orders',
        orders.map((o) => this.#orderRecord(o)),
      ),
    ];
    return findings.filter((f) => f.records.length > 0);
  }

  async erase(subject: SubjectIdentity, options: EraseOptions) {
    const { customers, orders } = await this.#holding(subject);
    if (customers.length === 0 && orders.length === 0)
      return { answer: 'MyOnlineStore holds no customer or order with this address.', collections: [] };
    if (!options.dryRun)
      // 404: gone already (an earlier attempt that did not hear back).
      for (const { customer } of customers)
        await this.#request({
          method: 'DELETE',
          path: `/v1/customers/${encodeURIComponent(customer.id)}`,
          okStatuses: [404],
        });
    const deleted = options.dryRun ? 0 : customers.length;
    const addresses = customers.reduce((n, c) => n + c.addresses.length, 0);
    const collections: CollectionErasure[] = [];
    if (customers.length > 0) {
      collections.push(this.#erasure('customers', { found: customers.length, deleted }));
      if (addresses > 0)
        collections.push(this.#erasure('addresses', { found: addresses, deleted: options.dryRun ? 0 : addresses }));
    }
    if (orders.length > 0)
      collections.push(
        this.#erasure('orders', {
          found: orders.length,
          retained: orders.length,
          keptFields: Object.keys(ORDER_CATEGORIES),
          retainedUntil: fiscalRetainedUntil(orders.map((o) => o.date)),
          reason: `${FISCAL_REASON}; MyOnlineStore's API cannot delete or anonymise orders`,
        }),
      );
    const verb = options.dryRun ? 'Would delete' : 'Deleted';
    const answer = `${verb} ${customers.length} customer account(s) with ${addresses} address(es); ${orders.length} order(s) kept under the fiscal hold.`;
    return { answer, collections, manual: orders.length > 0 ? ordersTask(orders) : undefined };
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections) {
    const customers = await this.#customers(subject);
    if (customers.length === 0)
      return { answer: 'MyOnlineStore holds no customer account with this address.', collections: [] };
    const wanted = corrections.category && corrections.category !== 'contact' ? {} : corrections.values;
    const customerPatch = customerFields(wanted);
    const addressPatch = addressFields(wanted);
    let addressCount = 0;
    for (const customer of customers) {
      const path = `/v1/customers/${encodeURIComponent(customer.id)}`;
      if (Object.keys(customerPatch).length > 0) await this.#request({ method: 'PATCH', path, json: customerPatch });
      if (Object.keys(addressPatch).length === 0) continue;
      for (const address of currentAddresses(await this.#addresses(customer))) {
        await this.#request({
          method: 'PATCH',
          path: `${path}/addresses/${encodeURIComponent(address.id)}`,
          json: addressPatch,
        });
        addressCount++;
      }
    }
    const collections: CollectionRectification[] = [];
    const system = this.#ctx.system;
    if (Object.keys(customerPatch).length > 0)
      collections.push({
        system,
        collection: 'customers',
        records: customers.length,
        fields: Object.keys(customerPatch),
      });
    if (addressCount > 0)
      collections.push({ system, collection: 'addresses', records: addressCount, fields: Object.keys(addressPatch) });
    // The API does not let an e-mail address be changed (it is not among a customer's patchable fields).
    const manual = wanted.email
      ? {
          nl: 'Wijzig in de MyOnlineStore-backoffice het e-mailadres van deze klant; de API kan dat niet.',
          en: "Change this customer's e-mail address in the MyOnlineStore back office; the API cannot.",
        }
      : undefined;
    const answer = collections.length
      ? `Corrected ${collections.map((c) => `${c.fields.join(', ')} of ${c.records} ${c.collection}`).join('; ')}.`
      : 'No field MyOnlineStore lets the API change was corrected.';
    return { answer, collections, manual };
  }

  async test() {
    const checks = [
      await check('store', async () => {
        await this.#request({ method: 'GET', path: '/v1/store' });
        return 'MyOnlineStore answered and accepted the store token';
      }),
      await check('customers', async () => {
        const res = await this.#request({
          method: 'GET',
          path: '/v1/customers',
          query: { q: 'inzage-connection-test@example.invalid' },
        });
        parseAnswer(this.#ctx.system, CustomerList, res.body, 'GET /v1/customers');
        return 'the token may search customers';
      }),
      await check('orders', async () => {
        const res = await this.#request({ method: 'GET', path: '/v1/orders', query: { limit: 1 } });
        parseAnswer(this.#ctx.system, OrderList, res.body, 'GET /v1/orders');
        return 'the token may read orders';
      }),
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }

  async #holding(subject: SubjectIdentity): Promise<MosHolding> {
    const found = await this.#customers(subject);
    const customers: MosHolding['customers'] = [];
    for (const customer of found) customers.push({ customer, addresses: await this.#addresses(customer) });
    return { customers, orders: await this.#orders(subject, found) };
  }

  /** `q` searches; only an exact match of the address (trimmed, any case) is the person. */
  async #customers(subject: SubjectIdentity): Promise<MosCustomer[]> {
    const res = await this.#request({
      method: 'GET',
      path: '/v1/customers',
      query: { q: normalizeEmail(subject.email), embed: 'address' },
    });
    const { customers } = parseAnswer(this.#ctx.system, CustomerList, res.body, 'GET /v1/customers');
    return customers.filter((c) => sameEmail(c.email, subject.email));
  }

  async #addresses(customer: MosCustomer): Promise<MosAddress[]> {
    if (customer.addresses) return customer.addresses;
    const path = `/v1/customers/${encodeURIComponent(customer.id)}/addresses`;
    const res = await this.#request({ method: 'GET', path });
    return parseAnswer(this.#ctx.system, AddressList, res.body, `GET ${path}`).addresses;
  }

  /**
   * Guest orders carry the address; an account's orders its id (`debtor_id` is OR-ed with
   * `debtor_email`), which also finds orders placed before the address changed.
   */
  async #orders(subject: SubjectIdentity, customers: MosCustomer[]): Promise<MosOrder[]> {
    const email = normalizeEmail(subject.email);
    const ids = new Set(customers.map((c) => c.id));
    const queries = customers.length
      ? customers.map((c) => ({ debtor_email: email, debtor_id: c.id }))
      : [{ debtor_email: email }];
    const byUuid = new Map<string, MosOrder>();
    for (const query of queries) {
      for (const order of await collect(this.#orderPages(query)))
        if (sameEmail(order.debtor.email, email) || (order.debtor.id && ids.has(order.debtor.id)))
          byUuid.set(order.uuid, order);
    }
    return [...byUuid.values()].sort((a, b) => a.number - b.number);
  }

  /**
   * Offset paging: the last page is the one shorter than the limit. A full page of orders already
   * read means the offset is ignored, and the paging would not end: that stops as a bad answer.
   */
  #orderPages(query: Record<string, string>): AsyncIterable<MosOrder> {
    const limit = this.#pageSize;
    const page = (offset: number): HttpRequest => ({
      method: 'GET',
      path: '/v1/orders',
      query: { ...query, limit, offset, ...this.#token() },
    });
    let offset = 0;
    const seen = new Set<string>();
    let fresh = 0;
    return this.#ctx.http.paginate<unknown, MosOrder>(
      page(0),
      (body) => {
        const orders = parseAnswer(this.#ctx.system, OrderList, body, 'GET /v1/orders');
        fresh = orders.filter((o) => !seen.has(o.uuid)).length;
        for (const o of orders) seen.add(o.uuid);
        return orders;
      },
      (body) => {
        if ((body as unknown[]).length < limit) return undefined;
        if (fresh === 0)
          throw new ProcessorError(this.#ctx.system, 'bad-response', 'GET /v1/orders: the offset is not honoured', {
            retryable: false,
          });
        offset += limit;
        return page(offset);
      },
    );
  }

  #token(): Record<string, string> {
    const token: Record<string, string> = { token: this.#ctx.credentials.apiKey ?? '' };
    if (this.#ctx.credentials.partnerToken) token.partner_token = this.#ctx.credentials.partnerToken;
    return token;
  }

  #request(req: HttpRequest) {
    return this.#ctx.http.request({ ...req, query: { ...req.query, ...this.#token() } });
  }

  #findings(collection: string, records: FoundRecord[]): CollectionFindings {
    return { system: this.#ctx.system, collection, records };
  }

  #record(collection: string, key: string, data: FoundRecord['data'], categories: Record<string, string>): FoundRecord {
    const present = Object.fromEntries(Object.entries(categories).filter(([field]) => data[field] != null));
    return { system: this.#ctx.system, collection, key, data, categories: present };
  }

  #customerRecord(c: MosCustomer): FoundRecord {
    const data = values({
      id: c.id,
      email: c.email ?? null,
      firstName: c.firstName ?? null,
      lastName: c.lastName ?? null,
      dateOfBirth: c.dateOfBirth ?? null,
      description: c.description ?? null,
    });
    return this.#record('customers', c.id, data, CUSTOMER_CATEGORIES);
  }

  #addressRecord(a: MosAddress): FoundRecord {
    const data = values({
      id: a.id,
      firstName: a.firstName,
      lastName: a.lastName,
      company: a.company,
      street: a.street,
      streetNumber: a.streetNumber,
      zipCode: a.zipCode,
      city: a.city,
      countryCode: a.countryCode,
      phone: a.phone,
      iban: a.iban,
      isDefaultForDelivery: a.isDefaultForDelivery ?? undefined,
      isDefaultForInvoice: a.isDefaultForInvoice ?? undefined,
    });
    return this.#record('addresses', a.id, data, ADDRESS_CATEGORIES);
  }

  #orderRecord(o: MosOrder): FoundRecord {
    const flat = (prefix: string, a: Record<string, unknown> | null | undefined) =>
      Object.fromEntries(
        ['name', 'company', 'street', 'number', 'zipcode', 'city', 'phone', 'bankaccount']
          .map((f) => [`${prefix}_${f}`, a?.[f]] as const)
          .concat([[`${prefix}_country`, a?.country_code]])
          .filter(([, v]) => typeof v === 'string' && v !== ''),
      ) as Record<string, string>;
    const lines = o.orderlines?.map((l) => `${l.quantity ?? 1}× ${l.description ?? ''}`.trim()).join('; ');
    const data = values({
      number: o.number,
      date: o.time ? `${o.date} ${o.time}` : o.date,
      status: o.status ?? undefined,
      archived: o.archived ?? undefined,
      email: o.debtor.email ?? undefined,
      ...flat('invoice', o.debtor.address?.invoice),
      ...flat('delivery', o.debtor.address?.delivery),
      total: o.price?.total != null ? String(o.price.total) : undefined,
      lines: lines || undefined,
    });
    return this.#record('orders', String(o.number), data, ORDER_CATEGORIES);
  }

  #erasure(collection: string, part: Partial<CollectionErasure> & { found: number }): CollectionErasure {
    return { system: this.#ctx.system, collection, deleted: 0, anonymised: 0, sealed: 0, keptFields: [], ...part };
  }
}

/** The order numbers are the shop's own, not personal data; they tell the officer which orders to look at. */
function ordersTask(orders: MosOrder[]): { nl: string; en: string } {
  const numbers = orders.map((o) => o.number).join(', ');
  return {
    nl:
      `De klantaccount is verwijderd. MyOnlineStore kan bestellingen niet via de API verwijderen: bestelling(en) ${numbers} ` +
      'blijven voor de fiscale bewaarplicht (7 jaar). Verwijder daarin in de backoffice wat niet voor de boekhouding nodig is (opmerkingen), ' +
      'archiveer ze en verwijder ze na afloop van de termijn.',
    en:
      `The customer account is deleted. MyOnlineStore cannot delete orders through its API: order(s) ${numbers} ` +
      'stay for the fiscal retention duty (7 years). In the back office, remove what the bookkeeping does not need (comments), ' +
      'archive them, and delete them when the term ends.',
  };
}

/** firstName/lastName are the patchable personal fields of a customer (CustomerPatchable); the e-mail is not. */
function customerFields(v: Corrections['values']): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  const split = v.full_name ? splitName(v.full_name) : undefined;
  const first = v.first_name !== undefined ? v.first_name : split?.first;
  const last = v.last_name !== undefined ? v.last_name : split?.last;
  if (first !== undefined) patch.firstName = first;
  if (last !== undefined) patch.lastName = last;
  return patch;
}

function addressFields(v: Corrections['values']): Record<string, string | null> {
  const patch: Record<string, string | null> = customerFields(v);
  const map = {
    street: 'street',
    house_number: 'streetNumber',
    postal_code: 'zipCode',
    city: 'city',
    phone: 'phone',
  } as const;
  for (const [role, field] of Object.entries(map)) {
    const value = v[role as keyof typeof map];
    if (value !== undefined) patch[field] = value;
  }
  // countryCode must be ISO 3166-1 alpha-2; a country written out ("Nederland") is left alone.
  if (v.country && /^[A-Za-z]{2}$/.test(v.country)) patch.countryCode = v.country.toUpperCase();
  return patch;
}

/** "Sanne de Vries" → Sanne / de Vries: Dutch surnames keep their prefixes. */
function splitName(full: string): { first: string; last: string } {
  const [first = '', ...rest] = full.trim().split(/\s+/);
  return { first, last: rest.join(' ') };
}

/** The addresses in use (default for delivery or invoice), or the only one; older ones are history. */
function currentAddresses(addresses: MosAddress[]): MosAddress[] {
  const current = addresses.filter((a) => a.isDefaultForDelivery || a.isDefaultForInvoice);
  return current.length > 0 ? current : addresses.length === 1 ? addresses : [];
}

/** The implementation myOnlineStore.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new MyOnlineStoreApi(ctx);
