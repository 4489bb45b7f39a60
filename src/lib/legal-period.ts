import { TZDate } from '@date-fns/tz';
// One file per function: the package's index loads all of date-fns (a tenth of a second at every start).
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { endOfDay } from 'date-fns/endOfDay';
import { format } from 'date-fns/format';
import { isWeekend } from 'date-fns/isWeekend';
import { startOfDay } from 'date-fns/startOfDay';
import { conflict, validationFailed } from './errors.ts';
import { type CalendarDay, DEFAULT_HOLIDAY_CALENDAR, type HolidayCalendar, holidayOn } from './holidays.ts';

/**
 * Periods as the law counts them: Regulation (EEC, Euratom) No 1182/71 ("the Regulation"), which governs
 * every period set by an EU act such as the GDPR, with the Dutch public holidays of `holidays.ts`.
 * Days are days in Amsterdam, where the controller acts; a deadline is the end of its last day there
 * (23:59:59.999 local), kept as a UTC instant.
 *
 * Dates are TZDates of @date-fns/tz, so that date-fns does its calendar arithmetic in Amsterdam (a day
 * is a day across a daylight-saving change) and clamps a month to its end (31 January + 1 month is
 * 28 or 29 February).
 */
export const LEGAL_TIME_ZONE = 'Europe/Amsterdam';

/** GDPR Art. 12(3): "within one month of receipt of the request". */
export const ANSWER_MONTHS = 1;
/** GDPR Art. 12(3): "may be extended by two further months where necessary". */
export const EXTENSION_MONTHS = 2;

const inAmsterdam = (at: Date | string): TZDate => new TZDate(new Date(at).getTime(), LEGAL_TIME_ZONE);
const dayOf = (d: Date): CalendarDay => format(d, 'yyyy-MM-dd');

function midnight(day: CalendarDay): TZDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, LEGAL_TIME_ZONE);
}

/** The day it is in Amsterdam at `at`: 23:30 UTC on 31 January is 1 February there. */
export function dayInAmsterdam(at: Date | string): CalendarDay {
  return dayOf(inAmsterdam(at));
}

/** True for a `YYYY-MM-DD` that names a day of the calendar (not 2027-02-29, not 2027-13-01). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(y, m - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d;
}

/** 00:00 of `day` in Amsterdam. */
export function startOfDayInAmsterdam(day: CalendarDay): Date {
  return new Date(midnight(day).getTime());
}

/** The last moment of `day` in Amsterdam, 23:59:59.999 local: where a period ends (Regulation art. 3(2)). */
export function endOfDayInAmsterdam(day: CalendarDay): Date {
  return new Date(endOfDay(midnight(day)).getTime());
}

/** Regulation art. 2(2): "working days" are all days other than public holidays, Sundays and Saturdays. */
export function isWorkingDay(day: CalendarDay, calendar: HolidayCalendar = DEFAULT_HOLIDAY_CALENDAR): boolean {
  return !isWeekend(midnight(day)) && holidayOn(day, calendar) === undefined;
}

/**
 * Regulation art. 3(4): where the last day of a period is a public holiday, Sunday or Saturday, the
 * period ends with the expiry of the last hour of the following working day.
 */
export function workingDayFrom(day: CalendarDay, calendar: HolidayCalendar = DEFAULT_HOLIDAY_CALENDAR): CalendarDay {
  let d = midnight(day);
  while (!isWorkingDay(dayOf(d), calendar)) d = addDays(d, 1);
  return dayOf(d);
}

/**
 * Regulation art. 3(2)(c): a period of months from an event on `day` ends on the day of the last month
 * with the same date, or the last day of that month when it has no such date (31 January → 28/29 February,
 * 31 March → 30 April). Before art. 3(4) moves it.
 */
export function sameDateMonthsLater(day: CalendarDay, months: number): CalendarDay {
  return dayOf(addMonths(midnight(day), months));
}

/**
 * The last day of a period of `months` months from an event at `eventAt`: art. 3(1) (the day of the event
 * does not count: counting starts the next day, so the period runs to the same date), art. 3(2)(c) (that
 * date, or the month's last day) and art. 3(4) (a Saturday, Sunday or public holiday moves it to the next
 * working day).
 */
export function monthsPeriodLastDay(
  eventAt: Date | string,
  months: number,
  calendar: HolidayCalendar = DEFAULT_HOLIDAY_CALENDAR,
): CalendarDay {
  return workingDayFrom(sameDateMonthsLater(dayInAmsterdam(eventAt), months), calendar);
}

/**
 * A promise of `days` days from an event at `eventAt`: art. 3(1) (the day of the event does not count)
 * and art. 3(2)(b) (the period ends with the last hour of its last day). Art. 3(4) is not applied: the
 * policy's "within 30 days" is the shop's own word to the person, not a period of Union law, and moving
 * it past a weekend would answer later than promised; the legal month keeps its own art. 3(4).
 */
export function daysPromiseLastDay(eventAt: Date | string, days: number): CalendarDay {
  return dayOf(addDays(startOfDay(inAmsterdam(eventAt)), days));
}

export interface RequestDeadlines {
  /** GDPR Art. 12(3): the end of the last day of one month from receipt, as the Regulation counts it. */
  legalDueAt: string;
  /** The earlier of the policy's promise (`answerWithinDays`) and `legalDueAt`. */
  dueAt: string;
}

/** The deadlines of a request received at `receivedAt`, both the end of their day in Amsterdam (UTC ISO). */
export function requestDeadlines(
  receivedAt: Date | string,
  answerWithinDays: number,
  calendar: HolidayCalendar = DEFAULT_HOLIDAY_CALENDAR,
): RequestDeadlines {
  const legal = endOfDayInAmsterdam(monthsPeriodLastDay(receivedAt, ANSWER_MONTHS, calendar));
  const promised = endOfDayInAmsterdam(daysPromiseLastDay(receivedAt, answerWithinDays));
  const due = promised.getTime() < legal.getTime() ? promised : legal;
  return { legalDueAt: legal.toISOString(), dueAt: due.toISOString() };
}

/**
 * GDPR Art. 12(3): the period "may be extended by two further months where necessary", and the person is
 * told "within one month of receipt of the request, together with the reasons for the delay". So an
 * extension is possible once, only before `legalDueAt` has passed, and only with reasons. With the day of
 * receipt known, the whole period is three months from it, by the same rules, art. 3(4) moving only its
 * final end: the two further months do not start from a first end that a weekend or holiday moved later
 * (a deadline met a day early is never unlawful). Without it, they count from the end of the first period.
 * Returns the new deadline (UTC ISO); throws CONFLICT when the law no longer allows it.
 */
export function extendedDeadline(
  request: { legalDueAt: string; extendedAt: string | null; receivedAt?: string },
  now: Date,
  options: { reason: string; calendar?: HolidayCalendar },
): string {
  if (request.extendedAt)
    throw conflict('this request was extended already; the law allows one extension of two months');
  if (now.getTime() > Date.parse(request.legalDueAt)) {
    throw conflict(
      `the legal deadline of ${format(inAmsterdam(request.legalDueAt), 'd MMMM yyyy')} has passed: GDPR Art. 12(3) allows an extension only within one month of receipt, with the reasons told to the person then`,
    );
  }
  if (!options.reason.trim())
    throw validationFailed('is required: the reasons for the delay go to the person (GDPR Art. 12(3))', 'reason');
  const lastDay = request.receivedAt
    ? monthsPeriodLastDay(request.receivedAt, ANSWER_MONTHS + EXTENSION_MONTHS, options.calendar)
    : monthsPeriodLastDay(request.legalDueAt, EXTENSION_MONTHS, options.calendar);
  return endOfDayInAmsterdam(lastDay).toISOString();
}

/**
 * The longest promise, in days, that never ends after one month has (GDPR Art. 12(3); Regulation
 * art. 3(2)(c), before art. 3(4) moves the month's end): every day of a common and a leap year is tried as
 * the day of receipt. 28, because February is short; 30 when periods that begin or end in February are
 * left out (31 March → 30 April).
 */
export function longestPromiseWithinMonth(options: { exceptFebruary?: boolean } = {}): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let d = midnight('2027-01-01'); d.getFullYear() < 2029; d = addDays(d, 1)) {
    const end = midnight(sameDateMonthsLater(dayOf(d), ANSWER_MONTHS));
    if (options.exceptFebruary && (d.getMonth() === 1 || end.getMonth() === 1)) continue;
    shortest = Math.min(shortest, differenceInCalendarDays(end, d));
  }
  return shortest;
}
