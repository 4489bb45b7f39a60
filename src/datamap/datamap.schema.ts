import { z } from 'zod';
import { LocalizedText } from '../policy/policy.schema.ts';

/**
 * The data map: which systems hold personal data, how a person is found in each,
 * and what erasure does to every field. Written by an integrator, so the shapes
 * stay short: a field can be written as `"contact mask"` instead of an object.
 */

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a plain identifier (letters, digits, _)' });
const id = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lower-case id (letters, digits, dashes)' });

export const EraseStrategy = z.enum(['delete', 'null', 'mask', 'hash', 'keep']);
export type EraseStrategy = z.infer<typeof EraseStrategy>;

/** What a field means, so that a rectification of "the last name" reaches every column that holds it. */
export const FieldRole = z.enum([
  'email',
  'first_name',
  'last_name',
  'full_name',
  'phone',
  'street',
  'house_number',
  'postal_code',
  'city',
  'country',
  'address',
]);
export type FieldRole = z.infer<typeof FieldRole>;

/**
 * How a value holds the person when it holds more than one thing: `serialized` (PHP's serialize(), e.g.
 * WooCommerce sessions, WordPress session tokens), `json`, or `composite` (a string of words, such as
 * WooCommerce's `_billing_address_index`: name, address, e-mail and phone joined by spaces). An identity
 * field of such a format finds the person by containment: their exact address as one of the value's
 * strings (serialized, json) or words (composite). Serialized values are never edited in place (their
 * lengths would break): `mask` and `hash` are refused on them.
 */
export const ValueFormat = z.enum(['plain', 'serialized', 'json', 'composite']);
export type ValueFormat = z.infer<typeof ValueFormat>;

const FieldObject = z.strictObject({
  /** A data category id from the policy; absent for fields that are not personal data. */
  category: id.optional(),
  // YAML reads `erase: null` as no value at all; the integrator means the strategy.
  erase: z.preprocess((v) => (v === null ? 'null' : v), EraseStrategy).default('keep'),
  /** The value `mask` writes; defaults to the map's placeholder. */
  placeholder: z.string().optional(),
  role: FieldRole.optional(),
  /**
   * The value names the party the person's data went to: a carrier, a payment provider. `datamap check`
   * reads the values in the live database and warns about one that names no party of the policy
   * (GDPR Art. 13(1)(e): every recipient is named to the person).
   */
  recipient: z.boolean().optional(),
  /** What the value is: `plain` (the default), or a larger value with the person inside (see ValueFormat). */
  format: ValueFormat.optional(),
  /**
   * What the person reads for this field in their access answer ("Straat", "Telefoonnummer"); defaults
   * to a word for the role or the column's well-known name, else the category's name in the policy.
   */
  label: LocalizedText.optional(),
});

const FieldShorthand = z
  .string()
  .regex(/^[a-z][a-z0-9-]* (delete|null|mask|hash|keep)( (plain|serialized|json|composite))?$/, {
    error:
      'must be "<category> <delete|null|mask|hash|keep> [serialized|json|composite]" or an object {category, erase, placeholder, role, format}',
  })
  .transform((s) => {
    const [category, erase, format] = s.split(' ') as [string, EraseStrategy, ValueFormat | undefined];
    return { category, erase, placeholder: undefined, role: undefined, recipient: undefined, format, label: undefined };
  });

export const Field = z.union([FieldShorthand, FieldObject]);
export type Field = z.output<typeof FieldObject>;

export const LegalHold = z
  .strictObject({
    /** The hold's id; the policy's retention rule with this `legalHold` gives its term and legal basis. */
    hold: id,
    /**
     * The column the term counts from, e.g. `issued_at`. A row without a date of its own (WooCommerce's
     * `wc_order_addresses`) leaves it out and counts from its parent's date, named by `otherwise`.
     */
    from: name.optional(),
    /**
     * Where a record's own date is empty (an unpaid or cancelled payment has no `paid_at`): the date of the
     * parent row it references, as `collection.column`, e.g. `orders.created_at`.
     */
    otherwise: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be "collection.column"' })
      .optional(),
    /**
     * Seal at erasure only: when the term ends the archive's copy goes, but the shop's rows stay: rows the
     * shop still uses for other things (PrestaShop's addresses, shared by the account and its orders).
     */
    sealOnly: z.boolean().optional(),
  })
  .refine((h) => h.from !== undefined || h.otherwise !== undefined, {
    error: 'needs "from" (a date column of its own), "otherwise" (its parent\'s date), or both',
  });
export type LegalHold = z.infer<typeof LegalHold>;

const collectionColumn = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be "collection.column"' });

/** A meta key as the shop writes it (`_billing_email`, `billing_phone`, `meta-box-order_dashboard`). */
const metaKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\p{C}]+$/u, { error: 'must be printable text' });

/**
 * A key-value table that extends the collection's rows, such as WordPress's `usermeta` and `postmeta` or
 * WooCommerce's `wc_orders_meta`: rows `(owner, key, value)`, the owner being the collection's primary key.
 * Each key named in `fields` is a field of the owner's record (access shows it as one); erasure deletes
 * that key's row (`delete`) or sets its value by the strategy; when the owner's row is deleted, every one
 * of its meta rows goes with it.
 */
export const MetaTable = z.strictObject({
  /** The table; the system's `tablePrefix` is put before it. */
  table: name,
  /** The column holding the owner's primary key, e.g. `post_id`, `user_id`, `order_id`. */
  owner: name,
  key: name.default('meta_key'),
  value: name.default('meta_value'),
  /** Keys whose value is the person's e-mail address: such a row finds its owner (`_billing_email`: a guest order). */
  identity: z.array(metaKey).default([]),
  /** `key: collection.column` — the owner belongs to a found row of that collection (`_customer_user: customers.ID`). */
  references: z.record(metaKey, collectionColumn).default({}),
  /** Keys holding a Unix time (seconds) that counts as a contact moment (`wc_last_active`), for retention. */
  activity: z.array(metaKey).default([]),
  fields: z.record(metaKey, Field).default({}),
});
export type MetaTable = z.output<typeof MetaTable>;

const FilterValue = z.union([z.string(), z.number()]);

export const Collection = z.strictObject({
  /**
   * The heading the person reads for these records in their access answer ("Uw bestellingen"); defaults
   * to a word for a well-known collection name, else the main category's name in the policy.
   */
  label: LocalizedText.optional(),
  /** The table; defaults to the collection's key. The system's `tablePrefix` is put before it. */
  table: name.optional(),
  primaryKey: name.default('id'),
  /**
   * Only the rows where each column has this value or one of these values: a collection can be a part of
   * a table (`posts` with `post_type: shop_order`, `comments` with `comment_type: review`).
   */
  where: z.record(name, z.union([FilterValue, z.array(FilterValue).min(1)])).optional(),
  /**
   * Columns that hold the person's e-mail address (matched trimmed, lower-cased, otherwise exactly); a
   * column whose field has a `format` other than plain finds the person by containment.
   */
  identity: z.array(name).default([]),
  /** `column: collection.column` — rows that belong to a found row of the other collection. */
  references: z.record(name, collectionColumn).default({}),
  /** Columns whose time counts as a contact moment or transaction (for retention). */
  activity: z.array(name).default([]),
  /**
   * The column that dates when a row's data was collected: a retention rule counted `from: collected`
   * (technical data, 3 months) clears the row's fields of its categories that long after it.
   */
  collectedAt: name.optional(),
  legalHold: LegalHold.optional(),
  fields: z.record(name, Field).default({}),
  /** A key-value table whose rows extend this collection's rows. */
  meta: MetaTable.optional(),
});
export type Collection = z.output<typeof Collection>;

/** An IANA time zone name this runtime knows (UTC, Europe/Amsterdam). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

const SqlSystem = z.strictObject({
  type: z.literal('sql'),
  name: z.string().optional(),
  /** A Kysely connection: a SQLite path or sqlite: URL, postgres://…, or mysql://…. `${VAR}` reads the environment. */
  url: z.string().min(1),
  /** PostgreSQL schema, when not the default. */
  schema: name.optional(),
  /**
   * Put before every table name of this system: `wp_`, `ps_` or the shop's own. `${VAR:-default}` reads
   * the environment, e.g. `${WOO_TABLE_PREFIX:-wp_}`.
   */
  tablePrefix: z.string().max(64).optional(),
  /**
   * The time zone of this database's dates and times that carry none (a MySQL/MariaDB `datetime`, SQLite
   * text): `UTC` unless said, or an IANA name such as `Europe/Amsterdam` for software that writes local
   * time (PrestaShop writes its shop's zone). Terms, activity and the financial year a record falls in are
   * read from the instant it names. PostgreSQL's `timestamptz` carries its zone and is read as it is.
   */
  timeZone: z
    .string()
    .refine(isTimeZone, { error: 'must be an IANA time zone such as UTC or Europe/Amsterdam' })
    // The runtime's own name for it: Etc/UTC and GMT are UTC.
    .transform((zone) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone)
    .optional(),
  /** The policy's processor that runs this system, if any (e.g. the webshop software). */
  processor: id.optional(),
  collections: z.record(name, Collection),
});

const ManualSystem = z.strictObject({
  type: z.literal('manual'),
  name: z.string().optional(),
  /** The policy's processor this is. */
  processor: id,
  /** Who to ask. */
  contact: z.string().min(1),
  /** How to ask, for the officer. */
  instructions: LocalizedText,
  /** How many days they take to answer. */
  days: z.int().positive().default(14),
  /** Data categories they hold (defaults to the processor's categories in the policy). */
  categories: z.array(id).optional(),
});

/**
 * A processor reached through its API (src/connectors/api/registry.ts names the connectors). Without
 * its secrets in the environment it falls back to a manual task, so the manual fields stay required.
 */
const ApiSystem = z.strictObject({
  type: z.literal('api'),
  name: z.string().optional(),
  /** A connector name of the registry, e.g. `mollie`. */
  connector: id,
  /** The policy's processor this is. */
  processor: id,
  /** The API's base URL; defaults to the connector's. `${VAR}` reads the environment. */
  url: z.string().min(1).optional(),
  /** Credential key → the name of the environment variable that holds it (never the secret itself). */
  credentials: z
    .record(name, z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must name an environment variable (A-Z, 0-9, _)' }))
    .default({}),
  /** Connector-specific options, checked by the connector. */
  options: z.record(z.string(), z.unknown()).default({}),
  /**
   * Without its secrets: `manual` (the default) makes every request a task for a person; `skip` leaves
   * the system out with a warning, for a processor whose data another system already covers (the
   * demo shop's database standing in for the webshop software's API).
   */
  unconfigured: z.enum(['manual', 'skip']).default('manual'),
  /** Who to ask when the API cannot (or the secrets are missing). */
  contact: z.string().min(1),
  instructions: LocalizedText,
  days: z.int().positive().default(14),
  categories: z.array(id).optional(),
});

export const System = z.discriminatedUnion('type', [SqlSystem, ManualSystem, ApiSystem]);
export type SqlSystem = z.output<typeof SqlSystem>;
export type ManualSystem = z.output<typeof ManualSystem>;
export type ApiSystem = z.output<typeof ApiSystem>;
export type System = z.output<typeof System>;

export const DataMap = z.strictObject({
  /** What `mask` writes when a field gives no placeholder. */
  placeholder: z.string().default('[verwijderd]'),
  systems: z.record(id, System),
});
export type DataMap = z.output<typeof DataMap>;
