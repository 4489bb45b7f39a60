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

const FieldObject = z.strictObject({
  /** A data category id from the policy; absent for fields that are not personal data. */
  category: id.optional(),
  erase: EraseStrategy.default('keep'),
  /** The value `mask` writes; defaults to the map's placeholder. */
  placeholder: z.string().optional(),
  role: FieldRole.optional(),
  /**
   * The value names the party the person's data went to: a carrier, a payment provider. `datamap check`
   * reads the values in the live database and warns about one that names no party of the policy
   * (GDPR Art. 13(1)(e): every recipient is named to the person).
   */
  recipient: z.boolean().optional(),
});

const FieldShorthand = z
  .string()
  .regex(/^[a-z][a-z0-9-]* (delete|null|mask|hash|keep)$/, {
    error: 'must be "<category> <delete|null|mask|hash|keep>" or an object {category, erase, placeholder, role}',
  })
  .transform((s) => {
    const [category, erase] = s.split(' ') as [string, EraseStrategy];
    return { category, erase, placeholder: undefined, role: undefined, recipient: undefined };
  });

export const Field = z.union([FieldShorthand, FieldObject]);
export type Field = z.output<typeof FieldObject>;

export const LegalHold = z.strictObject({
  /** The hold's id; the policy's retention rule with this `legalHold` gives its term and legal basis. */
  hold: id,
  /** The column the term counts from, e.g. `issued_at`. */
  from: name,
  /**
   * Where a record's own date is empty (an unpaid or cancelled payment has no `paid_at`): the date of the
   * parent row it references, as `collection.column`, e.g. `orders.created_at`.
   */
  otherwise: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be "collection.column"' })
    .optional(),
});
export type LegalHold = z.infer<typeof LegalHold>;

export const Collection = z.strictObject({
  /** The table; defaults to the collection's key. */
  table: name.optional(),
  primaryKey: name.default('id'),
  /** Columns that hold the person's e-mail address (matched trimmed and case-insensitively). */
  identity: z.array(name).default([]),
  /** `column: collection.column` — rows that belong to a found row of the other collection. */
  references: z
    .record(
      name,
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be "collection.column"' }),
    )
    .default({}),
  /** Columns whose time counts as a contact moment or transaction (for retention). */
  activity: z.array(name).default([]),
  /**
   * The column that dates when a row's data was collected: a retention rule counted `from: collected`
   * (technical data, 3 months) clears the row's fields of its categories that long after it.
   */
  collectedAt: name.optional(),
  legalHold: LegalHold.optional(),
  fields: z.record(name, Field).default({}),
});
export type Collection = z.output<typeof Collection>;

const SqlSystem = z.strictObject({
  type: z.literal('sql'),
  name: z.string().optional(),
  /** A Kysely connection: a SQLite path or sqlite: URL, postgres://…, or mysql://…. `${VAR}` reads the environment. */
  url: z.string().min(1),
  /** PostgreSQL schema, when not the default. */
  schema: name.optional(),
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
