import { z } from 'zod';

/**
 * The parts of Mollie's API v2 answers the connector reads (https://docs.mollie.com/reference).
 * Loose objects: Mollie adds fields over time, and a new field must not break an erasure.
 */

const Link = z.looseObject({ href: z.string(), type: z.string().optional() });
const Amount = z.looseObject({ value: z.string(), currency: z.string() });

export const MollieCustomer = z.looseObject({
  resource: z.literal('customer'),
  id: z.string(),
  mode: z.string().optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  locale: z.string().nullish(),
  createdAt: z.string().nullish(),
});
export type MollieCustomer = z.infer<typeof MollieCustomer>;

/** Bank or card details a payment or mandate carries; which keys appear depends on the method. */
const ConsumerDetails = z
  .looseObject({
    consumerName: z.string().nullish(),
    consumerAccount: z.string().nullish(),
    consumerBic: z.string().nullish(),
    cardHolder: z.string().nullish(),
    cardNumber: z.string().nullish(),
  })
  .nullish();

export const MolliePayment = z.looseObject({
  resource: z.literal('payment'),
  id: z.string(),
  createdAt: z.string(),
  status: z.string(),
  amount: Amount,
  description: z.string().nullish(),
  method: z.string().nullish(),
  paidAt: z.string().nullish(),
  sequenceType: z.string().nullish(),
  mandateId: z.string().nullish(),
  details: ConsumerDetails,
});
export type MolliePayment = z.infer<typeof MolliePayment>;

export const MollieMandate = z.looseObject({
  resource: z.literal('mandate'),
  id: z.string(),
  status: z.string(),
  method: z.string(),
  mandateReference: z.string().nullish(),
  signatureDate: z.string().nullish(),
  createdAt: z.string(),
  details: ConsumerDetails,
});
export type MollieMandate = z.infer<typeof MollieMandate>;

/** A page of a HAL list: `_embedded.<name>` and a `_links.next` that is null on the last page. */
export const molliePage = <T extends z.ZodType>(name: string, item: T) =>
  z.looseObject({
    count: z.number(),
    _embedded: z.record(z.string(), z.array(item)).refine((e) => Array.isArray(e[name]), {
      error: `_embedded.${name} is missing`,
    }),
    _links: z.looseObject({ next: Link.nullish() }),
  });

export const CustomerPage = molliePage('customers', MollieCustomer);
export const PaymentPage = molliePage('payments', MolliePayment);
export const MandatePage = molliePage('mandates', MollieMandate);
