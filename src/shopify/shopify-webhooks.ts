import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ManualTask } from '../connectors/connector.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import { defineJob } from '../jobs/worker.ts';
import type { Clock } from '../lib/clock.ts';
import { DAY } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import type { IntakeService } from '../requests/intake.service.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import type { TaskTable } from '../store/schema.ts';
import type { ShopifyWebhookRepository } from './shopify-webhook.repository.ts';

/**
 * Shopify's mandatory compliance webhooks as intake
 * (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance). Shopify has authenticated the
 * customer and signs every delivery with the app's client secret, so a verified `customers/data_request`
 * becomes an access request and `customers/redact` an erasure request that start at once, without a link to
 * confirm; `shop/redact` (48 hours after the shop uninstalled the app) becomes a task for the officer, who
 * decides what of the shop to delete. The route only stores the delivery and queues a job: Shopify waits
 * 5 seconds for an answer.
 */

export const SHOPIFY_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];
export const isShopifyTopic = (topic: unknown): topic is ShopifyTopic =>
  (SHOPIFY_TOPICS as readonly unknown[]).includes(topic);

export const SHOPIFY_WEBHOOK_JOB = 'shopify.webhook';
/** The officer's tasks made from webhooks: they belong to no request (`request_id` is `shopify:<delivery>`). */
export const SHOPIFY_TASK_SYSTEM = 'shopify-webhook';
export const isShopifyTask = (task: Pick<TaskTable, 'system'>): boolean => task.system === SHOPIFY_TASK_SYSTEM;
/** The officer has this long for a task from Shopify (its compliance webhooks ask for an answer within 30 days). */
const TASK_DAYS = 30;
/** Handled deliveries are forgotten after this: Shopify repeats a delivery within hours. */
const KEEP_DELIVERIES_MS = 30 * DAY;

const Id = z.union([z.number().int(), z.string().min(1).max(100)]);
const ShopDomain = z
  .string()
  .trim()
  .max(255)
  .regex(/^[a-z0-9][a-z0-9.-]*$/i, { error: 'must be a shop domain such as balkonzon.myshopify.com' });
const Customer = z.looseObject({
  id: Id.optional(),
  // Shopify has checked the address; a customer may have none (a phone only): that goes to the officer.
  email: z.string().trim().max(254).nullish(),
  phone: z.string().max(64).nullish(),
});

/** The bodies per topic, as Shopify documents them (extra fields are allowed: Shopify adds some). */
export const SHOPIFY_PAYLOADS = {
  'customers/data_request': z.looseObject({
    shop_id: Id,
    shop_domain: ShopDomain,
    customer: Customer,
    orders_requested: z.array(Id).max(100_000).default([]),
    data_request: z.looseObject({ id: Id }).optional(),
  }),
  'customers/redact': z.looseObject({
    shop_id: Id,
    shop_domain: ShopDomain,
    customer: Customer,
    orders_to_redact: z.array(Id).max(100_000).default([]),
  }),
  'shop/redact': z.looseObject({ shop_id: Id, shop_domain: ShopDomain }),
} as const;
export type ShopifyPayload = z.output<(typeof SHOPIFY_PAYLOADS)[ShopifyTopic]>;

/**
 * Whether `header` is Shopify's signature of `raw`: base64 of HMAC-SHA256 over the raw body with the app's
 * client secret, compared in constant time.
 */
export function verifyShopifyHmac(apiSecret: string, raw: Buffer, header: string | undefined): boolean {
  if (!header || !/^[A-Za-z0-9+/]+={0,2}$/.test(header.trim())) return false;
  const given = Buffer.from(header.trim(), 'base64');
  const expected = createHmac('sha256', apiSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface ShopifyWebhookDeps {
  webhooks: ShopifyWebhookRepository;
  requests: RequestRepository;
  intake: IntakeService;
  jobs: JobRepository;
  clock: Clock;
  /** INZAGE_SECRET: the waiting bodies are encrypted with a key derived from it. */
  secret: string;
  /** SHOPIFY_API_SECRET, the app's client secret; without it no delivery is accepted. */
  apiSecret?: string;
}

export class ShopifyWebhooks {
  readonly #key: Buffer;
  constructor(private readonly deps: ShopifyWebhookDeps) {
    this.#key = deriveKey(deps.secret, 'shopify/webhooks');
  }

  get configured(): boolean {
    return !!this.deps.apiSecret;
  }

  verify(raw: Buffer, signature: string | undefined): boolean {
    return !!this.deps.apiSecret && verifyShopifyHmac(this.deps.apiSecret, raw, signature);
  }

  /**
   * Stores a verified delivery and queues its job, in one transaction; a delivery id seen before changes
   * nothing (`duplicate`). The body waits encrypted: it names the customer.
   */
  async receive(delivery: {
    webhookId: string;
    topic: ShopifyTopic;
    shopDomain: string;
    body: Buffer;
  }): Promise<{ duplicate: boolean }> {
    const { webhooks, jobs, clock } = this.deps;
    const { webhookId } = delivery;
    return webhooks.db.transaction().execute(async (trx) => {
      const stored = await webhooks.record(trx, {
        webhook_id: webhookId,
        topic: delivery.topic,
        shop_domain: delivery.shopDomain,
        received_at: clock.now().toISOString(),
        payload: encrypt(this.#key, delivery.body, `shopify-webhook:${webhookId}`),
      });
      if (stored)
        await jobs.enqueue(SHOPIFY_WEBHOOK_JOB, { webhookId }, { dedupeKey: `shopify-webhook:${webhookId}` }, trx);
      return { duplicate: !stored };
    });
  }

  /** The job: the delivery becomes a request or a task, and is marked handled in the same transaction. */
  async handle(webhookId: string): Promise<void> {
    const { webhooks, requests, intake, clock } = this.deps;
    const row = await webhooks.get(webhookId);
    if (!row || row.handled_at || !row.payload) return;
    const topic = row.topic as ShopifyTopic;
    const body = SHOPIFY_PAYLOADS[topic].parse(
      JSON.parse(decrypt(this.#key, row.payload, `shopify-webhook:${webhookId}`).toString('utf8')),
    );
    const markHandled = (trx: Parameters<ShopifyWebhookRepository['markHandled']>[0]) =>
      webhooks.markHandled(trx, webhookId);
    const email = usableEmail(customerOf(body)?.email);
    if (topic !== 'shop/redact' && email) {
      await intake.requestFromPlatform(
        topic === 'customers/data_request' ? 'access' : 'erasure',
        email,
        { channel: 'shopify', event: `shopify ${topic}` },
        (trx) => markHandled(trx),
      );
    } else {
      const task = officerTask(topic, body);
      await requests.db.transaction().execute(async (trx) => {
        await requests.insertTasks(trx, `shopify:${webhookId}`, [task], clock.now());
        await markHandled(trx);
      });
    }
    await webhooks.forgetHandledBefore(new Date(clock.now().getTime() - KEEP_DELIVERIES_MS));
  }

  /** Closes a task made from a webhook (it has no request to move on); false when it was not open. */
  async completeTask(taskId: string, note: string | null): Promise<boolean> {
    const { requests } = this.deps;
    return requests.db.transaction().execute((trx) => requests.closeTasks(trx, [taskId], note));
  }
}

const customerOf = (body: ShopifyPayload) => (body as { customer?: z.output<typeof Customer> }).customer;

/** An address Inzage can make a request for; Shopify has checked it, so only its form is looked at. */
function usableEmail(email: string | null | undefined): string | undefined {
  const trimmed = email?.trim();
  return trimmed && /^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : undefined;
}

/** What the officer is asked: decide what of an uninstalled shop to delete, or answer a customer known by id only. */
function officerTask(topic: ShopifyTopic, body: ShopifyPayload): ManualTask {
  const shop = body.shop_domain;
  const base = {
    system: SHOPIFY_TASK_SYSTEM,
    processor: 'shopify',
    contact: shop,
    dueInDays: TASK_DAYS,
    categories: [],
  };
  if (topic === 'shop/redact')
    return {
      ...base,
      action: 'erase',
      instructions: {
        nl: `De winkel ${shop} heeft de app 48 uur geleden verwijderd en Shopify vraagt (shop/redact) de gegevens van deze winkel te wissen. Inzage wist niets vanzelf: beslis welke gegevens van deze winkel verwijderd worden en wat de wet laat bewaren, en sluit dan deze taak.`,
        en: `The shop ${shop} uninstalled the app 48 hours ago and Shopify asks (shop/redact) to erase this shop's data. Inzage erases nothing by itself: decide which of this shop's data is deleted and what the law lets you keep, then close this task.`,
      },
    };
  const customer = customerOf(body)?.id;
  const access = topic === 'customers/data_request';
  return {
    ...base,
    action: access ? 'access' : 'erase',
    instructions: {
      nl: `Shopify vraagt (${topic}) namens klant ${customer ?? '(zonder id)'} van ${shop} om ${access ? 'inzage' : 'verwijdering'}, zonder bruikbaar e-mailadres. Zoek de klant in Shopify op dit id en handel het verzoek daar af.`,
      en: `Shopify asks (${topic}) on behalf of customer ${customer ?? '(no id)'} of ${shop} for ${access ? 'access' : 'erasure'}, without a usable e-mail address. Find the customer in Shopify by this id and handle the request there.`,
    },
  };
}

/** The job that turns a stored delivery into a request or a task (one per delivery, by its dedupe key). */
export const shopifyWebhookJob = (webhooks: ShopifyWebhooks) =>
  defineJob({
    name: SHOPIFY_WEBHOOK_JOB,
    payload: z.object({ webhookId: z.string() }),
    maxAttempts: 10,
    perform: (p) => webhooks.handle(p.webhookId),
  });
