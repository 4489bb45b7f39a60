import { z } from 'zod';

/**
 * The parts of the Shopify Admin GraphQL API's answers the connector reads
 * (https://shopify.dev/docs/api/admin-graphql). Loose objects: Shopify adds fields in every version.
 */

/** `extensions.cost` of every answer: what the query cost and what the app's bucket holds now. */
export const QueryCost = z.looseObject({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullish(),
  throttleStatus: z.looseObject({
    maximumAvailable: z.number(),
    currentlyAvailable: z.number(),
    restoreRate: z.number(),
  }),
});
export type QueryCost = z.infer<typeof QueryCost>;

/** A GraphQL answer: `data`, `errors` (each with `extensions.code`, e.g. THROTTLED) and `extensions.cost`. */
export const GraphqlAnswer = z.looseObject({
  data: z.unknown().optional(),
  errors: z
    .array(
      z.looseObject({
        message: z.string().optional(),
        extensions: z.looseObject({ code: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  extensions: z.looseObject({ cost: QueryCost.optional() }).optional(),
});
export type GraphqlAnswer = z.infer<typeof GraphqlAnswer>;

const Money = z.looseObject({ shopMoney: z.looseObject({ amount: z.string(), currencyCode: z.string() }) });

export const MailingAddress = z.looseObject({
  id: z.string().optional(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  company: z.string().nullish(),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
  phone: z.string().nullish(),
});
export type MailingAddress = z.infer<typeof MailingAddress>;

const PageInfo = z.looseObject({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });

export const ShopifyCustomer = z.looseObject({
  id: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  createdAt: z.string().nullish(),
  locale: z.string().nullish(),
  note: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  defaultEmailAddress: z.looseObject({ emailAddress: z.string().nullish() }).nullish(),
  defaultPhoneNumber: z.looseObject({ phoneNumber: z.string().nullish() }).nullish(),
  addressesV2: z.looseObject({ nodes: z.array(MailingAddress) }),
});
export type ShopifyCustomer = z.infer<typeof ShopifyCustomer>;

export const CustomerSearch = z.looseObject({
  customers: z.looseObject({ nodes: z.array(ShopifyCustomer), pageInfo: PageInfo }),
});

export const ShopifyOrder = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  processedAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  totalPriceSet: Money.nullish(),
  shippingAddress: MailingAddress.nullish(),
  billingAddress: MailingAddress.nullish(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const CustomerOrders = z.looseObject({
  customer: z.looseObject({ orders: z.looseObject({ nodes: z.array(ShopifyOrder), pageInfo: PageInfo }) }).nullable(),
});

export const ErasureRequested = z.looseObject({
  customerRequestDataErasure: z.looseObject({
    customerId: z.string().nullish(),
    userErrors: z.array(
      z.looseObject({ code: z.string().nullish(), field: z.array(z.string()).nullish(), message: z.string() }),
    ),
  }),
});

export const ShopAnswer = z.looseObject({
  shop: z.looseObject({ name: z.string(), myshopifyDomain: z.string().optional() }),
});
