import { z } from 'zod';
import type { ProcessorApiFactory, ProcessorAuthContext } from '../api/processor-api.ts';

export const Options = z.strictObject({
  /** Shopify's API version (a quarter: 2025-07), part of the URL. */
  apiVersion: z
    .string()
    .regex(/^\d{4}-(01|04|07|10)$/, { error: 'must be a Shopify API version such as 2025-07' })
    .default('2025-07'),
  /** Orders per page of a customer's orders (each page costs about this many points). */
  ordersPerPage: z.number().int().min(1).max(250).default(50),
});

export const shopify: ProcessorApiFactory = {
  connector: 'shopify',
  name: 'Shopify',
  // Every shop has its own address: https://{shop}.myshopify.com, from the shop's domain (the map's `url` overrides it).
  defaultUrl: '',
  baseUrlFrom: ({ shop = '' }) =>
    /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop.trim().toLowerCase())
      ? { url: `https://${shop.trim().toLowerCase()}` }
      : { problem: "credentials.shop must be the shop's myshopify.com domain, e.g. balkonzon.myshopify.com" },
  credentials: ['shop', 'accessToken'],
  optionsSchema: Options,
  auth: (ctx: ProcessorAuthContext) => async () => ({ 'x-shopify-access-token': ctx.credentials.accessToken ?? '' }),
  capabilities: { access: true, erase: true, rectify: false, restrict: false },
  load: () => import('./shopify.api.ts').then((m) => m.create),
};
