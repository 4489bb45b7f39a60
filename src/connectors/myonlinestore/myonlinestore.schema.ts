import { z } from 'zod';

/**
 * The parts of MyOnlineStore's API v1 answers the connector reads (OpenAPI spec in
 * github.com/MyOnlineStore/public-api-docs, spec/openapi.yaml). Loose: new fields must not break us.
 */

export const MosAddress = z.looseObject({
  id: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  street: z.string().nullish(),
  streetNumber: z.string().nullish(),
  zipCode: z.string().nullish(),
  city: z.string().nullish(),
  countryCode: z.string().nullish(),
  company: z.string().nullish(),
  phone: z.string().nullish(),
  iban: z.string().nullish(),
  isDefaultForDelivery: z.boolean().nullish(),
  isDefaultForInvoice: z.boolean().nullish(),
});
export type MosAddress = z.infer<typeof MosAddress>;

export const MosCustomer = z.looseObject({
  id: z.string(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  dateOfBirth: z.string().nullish(),
  description: z.string().nullish(),
  addresses: z.array(MosAddress).nullish(),
});
export type MosCustomer = z.infer<typeof MosCustomer>;

export const CustomerList = z.looseObject({ customers: z.array(MosCustomer) });
export const AddressList = z.looseObject({ addresses: z.array(MosAddress) });

/** An order's invoice or delivery address (snake_case, unlike the customer's addresses). */
const OrderAddress = z
  .looseObject({
    name: z.string().nullish(),
    company: z.string().nullish(),
    street: z.string().nullish(),
    number: z.string().nullish(),
    zipcode: z.string().nullish(),
    city: z.string().nullish(),
    country_code: z.string().nullish(),
    phone: z.string().nullish(),
    bankaccount: z.string().nullish(),
  })
  .nullish();

export const MosOrder = z.looseObject({
  number: z.number(),
  uuid: z.string(),
  date: z.string(),
  time: z.string().nullish(),
  status: z.number().nullish(),
  archived: z.boolean().nullish(),
  debtor: z.looseObject({
    id: z.string().nullish(),
    email: z.string().nullish(),
    address: z.looseObject({ invoice: OrderAddress, delivery: OrderAddress }).nullish(),
  }),
  price: z.looseObject({ total: z.union([z.string(), z.number()]).nullish() }).nullish(),
  orderlines: z.array(z.looseObject({ description: z.string().nullish(), quantity: z.number().nullish() })).nullish(),
});
export type MosOrder = z.infer<typeof MosOrder>;

export const OrderList = z.array(MosOrder);
