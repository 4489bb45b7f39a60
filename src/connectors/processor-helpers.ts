import type { z } from 'zod';
import { amsterdamDay, holdEnds, isoDay } from '../retention/holds.ts';
import { normalizeEmail, type Value } from './connector.ts';
import { ProcessorError } from './http/http-client.ts';

/** Small pieces the processor connectors (MyOnlineStore, Mollie, MoneyBird) share. */

/**
 * Checks a processor's answer against what the connector relies on. The error names paths only:
 * zod's messages can quote values, and values here are personal data.
 */
export function parseAnswer<T extends z.ZodType>(system: string, schema: T, body: unknown, what: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const paths = [...new Set(result.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5);
  throw new ProcessorError(system, 'bad-response', `${what}: unexpected answer at ${paths.join(', ')}`, {
    retryable: false,
  });
}

/** The same address, as the connectors match it everywhere: trimmed, any case. */
export const sameEmail = (a: string | null | undefined, b: string): boolean =>
  typeof a === 'string' && normalizeEmail(a) === normalizeEmail(b);

/**
 * The error of a step that failed part-way through, saying how far it got ("after 3 of 10 customers
 * were deleted"): a failed system reports its error message, not counts, so the record and the e-mail
 * would otherwise not show what was already done. The note holds counts only, never personal data.
 */
export function withProgress(err: unknown, note: string): unknown {
  if (!(err instanceof ProcessorError)) return err;
  return new ProcessorError(err.system, err.kind, `${err.message} (${note})`, {
    status: err.status,
    retryable: err.retryable,
    cause: err,
  });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Drops undefined values so that a record holds only what the processor answered. */
export function values(data: Record<string, Value | undefined>): Record<string, Value> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as Record<string, Value>;
}

/**
 * The fiscal hold (AWR art. 52(4)): seven years from the end of the financial year the document was made
 * in (31 December here: a processor's records are told in the default financial year); the policy's
 * `invoices` retention rule says the same. Records kept under it report the day the latest hold ends.
 */
export const FISCAL_TERM = { years: 7 } as const;
export const FISCAL_REASON = 'fiscal hold (AWR art. 52)';

export function fiscalRetainedUntil(
  dates: Array<string | null | undefined>,
  financialYearEnd = '12-31',
): string | undefined {
  const times = dates.map((d) => (d ? Date.parse(d) : Number.NaN)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return undefined;
  const ends = holdEnds(new Date(Math.max(...times)), {
    term: FISCAL_TERM,
    until: 'end-of-financial-year',
    financialYearEnd,
  });
  // The day the hold ends (at its first moment, Dutch time), as the databases' sealed records say it: the
  // e-mail reads "tot 1 januari 2034" for an invoice of 2026, held to the end of 31 December 2033.
  return isoDay(amsterdamDay(ends));
}

/** One check of `inzage connectors test`: runs the call and says in plain words what came back. */
export async function check(
  name: string,
  call: () => Promise<string>,
): Promise<{ name: string; ok: boolean; message: string }> {
  try {
    return { name, ok: true, message: await call() };
  } catch (err) {
    return { name, ok: false, message: explainFailure(err) };
  }
}

export function explainFailure(err: unknown): string {
  if (!(err instanceof ProcessorError)) return 'the check failed unexpectedly';
  switch (err.kind) {
    case 'auth':
      return 'the processor refused the credentials (HTTP 401): check the secret in the environment';
    case 'forbidden':
      return 'the credentials work but lack a permission (HTTP 403)';
    case 'unavailable':
      return `the processor did not answer (${err.message})`;
    case 'rate-limited':
      return 'the processor asks to slow down (HTTP 429); try again later';
    default:
      return err.message;
  }
}
