import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ProcessorApi, ProcessorApiContext } from '../api/processor-api.ts';
import type {
  CollectionErasure,
  CollectionFindings,
  Corrections,
  EraseOptions,
  FoundRecord,
  SubjectIdentity,
} from '../connector.ts';
import type { HttpRequest } from '../http/http-client.ts';
import {
  check,
  collect,
  FISCAL_REASON,
  fiscalRetainedUntil,
  parseAnswer,
  sameEmail,
  values,
  withProgress,
} from '../processor-helpers.ts';
import { Options } from './mollie.factory.ts';
import {
  CustomerPage,
  MandatePage,
  type MollieCustomer,
  type MollieMandate,
  type MolliePayment,
  PaymentPage,
} from './mollie.schema.ts';

/**
 * Mollie (payments), API v2. Its customers cannot be searched by e-mail, so a lookup pages through
 * every customer (cursor paging along `_links.next`) and matches the address itself. Erasure deletes
 * the customer, which cancels its mandates; payments stay with Mollie and are reported as retained.
 */

interface MollieHolding {
  customer: MollieCustomer;
  payments: MolliePayment[];
  mandates: MollieMandate[];
}

const CUSTOMER_CATEGORIES = { name: 'contact', email: 'contact' } as const;
const PAYMENT_CATEGORIES: Record<string, string> = {
  amount: 'order',
  description: 'order',
  createdAt: 'order',
  status: 'payment',
  method: 'payment',
  paidAt: 'payment',
  consumerName: 'payment',
  consumerAccount: 'payment',
  consumerBic: 'payment',
  cardHolder: 'payment',
  cardNumber: 'payment',
};
const MANDATE_CATEGORIES: Record<string, string> = {
  status: 'payment',
  method: 'payment',
  mandateReference: 'payment',
  signatureDate: 'payment',
  consumerName: 'payment',
  consumerAccount: 'payment',
  consumerBic: 'payment',
  cardHolder: 'payment',
  cardNumber: 'payment',
};

export class MollieApi implements ProcessorApi {
  // What this code does; registry.test.ts holds it to the description in mollie.factory.ts.
  readonly capabilities = { access: true, erase: true, rectify: true, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #pageSize: number;

  constructor(ctx: ProcessorApiContext) {
    this.#ctx = ctx;
    this.#pageSize = Options.parse(ctx.options).pageSize;
  }

  async find(subject: SubjectIdentity): Promise<CollectionFindings[]> {
    const holdings = await this.#holdings(subject);
    if (holdings.length === 0) return [];
    const findings = [
      this.#findings(
        'customers',
        holdings.map((h) => this.#customerRecord(h.customer)),
      ),
      this.#findings(
        'payments',
        holdings.flatMap((h) => h.payments.map((p) => this.#paymentRecord(p))),
      ),
      this.#findings(
        'mandates',
        holdings.flatMap((h) => h.mandates.map((m) => this.#mandateRecord(m))),
      ),
    ];
    return findings.filter((f) => f.records.length > 0);
  }

  async erase(subject: SubjectIdentity, options: EraseOptions) {
    const holdings = await this.#holdings(subject);
    if (holdings.length === 0) return { answer: 'Mollie holds no customer with this address.', collections: [] };
    if (!options.dryRun) {
      let done = 0;
      try {
        for (const { customer } of holdings) {
          // 404: already deleted (an earlier attempt that did not hear back); that is the wanted state.
          await this.#ctx.http.request({
            method: 'DELETE',
            path: `/v2/customers/${encodeURIComponent(customer.id)}`,
            idempotencyKey: randomUUID(),
            okStatuses: [404],
          });
          done++;
        }
      } catch (err) {
        throw withProgress(err, `after ${done} of ${holdings.length} customers were deleted`);
      }
    }
    const payments = holdings.flatMap((h) => h.payments);
    const mandates = holdings.flatMap((h) => h.mandates);
    const deleted = options.dryRun ? 0 : holdings.length;
    const collections: CollectionErasure[] = [
      this.#erasure('customers', { found: holdings.length, deleted, keptFields: [] }),
    ];
    if (mandates.length > 0)
      collections.push(
        this.#erasure('mandates', {
          found: mandates.length,
          retained: mandates.length,
          keptFields: Object.keys(MANDATE_CATEGORIES),
          reason: 'cancelled with the customer; Mollie keeps the mandate with the payments it authorised',
        }),
      );
    if (payments.length > 0)
      collections.push(
        this.#erasure('payments', {
          found: payments.length,
          retained: payments.length,
          keptFields: Object.keys(PAYMENT_CATEGORIES),
          retainedUntil: fiscalRetainedUntil(payments.map((p) => p.paidAt ?? p.createdAt)),
          reason: `${FISCAL_REASON}; payments cannot be deleted through Mollie's API`,
        }),
      );
    const ids = holdings.map((h) => h.customer.id).join(', ');
    const parts = [`${options.dryRun ? 'Would delete' : 'Deleted'} ${holdings.length} Mollie customer(s) (${ids})`];
    if (mandates.length > 0) parts.push(`${mandates.length} mandate(s) cancelled with it`);
    if (payments.length > 0) parts.push(`${payments.length} payment(s) stay with Mollie under the fiscal hold`);
    const answer = `${parts.join('; ')}.`;
    return { answer, collections };
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections) {
    const customers = await this.#matchingCustomers(subject);
    if (customers.length === 0) return { answer: 'Mollie holds no customer with this address.', collections: [] };
    const patch = customerPatch(corrections);
    const fields = Object.keys(patch.body);
    if (fields.length > 0) {
      for (const customer of customers)
        await this.#ctx.http.request({
          method: 'PATCH',
          path: `/v2/customers/${encodeURIComponent(customer.id)}`,
          json: patch.body,
          idempotencyKey: randomUUID(),
        });
    }
    const collections =
      fields.length > 0
        ? [{ system: this.#ctx.system, collection: 'customers', records: customers.length, fields }]
        : [];
    const answer =
      fields.length > 0
        ? `Corrected ${fields.join(' and ')} of ${customers.length} Mollie customer(s).`
        : 'Nothing Mollie holds about a customer matches the corrected fields.';
    return { answer, collections, manual: patch.manual };
  }

  async test() {
    const key = this.#ctx.credentials.apiKey ?? '';
    const checks = [
      {
        name: 'API key',
        ok: /^(live|test|access)_\w+$/.test(key),
        message: key.startsWith('test_')
          ? 'a test-mode key: only test customers are reached'
          : /^(live|access)_/.test(key)
            ? 'a live key'
            : 'not a Mollie key (expected live_…, test_… or access_…)',
      },
      await check('customers', async () => {
        const res = await this.#ctx.http.request({ method: 'GET', path: '/v2/customers', query: { limit: 1 } });
        parseAnswer(this.#ctx.system, CustomerPage, res.body, 'GET /v2/customers');
        return 'Mollie answered and the key may list customers';
      }),
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** Every customer of the account, page by page, keeping those with the address. */
  async #matchingCustomers(subject: SubjectIdentity): Promise<MollieCustomer[]> {
    const all = this.#list<MollieCustomer>('/v2/customers', CustomerPage, 'customers');
    const matches: MollieCustomer[] = [];
    for await (const customer of all) if (sameEmail(customer.email, subject.email)) matches.push(customer);
    return matches;
  }

  async #holdings(subject: SubjectIdentity): Promise<MollieHolding[]> {
    const customers = await this.#matchingCustomers(subject);
    const holdings: MollieHolding[] = [];
    for (const customer of customers) {
      const base = `/v2/customers/${encodeURIComponent(customer.id)}`;
      holdings.push({
        customer,
        payments: await collect(this.#list<MolliePayment>(`${base}/payments`, PaymentPage, 'payments')),
        mandates: await collect(this.#list<MollieMandate>(`${base}/mandates`, MandatePage, 'mandates')),
      });
    }
    return holdings;
  }

  /** A HAL list to its end: Mollie's `_links.next` is the next page's full URL, null after the last. */
  #list<T>(
    path: string,
    schema: z.ZodType<{ _embedded: Record<string, unknown[]>; _links: { next?: { href: string } | null } }>,
    name: string,
  ): AsyncIterable<T> {
    const system = this.#ctx.system;
    const first: HttpRequest = { method: 'GET', path, query: { limit: this.#pageSize } };
    return this.#ctx.http.paginate<unknown, T>(
      first,
      (body) => parseAnswer(system, schema, body, `GET ${path}`)._embedded[name] as T[],
      (body) => {
        const next = parseAnswer(system, schema, body, `GET ${path}`)._links.next;
        return next ? { method: 'GET', path: next.href } : undefined;
      },
    );
  }

  #findings(collection: string, records: FoundRecord[]): CollectionFindings {
    return { system: this.#ctx.system, collection, records };
  }

  #record(collection: string, key: string, data: FoundRecord['data'], categories: Record<string, string>): FoundRecord {
    const present = Object.fromEntries(Object.entries(categories).filter(([field]) => data[field] != null));
    return { system: this.#ctx.system, collection, key, data, categories: present };
  }

  #customerRecord(c: MollieCustomer): FoundRecord {
    const data = values({
      id: c.id,
      name: c.name ?? null,
      email: c.email ?? null,
      locale: c.locale,
      createdAt: c.createdAt,
    });
    return this.#record('customers', c.id, data, CUSTOMER_CATEGORIES);
  }

  #paymentRecord(p: MolliePayment): FoundRecord {
    const data = values({
      id: p.id,
      createdAt: p.createdAt,
      amount: `${p.amount.value} ${p.amount.currency}`,
      description: p.description,
      method: p.method,
      status: p.status,
      paidAt: p.paidAt,
      sequenceType: p.sequenceType,
      ...consumer(p.details),
    });
    return this.#record('payments', p.id, data, PAYMENT_CATEGORIES);
  }

  #mandateRecord(m: MollieMandate): FoundRecord {
    const data = values({
      id: m.id,
      createdAt: m.createdAt,
      method: m.method,
      status: m.status,
      mandateReference: m.mandateReference,
      signatureDate: m.signatureDate,
      ...consumer(m.details),
    });
    return this.#record('mandates', m.id, data, MANDATE_CATEGORIES);
  }

  #erasure(
    collection: string,
    part: Partial<CollectionErasure> & { found: number; keptFields: string[] },
  ): CollectionErasure {
    return { system: this.#ctx.system, collection, deleted: 0, anonymised: 0, sealed: 0, ...part };
  }
}

function consumer(details: MolliePayment['details']) {
  return {
    consumerName: details?.consumerName ?? undefined,
    consumerAccount: details?.consumerAccount ?? undefined,
    consumerBic: details?.consumerBic ?? undefined,
    cardHolder: details?.cardHolder ?? undefined,
    cardNumber: details?.cardNumber ?? undefined,
  };
}

/**
 * Mollie keeps one `name`; a correction of only the first or only the last name cannot be merged
 * into it without guessing where one ends, so that part goes to a person.
 */
function customerPatch(corrections: Corrections): {
  body: Record<string, string>;
  manual?: { nl: string; en: string };
} {
  const body: Record<string, string> = {};
  if (corrections.category && corrections.category !== 'contact') return { body };
  const v = corrections.values;
  const full = v.full_name ?? (v.first_name && v.last_name ? `${v.first_name} ${v.last_name}` : undefined);
  if (full) body.name = full;
  if (v.email) body.email = v.email.trim();
  const partial = !full && (v.first_name || v.last_name);
  const manual = partial
    ? {
        nl: 'Pas in het Mollie-dashboard de naam van de klant aan (Mollie kent één naamveld; alleen de voor- of achternaam is gecorrigeerd).',
        en: "Correct the customer's name in the Mollie dashboard (Mollie keeps one name field; only the first or last name was corrected).",
      }
    : undefined;
  return { body, manual };
}

/** The implementation mollie.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new MollieApi(ctx);
