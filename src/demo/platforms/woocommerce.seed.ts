import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { type Address, makeAddress, makeEmail, makeName, makePhone, varyEmail } from '../people.ts';
import { Random, weights } from '../random.ts';
import { PRODUCTS } from '../vocabulary.ts';
import type { Cell, MysqlShopWriter } from './mysql-shop-writer.ts';
import { phpSerialize } from './php-serialize.ts';
import { WOOCOMMERCE_TABLES } from './woocommerce.schema.ts';

/**
 * Where WooCommerce keeps orders: `hpos` (the custom order tables; posts hold only placeholders),
 * `legacy` (posts and postmeta only) or `sync` (HPOS with compatibility sync on: both copies hold the person).
 */
export type WooStorage = 'hpos' | 'legacy' | 'sync';

/** A person of the shop, as typed at checkout. */
export interface WooPerson {
  firstName: string;
  lastName: string;
  /** As typed: case and spaces vary. */
  email: string;
  phone: string;
  address: Address;
  ip: string;
  agent: string;
  /** A registered customer's user id; guests have none. */
  userId?: number;
  orders: number;
  review?: string;
  session?: boolean;
  download?: boolean;
  card?: boolean;
}

/**
 * The cast the tests follow: Jan (an account with everything), his namesake, a guest `a_b%c@` whose
 * address is a LIKE pattern for `axbyyc@` (another guest), `zoë@` (a guest) beside `zoe@` (an account).
 */
export const WOO_CAST = {
  jan: {
    firstName: 'Jan',
    lastName: 'Jansen',
    email: ' Jan@Example.NL',
    phone: '06-12121212',
    address: { street: 'Dorpsstraat', houseNumber: '1', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' },
    ip: '192.0.2.10',
    agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 JanBrowser',
    orders: 3,
    review: 'Top set, binnen een uur aangesloten.',
    session: true,
    download: true,
    card: true,
  },
  namesake: {
    firstName: 'Jan',
    lastName: 'Jansen',
    email: 'jan.jansen@example.com',
    phone: '06-34343434',
    address: { street: 'Kerkweg', houseNumber: '7', postalCode: '1011 AB', city: 'Amsterdam', country: 'NL' },
    ip: '192.0.2.77',
    agent: 'Mozilla/5.0 (Macintosh) Safari/605.1.15',
    orders: 1,
    review: 'Prima omvormer.',
  },
  guest: {
    firstName: 'Ab',
    lastName: 'Cornelisse',
    email: 'A_B%C@example.nl ',
    phone: '+31 6 56565656',
    address: {
      street: 'Laan van Nieuw Oost-Indië',
      houseNumber: '22',
      postalCode: '2593 BS',
      city: 'Den Haag',
      country: 'NL',
    },
    ip: '198.51.100.7',
    agent: 'Mozilla/5.0 (iPhone) Mobile Safari/604.1 GuestPhone',
    orders: 2,
    review: 'Snelle levering.',
    session: true,
    download: true,
  },
  lookalike: {
    firstName: 'Axel',
    lastName: 'Bijl',
    email: 'axbyyc@example.nl',
    phone: '06-78787878',
    address: { street: 'Oude Delft', houseNumber: '3', postalCode: '2611 CD', city: 'Delft', country: 'NL' },
    ip: '203.0.113.9',
    agent: 'Mozilla/5.0 (Windows NT 10.0) Edg/131.0',
    orders: 1,
    review: 'Goed.',
    session: true,
  },
  zoeGuest: {
    firstName: 'Zoë',
    lastName: 'de Wit',
    email: 'zoë@example.nl',
    phone: '06-90909090',
    address: { street: 'Brink', houseNumber: '9', postalCode: '7411 BR', city: 'Deventer', country: 'NL' },
    ip: '198.51.100.8',
    agent: 'Mozilla/5.0 (Android 14) Chrome/131.0 Mobile',
    orders: 1,
    session: true,
  },
  zoeAccount: {
    firstName: 'Zoe',
    lastName: 'Visser',
    email: 'zoe@example.nl',
    phone: '06-45454545',
    address: { street: 'Markt', houseNumber: '12', postalCode: '5611 EB', city: 'Eindhoven', country: 'NL' },
    ip: '203.0.113.44',
    agent: 'Mozilla/5.0 (X11) Firefox/128.0',
    orders: 1,
  },
} satisfies Record<string, Omit<WooPerson, 'userId'> & { address: Address }>;

export const WOO_REGISTERED = new Set<keyof typeof WOO_CAST>(['jan', 'namesake', 'lookalike', 'zoeAccount']);

export interface WooSeedOptions {
  writer: MysqlShopWriter;
  /** Only the tables, as on a fresh install. */
  empty?: boolean;
  /** Random customers besides the cast. */
  customers: number;
  seed: number;
  storage: WooStorage;
  now: Date;
  onProgress?: (done: number, total: number) => void;
}

const DAY = 86_400_000;
const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
/**
 * WordPress writes a post's `post_date` in the site's own time zone and `post_date_gmt` in UTC (its other
 * `_gmt` columns, `user_registered` and WooCommerce's tables are UTC): a Dutch shop's site time is Amsterdam's.
 */
const siteTime = (ms: number) => format(new TZDate(ms, 'Europe/Amsterdam'), 'yyyy-MM-dd HH:mm:ss');
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Version/18.1 Safari/605.1.15',
];
const ORDER_COUNTS = weights([
  [0, 15],
  [1, 50],
  [2, 20],
  [3, 10],
  [5, 5],
] as const);
const CATALOGUE = Object.values(PRODUCTS).slice(0, 8);
/** Product posts get ids 10…; the installation guide (a download) is the last. */
const PRODUCT_ID = (i: number) => 10 + i;
const GUIDE_ID = PRODUCT_ID(CATALOGUE.length);

/** Writes a WooCommerce shop: the cast first, then `customers` random people (70% with an account). */
export async function seedWooCommerce(options: WooSeedOptions): Promise<void> {
  const { writer } = options;
  await writer.createTables(WOOCOMMERCE_TABLES);
  if (options.empty) return;
  const shop = new WooShop(options);
  await shop.writeProducts();
  for (const [key, person] of Object.entries(WOO_CAST)) {
    const registered = WOO_REGISTERED.has(key as keyof typeof WOO_CAST);
    await shop.writePerson({ ...person, address: { ...person.address } as Address }, registered);
  }
  const rng = new Random(options.seed);
  for (let n = 1; n <= options.customers; n++) {
    await shop.writePerson(randomPerson(rng, n), rng.chance(0.7));
    if (n % 1000 === 0) options.onProgress?.(n, options.customers);
  }
  await writer.flush();
}

/**
 * The address as typed: with probability `p` in other capitals, and one time in twenty-five of those with
 * stray spaces as well (checkout forms trim most of them; old imports and the admin's own entries do not).
 */
export function typedEmail(rng: Random, email: string, p: number): string {
  if (!rng.chance(p)) return email;
  if (rng.chance(0.04)) return varyEmail(rng, email);
  return rng.chance(0.5)
    ? email.toUpperCase()
    : email.replace(/(^|[._@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function randomPerson(rng: Random, n: number): WooPerson {
  const { firstName, lastName } = makeName(rng);
  const address = makeAddress(rng);
  const email = makeEmail(rng, firstName, lastName, n);
  return {
    firstName,
    lastName,
    email: typedEmail(rng, email, 0.1),
    phone: makePhone(rng, address),
    address,
    ip: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    agent: rng.pick(AGENTS),
    orders: rng.weighted(ORDER_COUNTS),
    review: rng.chance(0.15) ? 'Werkt prima, goed verpakt.' : undefined,
    // WooCommerce deletes a session 48 hours after the visit (a cleanup job twice a day), so the table
    // holds the carts of the last two days only: this shop takes about 120 orders a day, and with seven
    // carts in ten abandoned (Baymard's average) that is some 800 live carts, under 1% of its customers.
    session: rng.chance(0.01),
    download: rng.chance(0.05),
    card: rng.chance(0.05),
  };
}

class WooShop {
  #userId = 1;
  #postId = 1000;
  #customerLookupId = 0;
  #commentId = 0;
  #permissionId = 0;
  #itemId = 0;
  #tokenId = 0;
  readonly #rng: Random;

  #hex(bytes: number): string {
    return this.#rng.chars(bytes * 2, '0123456789abcdef');
  }

  constructor(private readonly o: WooSeedOptions) {
    this.#rng = new Random(o.seed + 7);
  }

  #add(table: string, row: Record<string, Cell>) {
    return this.o.writer.add(table, Object.keys(row), Object.values(row));
  }

  async writeProducts(): Promise<void> {
    const made = this.o.now.getTime() - 900 * DAY;
    const at = sqlTime(made);
    const products = [...CATALOGUE.map((p) => p.description), 'Installatiehandleiding (PDF)'];
    for (const [i, title] of products.entries())
      await this.#add('posts', {
        ...emptyPost(),
        ID: PRODUCT_ID(i),
        post_type: 'product',
        post_title: title,
        post_date: siteTime(made),
        post_date_gmt: at,
        post_name: `product-${i}`,
      });
    // The shop's own account, which writes order notes and owns the products.
    await this.#add('users', {
      ID: 1,
      user_login: 'winkelbeheer',
      user_email: 'beheer@shop.example',
      user_registered: at,
      display_name: 'Winkelbeheer',
      user_pass: '$P$hash',
      user_nicename: 'winkelbeheer',
    });
  }

  async writePerson(p: WooPerson, registered: boolean): Promise<void> {
    const rng = this.#rng;
    const now = this.o.now.getTime();
    const email = p.email.trim().toLowerCase();
    const registeredAt = now - rng.int(30, 1500) * DAY;
    let lookupId: number | undefined;
    if (registered) {
      p.userId = ++this.#userId;
      await this.#writeAccount(p, registeredAt);
    }
    if (registered || p.orders > 0) {
      lookupId = ++this.#customerLookupId;
      await this.#add('wc_customer_lookup', {
        customer_id: lookupId,
        user_id: p.userId ?? null,
        username: registered ? login(p) : '',
        first_name: p.firstName,
        last_name: p.lastName,
        email,
        date_last_active: sqlTime(now - rng.int(1, 200) * DAY),
        date_registered: registered ? sqlTime(registeredAt) : null,
        country: p.address.country,
        postcode: p.address.postalCode,
        city: p.address.city,
        state: '',
        billing_phone: p.phone,
        shipping_phone: '',
      });
    }
    for (let i = 0; i < p.orders; i++) await this.#writeOrder(p, lookupId!, now - rng.int(2, 1200) * DAY, i === 0);
    if (p.review) await this.#writeReview(p, now - rng.int(1, 300) * DAY);
    if (p.session) await this.#writeSession(p);
  }

  async #writeAccount(p: WooPerson, at: number): Promise<void> {
    const id = p.userId!;
    await this.#add('users', {
      ID: id,
      user_login: login(p),
      user_pass: '$wp$2y$10$abcdefghijklmnopqrstuv',
      user_nicename: login(p),
      user_email: p.email,
      user_url: '',
      user_registered: sqlTime(at),
      display_name: `${p.firstName} ${p.lastName}`,
    });
    const a = p.address;
    const meta: Record<string, string> = {
      nickname: login(p),
      first_name: p.firstName,
      last_name: p.lastName,
      description: '',
      [`${this.o.writer.prefix}capabilities`]: phpSerialize({ customer: true }),
      billing_first_name: p.firstName,
      billing_last_name: p.lastName,
      billing_company: '',
      billing_address_1: `${a.street} ${a.houseNumber}`,
      billing_address_2: '',
      billing_city: a.city,
      billing_postcode: a.postalCode,
      billing_country: a.country,
      billing_state: '',
      billing_phone: p.phone,
      billing_email: p.email.trim(),
      shipping_first_name: p.firstName,
      shipping_last_name: p.lastName,
      shipping_company: '',
      shipping_address_1: `${a.street} ${a.houseNumber}`,
      shipping_address_2: '',
      shipping_city: a.city,
      shipping_postcode: a.postalCode,
      shipping_country: a.country,
      shipping_state: '',
      shipping_phone: p.phone,
      last_update: String(Math.floor(at / 1000)),
      wc_last_active: String(Math.floor((this.o.now.getTime() - 3 * DAY) / 1000)),
      session_tokens: phpSerialize({
        [this.#hex(32)]: {
          expiration: Math.floor(at / 1000) + 1209600,
          ip: p.ip,
          ua: p.agent,
          login: Math.floor(at / 1000),
        },
      }),
    };
    for (const [key, value] of Object.entries(meta))
      await this.#add('usermeta', { user_id: id, meta_key: key, meta_value: value });
    if (p.card) {
      const token = ++this.#tokenId;
      await this.#add('woocommerce_payment_tokens', {
        token_id: token,
        gateway_id: 'stripe',
        token: `pm_${this.#hex(12)}`,
        user_id: id,
        type: 'CC',
        is_default: 1,
      });
      for (const [key, value] of Object.entries({
        last4: '4242',
        expiry_year: '2029',
        expiry_month: '04',
        card_type: 'visa',
      }))
        await this.#add('woocommerce_payment_tokenmeta', { payment_token_id: token, meta_key: key, meta_value: value });
    }
  }

  async #writeOrder(p: WooPerson, lookupId: number, at: number, first: boolean): Promise<void> {
    const rng = this.#rng;
    const id = ++this.#postId;
    const storage = this.o.storage;
    const a = p.address;
    const typed = rng.chance(0.3) ? typedEmail(rng, p.email.trim(), 1) : p.email;
    const product = rng.int(0, CATALOGUE.length - 1);
    const total = (CATALOGUE[product]!.priceCents / 100).toFixed(2);
    const orderKey = `wc_order_${this.#hex(6)}`;
    const note = rng.chance(0.2) ? `Graag bellen op ${p.phone} voor levering` : '';
    const when = sqlTime(at);
    const local = siteTime(at);
    const customerUser = p.userId ?? 0;
    const billing = {
      first_name: p.firstName,
      last_name: p.lastName,
      company: '',
      address_1: `${a.street} ${a.houseNumber}`,
      address_2: '',
      city: a.city,
      state: '',
      postcode: a.postalCode,
      country: a.country,
      email: typed,
      phone: p.phone,
    };
    const index = Object.values(billing).join(' ');
    const shippingIndex = Object.values({ ...billing, email: '' }).join(' ');
    const attribution = { _wc_order_attribution_source_type: 'typein', _wc_order_attribution_user_agent: p.agent };
    if (storage !== 'hpos') {
      await this.#add('posts', {
        ...emptyPost(),
        ID: id,
        post_type: 'shop_order',
        post_status: 'wc-completed',
        post_date: local,
        post_date_gmt: when,
        post_title: `Order &ndash; ${local}`,
        post_excerpt: note,
        post_password: orderKey,
        post_name: `order-${id}`,
      });
      const meta: Record<string, string> = {
        _customer_user: String(customerUser),
        _order_key: orderKey,
        _order_currency: 'EUR',
        ...Object.fromEntries(Object.entries(billing).map(([k, v]) => [`_billing_${k}`, v])),
        ...Object.fromEntries(
          Object.entries(billing)
            .filter(([k]) => k !== 'email')
            .map(([k, v]) => [`_shipping_${k}`, v]),
        ),
        _payment_method: 'mollie_wc_gateway_ideal',
        _payment_method_title: 'iDEAL',
        _transaction_id: `tr_${this.#hex(5)}`,
        _customer_ip_address: p.ip,
        _customer_user_agent: p.agent,
        _created_via: 'checkout',
        _order_total: total,
        _date_paid: String(Math.floor(at / 1000)),
        _billing_address_index: index,
        _shipping_address_index: shippingIndex,
        ...attribution,
      };
      for (const [key, value] of Object.entries(meta))
        await this.#add('postmeta', { post_id: id, meta_key: key, meta_value: value });
    } else {
      // With HPOS authoritative and sync off, WooCommerce keeps a placeholder post under the order's id.
      await this.#add('posts', {
        ...emptyPost(),
        ID: id,
        post_type: 'shop_order_placehold',
        post_status: 'draft',
        post_date: local,
        post_date_gmt: when,
      });
    }
    if (storage !== 'legacy') {
      await this.#add('wc_orders', {
        id,
        status: 'wc-completed',
        currency: 'EUR',
        type: 'shop_order',
        tax_amount: '0',
        total_amount: total,
        customer_id: customerUser,
        billing_email: typed,
        date_created_gmt: when,
        date_updated_gmt: when,
        parent_order_id: 0,
        payment_method: 'mollie_wc_gateway_ideal',
        payment_method_title: 'iDEAL',
        transaction_id: `tr_${this.#hex(5)}`,
        ip_address: p.ip,
        user_agent: p.agent,
        customer_note: note,
      });
      await this.#add('wc_order_addresses', { order_id: id, address_type: 'billing', ...billing });
      await this.#add('wc_order_addresses', { order_id: id, address_type: 'shipping', ...billing, email: null });
      await this.#add('wc_order_operational_data', {
        order_id: id,
        created_via: 'checkout',
        woocommerce_version: '9.9.3',
        prices_include_tax: 1,
        order_key: orderKey,
        date_paid_gmt: when,
        date_completed_gmt: when,
        recorded_sales: 1,
      });
      const meta = { _billing_address_index: index, _shipping_address_index: shippingIndex, ...attribution };
      for (const [key, value] of Object.entries(meta))
        await this.#add('wc_orders_meta', { order_id: id, meta_key: key, meta_value: value });
    }
    const item = ++this.#itemId;
    await this.#add('woocommerce_order_items', {
      order_item_id: item,
      order_item_name: CATALOGUE[product]!.description,
      order_item_type: 'line_item',
      order_id: id,
    });
    for (const [key, value] of Object.entries({
      _product_id: String(PRODUCT_ID(product)),
      _qty: '1',
      _line_total: total,
    }))
      await this.#add('woocommerce_order_itemmeta', { order_item_id: item, meta_key: key, meta_value: value });
    await this.#add('wc_order_stats', {
      order_id: id,
      parent_id: 0,
      date_created: when,
      date_created_gmt: when,
      date_paid: when,
      num_items_sold: 1,
      total_sales: Number(total),
      net_total: Number(total),
      returning_customer: first ? 0 : 1,
      status: 'wc-completed',
      customer_id: lookupId,
    });
    await this.#add('wc_order_product_lookup', {
      order_item_id: item,
      order_id: id,
      product_id: PRODUCT_ID(product),
      variation_id: 0,
      customer_id: lookupId,
      date_created: when,
      product_qty: 1,
      product_net_revenue: Number(total),
      product_gross_revenue: Number(total),
    });
    // Order notes: WooCommerce's own, and the payment plug-in's, which names the payer.
    await this.#note(id, at, 'Bestelstatus gewijzigd van In afwachting van betaling naar Verwerken.');
    await this.#note(id, at, `Betaling voltooid via iDEAL (tr_${this.#hex(5)}) door ${p.firstName[0]}. ${p.lastName}.`);
    if (p.download && first) {
      const permission = ++this.#permissionId;
      await this.#add('woocommerce_downloadable_product_permissions', {
        permission_id: permission,
        download_id: this.#hex(18),
        product_id: GUIDE_ID,
        order_id: id,
        order_key: orderKey,
        user_email: typed.trim(),
        user_id: p.userId ?? null,
        downloads_remaining: '',
        access_granted: when,
        download_count: 1,
      });
      await this.#add('wc_download_log', {
        timestamp: when,
        permission_id: permission,
        user_id: p.userId ?? null,
        user_ip_address: p.ip,
      });
    }
  }

  #note(postId: number, at: number, text: string) {
    return this.#add('comments', {
      comment_ID: ++this.#commentId,
      comment_post_ID: postId,
      comment_author: 'WooCommerce',
      comment_author_email: 'woocommerce@shop.example',
      comment_date: siteTime(at),
      comment_date_gmt: sqlTime(at),
      comment_content: text,
      comment_approved: '1',
      comment_agent: 'WooCommerce',
      comment_type: 'order_note',
      user_id: 0,
    });
  }

  async #writeReview(p: WooPerson, at: number): Promise<void> {
    const id = ++this.#commentId;
    await this.#add('comments', {
      comment_ID: id,
      comment_post_ID: PRODUCT_ID(0),
      comment_author: `${p.firstName} ${p.lastName}`,
      comment_author_email: p.email,
      comment_author_url: '',
      comment_author_IP: p.ip,
      comment_date: siteTime(at),
      comment_date_gmt: sqlTime(at),
      comment_content: p.review!,
      comment_approved: '1',
      comment_agent: p.agent,
      comment_type: 'review',
      user_id: p.userId ?? 0,
    });
    for (const [key, value] of Object.entries({ rating: '5', verified: p.orders > 0 ? '1' : '0' }))
      await this.#add('commentmeta', { comment_id: id, meta_key: key, meta_value: value });
  }

  async #writeSession(p: WooPerson): Promise<void> {
    const a = p.address;
    const customer = phpSerialize({
      id: String(p.userId ?? 0),
      first_name: p.firstName,
      last_name: p.lastName,
      address_1: `${a.street} ${a.houseNumber}`,
      city: a.city,
      postcode: a.postalCode,
      country: a.country,
      email: p.email,
      phone: p.phone,
    });
    await this.#add('woocommerce_sessions', {
      session_key: p.userId ? String(p.userId) : `t_${this.#hex(15)}`,
      session_value: phpSerialize({ cart: phpSerialize([]), customer }),
      session_expiry: Math.floor(this.o.now.getTime() / 1000) + 2 * 86400,
    });
  }
}

const login = (p: WooPerson) => `${p.firstName}${p.lastName}${p.userId ?? ''}`.toLowerCase().replace(/[^a-z0-9]/g, '');

function emptyPost(): Record<string, Cell> {
  return {
    post_author: 1,
    post_content: '',
    post_title: '',
    post_excerpt: '',
    to_ping: '',
    pinged: '',
    post_content_filtered: '',
  };
}
