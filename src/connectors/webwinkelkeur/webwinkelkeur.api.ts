import { z } from 'zod';
import { scrubMessage } from '../../lib/logger.ts';
import type { ProcessorApi, ProcessorApiCheck, ProcessorApiContext } from '../api/processor-api.ts';
import type { CollectionFindings, FoundRecord, SubjectIdentity } from '../connector.ts';
import { ProcessorError } from '../http/http-client.ts';
import { explainFailure, parseAnswer, sameEmail, values } from '../processor-helpers.ts';
import { Options } from './webwinkelkeur.factory.ts';

/**
 * WebwinkelKeur (reviews), dashboard API 1.0: `GET /api/1.0/{invitations,ratings,webshop}.json`
 * with the shop id and API key as the `id` and `code` query parameters. Lists page with `limit` and
 * `offset` up to `total`; there is no e-mail filter, so every page is read and matched here.
 * Its errors arrive with HTTP 200 and `{"status":"error","message":"…"}`. The API cannot delete
 * invitations or ratings: erasure becomes a request to their support, with what was found.
 */

const id = z.union([z.string(), z.number()]).nullish();
const text = z.string().nullish();
const score = z.number().nullish();

const Invitation = z.looseObject({
  id,
  email: text,
  order: id,
  delay: z.number().nullish(),
  datetimes: z.looseObject({ created: text, scheduled: text, sent: text }).nullish(),
});
type Invitation = z.output<typeof Invitation>;

const Rating = z.looseObject({
  id,
  name: text,
  email: text,
  rating: score,
  ratings: z
    .looseObject({ shippingtime: score, customerservice: score, pricequality: score, aftersale: score })
    .nullish(),
  comment: text,
  date: text,
  quarantine: z.union([z.boolean(), z.number()]).nullish(),
});
type Rating = z.output<typeof Rating>;

const pageOf = { status: z.literal('success'), total: z.coerce.number().int().min(0) };
const InvitationPage = z.looseObject({ ...pageOf, invitations: z.array(Invitation) });
const RatingPage = z.looseObject({ ...pageOf, ratings: z.array(Rating) });
const Webshop = z.looseObject({ status: z.literal('success'), data: z.looseObject({ name: text }).nullish() });

const INVITATION_CATEGORIES = {
  email: 'contact',
  order_number: 'order',
  created_at: 'review',
  scheduled_at: 'review',
  sent_at: 'review',
} as const;
const RATING_CATEGORIES = {
  name: 'review',
  email: 'review',
  rating: 'review',
  rating_shipping_time: 'review',
  rating_customer_service: 'review',
  rating_price_quality: 'review',
  rating_after_sale: 'review',
  comment: 'review',
  date: 'review',
} as const;

export class WebwinkelKeurApi implements ProcessorApi {
  /** Erasure: the API tells what is held; deleting it is a task for their support (the `manual` part). */
  // What this code does; registry.test.ts holds it to the description in webwinkelkeur.factory.ts.
  readonly capabilities = { access: true, erase: true, rectify: false, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #pageSize: number;

  constructor(ctx: ProcessorApiContext) {
    this.#ctx = ctx;
    this.#pageSize = Options.parse(ctx.options).pageSize;
  }

  async find(subject: SubjectIdentity): Promise<CollectionFindings[]> {
    const { invitations, ratings } = await this.#holdings(subject.email);
    const system = this.#ctx.system;
    return [
      { system, collection: 'invitations', records: invitations.map((inv, i) => this.#invitation(inv, i)) },
      { system, collection: 'ratings', records: ratings.map((r, i) => this.#rating(r, i)) },
    ];
  }

  /** Nothing held: nothing to ask. Otherwise a task to WebwinkelKeur's support, with what to delete. */
  async erase(subject: SubjectIdentity) {
    const { invitations, ratings } = await this.#holdings(subject.email);
    const held = `${count(invitations.length, 'invitation', 'invitations')} and ${count(ratings.length, 'rating', 'ratings')}`;
    if (invitations.length + ratings.length === 0)
      return { answer: 'WebwinkelKeur holds no invitations or ratings of this address', collections: [] };
    return {
      answer: `WebwinkelKeur holds ${held} of this address; its API cannot delete them, so their support is asked`,
      collections: [],
      manual: erasureInstructions(invitations.length, ratings.length),
    };
  }

  async test(): Promise<{ ok: boolean; checks: ProcessorApiCheck[] }> {
    const checks = [
      await this.#check('credentials', async () => {
        const shop = parseAnswer(this.#ctx.system, Webshop, await this.#get('webshop.json', {}), 'webshop');
        return shop.data?.name
          ? `the shop id and API key work (shop "${shop.data.name}")`
          : 'the shop id and API key work';
      }),
    ];
    if (checks[0]!.ok) {
      for (const [name, schema] of [
        ['invitations', InvitationPage],
        ['ratings', RatingPage],
      ] as const) {
        checks.push(
          await this.#check(name, async () => {
            const page = parseAnswer(this.#ctx.system, schema, await this.#get(`${name}.json`, { limit: 1 }), name);
            return `${page.total} ${name} can be read`;
          }),
        );
      }
    }
    return { ok: checks.every((c) => c.ok), checks };
  }

  async #holdings(email: string): Promise<{ invitations: Invitation[]; ratings: Rating[] }> {
    const system = this.#ctx.system;
    const allInvitations = await this.#all('invitations', (body) => {
      const page = parseAnswer(system, InvitationPage, body, 'invitations');
      return { total: page.total, items: page.invitations };
    });
    const allRatings = await this.#all('ratings', (body) => {
      const page = parseAnswer(system, RatingPage, body, 'ratings');
      return { total: page.total, items: page.ratings };
    });
    return {
      invitations: allInvitations.filter((i) => sameEmail(i.email, email)),
      ratings: allRatings.filter((r) => sameEmail(r.email, email)),
    };
  }

  /** Every item of a list, page by page until `total` (or an empty page, should `total` be wrong). */
  async #all<T>(list: string, read: (body: unknown) => { total: number; items: T[] }): Promise<T[]> {
    const all: T[] = [];
    for (;;) {
      const page = read(await this.#get(`${list}.json`, { limit: this.#pageSize, offset: all.length }));
      all.push(...page.items);
      if (page.items.length === 0 || all.length >= page.total) return all;
    }
  }

  /** A GET with the credentials in the query (the HTTP client never logs queries); 200-with-error becomes an error. */
  async #get(path: string, query: Record<string, number>): Promise<unknown> {
    const { shopId, apiKey } = this.#ctx.credentials;
    const res = await this.#ctx.http.request({
      method: 'GET',
      path: `api/1.0/${path}`,
      query: { ...query, id: shopId, code: apiKey },
    });
    throwIfError(this.#ctx.system, res.body, `GET /api/1.0/${path}`);
    return res.body;
  }

  async #check(name: string, call: () => Promise<string>): Promise<ProcessorApiCheck> {
    try {
      return { name, ok: true, message: await call() };
    } catch (err) {
      // Our own errors for WebwinkelKeur's 200-with-error answers already say what happened.
      const own = err instanceof ProcessorError && err.status === 200;
      return { name, ok: false, message: own ? err.message : explainFailure(err) };
    }
  }

  #invitation(inv: Invitation, i: number): FoundRecord {
    const data = values({
      email: inv.email ?? null,
      order_number: inv.order == null ? null : String(inv.order),
      created_at: inv.datetimes?.created ?? null,
      scheduled_at: inv.datetimes?.scheduled ?? null,
      sent_at: inv.datetimes?.sent ?? null,
    });
    const key = inv.id != null ? String(inv.id) : `${inv.order ?? 'invitation'}@${inv.datetimes?.created ?? i}`;
    return { system: this.#ctx.system, collection: 'invitations', key, data, categories: INVITATION_CATEGORIES };
  }

  #rating(r: Rating, i: number): FoundRecord {
    const data = values({
      name: r.name ?? null,
      email: r.email ?? null,
      rating: r.rating ?? null,
      rating_shipping_time: r.ratings?.shippingtime ?? null,
      rating_customer_service: r.ratings?.customerservice ?? null,
      rating_price_quality: r.ratings?.pricequality ?? null,
      rating_after_sale: r.ratings?.aftersale ?? null,
      comment: r.comment ?? null,
      date: r.date ?? null,
      in_quarantine: r.quarantine == null ? null : Boolean(r.quarantine),
    });
    const key = r.id != null ? String(r.id) : `rating@${r.date ?? i}`;
    return { system: this.#ctx.system, collection: 'ratings', key, data, categories: RATING_CATEGORIES };
  }
}

/**
 * WebwinkelKeur answers errors with HTTP 200 and `{"status":"error","message":"…"}`. The message is
 * theirs and could quote what was sent, so e-mail addresses are scrubbed and it is cut short.
 */
export function throwIfError(system: string, body: unknown, what: string): void {
  if (typeof body !== 'object' || body === null || (body as { status?: unknown }).status !== 'error') return;
  const said = scrubMessage(String((body as { message?: unknown }).message ?? 'no message')).slice(0, 160);
  const kind = errorKind(said);
  const lead =
    kind === 'auth' ? 'WebwinkelKeur refused the shop id and API key' : `${what}: WebwinkelKeur answered an error`;
  throw new ProcessorError(system, kind, `${lead} ("${said}")`, {
    status: 200,
    retryable: kind === 'rate-limited' || kind === 'unavailable',
  });
}

/** The kind of a 200-with-error, from its words (the API has no error codes). */
export function errorKind(message: string): 'auth' | 'rate-limited' | 'unavailable' | 'rejected' {
  if (/too many|rate.?limit|throttl/i.test(message)) return 'rate-limited';
  if (/maintenance|onderhoud|temporar|tijdelijk|try again/i.test(message)) return 'unavailable';
  if (
    /auth|credential|api.?key|\bcode\b|\bid\b|token|access|denied|permission|toegang|ongeldig|not allowed/i.test(
      message,
    )
  )
    return 'auth';
  return 'rejected';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function erasureInstructions(invitations: number, ratings: number): { nl: string; en: string } {
  const nl = `${invitations} uitnodiging${invitations === 1 ? '' : 'en'} en ${ratings} beoordeling${ratings === 1 ? '' : 'en'}`;
  const en = `${count(invitations, 'invitation', 'invitations')} and ${count(ratings, 'rating', 'ratings')}`;
  return {
    nl:
      `Mail WebwinkelKeur (info@webwinkelkeur.nl) met het verzoek de ${nl} van dit e-mailadres te verwijderen ` +
      '(AVG art. 17); hun API kan dat niet. Noem het e-mailadres en ons winkel-id, en vink de taak af zodra zij het bevestigen.',
    en:
      `E-mail WebwinkelKeur (info@webwinkelkeur.nl) asking them to delete the ${en} of this e-mail address ` +
      '(GDPR Art. 17); their API cannot. Give the e-mail address and our shop id, and close the task once they confirm.',
  };
}

/** The implementation webwinkelkeur.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new WebwinkelKeurApi(ctx);
