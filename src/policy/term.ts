import { TZDate } from '@date-fns/tz';
import { add } from 'date-fns/add';
import { sub } from 'date-fns/sub';
import type { Term } from './policy.schema.ts';

// Terms of the policy (retention, legal holds, cookie lifetimes) move an instant by calendar years, months and
// days in UTC, years and months first. A month clamps to the month's end, as Regulation (EEC, Euratom)
// No 1182/71 art. 3(2)(c) counts: 31 January + 1 month is 28 (or 29) February, not 3 March, and
// 29 February + 1 year is 28 February. Request deadlines, which count whole days in Amsterdam, are in
// src/lib/legal-period.ts.
const durationOf = (term: Term) => ({ years: term.years ?? 0, months: term.months ?? 0, days: term.days ?? 0 });

/** The date a term before `from`: 31 March − 1 month is 28 (or 29) February. */
export function subtractTerm(from: Date, term: Term): Date {
  return new Date(sub(new TZDate(from.getTime(), 'UTC'), durationOf(term)).getTime());
}

/** The date a term after `from`: 31 January + 1 month is 28 (or 29) February. */
export function addTerm(from: Date, term: Term): Date {
  return new Date(add(new TZDate(from.getTime(), 'UTC'), durationOf(term)).getTime());
}
