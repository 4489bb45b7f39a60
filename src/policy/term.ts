import type { Term } from './policy.schema.ts';

/** The date a term before `from`. */
export function subtractTerm(from: Date, term: Term): Date {
  return addTerm(from, { years: -(term.years ?? 0), months: -(term.months ?? 0), days: -(term.days ?? 0) });
}

/** The date a term after `from` (calendar years, months and days, in UTC). */
export function addTerm(from: Date, term: Term): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + (term.years ?? 0));
  d.setUTCMonth(d.getUTCMonth() + (term.months ?? 0));
  d.setUTCDate(d.getUTCDate() + (term.days ?? 0));
  return d;
}
