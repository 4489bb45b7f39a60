import type { ServerResponse } from 'node:http';
import { type FakeProcessor, type FakeRequest, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * WebwinkelKeur's dashboard API 1.0, as far as the connector uses it: `GET /api/1.0/invitations.json`,
 * `ratings.json` (paged with `limit` ≤ 100 and `offset`, with `total`; no filter by e-mail) and
 * `webshop.json`, authenticated by the `id` and `code` query parameters. Like the real API it answers
 * its errors with HTTP 200 and `{"status":"error","message":"…"}`; only the infrastructure in front
 * of it answers 5xx (as HTML).
 */

export const WEBWINKELKEUR_FAKE = { shopId: '1203456', apiKey: 'fake-wwk-code-9f8e7d6c5b4a' } as const;
export const WEBWINKELKEUR_FAKE_PERSON = 'sanne.deboer@example.nl';

export interface FakeInvitation {
  id: number;
  email: string;
  order: string;
  delay: number;
  datetimes: { created: string; scheduled: string; sent: string | null };
}

export interface FakeRating {
  id: number;
  name: string;
  email: string;
  rating: number;
  ratings: { shippingtime: number; customerservice: number; pricequality: number; aftersale: number };
  comment: string;
  date: string;
  read: boolean;
  quarantine: boolean;
}

export interface WebwinkelKeurFakeOptions {
  /** Invitations in the shop's account, the people's included; default 340. */
  invitations?: number;
  /** Ratings, the people's included; default 215. */
  ratings?: number;
  /** Address → how many invitations and ratings are theirs (one of each is the very last item). */
  people?: Record<string, { invitations: number; ratings: number }>;
}

export interface WebwinkelKeurFake extends FakeProcessor {
  invitations: FakeInvitation[];
  ratings: FakeRating[];
  /** The next `times` API calls answer HTTP 200 with `{"status":"error","message":message}`. */
  errorNext(message: string, times: number): void;
}

const MAX_LIMIT = 100;

export async function startWebwinkelKeurFake(options: WebwinkelKeurFakeOptions = {}): Promise<WebwinkelKeurFake> {
  const people = options.people ?? { [WEBWINKELKEUR_FAKE_PERSON]: { invitations: 3, ratings: 2 } };
  const invitations = spread(options.invitations ?? 340, people, 'invitations').map(invitation);
  const ratings = spread(options.ratings ?? 215, people, 'ratings').map(rating);
  let erroring: { message: string; times: number } | undefined;

  const handler = (req: FakeRequest, res: ServerResponse) => {
    const route = /^\/api\/1\.0\/(invitations|ratings|webshop)\.json$/.exec(req.path);
    if (!route || req.method !== 'GET') return error(res, 'Unknown API call');
    if (req.query.get('id') !== WEBWINKELKEUR_FAKE.shopId || req.query.get('code') !== WEBWINKELKEUR_FAKE.apiKey)
      return error(res, 'Authentication failed: invalid id or code');
    if (erroring && erroring.times > 0) {
      erroring.times--;
      return error(res, erroring.message);
    }
    if (route[1] === 'webshop')
      return sendJson(res, 200, {
        status: 'success',
        data: { id: Number(WEBWINKELKEUR_FAKE.shopId), name: 'Balkonzon', url: 'https://balkonzon.nl' },
      });
    const limit = Number(req.query.get('limit') ?? 20);
    const offset = Number(req.query.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return error(res, 'Invalid limit');
    if (!Number.isInteger(offset) || offset < 0) return error(res, 'Invalid offset');
    const list = route[1] === 'invitations' ? invitations : ratings;
    sendJson(res, 200, { status: 'success', total: list.length, [route[1]!]: list.slice(offset, offset + limit) });
  };

  const fake = await startFakeServer(handler, {
    env: (url) => ({
      WEBWINKELKEUR_SHOP_ID: WEBWINKELKEUR_FAKE.shopId,
      WEBWINKELKEUR_API_KEY: WEBWINKELKEUR_FAKE.apiKey,
      WEBWINKELKEUR_API_URL: url,
    }),
    // In front of the API: a load balancer's HTML page, with Retry-After when it sheds load.
    failure: (res, status, retryAfter) => {
      res.writeHead(status, {
        'content-type': 'text/html',
        ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
      });
      res.end(`<html><body><h1>${status}</h1></body></html>`);
    },
  });
  return {
    ...fake,
    invitations,
    ratings,
    errorNext: (message, times) => {
      erroring = { message, times };
    },
  };
}

function error(res: ServerResponse, message: string) {
  sendJson(res, 200, { status: 'error', message });
}

/** `total` owners, newest first: each person's items spread over the list, one of them the very last. */
function spread(
  total: number,
  people: Record<string, { invitations: number; ratings: number }>,
  kind: 'invitations' | 'ratings',
): Array<{ i: number; email: string }> {
  const wanted = Object.entries(people).flatMap(([email, n]) => Array.from({ length: n[kind] }, () => email));
  const owner = new Map(wanted.map((email, k) => [total - 1 - Math.floor((k * total) / wanted.length), email]));
  return Array.from({ length: total }, (_, i) => ({
    i,
    email: owner.get(i) ?? `koper${String(i).padStart(4, '0')}@example.com`,
  }));
}

const at = (i: number, hours = 0) => new Date(Date.parse('2026-10-31T10:00:00Z') - i * 86_400_000 + hours * 3_600_000);
const sql = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

function invitation({ i, email }: { i: number; email: string }): FakeInvitation {
  return {
    id: 900_000 - i,
    email,
    order: `BZ${20_000 - i}`,
    delay: 7,
    datetimes: { created: sql(at(i)), scheduled: sql(at(i - 7)), sent: i < 7 ? null : sql(at(i - 7, 1)) },
  };
}

function rating({ i, email }: { i: number; email: string }): FakeRating {
  const stars = 6 + (i % 5);
  const name = email
    .split('@')[0]!
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  return {
    id: 500_000 - i,
    name,
    email,
    rating: stars,
    ratings: { shippingtime: stars, customerservice: stars, pricequality: stars - 1, aftersale: stars },
    comment: i % 3 ? 'Snel geleverd, panelen werken prima.' : 'Goede service.',
    date: sql(at(i)),
    read: true,
    quarantine: false,
  };
}
