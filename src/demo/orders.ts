/** One order and what hangs off it: lines, payment attempts, invoice, shipment and perhaps a review. */
import { type Address, consumerName, formatAddress, fullName, makeAddress, makeName, type Person } from './people.ts';
import { type Random, weights } from './random.ts';
import { iso, type RowBuffer } from './row-buffer.ts';
import {
  CARRIERS_BULKY,
  CARRIERS_PARCEL,
  FREE_SHIPPING_FROM_CENTS,
  PRODUCTS,
  type Product,
  RATINGS,
  REVIEW_BODIES,
  SHIPPING,
  SMALL_PRODUCTS,
} from './vocabulary.ts';

export const SECOND = 1000;
export const HOUR = 3600 * SECOND;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;

export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
export type PaymentMethod = 'ideal' | 'creditcard' | 'bancontact' | 'paypal';

export interface ShopContext {
  rng: Random;
  rows: RowBuffer;
  /** The fixed "now" of the shop, in ms. */
  now: number;
}

export interface OrderSpec {
  customerId: number | null;
  /** The address as the buyer typed it at checkout (case and spaces included). */
  email: string;
  buyer: Person;
  createdAt: number;
  status?: OrderStatus;
  lines?: ReadonlyArray<readonly [Product, number]>;
  method?: PaymentMethod;
  carrier?: string;
  /** `false`: no review; a rating and body: that review; default: a chance of one. */
  review?: false | { rating: 1 | 2 | 3 | 4 | 5; body: string; authorName: string };
  /** Another person receives it (a gift, an office address); default: a small chance. */
  shipToOther?: boolean;
}

export interface PlacedOrder {
  id: number;
  number: string;
}

const METHODS_NL = weights<PaymentMethod>([
  ['ideal', 70],
  ['creditcard', 12],
  ['paypal', 13],
  ['bancontact', 5],
]);
const METHODS_BE = weights<PaymentMethod>([
  ['bancontact', 65],
  ['creditcard', 15],
  ['paypal', 15],
  ['ideal', 5],
]);
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Older orders have settled; the last days still hold open, paid and travelling ones. */
function statusForAge(rng: Random, ageMs: number): OrderStatus {
  const r = rng.next();
  if (ageMs < 3 * HOUR) return r < 0.6 ? 'pending' : 'paid';
  if (ageMs < 2 * DAY) return r < 0.1 ? 'pending' : r < 0.55 ? 'paid' : 'shipped';
  if (ageMs < 7 * DAY) return r < 0.05 ? 'paid' : r < 0.4 ? 'shipped' : r < 0.95 ? 'delivered' : 'cancelled';
  return r < 0.87 ? 'delivered' : r < 0.95 ? 'cancelled' : 'refunded';
}

function randomLines(rng: Random): Array<[Product, number]> {
  const r = rng.next();
  const lines: Array<[Product, number]> = [];
  if (r < 0.5) {
    const set = rng.weighted(SETS);
    const panels = set === PRODUCTS.set1 ? 1 : 2;
    lines.push([set, 1]);
    if (rng.chance(0.55)) lines.push([rng.pick(MOUNTS), panels]);
    if (rng.chance(0.35)) lines.push([rng.chance(0.6) ? PRODUCTS.schuko5 : PRODUCTS.schuko10, 1]);
    if (rng.chance(0.08)) lines.push([PRODUCTS.battery, 1]);
    if (rng.chance(0.2)) lines.push([rng.chance(0.5) ? PRODUCTS.plug : PRODUCTS.p1, 1]);
    if (rng.chance(0.1)) lines.push([PRODUCTS.bolts, 1]);
  } else if (r < 0.68) {
    const panels = rng.int(1, 2);
    lines.push([rng.chance(0.7) ? PRODUCTS.panel400 : PRODUCTS.panel450, panels]);
    lines.push([panels === 1 ? PRODUCTS.inverter600 : PRODUCTS.inverter800, 1]);
    if (rng.chance(0.7)) lines.push([rng.pick(MOUNTS), panels]);
    if (rng.chance(0.4)) lines.push([PRODUCTS.mc4, rng.int(1, 2)]);
  } else if (r < 0.76) {
    lines.push([PRODUCTS.battery, 1]);
    if (rng.chance(0.25)) lines.push([PRODUCTS.batteryExt, 1]);
    if (rng.chance(0.3)) lines.push([PRODUCTS.p1, 1]);
  } else {
    const first = rng.pick(SMALL_PRODUCTS);
    lines.push([first, first === PRODUCTS.bracket ? rng.int(1, 2) : 1]);
    const second = rng.pick(SMALL_PRODUCTS);
    if (second !== first && rng.chance(0.4)) lines.push([second, 1]);
  }
  return lines;
}

const SETS = weights([
  [PRODUCTS.set2, 60],
  [PRODUCTS.set1, 25],
  [PRODUCTS.setBlack, 15],
]);
const MOUNTS = [PRODUCTS.bracket, PRODUCTS.bracket, PRODUCTS.wall, PRODUCTS.flatRoof];

/** IP addresses from the documentation ranges only (RFC 5737, RFC 3849). */
function ipAddress(rng: Random): string {
  if (rng.chance(0.25)) return `2001:db8:${rng.int(0, 0xffff).toString(16)}::${rng.int(1, 0xffff).toString(16)}`;
  return `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`;
}

function trackingCode(rng: Random, carrier: string): string | null {
  if (carrier === 'PostNL') return `3SBZON${rng.digits(9)}`;
  if (carrier === 'DHL') return `JVGL${rng.digits(16)}`;
  return rng.chance(0.85) ? `JH${rng.digits(8)}` : null;
}

/**
 * Prices are VAT-inclusive consumer prices; the VAT share is taken out per line (0% on panels and
 * inverters, 21% on the rest). Orders under the free-shipping amount get a shipping line.
 */
function priceOrder(lines: ReadonlyArray<readonly [Product, number]>) {
  const allLines = [...lines];
  let total = 0;
  for (const [product, quantity] of lines) total += product.priceCents * quantity;
  if (total < FREE_SHIPPING_FROM_CENTS) allLines.push([SHIPPING, 1]);
  total = 0;
  let vat = 0;
  for (const [product, quantity] of allLines) {
    total += product.priceCents * quantity;
    vat += Math.round((product.priceCents * quantity * product.vat) / (100 + product.vat));
  }
  return { allLines, total, vat };
}

/** Writes the order with its lines, payments, invoice, shipment and review; returns its id and number. */
export function placeOrder(ctx: ShopContext, spec: OrderSpec): PlacedOrder {
  const { rng, rows, now } = ctx;
  const id = rows.nextId('orders');
  const number = `BZ-${String(id).padStart(7, '0')}`;
  const status = spec.status ?? statusForAge(rng, now - spec.createdAt);
  const lines = spec.lines ?? randomLines(rng);
  const { allLines, total, vat } = priceOrder(lines);

  const buyer = spec.buyer;
  const billingName = fullName(buyer);
  const b = buyer.address;
  const other = spec.shipToOther ?? rng.chance(0.06);
  const shipName = other ? recipientName(rng, buyer) : billingName;
  const ship: Address = other ? makeAddress(rng) : b;
  rows.push('orders', [
    id,
    number,
    spec.customerId,
    spec.email,
    billingName,
    b.street,
    b.houseNumber,
    b.postalCode,
    b.city,
    b.country,
    shipName,
    ship.street,
    ship.houseNumber,
    ship.postalCode,
    ship.city,
    ship.country,
    buyer.phone,
    status,
    total,
    ipAddress(rng),
    iso(spec.createdAt),
  ]);
  for (const [product, quantity] of allLines) {
    rows.push('order_lines', [
      rows.nextId('order_lines'),
      id,
      product.sku,
      product.description,
      quantity,
      product.priceCents,
    ]);
  }

  const paidAt = addPayments(ctx, spec, id, status, total);
  if (paidAt === null) return { id, number };
  // Invoiced on payment; the number carries the year, as Dutch invoice series usually do.
  const invoiceId = rows.nextId('invoices');
  const invoiceNumber = `${new Date(paidAt).getUTCFullYear()}-${String(invoiceId).padStart(7, '0')}`;
  rows.push('invoices', [invoiceId, id, invoiceNumber, iso(paidAt), billingName, formatAddress(b), total, vat]);
  const deliveredAt = addShipment(ctx, spec, id, status, paidAt, shipName, ship, lines);
  if (deliveredAt !== null && status === 'delivered') addReview(ctx, spec, id, deliveredAt);
  return { id, number };
}

/** Returns when the order was paid, or null when it never was (open, expired, cancelled). */
function addPayments(ctx: ShopContext, spec: OrderSpec, orderId: number, status: OrderStatus, total: number) {
  const { rng, rows } = ctx;
  const buyer = spec.buyer;
  const methods = buyer.address.country === 'BE' ? METHODS_BE : METHODS_NL;
  const method = spec.method ?? rng.weighted(methods);
  if (status === 'pending' || status === 'cancelled') {
    if (status === 'pending' || rng.chance(0.6)) addUnpaid(ctx, orderId, method, total);
    return null;
  }
  if (spec.method === undefined && rng.chance(0.06)) addUnpaid(ctx, orderId, method, total);
  const paidAt = spec.createdAt + rng.int(20, 900) * 1000;
  let name: string;
  let account: string;
  if (method === 'creditcard') {
    name = consumerName(rng, buyer).toUpperCase();
    account = `**** ${rng.digits(4)}`;
  } else if (method === 'paypal') {
    name = fullName(buyer);
    account = spec.email.trim().toLowerCase();
  } else {
    name = consumerName(rng, buyer);
    account = buyer.iban;
  }
  rows.push('payments', [
    rows.nextId('payments'),
    orderId,
    'mollie',
    `tr_${rng.chars(10, BASE62)}`,
    method,
    name,
    account,
    total,
    iso(paidAt),
  ]);
  return paidAt;
}

/** A gift to family (same surname) or a delivery to someone else entirely; never Sanne de Boer. */
function recipientName(rng: Random, buyer: Person): string {
  const name = makeName(rng);
  const family = rng.chance(0.5) && name.firstName !== 'Sanne';
  return fullName(family ? { ...name, lastName: buyer.lastName } : name);
}

/** A payment that was started but never completed: Mollie knows no consumer details for it. */
function addUnpaid(ctx: ShopContext, orderId: number, method: PaymentMethod, total: number): void {
  const { rng, rows } = ctx;
  const id = rows.nextId('payments');
  rows.push('payments', [id, orderId, 'mollie', `tr_${rng.chars(10, BASE62)}`, method, null, null, total, null]);
}

/** Returns when the parcel was delivered, or null. */
function addShipment(
  ctx: ShopContext,
  spec: OrderSpec,
  orderId: number,
  status: OrderStatus,
  paidAt: number,
  recipient: string,
  to: Address,
  lines: ReadonlyArray<readonly [Product, number]>,
): number | null {
  const { rng, rows, now } = ctx;
  const returned = status === 'refunded' && rng.chance(0.6);
  const labelOnly = status === 'paid' && rng.chance(0.3);
  if (!(status === 'shipped' || status === 'delivered' || returned || labelOnly)) return null;
  const bulky = lines.some(([product]) => product.bulky);
  const carrier = spec.carrier ?? rng.weighted(bulky ? CARRIERS_BULKY : CARRIERS_PARCEL);
  const shippedAt = labelOnly ? null : paidAt + Math.min(rng.float(0.3, 3) * DAY, (now - paidAt) * 0.4);
  const deliveredAt =
    shippedAt === null || status === 'shipped'
      ? null
      : shippedAt + Math.min(rng.float(0.5, 3) * DAY, (now - shippedAt) * 0.8);
  rows.push('shipments', [
    rows.nextId('shipments'),
    orderId,
    carrier,
    labelOnly && rng.chance(0.5) ? null : trackingCode(rng, carrier),
    recipient,
    to.street,
    to.houseNumber,
    to.postalCode,
    to.city,
    to.country,
    shippedAt === null ? null : iso(shippedAt),
    deliveredAt === null ? null : iso(deliveredAt),
  ]);
  return deliveredAt;
}

/** WebwinkelKeur-style: invited after delivery, most people do not answer. */
function addReview(ctx: ShopContext, spec: OrderSpec, orderId: number, deliveredAt: number): void {
  const { rng, rows, now } = ctx;
  if (spec.review === false) return;
  const given = spec.review;
  if (given === undefined && !rng.chance(0.15)) return;
  const createdAt = deliveredAt + rng.float(0.5, 14) * DAY;
  if (createdAt > now) return;
  const rating = given?.rating ?? rng.weighted(RATINGS);
  const body = given ? given.body : rng.chance(0.9) ? rng.pick(REVIEW_BODIES[rating]) : null;
  rows.push('reviews', [
    rows.nextId('reviews'),
    orderId,
    given?.authorName ?? reviewAuthor(rng, spec.buyer),
    spec.email.trim(),
    rating,
    body,
    iso(createdAt),
  ]);
}

/** "Jan", "Jan de B.", "Jan de Boer", "Familie de Boer". */
export function reviewAuthor(rng: Random, person: Person): string {
  const r = rng.next();
  if (r < 0.3) return person.firstName;
  if (r < 0.6) {
    const words = person.lastName.split(' ');
    const last = words.pop()!;
    return [person.firstName, ...words, `${last[0]}.`].join(' ');
  }
  if (r < 0.9) return fullName(person);
  return `Familie ${person.lastName}`;
}
