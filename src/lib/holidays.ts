import type HolidaysType from 'date-holidays';
import { lazily } from './lazy-require.ts';

/**
 * Which Dutch days count as public holidays when a period's last day is moved on (Regulation (EEC,
 * Euratom) No 1182/71 art. 3(4)). Art. 2(1) takes "all days designated as holidays in the Member State";
 * the Dutch law that designates them for periods is the Algemene termijnenwet (ATW), art. 3.
 *
 * - `common` (the default): the days every reading agrees on: Nieuwjaarsdag, Eerste en Tweede Paasdag,
 *   Koningsdag (27 April, 26 April when the 27th is a Sunday), Hemelvaartsdag, Eerste en Tweede
 *   Pinksterdag, Eerste en Tweede Kerstdag, and Bevrijdingsdag (5 May) in lustrum years (2025, 2030…),
 *   the years in which it is a day off for everyone.
 * - `atw`: the ATW text itself: art. 3(1) names "de vijfde mei" without a lustrum condition, so 5 May
 *   every year, and art. 3(2) equates Goede Vrijdag with the days of art. 3(1).
 *
 * The default is the narrower list on purpose: a day counted as a holiday moves the legal deadline later,
 * so a day that is one only under some readings would let the shop answer late under the others. A deadline
 * met a day early is never unlawful. Days the Crown equates under ATW art. 3(3) (bridging days such as
 * 15 May 2026) are left out by both.
 */
export const HOLIDAY_CALENDARS = ['common', 'atw'] as const;
export type HolidayCalendar = (typeof HOLIDAY_CALENDARS)[number];
export const DEFAULT_HOLIDAY_CALENDAR: HolidayCalendar = 'common';

/** A calendar day in Amsterdam, `YYYY-MM-DD`. */
export type CalendarDay = string;

// The maintained list of Dutch days (its rule strings name each day, whatever the language of its names).
const holidaysPackage = lazily<typeof HolidaysType>('date-holidays');
let netherlandsCalendar: HolidaysType | undefined;
const netherlands = (): HolidaysType => {
  netherlandsCalendar ??= new (holidaysPackage())('NL');
  return netherlandsCalendar;
};
const GOOD_FRIDAY = 'easter -2';
const LIBERATION_DAY = '05-05';
const cache = new Map<string, ReadonlyMap<CalendarDay, string>>();

/** The public holidays of `year` under `calendar`: day → Dutch name. */
export function publicHolidays(
  year: number,
  calendar: HolidayCalendar = DEFAULT_HOLIDAY_CALENDAR,
): ReadonlyMap<CalendarDay, string> {
  const key = `${calendar}:${year}`;
  let days = cache.get(key);
  if (!days) {
    days = new Map(
      netherlands()
        .getHolidays(year, 'nl')
        .filter((h) => counts(h.rule, h.type, year, calendar))
        .map((h) => [h.date.slice(0, 10), h.name] as const),
    );
    cache.set(key, days);
  }
  return days;
}

function counts(rule: string, type: string, year: number, calendar: HolidayCalendar): boolean {
  // ATW art. 3(1): "de vijfde mei"; in lustrum years it is a day off for everyone, so every reading counts it.
  if (rule === LIBERATION_DAY) return calendar === 'atw' || year % 5 === 0;
  // ATW art. 3(2): Goede Vrijdag is equated with the days of art. 3(1).
  if (rule === GOOD_FRIDAY) return calendar === 'atw';
  return type === 'public';
}

/** The holiday's name when `day` is a public holiday under `calendar`. */
export function holidayOn(day: CalendarDay, calendar: HolidayCalendar = DEFAULT_HOLIDAY_CALENDAR): string | undefined {
  return publicHolidays(Number(day.slice(0, 4)), calendar).get(day);
}
