/**
 * Generates the demo shop person by person, in one fixed sequence of random draws, so the same seed
 * gives the same rows whatever the batch size of the writer.
 */
import { DAY, HOUR, type OrderStatus, placeOrder, reviewAuthor, type ShopContext, YEAR } from './orders.ts';
import { makeAddress, makePerson, type Person, varyEmail } from './people.ts';
import { Random, weights } from './random.ts';
import { iso, RowBuffer } from './row-buffer.ts';
import { addSanne } from './sanne.ts';
import { CONTACT_CHANNELS, CONTACT_TOPICS, PHONE_NOTES, RATINGS, REVIEW_BODIES } from './vocabulary.ts';

/** Hours of the day in UTC (Dutch time minus one or two), weighted towards the evening. */
const UTC_HOURS = weights(
  [1, 1, 0, 0, 0, 1, 2, 4, 6, 7, 7, 7, 7, 6, 6, 7, 8, 9, 11, 12, 11, 8, 5, 2].map((w, hour) => [hour, w] as const),
);

/** Shop history reaches back this far, so the oldest invoices are a little over 9 years old. */
const HISTORY_YEARS = 9.25;

const ORDER_COUNTS = weights([
  [0, 20],
  [1, 30],
  [2, 20],
  [3, 12],
  [4, 8],
  [5, 4],
  [6, 3],
  [7, 2],
  [8, 1],
]);

/**
 * Fixed shapes for the first few customers so that even a tiny shop has every case a test needs:
 * a guest order in a differently typed address and a second account (2, 3), data known only by
 * e-mail and people known to the shop only by e-mail (4), the oldest invoices and longest inactivity (5), and a fresh invoice (6).
 */
interface Anchor {
  orders?: number;
  activityAgeYears?: number;
  createdAgeYears?: number;
  status?: OrderStatus;
  variantGuest?: boolean;
  secondAccount?: boolean;
  emailOnly?: boolean;
  /** A guest without account, a prospect who only wrote, and a reviewer who never ordered. */
  strangers?: boolean;
}
const ANCHORS: ReadonlyMap<number, Anchor> = new Map([
  [2, { orders: 2, activityAgeYears: 0.3, variantGuest: true, secondAccount: true }],
  [4, { orders: 1, activityAgeYears: 0.5, emailOnly: true, strangers: true }],
  [5, { orders: 2, activityAgeYears: 4.95, createdAgeYears: 9.1, status: 'delivered' }],
  [6, { orders: 1, activityAgeYears: 0.01, status: 'delivered' }],
]);

export class DemoShopGenerator {
  readonly rows = new RowBuffer();
  private readonly ctx: ShopContext;
  private readonly rng: Random;
  private readonly now: number;
  private readonly shopStart: number;
  private personNo = 0;

  constructor(options: { seed: number; now: Date }) {
    this.rng = new Random(options.seed);
    this.now = options.now.getTime();
    this.shopStart = this.now - HISTORY_YEARS * YEAR;
    this.ctx = { rng: this.rng, rows: this.rows, now: this.now };
  }

  /** Writes the next person (one account, sometimes two) with guests and strangers around them; returns the accounts written. */
  nextCustomers(room: number): number {
    if (this.rows.counts.customers === 0) {
      addSanne(this.ctx);
      return 1;
    }
    const rng = this.rng;
    const anchor = ANCHORS.get(this.rows.counts.customers + 1);
    const person = makePerson(rng, ++this.personNo);
    // Some people typed their address with capitals when they signed up.
    const email = rng.chance(0.05) ? recase(rng, person.email) : person.email;
    const first = this.addAccount(person, email, anchor);
    let accounts = 1;
    if (room >= 2 && (anchor?.secondAccount ?? rng.chance(0.02))) {
      // Forgot the password, signed up again: same address (perhaps in other case), perhaps moved.
      const moved: Person = rng.chance(0.5) ? { ...person, address: makeAddress(rng) } : person;
      this.addAccount(moved, rng.chance(0.5) ? recase(rng, email) : email, undefined);
      accounts = 2;
    }
    if (anchor?.variantGuest ?? rng.chance(0.04)) {
      const typed = anchor ? ` ${email.toUpperCase()}  ` : varyEmail(rng, email);
      const since = Math.max(this.shopStart, first.createdAt - YEAR);
      placeOrder(this.ctx, {
        customerId: null,
        email: typed,
        buyer: person,
        createdAt: this.when(since, first.lastActivity),
      });
    }
    if (anchor?.emailOnly ?? rng.chance(0.02)) {
      const typed = rng.chance(0.5) ? varyEmail(rng, email) : email;
      this.addLooseReview(person, typed, this.when(first.createdAt, first.lastActivity));
    }
    if (anchor?.emailOnly ?? rng.chance(0.04)) {
      const typed = rng.chance(0.5) ? varyEmail(rng, email) : email;
      const since = Math.max(this.shopStart, first.createdAt - 180 * DAY);
      this.addContact(null, typed, this.when(since, first.lastActivity), []);
    }
    this.addBystanders(anchor?.strangers === true);
    return accounts;
  }

  private between(from: number, to: number): number {
    return from + this.rng.next() * Math.max(0, to - from);
  }

  /** A moment in [from, to] at an hour people shop: evenings mostly, rarely at night. */
  private when(from: number, to: number): number {
    const moment = this.between(from, to);
    const shaped = Math.floor(moment / DAY) * DAY + this.rng.weighted(UTC_HOURS) * HOUR + this.rng.int(0, 3599) * 1000;
    return shaped >= from && shaped <= to ? shaped : moment;
  }

  /** Inactive 0 to 5 years, more often recently. */
  private activityAge(): number {
    const r = this.rng.next();
    return r < 0.45 ? this.rng.float(0, 1) : r < 0.65 ? this.rng.float(1, 2) : this.rng.float(2, 5);
  }

  private addAccount(person: Person, email: string, anchor: Anchor | undefined) {
    const { rng, rows, now } = this;
    const activity = now - 2 * HOUR - (anchor?.activityAgeYears ?? this.activityAge()) * YEAR;
    const lastActivity = this.when(activity - DAY, activity);
    let createdAt =
      anchor?.createdAgeYears !== undefined
        ? now - anchor.createdAgeYears * YEAR
        : lastActivity - (lastActivity - this.shopStart) * rng.next() ** 1.6;
    createdAt = this.when(createdAt - DAY, createdAt);
    const orderCount = anchor?.orders ?? rng.weighted(ORDER_COUNTS);
    // Where the last activity shows: a login, or (for those who never log in again) the last order.
    const r = rng.next();
    const login =
      orderCount === 0 || anchor?.orders
        ? r < 0.85
          ? 'last'
          : 'none'
        : r < 0.7
          ? 'last'
          : r < 0.85
            ? 'none'
            : 'earlier';
    if (orderCount === 0 && login === 'none') createdAt = lastActivity;
    const lastLogin =
      login === 'last' ? lastActivity : login === 'earlier' ? this.between(createdAt, lastActivity) : null;
    const times: number[] = [];
    for (let i = 0; i < orderCount; i++) times.push(this.when(createdAt, lastActivity));
    times.sort((a, b) => a - b);
    if (orderCount > 0 && (anchor?.orders || rng.chance(0.6))) times[0] = createdAt + rng.int(60, 1800) * 1000;
    if (orderCount > 0 && (anchor?.orders || login !== 'last')) times[orderCount - 1] = lastActivity;
    const a = person.address;
    const withAddress = orderCount > 0 || rng.chance(0.4);
    const customerId = rows.nextId('customers');
    rows.push('customers', [
      customerId,
      email,
      person.firstName,
      person.lastName,
      person.phone,
      withAddress ? a.street : null,
      withAddress ? a.houseNumber : null,
      withAddress ? a.postalCode : null,
      withAddress ? a.city : null,
      a.country,
      iso(createdAt),
      lastLogin === null ? null : iso(lastLogin),
    ]);
    const numbers: string[] = [];
    for (const createdAtOrder of times) {
      const spec = { customerId, email, buyer: person, createdAt: createdAtOrder, status: anchor?.status };
      numbers.push(placeOrder(this.ctx, spec).number);
    }
    if (rng.chance(0.2)) {
      const count = rng.int(1, 3);
      for (let i = 0; i < count; i++) this.addContact(customerId, email, this.when(createdAt, lastActivity), numbers);
    }
    return { customerId, createdAt, lastActivity };
  }

  /** Guests without an account, and people who only ever wrote or reviewed. */
  private addBystanders(all: boolean): void {
    const { rng } = this;
    const latest = this.now - 2 * HOUR;
    if (all || rng.chance(0.12)) {
      const guest = makePerson(rng, ++this.personNo);
      const typed = rng.chance(0.1) ? varyEmail(rng, guest.email) : guest.email;
      const count = rng.chance(0.15) ? 2 : 1;
      for (let i = 0; i < count; i++) {
        placeOrder(this.ctx, {
          customerId: null,
          email: typed,
          buyer: guest,
          createdAt: this.when(this.shopStart, latest),
        });
      }
    }
    if (all || rng.chance(0.03)) {
      const prospect = makePerson(rng, ++this.personNo);
      this.addContact(null, prospect.email, this.when(this.shopStart, latest), []);
    }
    if (all || rng.chance(0.01)) {
      const reviewer = makePerson(rng, ++this.personNo);
      this.addLooseReview(reviewer, reviewer.email, this.when(this.shopStart, latest));
    }
  }

  /** A review with no order behind it: the review platform knows the person only by e-mail. */
  private addLooseReview(person: Person, email: string, at: number): void {
    const { rng, rows } = this;
    const rating = rng.weighted(RATINGS);
    rows.push('reviews', [
      rows.nextId('reviews'),
      null,
      reviewAuthor(rng, person),
      email,
      rating,
      rng.pick(REVIEW_BODIES[rating]),
      iso(at),
    ]);
  }

  private addContact(customerId: number | null, email: string, at: number, orderNumbers: readonly string[]): void {
    const { rng, rows } = this;
    const channel = rng.weighted(CONTACT_CHANNELS);
    const order = orderNumbers.length > 0 ? rng.pick(orderNumbers) : null;
    const fill = (text: string) =>
      order ? text.replace('{order}', order) : text.replace(' {order}', '').replace('{order}', 'mijn bestelling');
    let subject: string | null;
    let body: string | null;
    if (channel === 'phone') {
      subject = rng.chance(0.5) ? 'Telefonisch contact' : null;
      body = fill(rng.pick(PHONE_NOTES));
    } else {
      const topic = rng.pick(CONTACT_TOPICS);
      subject = channel === 'chat' ? null : topic.subject;
      body = fill(topic.body);
    }
    rows.push('contact_moments', [rows.nextId('contact_moments'), customerId, email, channel, subject, body, iso(at)]);
  }
}

/** The same address in other case only (no spaces): how a second sign-up or a careless keyboard types it. */
function recase(rng: Random, email: string): string {
  const capitalised = email.replace(/(^|[._@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
  return rng.chance(0.8) ? capitalised : email.toUpperCase();
}
