import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  amsterdamDay,
  endOfAmsterdamDay,
  financialYearEndOf,
  holdEndedBefore,
  holdEnds,
  isoDay,
  parseMonthDay,
} from './holds.ts';

const FISCAL = { term: { years: 7 }, until: 'end-of-financial-year' as const };
const iso = (d: Date) => d.toISOString();

describe('the fiscal hold (AWR art. 52(4)): seven years from the end of the financial year', () => {
  it('keeps an invoice of 10 March 2019 until the end of 31 December 2026, Dutch time', () => {
    assert.equal(iso(holdEnds(new Date('2019-03-10T10:00:00Z'), FISCAL)), '2026-12-31T23:00:00.000Z');
  });

  it('gives the whole financial year one end: 1 January and 31 December 2019 both end with 2026', () => {
    const first = holdEnds(new Date('2019-01-01T08:00:00Z'), FISCAL);
    const last = holdEnds(new Date('2019-12-31T12:00:00Z'), FISCAL);
    assert.equal(iso(first), iso(last));
  });

  it('reads the day in Amsterdam: 23:30 UTC on 31 December is already the next financial year', () => {
    assert.equal(iso(holdEnds(new Date('2019-12-31T22:59:59Z'), FISCAL)), '2026-12-31T23:00:00.000Z');
    assert.equal(iso(holdEnds(new Date('2019-12-31T23:00:00Z'), FISCAL)), '2027-12-31T23:00:00.000Z');
  });

  it("counts from the controller's own year end, ending on a summer day at Dutch midnight", () => {
    const july = { ...FISCAL, financialYearEnd: '06-30' };
    // 10 March 2019 belongs to the year ending 30 June 2019; 1 July 2019 to the one ending 30 June 2020.
    assert.equal(iso(holdEnds(new Date('2019-03-10T10:00:00Z'), july)), '2026-06-30T22:00:00.000Z');
    assert.equal(iso(holdEnds(new Date('2019-06-30T21:59:00Z'), july)), '2026-06-30T22:00:00.000Z');
    assert.equal(iso(holdEnds(new Date('2019-06-30T22:00:00Z'), july)), '2027-06-30T22:00:00.000Z');
  });

  it('takes a year ending in February to the last day of February, leap year or not', () => {
    const feb = { ...FISCAL, financialYearEnd: '02-29' };
    // 29 February 2020 closes its year; seven years on, February has 28 days.
    assert.equal(iso(holdEnds(new Date('2020-02-29T12:00:00Z'), feb)), '2027-02-28T23:00:00.000Z');
    // In a common year the year ends on 28 February, and 1 March starts the next.
    assert.equal(iso(holdEnds(new Date('2019-02-28T12:00:00Z'), feb)), '2026-02-28T23:00:00.000Z');
    assert.equal(iso(holdEnds(new Date('2019-03-01T12:00:00Z'), feb)), '2027-02-28T23:00:00.000Z');
    // A year ending on 28 February leaves a leap day to the next year: 29 February 2024 is in the year to 28 February 2025.
    const feb28 = { ...FISCAL, financialYearEnd: '02-28' };
    assert.equal(iso(holdEnds(new Date('2024-02-28T12:00:00Z'), feb28)), '2031-02-28T23:00:00.000Z');
    assert.equal(iso(holdEnds(new Date('2024-02-29T12:00:00Z'), feb28)), '2032-02-28T23:00:00.000Z');
  });

  it("gives every five and a half hours from 2016 to 2027 (each half hour of the day in turn) the end of its Dutch day's financial year, seven years on", () => {
    // Worked out the long way round, day by day: the record's calendar day in Amsterdam, the last day of
    // its financial year, seven years later (the month's last day where it is shorter), to that day's end.
    // Placeholder dates of the first century too, which Date.UTC reads as 1900-1999 on both reckonings.
    const early = ['0001-01-01T00:00:00Z', '0050-08-01T00:00:00Z', '0099-12-31T23:50:00Z'].map(Date.parse);
    for (const financialYearEnd of ['12-31', '06-30', '02-29', '03-31']) {
      const rule = { ...FISCAL, financialYearEnd };
      const times = [...early];
      for (let t = Date.UTC(2016, 0, 1); t < Date.UTC(2028, 0, 1); t += 330 * 60_000) times.push(t);
      for (const t of times) {
        const yearEnd = financialYearEndOf(amsterdamDay(new Date(t)), financialYearEnd);
        const y = yearEnd.y + 7;
        const d = Math.min(yearEnd.d, new Date(Date.UTC(y, yearEnd.m, 0)).getUTCDate());
        const expected = endOfAmsterdamDay({ y, m: yearEnd.m, d });
        const ends = holdEnds(new Date(t), rule).getTime();
        if (ends !== expected.getTime()) assert.fail(`${new Date(t).toISOString()}, ${financialYearEnd}: ${ends}`);
      }
    }
  });

  it('leaves a term without a financial year counted from the date itself', () => {
    assert.equal(iso(holdEnds(new Date('2019-03-10T10:00:00Z'), { term: { years: 7 } })), '2026-03-10T10:00:00.000Z');
  });

  it('ends the hold of a whole financial year at once: the records made before the cutoff', () => {
    // At 22:59 UTC on 31 December 2026 the year 2019 is still held; at 23:00 (midnight in Amsterdam) it is not.
    assert.equal(iso(holdEndedBefore(new Date('2026-12-31T22:59:59Z'), FISCAL)), '2018-12-31T23:00:00.000Z');
    assert.equal(iso(holdEndedBefore(new Date('2026-12-31T23:00:00Z'), FISCAL)), '2019-12-31T23:00:00.000Z');
    // Mid-year nothing changes: the year before last's records went on 1 January.
    assert.equal(iso(holdEndedBefore(new Date('2026-11-26T12:00:00Z'), FISCAL)), '2018-12-31T23:00:00.000Z');
    const july = { ...FISCAL, financialYearEnd: '06-30' };
    assert.equal(iso(holdEndedBefore(new Date('2026-11-26T12:00:00Z'), july)), '2019-06-30T22:00:00.000Z');
  });

  it('agrees with itself: a record is past its hold exactly when it was made before the cutoff', () => {
    const made = [
      '2018-12-31T22:59:59Z',
      '2018-12-31T23:00:00Z',
      '2019-03-10T10:00:00Z',
      '2019-12-31T22:59:59Z',
      '2019-12-31T23:00:00Z',
    ].map((s) => new Date(s));
    for (const now of [
      '2026-06-01T00:00:00Z',
      '2026-12-31T22:59:59Z',
      '2026-12-31T23:00:00Z',
      '2027-12-31T23:00:00Z',
    ]) {
      const at = new Date(now);
      const cutoff = holdEndedBefore(at, FISCAL);
      for (const m of made) {
        assert.equal(m < cutoff, holdEnds(m, FISCAL) <= at, `made ${iso(m)}, now ${now}`);
      }
    }
  });
});

describe('days in Amsterdam', () => {
  it('tells the Dutch calendar day around midnight, in winter and in summer', () => {
    assert.deepEqual(amsterdamDay(new Date('2026-01-14T23:30:00Z')), { y: 2026, m: 1, d: 15 });
    assert.deepEqual(amsterdamDay(new Date('2026-07-14T21:59:00Z')), { y: 2026, m: 7, d: 14 });
    assert.deepEqual(amsterdamDay(new Date('2026-07-14T22:00:00Z')), { y: 2026, m: 7, d: 15 });
  });

  it('tells the day on the days the clocks change, before and after the change', () => {
    // 29 March 2026: 00:30 UTC is 01:30 CET (29 March); 22:30 UTC is 00:30 CEST (30 March).
    assert.deepEqual(amsterdamDay(new Date('2026-03-29T00:30:00Z')), { y: 2026, m: 3, d: 29 });
    assert.deepEqual(amsterdamDay(new Date('2026-03-29T21:59:59Z')), { y: 2026, m: 3, d: 29 });
    assert.deepEqual(amsterdamDay(new Date('2026-03-29T22:30:00Z')), { y: 2026, m: 3, d: 30 });
    // 25 October 2026: 22:59 UTC is 23:59 CET (25 October), 23:00 UTC the next day.
    assert.deepEqual(amsterdamDay(new Date('2026-10-25T22:59:59Z')), { y: 2026, m: 10, d: 25 });
    assert.deepEqual(amsterdamDay(new Date('2026-10-25T23:00:00Z')), { y: 2026, m: 10, d: 26 });
    assert.deepEqual(amsterdamDay(new Date('2026-10-24T21:59:59Z')), { y: 2026, m: 10, d: 24 });
  });

  it('ends the days around the clock changes at Dutch midnight', () => {
    // Summer time starts on 29 March 2026 at 02:00: that day ends at 22:00 UTC, the day before at 23:00.
    assert.equal(iso(endOfAmsterdamDay({ y: 2026, m: 3, d: 28 })), '2026-03-28T23:00:00.000Z');
    assert.equal(iso(endOfAmsterdamDay({ y: 2026, m: 3, d: 29 })), '2026-03-29T22:00:00.000Z');
    // It ends on 25 October 2026 at 03:00.
    assert.equal(iso(endOfAmsterdamDay({ y: 2026, m: 10, d: 24 })), '2026-10-24T22:00:00.000Z');
    assert.equal(iso(endOfAmsterdamDay({ y: 2026, m: 10, d: 25 })), '2026-10-25T23:00:00.000Z');
  });

  it('refuses a year end that is no day of the year', () => {
    assert.deepEqual(parseMonthDay('02-29'), [2, 29]);
    assert.throws(() => parseMonthDay('02-30'), /not a day of the year/);
    assert.throws(() => parseMonthDay('13-01'), /not a day of the year/);
    assert.throws(() => parseMonthDay('6-30'), /not a day of the year/);
  });
});

describe('Dutch calendar days, read from Intl once per month', () => {
  it('gives the day Intl gives, at every hour and half hour from 2014 to 2031', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const wrong: string[] = [];
    for (let t = Date.UTC(2014, 0, 1); t < Date.UTC(2031, 0, 1); t += 30 * 60 * 1000) {
      const at = new Date(t);
      if (isoDay(amsterdamDay(at)) !== intl.format(at)) wrong.push(at.toISOString());
    }
    assert.deepEqual(wrong.slice(0, 5), []);
  });
});
