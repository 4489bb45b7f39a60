import { z } from 'zod';

/**
 * The parts of MoneyBird's API v2 answers the connector reads (https://developer.moneybird.com).
 * Ids are large numbers sent as strings. Loose objects: new fields must not break an erasure.
 */

const id = z.union([z.string(), z.number()]).transform(String);

export const MoneybirdContact = z.looseObject({
  id,
  company_name: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  zipcode: z.string().nullish(),
  city: z.string().nullish(),
  country: z.string().nullish(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
  customer_id: z.string().nullish(),
  send_invoices_to_email: z.string().nullish(),
  send_estimates_to_email: z.string().nullish(),
  sepa_active: z.boolean().nullish(),
  sepa_iban: z.string().nullish(),
  sepa_iban_account_name: z.string().nullish(),
  sepa_bic: z.string().nullish(),
  bank_account: z.string().nullish(),
  archived: z.boolean().nullish(),
});
export type MoneybirdContact = z.infer<typeof MoneybirdContact>;

export const MoneybirdSalesInvoice = z.looseObject({
  id,
  contact_id: id,
  /** The invoice number; null while the invoice is a draft. */
  invoice_id: z.string().nullish(),
  invoice_date: z.string().nullish(),
  due_date: z.string().nullish(),
  state: z.string(),
  reference: z.string().nullish(),
  currency: z.string().nullish(),
  total_price_incl_tax: z.union([z.string(), z.number()]).nullish(),
});
export type MoneybirdSalesInvoice = z.infer<typeof MoneybirdSalesInvoice>;

export const ContactList = z.array(MoneybirdContact);
export const SalesInvoiceList = z.array(MoneybirdSalesInvoice);
export const AdministrationList = z.array(z.looseObject({ id, name: z.string().nullish() }));
