import type { Kysely } from 'kysely';
import type { Policy } from '../policy/policy.schema.ts';
import type { DataMapFinding } from './check.ts';
import type { SqlSystem } from './datamap.schema.ts';
import { tableOf } from './plan.ts';

/**
 * Columns whose value names the party the person's data went to (`recipient: true` in the data map:
 * a carrier, a payment provider). Every such party must be named to the person (GDPR Art. 13(1)(e),
 * 15(1)(c)), so each value must be a party of the policy.
 */

/** At most this many different values are read per column: enough for carriers and providers. */
const MAX_VALUES = 1000;

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * The policy's party a value names, matched on its id, name or legal name in any case and spacing:
 * "mollie", "Jos Heeren Transport" and "jos-heeren-transport" are the same party. A value that goes on
 * after the whole name ("DHL Parcel", "PostNL Pakketten") names it too.
 */
export function partyNamedBy(value: string, policy: Policy): Policy['processors'][number] | undefined {
  const said = words(value);
  if (said.length === 0) return undefined;
  return policy.processors.find((p) =>
    [p.id, p.name, p.legalName].some((name) => {
      const known = name ? words(name) : [];
      if (known.length === 0) return false;
      if (known.join('') === said.join('')) return true;
      return known.length <= said.length && known.every((w, i) => said[i] === w);
    }),
  );
}

/** The recipient columns of one SQL system: `[collection, table, column]`. */
export function recipientColumns(system: SqlSystem): Array<{ collection: string; table: string; column: string }> {
  return Object.entries(system.collections).flatMap(([collection, c]) =>
    Object.entries(c.fields)
      .filter(([, f]) => f.recipient)
      .map(([column]) => ({ collection, table: tableOf(system, collection, c), column })),
  );
}

/** The collection's row filter as `[column, values]` pairs (a collection can be part of a table). */
const filterOf = (system: SqlSystem, collection: string) =>
  Object.entries(system.collections[collection]?.where ?? {}).map(
    ([column, v]) => [column, Array.isArray(v) ? v : [v]] as const,
  );

/**
 * Reads the different values of every recipient column in the live database and warns about each one
 * that names no party of the policy: the shop sends data to someone the policy does not mention.
 */
export async function checkRecipientValues(
  systemId: string,
  system: SqlSystem,
  db: Kysely<unknown>,
  policy: Policy,
): Promise<DataMapFinding[]> {
  // The shop's tables are known from the data map only, not to the type system.
  const shop = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const findings: DataMapFinding[] = [];
  for (const { collection, table, column } of recipientColumns(system)) {
    let query = shop.selectFrom(table).select(column).distinct().where(column, 'is not', null);
    for (const [filterColumn, values] of filterOf(system, collection)) query = query.where(filterColumn, 'in', values);
    const rows = await query
      .orderBy(column)
      .limit(MAX_VALUES)
      .execute()
      // A missing table or column is reported by checkAgainstDatabase; nothing to add here.
      .catch(() => []);
    const unknown = rows
      .map((r) => String(r[column]).trim())
      .filter((value) => value !== '' && !partyNamedBy(value, policy));
    for (const value of [...new Set(unknown)]) {
      findings.push({
        severity: 'warning',
        path: `systems.${systemId}.collections.${collection}.fields.${column}`,
        message: `"${value}" receives personal data but names no party of the policy: add it to the policy's processors (as a processor or a controller of its own), or correct the value`,
      });
    }
  }
  return findings;
}
