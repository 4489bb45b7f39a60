import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InzageError, validationFailed } from '../../lib/errors.ts';
import {
  isShopifyTopic,
  SHOPIFY_PAYLOADS,
  SHOPIFY_TOPICS,
  type ShopifyWebhooks,
} from '../../shopify/shopify-webhooks.ts';
import { type ApiRegistry, ErrorBody, parseInput } from './api-route.ts';

/** Compliance webhooks carry a customer and a list of order ids: 512 KiB is some 40,000 orders. */
export const SHOPIFY_WEBHOOK_BODY_LIMIT = 512 * 1024;

const Received = z
  .object({
    received: z.literal(true),
    duplicate: z
      .boolean()
      .meta({ description: 'True when this X-Shopify-Webhook-Id was delivered before (nothing done again)' }),
  })
  .meta({ id: 'ShopifyWebhookReceived' });

/** For the OpenAPI document: one of the three bodies, by X-Shopify-Topic. */
const AnyPayload = z.union([
  SHOPIFY_PAYLOADS['customers/data_request'],
  SHOPIFY_PAYLOADS['customers/redact'],
  SHOPIFY_PAYLOADS['shop/redact'],
]);

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * `POST /api/v1/webhooks/shopify`: Shopify's mandatory compliance webhooks. The signature is checked over
 * the raw bytes before anything is parsed, so this route has a parser of its own that hands them over as
 * they came (an encapsulated plugin: the rest of the app keeps Fastify's JSON parser). It only stores and
 * queues: Shopify waits 5 seconds.
 */
export function registerShopifyWebhookRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: { shopifyWebhooks: ShopifyWebhooks },
): void {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SHOPIFY_WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    api.add(
      scoped,
      {
        method: 'POST',
        url: '/api/v1/webhooks/shopify',
        summary: "Shopify's compliance webhooks: customers/data_request, customers/redact, shop/redact",
        description:
          'Signed by Shopify (X-Shopify-Hmac-Sha256 over the raw body with SHOPIFY_API_SECRET); the topic in ' +
          'X-Shopify-Topic, the delivery in X-Shopify-Webhook-Id (a repeat is handled once). customers/data_request ' +
          'starts an access request and customers/redact an erasure request for the customer’s e-mail address, ' +
          'without a confirmation link (Shopify authenticated the customer); shop/redact becomes a task for the ' +
          'privacy officer. 503 when SHOPIFY_API_SECRET is not set.',
        tags: ['shopify'],
        auth: 'shopifyHmac',
        body: AnyPayload,
        rawBody: true,
        bodyLimit: SHOPIFY_WEBHOOK_BODY_LIMIT,
        responses: {
          200: { description: 'Stored; the request or task follows from the job queue', schema: Received },
          401: { description: 'The signature is missing or wrong; nothing was stored', schema: ErrorBody },
          503: { description: 'SHOPIFY_API_SECRET is not set: no delivery is accepted', schema: ErrorBody },
        },
      },
      async ({ request, reply }) => {
        const hooks = deps.shopifyWebhooks;
        if (!hooks.configured)
          throw new InzageError(
            'NOT_CONFIGURED',
            'Shopify webhooks are not configured on this server: set SHOPIFY_API_SECRET to the app’s client secret.',
          );
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (!hooks.verify(raw, header(request, 'x-shopify-hmac-sha256')))
          throw new InzageError(
            'UNAUTHORIZED',
            'The X-Shopify-Hmac-Sha256 signature is missing or does not match the body.',
          );
        const topic = header(request, 'x-shopify-topic');
        if (!isShopifyTopic(topic))
          throw validationFailed(`X-Shopify-Topic: must be one of ${SHOPIFY_TOPICS.join(', ')}`, 'X-Shopify-Topic');
        const webhookId = header(request, 'x-shopify-webhook-id')?.trim() ?? '';
        if (!/^[A-Za-z0-9._:-]{1,200}$/.test(webhookId))
          throw validationFailed('X-Shopify-Webhook-Id: is required (the delivery id)', 'X-Shopify-Webhook-Id');
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          throw validationFailed('body: is not JSON', 'body');
        }
        const payload = parseInput(SHOPIFY_PAYLOADS[topic], json, 'body');
        const { duplicate } = await hooks.receive({ webhookId, topic, shopDomain: payload.shop_domain, body: raw });
        return reply.status(200).send({ received: true, duplicate });
      },
    );
  });
}
