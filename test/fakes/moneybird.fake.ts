import type { ServerResponse } from 'node:http';
import { type FakeProcessor, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * A local MoneyBird (API v2) for tests: a bearer token, one administration, contacts searched with
 * `query` (names, addresses, e-mail addresses, also where invoices and estimates go; archived ones only
 * with `include_archived`), `page`/`per_page`
 * paging (at most 100) with a `Link: rel="next"` header, sales invoices filtered by
 * `contact_id:…,state:all`, PATCH `{contact: {…}}`, the archive endpoint, DELETE refused (422) for a
 * contact with invoices, errors as `{error, symbolic}`, and the rate limit: 150 requests per 5 minutes,
 * every answer with RateLimit-Limit/-Remaining/-Reset, a 429 with Retry-After beyond it.
 */

export interface MoneybirdPersonSeed {
  firstname: string;
  lastname: string;
  email: string;
  address1?: string;
  /** A company's contact; default none. */
  companyName?: string;
  /** Where invoices and estimates go; default the contact's own `email`. */
  sendInvoicesTo?: string;
  sendEstimatesTo?: string;
  /** Dates of the contact's sales invoices. */
  invoices?: string[];
}

export interface MoneybirdFakeOptions {
  people?: MoneybirdPersonSeed[];
  /** Time for the rate limit; tests pass their fake clock. */
  now?: () => number;
}

type Contact = Record<string, unknown> & { id: string; email: string; archived: boolean; deleted: boolean };
type Invoice = Record<string, unknown> & { id: string; contact_id: string; invoice_date: string };

export interface MoneybirdFake extends FakeProcessor {
  token: string;
  administrationId: string;
  contacts: Contact[];
  invoices: Invoice[];
  /** Every request with the fake's own time (its `now`), and whether the rate limit refused it. */
  log: Array<{ method: string; path: string; at: number; throttled: boolean }>;
}

export const MONEYBIRD_FAKE_TOKEN = 'mb_fake_0f9e8d7c6b5a49382716aabbccddeeff';
/** The administration of the example data map. */
export const MONEYBIRD_ADMINISTRATION = '367580436189889713';
export const MONEYBIRD_LIMIT = 150;
export const MONEYBIRD_WINDOW_MS = 300_000;

/** Sanne (three invoices over three years), Jan (a contact without invoices). */
export const MONEYBIRD_PEOPLE: MoneybirdPersonSeed[] = [
  {
    firstname: 'Sanne',
    lastname: 'de Boer',
    email: 'sanne.deboer@example.nl',
    address1: 'Dorpsstraat 12',
    invoices: ['2024-05-02', '2025-03-14', '2026-02-01'],
  },
  { firstname: 'Jan', lastname: 'Jansen', email: 'jan.jansen@example.nl', address1: 'Kerkweg 3' },
];

function sendError(res: ServerResponse, status: number, error: string, symbolic: Record<string, string>, headers = {}) {
  sendJson(res, status, { error, symbolic }, headers);
}

export async function startMoneybirdFake(options: MoneybirdFakeOptions = {}): Promise<MoneybirdFake> {
  const now = options.now ?? Date.now;
  const contacts: Contact[] = [];
  const invoices: Invoice[] = [];
  const log: MoneybirdFake['log'] = [];
  let serial = 1;
  const nextId = () => String(367580436189889713n + BigInt(serial++ * 1000));
  for (const person of options.people ?? MONEYBIRD_PEOPLE) {
    const contact: Contact = {
      id: nextId(),
      administration_id: MONEYBIRD_ADMINISTRATION,
      company_name: person.companyName ?? '',
      firstname: person.firstname,
      lastname: person.lastname,
      address1: person.address1 ?? 'Stationsweg 1',
      address2: '',
      zipcode: '8401AA',
      city: 'Gorredijk',
      country: 'NL',
      phone: '0612345678',
      customer_id: String(serial),
      email: person.email,
      send_invoices_to_email: person.sendInvoicesTo ?? person.email,
      send_estimates_to_email: person.sendEstimatesTo ?? person.email,
      sepa_active: true,
      sepa_iban: 'NL91ABNA0417164300',
      sepa_iban_account_name: `${person.firstname} ${person.lastname}`,
      sepa_bic: 'ABNANL2A',
      sepa_mandate_id: `MB-${serial}`,
      bank_account: '',
      archived: false,
      deleted: false,
    };
    contacts.push(contact);
    for (const [i, date] of (person.invoices ?? []).entries())
      invoices.push({
        id: nextId(),
        contact_id: contact.id,
        invoice_id: `${date.slice(0, 4)}-${String(serial + i).padStart(4, '0')}`,
        invoice_date: date,
        due_date: date,
        state: 'paid',
        reference: `Bestelling ${1000 + serial}`,
        currency: 'EUR',
        total_price_incl_tax: '849.0',
      });
  }

  // The limit as a window that opens with the first request after the previous one closed.
  let windowStart = -Infinity;
  let used = 0;
  let baseUrl = '';

  const contactJson = (c: Contact) => {
    const { deleted: _deleted, ...rest } = c;
    return { ...rest, sales_invoices_url: `${baseUrl}/v2/${MONEYBIRD_ADMINISTRATION}/sales_invoices/all` };
  };

  /** page/per_page, with a Link header to the next page while there is one. */
  function sendPage(res: ServerResponse, url: URL, items: unknown[], headers: Record<string, string>) {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 50), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      link.link = `<${next.toString()}>; rel="next"`;
    }
    sendJson(res, 200, slice, { ...headers, ...link });
  }

  const fake = await startFakeServer(
    async (req, res) => {
      const at = now();
      if (at >= windowStart + MONEYBIRD_WINDOW_MS) {
        windowStart = at;
        used = 0;
      }
      const reset = String(Math.ceil((windowStart + MONEYBIRD_WINDOW_MS) / 1000));
      const throttled = used >= MONEYBIRD_LIMIT;
      log.push({ method: req.method, path: req.path, at, throttled });
      if (throttled) {
        const retryAfter = String(Math.ceil((windowStart + MONEYBIRD_WINDOW_MS - at) / 1000));
        return sendError(
          res,
          429,
          'Too many requests',
          { request: 'throttled' },
          {
            'retry-after': retryAfter,
            'ratelimit-limit': String(MONEYBIRD_LIMIT),
            'ratelimit-remaining': '0',
            'ratelimit-reset': reset,
          },
        );
      }
      used++;
      const headers = {
        'ratelimit-limit': String(MONEYBIRD_LIMIT),
        'ratelimit-remaining': String(MONEYBIRD_LIMIT - used),
        'ratelimit-reset': reset,
      };
      if (req.headers.authorization !== `Bearer ${MONEYBIRD_FAKE_TOKEN}`)
        return sendError(res, 401, 'Token is invalid or expired', { token: 'invalid' }, headers);
      const url = new URL(`${baseUrl}${req.path}?${req.query.toString()}`);
      if (req.method === 'GET' && req.path === '/v2/administrations.json')
        return sendJson(res, 200, [{ id: MONEYBIRD_ADMINISTRATION, name: 'Balkonzon b.v.', currency: 'EUR' }], headers);
      const prefix = `/v2/${MONEYBIRD_ADMINISTRATION}/`;
      if (!req.path.startsWith(prefix))
        return sendError(res, 404, 'Administration not found', { administration_id: 'not_found' }, headers);
      const rest = req.path.slice(prefix.length);
      const live = contacts.filter((c) => !c.deleted);

      if (req.method === 'GET' && rest === 'contacts.json') {
        const q = (req.query.get('query') ?? '').toLowerCase();
        const archivedToo = req.query.get('include_archived') === 'true';
        const found = live.filter(
          (c) =>
            (archivedToo || !c.archived) &&
            [
              'company_name',
              'firstname',
              'lastname',
              'email',
              'send_invoices_to_email',
              'send_estimates_to_email',
              'address1',
              'city',
            ].some((f) =>
              String(c[f] ?? '')
                .toLowerCase()
                .includes(q),
            ),
        );
        return sendPage(res, url, found.map(contactJson), headers);
      }
      if (req.method === 'GET' && rest === 'sales_invoices.json') {
        const filter = Object.fromEntries(
          (req.query.get('filter') ?? '')
            .split(',')
            .filter(Boolean)
            .map((f) => f.split(':') as [string, string]),
        );
        if (filter.period && !/^\d{8}\.\.\d{8}$|^[a-z_]+$/.test(filter.period))
          return sendError(res, 400, 'Invalid filter', { period: 'invalid' }, headers);
        const found = invoices.filter((i) => !filter.contact_id || i.contact_id === filter.contact_id);
        return sendPage(res, url, found, headers);
      }
      const m = /^contacts\/(\d+)(\/archive)?\.json$/.exec(rest);
      const contact = m ? live.find((c) => c.id === m[1]) : undefined;
      if (!m || !contact) return sendError(res, 404, 'Record not found', { id: 'not_found' }, headers);
      if (m[2] && req.method === 'PATCH') {
        contact.archived = true;
        return sendJson(res, 200, contactJson(contact), headers);
      }
      if (req.method === 'GET') return sendJson(res, 200, contactJson(contact), headers);
      if (req.method === 'PATCH') {
        const body = req.json<{ contact?: Record<string, unknown> }>();
        if (!body?.contact)
          return sendError(res, 400, 'Parameter contact is required', { contact: 'required' }, headers);
        for (const [key, value] of Object.entries(body.contact))
          if (key in contact && key !== 'id') contact[key] = value;
        return sendJson(res, 200, contactJson(contact), headers);
      }
      if (req.method === 'DELETE') {
        if (invoices.some((i) => i.contact_id === contact.id))
          return sendError(res, 422, 'Contact has documents and cannot be deleted', { contact: 'in_use' }, headers);
        contact.deleted = true;
        res.writeHead(204, headers);
        return res.end();
      }
      return sendError(res, 405, 'Method not allowed', {}, headers);
    },
    {
      env: (url) => ({ MONEYBIRD_TOKEN: MONEYBIRD_FAKE_TOKEN, MONEYBIRD_API_URL: url }),
      failure: (res, status, retryAfter) =>
        sendError(
          res,
          status,
          'Injected failure',
          {},
          retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
        ),
    },
  );
  baseUrl = fake.url;
  return Object.assign(fake, {
    token: MONEYBIRD_FAKE_TOKEN,
    administrationId: MONEYBIRD_ADMINISTRATION,
    contacts,
    invoices,
    log,
  });
}
