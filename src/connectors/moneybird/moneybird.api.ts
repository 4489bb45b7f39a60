import type { ProcessorApi, ProcessorApiContext } from '../api/processor-api.ts';
import {
  type CollectionErasure,
  type CollectionFindings,
  type Corrections,
  type EraseOptions,
  type FoundRecord,
  normalizeEmail,
  type SubjectIdentity,
} from '../connector.ts';
import { type HttpRequest, type HttpResponse, ProcessorError } from '../http/http-client.ts';
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
import { Options } from './moneybird.factory.ts';
import {
  AdministrationList,
  ContactList,
  type MoneybirdContact,
  type MoneybirdSalesInvoice,
  SalesInvoiceList,
} from './moneybird.schema.ts';

/**
 * MoneyBird (invoicing), API v2, one administration. Contacts are found with `query` and matched on
 * their addresses; their sales invoices by a `contact_id` filter. Invoices must be kept (fiscal
 * hold), so a contact with invoices is archived, with its phone and bank details cleared, instead of
 * deleted; a contact without invoices is deleted. A contact is the person's only when its own
 * `email` is the address: another contact (a company) that merely sends its invoices or estimates
 * to the person keeps everything but that address. MoneyBird allows 150 requests per 5 minutes.
 */

const PER_PAGE = 100;

/** Fields cleared on a contact that is archived rather than deleted: not needed to account for its invoices. */
const CLEARED_ON_ARCHIVE = {
  phone: '',
  send_estimates_to_email: '',
  sepa_active: false,
  sepa_iban: '',
  sepa_iban_account_name: '',
  sepa_bic: '',
  sepa_mandate_id: '',
  bank_account: '',
};

const CONTACT_CATEGORIES: Record<string, string> = {
  company_name: 'contact',
  firstname: 'contact',
  lastname: 'contact',
  address1: 'contact',
  address2: 'contact',
  zipcode: 'contact',
  city: 'contact',
  country: 'contact',
  phone: 'contact',
  email: 'contact',
  send_invoices_to_email: 'contact',
  send_estimates_to_email: 'contact',
  customer_id: 'invoice',
  sepa_iban: 'payment',
  sepa_iban_account_name: 'payment',
  sepa_bic: 'payment',
  bank_account: 'payment',
};
const INVOICE_CATEGORIES: Record<string, string> = {
  invoice_id: 'invoice',
  invoice_date: 'invoice',
  due_date: 'invoice',
  total_price_incl_tax: 'invoice',
  currency: 'invoice',
  state: 'payment',
  reference: 'order',
};

/** Where a contact's invoices and estimates go, when not to its own `email`. */
const SEND_TO = ['send_invoices_to_email', 'send_estimates_to_email'] as const;
type SendTo = (typeof SEND_TO)[number];

interface MoneybirdHolding {
  contact: MoneybirdContact;
  invoices: MoneybirdSalesInvoice[];
}

/** Someone else's contact (a company's) that sends its invoices or estimates to the person: only these fields are theirs. */
interface AddressedContact {
  contact: MoneybirdContact;
  fields: SendTo[];
}

interface MoneybirdContacts {
  /** Contacts whose own `email` is the person's address. */
  own: MoneybirdContact[];
  addressed: AddressedContact[];
}

export class MoneybirdApi implements ProcessorApi {
  // What this code does; registry.test.ts holds it to the description in moneybird.factory.ts.
  readonly capabilities = { access: true, erase: true, rectify: true, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #admin: string;

  constructor(ctx: ProcessorApiContext) {
    this.#ctx = ctx;
    this.#admin = `/v2/${Options.parse(ctx.options).administrationId}`;
  }

  async find(subject: SubjectIdentity): Promise<CollectionFindings[]> {
    const { holdings, addressed } = await this.#holdings(subject);
    const findings = [
      this.#findings('contacts', [
        ...holdings.map((h) => this.#contactRecord(h.contact)),
        ...addressed.map((a) => this.#addressedRecord(a)),
      ]),
      this.#findings(
        'sales_invoices',
        holdings.flatMap((h) => h.invoices.map((i) => this.#invoiceRecord(i))),
      ),
    ];
    return findings.filter((f) => f.records.length > 0);
  }

  async erase(subject: SubjectIdentity, options: EraseOptions) {
    const { holdings, addressed } = await this.#holdings(subject);
    if (holdings.length + addressed.length === 0)
      return { answer: 'MoneyBird holds no contact with this address.', collections: [] };
    const archived = holdings.filter((h) => h.invoices.length > 0);
    const deletable = holdings.filter((h) => h.invoices.length === 0);
    if (!options.dryRun) await this.#eraseContacts(deletable, archived, addressed);
    const invoices = archived.flatMap((h) => h.invoices);
    const done = options.dryRun ? 0 : 1;
    const reasons = [
      archived.length > 0 &&
        'archived, not deleted: its sales invoices are kept under the fiscal hold; phone and bank details cleared',
      addressed.length > 0 &&
        "another's contact that sent invoices or estimates to this address: only that address cleared",
    ].filter((r): r is string => typeof r === 'string');
    const collections: CollectionErasure[] = [
      this.#erasure('contacts', {
        found: holdings.length + addressed.length,
        deleted: deletable.length * done,
        anonymised: addressed.length * done,
        ...(archived.length > 0 && {
          retained: archived.length,
          keptFields: Object.keys(CONTACT_CATEGORIES).filter((f) => !(f in CLEARED_ON_ARCHIVE)),
        }),
        ...(reasons.length > 0 && { reason: reasons.join('; ') }),
      }),
    ];
    if (invoices.length > 0)
      collections.push(
        this.#erasure('sales_invoices', {
          found: invoices.length,
          retained: invoices.length,
          keptFields: Object.keys(INVOICE_CATEGORIES),
          retainedUntil: fiscalRetainedUntil(invoices.map((i) => i.invoice_date)),
          reason: FISCAL_REASON,
        }),
      );
    const parts: string[] = [];
    if (deletable.length > 0)
      parts.push(`${options.dryRun ? 'would delete' : 'deleted'} ${deletable.length} contact(s) without invoices`);
    if (archived.length > 0)
      parts.push(
        `${options.dryRun ? 'would archive' : 'archived'} ${archived.length} contact(s) with ${invoices.length} sales invoice(s), kept under the fiscal hold`,
      );
    if (addressed.length > 0)
      parts.push(
        `${options.dryRun ? 'would clear' : 'cleared'} the address as recipient of invoices or estimates on ${addressed.length} other contact(s)`,
      );
    const answer = `MoneyBird: ${parts.join('; ')}.`;
    return { answer, collections };
  }

  /**
   * Deletes, archives or clears each contact. A failure part-way says how many were done (404 on a
   * delete: gone already, an earlier attempt that did not hear back).
   */
  async #eraseContacts(deletable: MoneybirdHolding[], archived: MoneybirdHolding[], addressed: AddressedContact[]) {
    const total = deletable.length + archived.length + addressed.length;
    let done = 0;
    try {
      for (const { contact } of deletable) {
        await this.#ctx.http.request({ method: 'DELETE', path: this.#contactPath(contact.id), okStatuses: [404] });
        done++;
      }
      for (const { contact } of archived) {
        await this.#patchContact(contact, CLEARED_ON_ARCHIVE);
        if (!contact.archived)
          await this.#ctx.http.request({
            method: 'PATCH',
            path: `${this.#admin}/contacts/${encodeURIComponent(contact.id)}/archive.json`,
          });
        done++;
      }
      for (const { contact, fields } of addressed) {
        await this.#patchContact(contact, Object.fromEntries(fields.map((f) => [f, ''])));
        done++;
      }
    } catch (err) {
      throw withProgress(err, `after ${done} of ${total} contacts were deleted, archived or cleared`);
    }
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections) {
    const { own, addressed } = await this.#contacts(subject);
    if (own.length + addressed.length === 0)
      return { answer: 'MoneyBird holds no contact with this address.', collections: [] };
    const wanted = corrections.category && corrections.category !== 'contact' ? {} : corrections.values;
    const newEmail = wanted.email?.trim();
    // Another's contact holds only the address its documents go to: that, and nothing else, is corrected.
    const patches = [
      ...own.map((contact) => ({ contact, patch: contactPatch(wanted, contact) })),
      ...addressed.map(({ contact, fields }) => ({
        contact,
        patch: newEmail ? Object.fromEntries(fields.map((f) => [f, newEmail])) : {},
      })),
    ].filter(({ patch }) => Object.keys(patch).length > 0);
    const fields = [...new Set(patches.flatMap(({ patch }) => Object.keys(patch)))];
    if (fields.length === 0) return { answer: 'None of the corrected fields is held in MoneyBird.', collections: [] };
    let done = 0;
    try {
      for (const { contact, patch } of patches) {
        await this.#patchContact(contact, patch);
        done++;
      }
    } catch (err) {
      throw withProgress(err, `after ${done} of ${patches.length} contacts were corrected`);
    }
    const others = patches.filter(({ contact }) => !own.includes(contact)).length;
    const answer = `Corrected ${fields.join(', ')} of ${patches.length} MoneyBird contact(s)${others ? ` (on ${others} other contact(s) only the address invoices or estimates go to)` : ''}.`;
    return {
      answer,
      collections: [{ system: this.#ctx.system, collection: 'contacts', records: patches.length, fields }],
    };
  }

  #patchContact(contact: MoneybirdContact, patch: Record<string, unknown>) {
    return this.#ctx.http.request({ method: 'PATCH', path: this.#contactPath(contact.id), json: { contact: patch } });
  }

  async test() {
    const administration = this.#admin.slice('/v2/'.length);
    const checks = [
      await check('administration', async () => {
        const res = await this.#ctx.http.request({ method: 'GET', path: '/v2/administrations.json' });
        const list = parseAnswer(this.#ctx.system, AdministrationList, res.body, 'GET /v2/administrations.json');
        if (!list.some((a) => a.id === administration))
          throw new ProcessorError(
            this.#ctx.system,
            'rejected',
            `the token has no access to administration ${administration}`,
          );
        return `the token reaches administration ${administration}`;
      }),
      await check('contacts', async () => {
        await this.#ctx.http.request({ method: 'GET', path: `${this.#admin}/contacts.json`, query: { per_page: 1 } });
        return 'the token may read contacts';
      }),
      await check('sales invoices', async () => {
        await this.#ctx.http.request({
          method: 'GET',
          path: `${this.#admin}/sales_invoices.json`,
          query: { per_page: 1 },
        });
        return 'the token may read sales invoices';
      }),
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** The person's own contacts with their invoices; the invoices of another's contact are not the person's. */
  async #holdings(subject: SubjectIdentity): Promise<{ holdings: MoneybirdHolding[]; addressed: AddressedContact[] }> {
    const { own, addressed } = await this.#contacts(subject);
    const holdings: MoneybirdHolding[] = [];
    for (const contact of own) holdings.push({ contact, invoices: await collect(this.#invoices(contact)) });
    return { holdings, addressed };
  }

  /**
   * `query` searches names, addresses and more; a contact is the person's when its own `email` is
   * the address, and holds only the person's address when one of its send-to fields is. Archived
   * contacts still hold data, so they are searched too.
   */
  async #contacts(subject: SubjectIdentity): Promise<MoneybirdContacts> {
    const path = `${this.#admin}/contacts.json`;
    const pages = this.#pages(
      {
        method: 'GET',
        path,
        query: { query: normalizeEmail(subject.email), include_archived: true, per_page: PER_PAGE, page: 1 },
      },
      (body) => parseAnswer(this.#ctx.system, ContactList, body, `GET ${path}`),
    );
    const own: MoneybirdContact[] = [];
    const addressed: AddressedContact[] = [];
    for (const contact of await collect(pages)) {
      if (sameEmail(contact.email, subject.email)) own.push(contact);
      else {
        const fields = SEND_TO.filter((f) => sameEmail(contact[f], subject.email));
        if (fields.length > 0) addressed.push({ contact, fields });
      }
    }
    return { own, addressed };
  }

  #invoices(contact: MoneybirdContact): AsyncIterable<MoneybirdSalesInvoice> {
    const path = `${this.#admin}/sales_invoices.json`;
    // Every state and a period wide enough for any invoice still under a hold (the default is narrower).
    const until = this.#ctx.clock.now().getUTCFullYear() + 1;
    const filter = `contact_id:${contact.id},state:all,period:20000101..${until}1231`;
    return this.#pages({ method: 'GET', path, query: { filter, per_page: PER_PAGE, page: 1 } }, (body) =>
      parseAnswer(this.#ctx.system, SalesInvoiceList, body, `GET ${path}`),
    );
  }

  /** MoneyBird pages with `page`/`per_page` and a `Link: <…>; rel="next"` header while there is more. */
  #pages<T>(first: HttpRequest, items: (body: unknown) => T[]): AsyncIterable<T> {
    return this.#ctx.http.paginate<unknown, T>(first, items, (_body, res) => {
      const next = nextLink(res);
      return next ? { method: 'GET', path: next } : undefined;
    });
  }

  #contactPath(id: string): string {
    return `${this.#admin}/contacts/${encodeURIComponent(id)}.json`;
  }

  #findings(collection: string, records: FoundRecord[]): CollectionFindings {
    return { system: this.#ctx.system, collection, records };
  }

  #record(collection: string, key: string, data: FoundRecord['data'], categories: Record<string, string>): FoundRecord {
    const present = Object.fromEntries(
      Object.entries(categories).filter(([field]) => data[field] != null && data[field] !== ''),
    );
    return { system: this.#ctx.system, collection, key, data, categories: present };
  }

  #contactRecord(c: MoneybirdContact): FoundRecord {
    const data = values(
      Object.fromEntries(
        ['id', 'archived', ...Object.keys(CONTACT_CATEGORIES)].map((f) => [
          f,
          (c as Record<string, unknown>)[f] as never,
        ]),
      ),
    );
    return this.#record('contacts', c.id, data, CONTACT_CATEGORIES);
  }

  /** Of another's contact, only the fields with the person's address. */
  #addressedRecord({ contact, fields }: AddressedContact): FoundRecord {
    const data = values({ id: contact.id, ...Object.fromEntries(fields.map((f) => [f, contact[f] ?? null])) });
    return this.#record('contacts', contact.id, data, Object.fromEntries(fields.map((f) => [f, 'contact'])));
  }

  #invoiceRecord(i: MoneybirdSalesInvoice): FoundRecord {
    const data = values({
      id: i.id,
      invoice_id: i.invoice_id ?? null,
      invoice_date: i.invoice_date ?? null,
      due_date: i.due_date ?? null,
      state: i.state,
      reference: i.reference ?? null,
      currency: i.currency ?? null,
      total_price_incl_tax: i.total_price_incl_tax == null ? null : String(i.total_price_incl_tax),
    });
    return this.#record('sales_invoices', i.id, data, INVOICE_CATEGORIES);
  }

  #erasure(collection: string, part: Partial<CollectionErasure> & { found: number }): CollectionErasure {
    return { system: this.#ctx.system, collection, deleted: 0, anonymised: 0, sealed: 0, keptFields: [], ...part };
  }
}

/** The `rel="next"` target of a Link header, if any. */
function nextLink(res: HttpResponse<unknown>): string | undefined {
  const link = res.headers.get('link');
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * A contact keeps its street and number in one `address1` ("Hoofdstraat 12"); a correction of only
 * one of the two keeps the other part as it stands.
 */
function contactPatch(v: Corrections['values'], contact: MoneybirdContact): Record<string, string> {
  const patch: Record<string, string> = {};
  const set = (field: string, value: string | null | undefined) => {
    if (value !== undefined) patch[field] = value ?? '';
  };
  const split = v.full_name ? /^(\S+)\s*(.*)$/.exec(v.full_name.trim()) : null;
  set('firstname', v.first_name !== undefined ? v.first_name : split?.[1]);
  set('lastname', v.last_name !== undefined ? v.last_name : split?.[2]);
  if (v.address !== undefined) set('address1', v.address);
  else if (v.street !== undefined || v.house_number !== undefined) {
    const current = /^(.*?)\s+(\d\S*(?:\s.*)?)$/.exec(contact.address1 ?? '');
    const street = v.street ?? current?.[1] ?? '';
    const number = v.house_number ?? current?.[2] ?? '';
    set('address1', `${street} ${number}`.trim());
  }
  set('zipcode', v.postal_code);
  set('city', v.city);
  if (v.country && /^[A-Za-z]{2}$/.test(v.country)) set('country', v.country.toUpperCase());
  set('phone', v.phone);
  if (v.email) {
    set('email', v.email.trim());
    // Invoices and estimates go to the new address too, when they went to the old one (an empty
    // invoice address follows the contact's own, as it did before).
    for (const field of SEND_TO)
      if ((field === 'send_invoices_to_email' && !contact[field]) || sameEmail(contact[field], contact.email ?? ''))
        set(field, v.email.trim());
  }
  return patch;
}

/** The implementation moneybird.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new MoneybirdApi(ctx);
