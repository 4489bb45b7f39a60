import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { type Address, makeAddress, makeEmail, makeName, makePhone } from '../people.ts';
import { Random } from '../random.ts';
import { PRODUCTS } from '../vocabulary.ts';
import type { Cell, MysqlShopWriter } from './mysql-shop-writer.ts';
import { PRESTASHOP_TABLES } from './prestashop.schema.ts';
import { typedEmail, WOO_CAST, WOO_REGISTERED, type WooPerson } from './woocommerce.seed.ts';

/** The same cast as the WooCommerce shop: in PrestaShop a guest checkout is a customer row with is_guest = 1. */
export const PS_CAST = WOO_CAST;
export const PS_REGISTERED = WOO_REGISTERED;

export interface PsSeedOptions {
  writer: MysqlShopWriter;
  /** Only the tables, as on a fresh install. */
  empty?: boolean;
  customers: number;
  seed: number;
  now: Date;
  onProgress?: (done: number, total: number) => void;
}

const DAY = 86_400_000;
/**
 * PrestaShop sets PHP's zone to its shop's (PS_TIMEZONE, config/config.inc.php) and writes every date as
 * `date('Y-m-d H:i:s')`: local time without a zone. A Dutch shop's is Amsterdam's; the example map says so.
 */
const sqlTime = (ms: number) => format(new TZDate(ms, 'Europe/Amsterdam'), 'yyyy-MM-dd HH:mm:ss');
const CATALOGUE = Object.values(PRODUCTS).slice(0, 8);
const ip2long = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** Writes a PrestaShop 8 shop: the cast first, then `customers` random people (70% with an account). */
export async function seedPrestaShop(options: PsSeedOptions): Promise<void> {
  await options.writer.createTables(PRESTASHOP_TABLES);
  if (options.empty) return;
  const shop = new PsShop(options);
  for (const [key, person] of Object.entries(PS_CAST))
    await shop.writePerson({ ...person, address: { ...person.address } as Address }, PS_REGISTERED.has(key as never));
  const rng = new Random(options.seed);
  for (let n = 1; n <= options.customers; n++) {
    const { firstName, lastName } = makeName(rng);
    const address = makeAddress(rng);
    const email = makeEmail(rng, firstName, lastName, n);
    await shop.writePerson(
      {
        firstName,
        lastName,
        email: typedEmail(rng, email, 0.1),
        phone: makePhone(rng, address),
        address,
        ip: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0',
        orders: rng.int(0, 3),
        review: rng.chance(0.1) ? 'Waar blijft mijn pakket?' : undefined,
        session: rng.chance(0.1),
      },
      rng.chance(0.7),
    );
    if (n % 1000 === 0) options.onProgress?.(n, options.customers);
  }
  await options.writer.flush();
}

class PsShop {
  #customer = 0;
  #address = 0;
  #guest = 0;
  #connection = 0;
  #cart = 0;
  #order = 0;
  #thread = 0;
  readonly #rng: Random;

  constructor(private readonly o: PsSeedOptions) {
    this.#rng = new Random(o.seed + 11);
  }

  #add(table: string, row: Record<string, Cell>) {
    return this.o.writer.add(table, Object.keys(row), Object.values(row));
  }

  #hex(n: number): string {
    return this.#rng.chars(n, '0123456789abcdef');
  }

  async writePerson(p: WooPerson, registered: boolean): Promise<void> {
    const rng = this.#rng;
    const now = this.o.now.getTime();
    // A guest's every checkout makes a customer row of its own (is_guest = 1), with the address as typed then.
    const accounts = registered ? 1 : Math.max(1, p.orders);
    for (let a = 0; a < accounts; a++) {
      const at = now - rng.int(5, 1200) * DAY;
      const customer = await this.#writeCustomer(p, registered, at);
      const address = await this.#writeAddress(p, customer, at);
      const guest = ++this.#guest;
      await this.#add('guest', {
        id_guest: guest,
        id_operating_system: 2,
        id_web_browser: 3,
        id_customer: customer,
        javascript: 1,
        accept_language: 'nl',
        mobile_theme: 0,
      });
      const connection = ++this.#connection;
      await this.#add('connections', {
        id_connections: connection,
        id_guest: guest,
        id_page: 1,
        ip_address: ip2long(p.ip),
        date_add: sqlTime(at),
        http_referer: `https://zoeken.example/?q=${encodeURIComponent(p.lastName)}`,
      });
      await this.#add('connections_source', {
        id_connections: connection,
        http_referer: 'https://zoeken.example/',
        request_uri: '/nl/',
        keywords: '',
        date_add: sqlTime(at),
      });
      const orders = registered ? p.orders : a < p.orders ? 1 : 0;
      for (let i = 0; i < orders; i++) await this.#writeOrder(p, customer, guest, address, at + i * DAY);
      if (p.session && a === 0) await this.#writeCart(p, customer, guest, address, now - DAY);
      if (p.review && a === 0) await this.#writeThread(p, customer, at);
    }
    // A newsletter sign-up in the footer without an account (ps_emailsubscription).
    if (!registered && (p.download || p.session))
      await this.#add('emailsubscription', {
        email: p.email,
        newsletter_date_add: sqlTime(now - 40 * DAY),
        ip_registration_newsletter: p.ip,
        http_referer: '/nl/',
        active: 1,
        id_lang: 1,
      });
  }

  async #writeCustomer(p: WooPerson, registered: boolean, at: number): Promise<number> {
    const id = ++this.#customer;
    await this.#add('customer', {
      id_customer: id,
      id_gender: 1,
      id_default_group: registered ? 3 : 2,
      id_lang: 1,
      firstname: p.firstName,
      lastname: p.lastName,
      email: p.email,
      passwd: `$2y$10$${this.#hex(53)}`,
      birthday: registered ? '1980-05-17' : null,
      newsletter: registered && p.session ? 1 : 0,
      ip_registration_newsletter: registered && p.session ? p.ip : null,
      newsletter_date_add: registered && p.session ? sqlTime(at) : null,
      optin: 0,
      website: null,
      secure_key: this.#hex(32),
      note: registered && p.card ? `Klant belt liever op ${p.phone}` : null,
      active: 1,
      is_guest: registered ? 0 : 1,
      deleted: 0,
      date_add: sqlTime(at),
      date_upd: sqlTime(at),
    });
    return id;
  }

  async #writeAddress(p: WooPerson, customer: number, at: number): Promise<number> {
    const id = ++this.#address;
    await this.#add('address', {
      id_address: id,
      id_country: 13,
      id_customer: customer,
      alias: 'Mijn adres',
      company: null,
      lastname: p.lastName,
      firstname: p.firstName,
      address1: `${p.address.street} ${p.address.houseNumber}`,
      address2: '',
      postcode: p.address.postalCode,
      city: p.address.city,
      other: '',
      phone: p.phone,
      phone_mobile: p.phone,
      date_add: sqlTime(at),
      date_upd: sqlTime(at),
    });
    return id;
  }

  async #writeOrder(p: WooPerson, customer: number, guest: number, address: number, at: number): Promise<void> {
    const cart = await this.#writeCart(p, customer, guest, address, at);
    const id = ++this.#order;
    const product = CATALOGUE[this.#rng.int(0, CATALOGUE.length - 1)]!;
    const total = (product.priceCents / 100).toFixed(2);
    const reference = this.#rng.chars(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    await this.#add('orders', {
      id_order: id,
      reference,
      id_carrier: 1,
      id_lang: 1,
      id_customer: customer,
      id_cart: cart,
      id_currency: 1,
      id_address_delivery: address,
      id_address_invoice: address,
      current_state: 5,
      secure_key: this.#hex(32),
      payment: 'iDEAL',
      module: 'mollie',
      gift: 0,
      gift_message: this.#rng.chance(0.2) ? `Voor ${p.firstName}, gefeliciteerd!` : '',
      total_paid: total,
      total_paid_tax_incl: total,
      total_paid_real: total,
      total_products: total,
      invoice_number: id,
      invoice_date: sqlTime(at),
      delivery_date: sqlTime(at + 2 * DAY),
      valid: 1,
      date_add: sqlTime(at),
      date_upd: sqlTime(at),
      note: '',
    });
    await this.#add('order_payment', {
      order_reference: reference,
      id_currency: 1,
      amount: total,
      payment_method: 'iDEAL',
      transaction_id: `tr_${this.#hex(10)}`,
      card_number: null,
      card_brand: 'iDEAL',
      card_holder: `${p.firstName[0]}. ${p.lastName}`,
      date_add: sqlTime(at),
    });
  }

  async #writeCart(p: WooPerson, customer: number, guest: number, address: number, at: number): Promise<number> {
    const id = ++this.#cart;
    await this.#add('cart', {
      id_cart: id,
      id_carrier: 1,
      delivery_option: JSON.stringify({ [address]: '1,' }),
      id_lang: 1,
      id_address_delivery: address,
      id_address_invoice: address,
      id_currency: 1,
      id_customer: customer,
      id_guest: guest,
      secure_key: this.#hex(32),
      gift_message: '',
      date_add: sqlTime(at),
      date_upd: sqlTime(at),
      checkout_session_data: JSON.stringify({
        'checkout-personal-information-step': { step_is_complete: true, email: p.email },
      }),
    });
    return id;
  }

  async #writeThread(p: WooPerson, customer: number, at: number): Promise<void> {
    const id = ++this.#thread;
    await this.#add('customer_thread', {
      id_customer_thread: id,
      id_lang: 1,
      id_contact: 2,
      id_customer: customer,
      id_order: null,
      status: 'open',
      email: p.email,
      token: this.#hex(12),
      date_add: sqlTime(at),
      date_upd: sqlTime(at),
    });
    await this.#add('customer_message', {
      id_customer_thread: id,
      id_employee: 0,
      message: `${p.review} Bel mij op ${p.phone}. Groet, ${p.firstName} ${p.lastName}`,
      ip_address: p.ip,
      user_agent: p.agent.slice(0, 128),
      date_add: sqlTime(at),
      date_upd: sqlTime(at),
      private: 0,
    });
    await this.#add('customer_message', {
      id_customer_thread: id,
      id_employee: 1,
      message: `Beste ${p.firstName}, uw pakket is onderweg.`,
      ip_address: null,
      user_agent: null,
      date_add: sqlTime(at + DAY),
      date_upd: sqlTime(at + DAY),
      private: 0,
    });
  }
}
