/**
 * Sanne de Boer, the one fixed person in every demo shop: customer 1, recent enough that retention
 * leaves her alone, with a bit of everything a data-subject request has to find.
 */
import { DAY, HOUR, placeOrder, type ShopContext } from './orders.ts';
import type { Person } from './people.ts';
import { iso } from './row-buffer.ts';
import { PRODUCTS } from './vocabulary.ts';

export const SANNE = Object.freeze({
  customerId: 1,
  email: 'sanne.deboer@example.nl',
  /** The address as she typed it for her guest order. */
  guestEmail: 'Sanne.DeBoer@Example.NL',
  firstName: 'Sanne',
  lastName: 'de Boer',
  fullName: 'Sanne de Boer',
  phone: '06-12345678',
  street: 'Kerkstraat',
  houseNumber: '12',
  postalCode: '3512 KT',
  city: 'Utrecht',
  country: 'NL',
  /** The textbook example IBAN; valid check digits, not a real account. */
  iban: 'NL91ABNA0417164300',
} as const);

const SANNE_PERSON: Person = {
  firstName: SANNE.firstName,
  lastName: SANNE.lastName,
  email: SANNE.email,
  phone: SANNE.phone,
  address: {
    street: SANNE.street,
    houseNumber: SANNE.houseNumber,
    postalCode: SANNE.postalCode,
    city: SANNE.city,
    country: SANNE.country,
  },
  iban: SANNE.iban,
};

/**
 * Her account, three orders (two delivered and invoiced, one pending), a review, a contact moment
 * and a cancelled guest order under `Sanne.DeBoer@Example.NL`. All dates count back from `now`.
 */
export function addSanne(ctx: ShopContext): void {
  const { rows, now } = ctx;
  const at = (daysAgo: number, hour: number) => Math.floor(now / DAY - daysAgo) * DAY + hour * HOUR;
  const customerId = rows.nextId('customers');
  rows.push('customers', [
    customerId,
    SANNE.email,
    SANNE.firstName,
    SANNE.lastName,
    SANNE.phone,
    SANNE.street,
    SANNE.houseNumber,
    SANNE.postalCode,
    SANNE.city,
    SANNE.country,
    iso(at(420, 20.4)),
    iso(at(1, 21.1)),
  ]);
  const buyer = SANNE_PERSON;
  const account = { customerId, email: SANNE.email, buyer, shipToOther: false } as const;
  placeOrder(ctx, {
    ...account,
    createdAt: at(420, 20.5),
    status: 'delivered',
    method: 'ideal',
    carrier: 'Jos Heeren Transport',
    lines: [
      [PRODUCTS.set2, 1],
      [PRODUCTS.bracket, 2],
      [PRODUCTS.schuko5, 1],
    ],
    review: {
      rating: 5,
      authorName: SANNE.fullName,
      body: 'Binnen een week geleverd. De set hangt aan ons balkon in Utrecht en doet het prima.',
    },
  });
  placeOrder(ctx, {
    ...account,
    createdAt: at(300, 9.25),
    customerId: null,
    email: SANNE.guestEmail,
    status: 'cancelled',
    method: 'ideal',
    lines: [[PRODUCTS.schuko10, 1]],
    review: false,
  });
  const battery = placeOrder(ctx, {
    ...account,
    createdAt: at(150, 19.75),
    status: 'delivered',
    method: 'creditcard',
    carrier: 'DHL',
    lines: [
      [PRODUCTS.battery, 1],
      [PRODUCTS.p1, 1],
    ],
    review: false,
  });
  rows.push('contact_moments', [
    rows.nextId('contact_moments'),
    customerId,
    SANNE.email,
    'email',
    'Vraag over mijn thuisbatterij',
    `Hoi, kan de thuisbatterij uit bestelling ${battery.number} ook op de omvormer van mijn balkonset? Groet, Sanne de Boer`,
    iso(at(140, 10.3)),
  ]);
  placeOrder(ctx, {
    ...account,
    createdAt: at(2, 13.6),
    status: 'pending',
    method: 'ideal',
    lines: [[PRODUCTS.cleaning, 1]],
    review: false,
  });
}
