import type { Lang } from '../policy/labels.ts';

/**
 * Words for the collections and fields the engine finds, for the readable page of the export: a person
 * reads "Bestelling" and "Afleveradres", never `orders` or `shipping_street` (those stay in data.json and
 * the CSVs, which are for machines). Keys are matched without case, dashes or underscores, so
 * `first_name`, `firstName` and `firstname` are one word. A name not listed here is shown as the name of
 * its data category from the policy: never as the column's own name.
 */

type Words = readonly [nl: string, en: string];

const COLLECTIONS: Record<string, Words> = {
  customers: ['Klantaccount', 'Customer account'],
  orders: ['Bestelling', 'Order'],
  orderlines: ['Bestelde producten', 'Products ordered'],
  invoices: ['Factuur', 'Invoice'],
  salesinvoices: ['Factuur in de boekhouding', 'Invoice in the accounts'],
  payments: ['Betaling', 'Payment'],
  mandates: ['Machtiging', 'Mandate'],
  shipments: ['Zending', 'Shipment'],
  reviews: ['Beoordeling', 'Review'],
  ratings: ['Beoordeling', 'Review'],
  invitations: ['Uitnodiging voor een beoordeling', 'Invitation to review'],
  contactmoments: ['Contact met ons', 'Contact with us'],
  messages: ['E-mail', 'E-mail message'],
  contacts: ['Contact in de boekhouding', 'Contact in the accounts'],
  addresses: ['Adres', 'Address'],
  users: ['Bezoeker in de websitestatistieken', 'Visitor in the website statistics'],
};

const FIELDS: Record<string, Words> = {
  id: ['Kenmerk', 'Reference'],
  key: ['Kenmerk', 'Reference'],
  number: ['Nummer', 'No.'],
  customerid: ['Klantnummer', 'Customer no.'],
  orderid: ['Bestelling (kenmerk)', 'Order (reference)'],
  invoiceid: ['Factuurnummer', 'Invoice no.'],
  ordernumber: ['Bestelnummer', 'Order no.'],
  reference: ['Kenmerk', 'Reference'],
  email: ['E-mailadres', 'E-mail address'],
  authoremail: ['E-mailadres', 'E-mail address'],
  firstname: ['Voornaam', 'First name'],
  lastname: ['Achternaam', 'Last name'],
  name: ['Naam', 'Name'],
  fullname: ['Naam', 'Name'],
  address: ['Adres', 'Address'],
  authorname: ['Naam', 'Name'],
  companyname: ['Bedrijfsnaam', 'Company name'],
  company: ['Bedrijfsnaam', 'Company name'],
  phone: ['Telefoonnummer', 'Telephone'],
  street: ['Straat', 'Street name'],
  housenumber: ['Huisnummer', 'House no.'],
  streetnumber: ['Huisnummer', 'House no.'],
  postalcode: ['Postcode', 'Postcode'],
  zipcode: ['Postcode', 'Postcode'],
  city: ['Plaats', 'Town'],
  country: ['Land', 'Country of residence'],
  countrycode: ['Land', 'Country of residence'],
  dateofbirth: ['Geboortedatum', 'Date of birth'],
  description: ['Omschrijving', 'Details'],
  createdat: ['Aangemaakt op', 'Created on'],
  date: ['Datum', 'Date'],
  lastloginat: ['Laatst ingelogd', 'Last logged in'],
  status: ['Status', 'Status'],
  state: ['Status', 'Status'],
  total: ['Totaal', 'Total'],
  totalcents: ['Totaal', 'Total'],
  amount: ['Bedrag', 'Amount'],
  amountcents: ['Bedrag', 'Amount'],
  vatcents: ['Btw', 'VAT'],
  totalpriceincltax: ['Totaal inclusief btw', 'Total including VAT'],
  currency: ['Munteenheid', 'Currency'],
  lines: ['Regels', 'Lines'],
  ipaddress: ['IP-adres', 'IP address'],
  billingname: ['Naam op de factuur', 'Billing name'],
  billingstreet: ['Factuuradres: straat', 'Billing address: street name'],
  billinghousenumber: ['Factuuradres: huisnummer', 'Billing address: house no.'],
  billingpostalcode: ['Factuuradres: postcode', 'Billing address: postcode'],
  billingcity: ['Factuuradres: plaats', 'Billing address: town'],
  billingcountry: ['Factuuradres: land', 'Billing address: country of residence'],
  billingaddress: ['Factuuradres', 'Billing address'],
  shippingname: ['Naam voor de bezorging', 'Delivery name'],
  shippingstreet: ['Afleveradres: straat', 'Delivery address: street name'],
  shippinghousenumber: ['Afleveradres: huisnummer', 'Delivery address: house no.'],
  shippingpostalcode: ['Afleveradres: postcode', 'Delivery address: postcode'],
  shippingcity: ['Afleveradres: plaats', 'Delivery address: town'],
  shippingcountry: ['Afleveradres: land', 'Delivery address: country of residence'],
  sku: ['Artikelnummer', 'Item no.'],
  quantity: ['Aantal', 'How many'],
  unitpricecents: ['Stukprijs', 'Unit price'],
  issuedat: ['Factuurdatum', 'Invoice date'],
  invoicedate: ['Factuurdatum', 'Invoice date'],
  duedate: ['Vervaldatum', 'Due date'],
  provider: ['Betaaldienst', 'Payment service'],
  providerpaymentid: ['Kenmerk bij de betaaldienst', 'Reference at the payment service'],
  method: ['Betaalwijze', 'Payment method'],
  consumername: ['Naam van de betaler', 'Payer name'],
  consumeraccount: ['Rekening of kaart', 'Account or card'],
  consumerbic: ['BIC', 'BIC'],
  cardholder: ['Kaarthouder', 'Card holder'],
  mandatereference: ['Kenmerk van de machtiging', 'Mandate reference'],
  signaturedate: ['Getekend op', 'Signed on'],
  paidat: ['Betaald op', 'Paid on'],
  carrier: ['Vervoerder', 'Carrier'],
  trackingcode: ['Track-and-tracecode', 'Tracking code'],
  recipientname: ['Naam ontvanger', 'Recipient name'],
  shippedat: ['Verzonden op', 'Sent on'],
  deliveredat: ['Bezorgd op', 'Delivered on'],
  rating: ['Score', 'Score'],
  body: ['Tekst', 'Text'],
  channel: ['Kanaal', 'By'],
  subject: ['Onderwerp', 'Topic'],
  occurredat: ['Wanneer', 'When'],
  from: ['Van', 'From'],
  to: ['Aan', 'To'],
  cc: ['Cc', 'Cc'],
  bcc: ['Bcc', 'Bcc'],
  receivedat: ['Ontvangen op', 'Received on'],
  sentat: ['Verzonden op', 'Sent on'],
  eml: ['Bericht (.eml)', 'Message (.eml)'],
  clientid: ['Bezoekers-id', 'Visitor id'],
  userid: ['Gebruikers-id', 'User id'],
  // WordPress, WooCommerce and PrestaShop column names, or their tails.
  content: ['Tekst', 'Text'],
  author: ['Naam', 'Name'],
  ip: ['IP-adres', 'IP address'],
  registered: ['Geregistreerd op', 'Registered on'],
  login: ['Gebruikersnaam', 'User name'],
  dateadd: ['Aangemaakt op', 'Created on'],
  dateupd: ['Gewijzigd op', 'Changed on'],
  birthday: ['Geboortedatum', 'Date of birth'],
  address1: ['Adres', 'Address'],
  address2: ['Adres (vervolg)', 'Address (continued)'],
  addressindex: ['Adresgegevens', 'Address details'],
  postcode: ['Postcode', 'Postcode'],
  phonemobile: ['Mobiel nummer', 'Mobile number'],
  vatnumber: ['Btw-nummer', 'VAT number'],
  totalpaid: ['Totaal betaald', 'Total paid'],
  payment: ['Betaalwijze', 'Payment method'],
  message: ['Bericht', 'Message'],
  newsletter: ['Nieuwsbrief', 'Newsletter'],
  optin: ['Aanbiedingen per e-mail', 'Offers by e-mail'],
  excerpt: ['Opmerking', 'Note'],
  lastactive: ['Laatst actief', 'Last active'],
};

const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The collection in words, e.g. "Bestelling"; undefined when it has no word of its own. */
export function collectionWord(collection: string, lang: Lang): string | undefined {
  const words = COLLECTIONS[key(collection)];
  return words ? words[lang === 'nl' ? 0 : 1] : undefined;
}

/** The field in words, e.g. "Afleveradres: postcode"; undefined when it has no word of its own. */
export function fieldWord(field: string, lang: Lang): string | undefined {
  const words = FIELDS[key(field)];
  return words ? words[lang === 'nl' ? 0 : 1] : undefined;
}
