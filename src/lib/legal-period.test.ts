import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InzageError } from './errors.ts';
import {
  dayInAmsterdam,
  endOfDayInAmsterdam,
  extendedDeadline,
  isCalendarDay,
  longestPromiseWithinMonth,
  monthsPeriodLastDay,
  requestDeadlines,
  sameDateMonthsLater,
} from './legal-period.ts';

/** A request received on `day` at 10:30 UTC: 11:30 or 12:30 in Amsterdam, the same day there. */
const noon = (day: string) => `${day}T10:30:00.000Z`;

describe('one month, as Regulation 1182/71 art. 3(2)(c) counts it', () => {
  for (const [from, to] of [
    ['2027-01-31', '2027-02-28'],
    ['2028-01-31', '2028-02-29'],
    ['2028-01-30', '2028-02-29'],
    ['2027-01-29', '2027-02-28'],
    ['2027-03-31', '2027-04-30'],
    ['2027-05-31', '2027-06-30'],
    ['2027-12-31', '2028-01-31'],
    ['2027-01-15', '2027-02-15'],
    ['2028-02-29', '2028-03-29'],
  ] as const) {
    it(`runs from ${from} to ${to}: the same date, or the last day of a shorter month`, () => {
      assert.equal(sameDateMonthsLater(from, 1), to);
    });
  }
});

describe('requestDeadlines (GDPR Art. 12(3))', () => {
  it('ends a request received 31 January at the end of 29 February in a leap year', () => {
    assert.deepEqual(requestDeadlines(noon('2028-01-31'), 30), {
      legalDueAt: '2028-02-29T22:59:59.999Z',
      dueAt: '2028-02-29T22:59:59.999Z',
    });
  });

  it('ends a request received 31 March at the end of 30 April, in summer time', () => {
    assert.equal(requestDeadlines(noon('2027-03-31'), 30).legalDueAt, '2027-04-30T21:59:59.999Z');
  });

  it('does not count the day of receipt: the promise of 28 days from 1 February 2028 ends on 29 February', () => {
    assert.equal(requestDeadlines(noon('2028-02-01'), 28).dueAt, '2028-02-29T22:59:59.999Z');
    assert.equal(requestDeadlines(noon('2028-02-01'), 28).legalDueAt, '2028-03-01T22:59:59.999Z');
  });

  it('keeps the promise when it is earlier than the month (28 days from 31 January 2028)', () => {
    assert.equal(requestDeadlines(noon('2028-01-31'), 28).dueAt, '2028-02-28T22:59:59.999Z');
  });

  it('keeps the month when the promise is later (30 days from 31 January 2028 would be 1 March)', () => {
    assert.equal(requestDeadlines(noon('2028-01-31'), 30).dueAt, '2028-02-29T22:59:59.999Z');
  });

  it('moves a last day on a Sunday to Monday: 31 January 2027 → 1 March', () => {
    assert.equal(requestDeadlines(noon('2027-01-31'), 30).legalDueAt, '2027-03-01T22:59:59.999Z');
  });

  it('moves a last day on a Saturday to Monday: 31 January 2026 → 2 March', () => {
    assert.equal(requestDeadlines(noon('2026-01-31'), 30).legalDueAt, '2026-03-02T22:59:59.999Z');
  });

  it('does not move the promise over a weekend (it is the shop’s own word, not a period of Union law)', () => {
    // 20 March 2026 + 30 days = Sunday 19 April; the legal month ends Monday 20 April.
    const { dueAt, legalDueAt } = requestDeadlines(noon('2026-03-20'), 30);
    assert.equal(dueAt, '2026-04-19T21:59:59.999Z');
    assert.equal(legalDueAt, '2026-04-20T21:59:59.999Z');
  });

  it('counts in Amsterdam: 23:30 UTC on 31 January is 1 February there', () => {
    assert.equal(dayInAmsterdam('2028-01-31T23:30:00.000Z'), '2028-02-01');
    assert.equal(requestDeadlines('2028-01-31T23:30:00.000Z', 30).legalDueAt, '2028-03-01T22:59:59.999Z');
    assert.equal(requestDeadlines('2028-01-31T22:30:00.000Z', 30).legalDueAt, '2028-02-29T22:59:59.999Z');
  });

  it('counts whole days across the change to summer time (the night of 29 March 2026)', () => {
    // 00:30 UTC is 01:30 CET and 01:30 UTC is 03:30 CEST: both 29 March in Amsterdam.
    for (const at of ['2026-03-28T23:30:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z'])
      assert.equal(requestDeadlines(at, 30).legalDueAt, '2026-04-29T21:59:59.999Z', at);
    // 22:30 UTC on 29 March is already 00:30 on 30 March in summer time.
    assert.equal(requestDeadlines('2026-03-29T22:30:00.000Z', 30).legalDueAt, '2026-04-30T21:59:59.999Z');
    // 30 calendar days, not 720 hours: the promise ends at the end of a day, not at 23:00.
    assert.equal(requestDeadlines('2026-03-20T12:00:00.000Z', 30).dueAt, '2026-04-19T21:59:59.999Z');
  });

  it('counts whole days across the change to winter time (the night of 25 October 2026)', () => {
    // 00:30 UTC is 02:30 CEST; 01:30 UTC is 02:30 CET, the hour that comes twice: both 25 October.
    for (const at of ['2026-10-24T22:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'])
      assert.equal(requestDeadlines(at, 30).legalDueAt, '2026-11-25T22:59:59.999Z', at);
    assert.equal(requestDeadlines('2026-10-24T21:30:00.000Z', 30).legalDueAt, '2026-11-24T22:59:59.999Z');
    assert.equal(requestDeadlines('2026-10-25T01:30:00.000Z', 30).dueAt, '2026-11-24T22:59:59.999Z');
  });

  it('stores the end of the day as 23:59:59.999 in Amsterdam, in winter and summer time', () => {
    assert.equal(endOfDayInAmsterdam('2027-02-28').toISOString(), '2027-02-28T22:59:59.999Z');
    assert.equal(endOfDayInAmsterdam('2027-07-01').toISOString(), '2027-07-01T21:59:59.999Z');
  });
});

describe('a last day on a Dutch public holiday, 2026–2028 (art. 3(4))', () => {
  // [received, months, last day as counted, the working day the period ends on, the holiday]
  const CASES: Array<[string, number, string, string, string]> = [
    ['2025-12-01', 1, '2026-01-01', '2026-01-02', 'Nieuwjaarsdag (Thursday)'],
    ['2026-03-05', 1, '2026-04-05', '2026-04-07', 'Eerste Paasdag (Sunday), then Tweede Paasdag'],
    ['2026-03-06', 1, '2026-04-06', '2026-04-07', 'Tweede Paasdag'],
    ['2026-03-27', 1, '2026-04-27', '2026-04-28', 'Koningsdag'],
    ['2026-04-14', 1, '2026-05-14', '2026-05-15', 'Hemelvaartsdag'],
    ['2026-04-24', 1, '2026-05-24', '2026-05-26', 'Eerste Pinksterdag (Sunday), then Tweede Pinksterdag'],
    ['2026-04-25', 1, '2026-05-25', '2026-05-26', 'Tweede Pinksterdag'],
    ['2026-11-25', 1, '2026-12-25', '2026-12-28', 'Eerste Kerstdag (Friday), Tweede Kerstdag, Sunday'],
    ['2026-11-26', 1, '2026-12-26', '2026-12-28', 'Tweede Kerstdag (Saturday)'],
    ['2026-12-01', 1, '2027-01-01', '2027-01-04', 'Nieuwjaarsdag (Friday)'],
    ['2027-02-28', 1, '2027-03-28', '2027-03-30', 'Eerste Paasdag, then Tweede Paasdag'],
    ['2027-01-29', 2, '2027-03-29', '2027-03-30', 'Tweede Paasdag (no one-month period ends on 29 March 2027)'],
    ['2027-03-27', 1, '2027-04-27', '2027-04-28', 'Koningsdag'],
    ['2027-04-06', 1, '2027-05-06', '2027-05-07', 'Hemelvaartsdag'],
    ['2027-04-16', 1, '2027-05-16', '2027-05-18', 'Eerste Pinksterdag, then Tweede Pinksterdag'],
    ['2027-04-17', 1, '2027-05-17', '2027-05-18', 'Tweede Pinksterdag'],
    ['2027-11-25', 1, '2027-12-25', '2027-12-27', 'Eerste Kerstdag (Saturday)'],
    ['2027-11-26', 1, '2027-12-26', '2027-12-27', 'Tweede Kerstdag (Sunday)'],
    ['2027-12-01', 1, '2028-01-01', '2028-01-03', 'Nieuwjaarsdag (Saturday)'],
    ['2028-03-16', 1, '2028-04-16', '2028-04-18', 'Eerste Paasdag, then Tweede Paasdag'],
    ['2028-03-17', 1, '2028-04-17', '2028-04-18', 'Tweede Paasdag'],
    ['2028-03-27', 1, '2028-04-27', '2028-04-28', 'Koningsdag (Thursday)'],
    ['2028-04-25', 1, '2028-05-25', '2028-05-26', 'Hemelvaartsdag'],
    ['2028-05-04', 1, '2028-06-04', '2028-06-06', 'Eerste Pinksterdag, then Tweede Pinksterdag'],
    ['2028-05-05', 1, '2028-06-05', '2028-06-06', 'Tweede Pinksterdag'],
    ['2028-11-25', 1, '2028-12-25', '2028-12-27', 'Eerste Kerstdag, then Tweede Kerstdag'],
    ['2028-11-26', 1, '2028-12-26', '2028-12-27', 'Tweede Kerstdag'],
  ];
  for (const [received, months, counted, ends, holiday] of CASES) {
    it(`ends on ${ends}, not on ${counted}: ${holiday}`, () => {
      assert.equal(sameDateMonthsLater(received, months), counted);
      assert.equal(monthsPeriodLastDay(noon(received), months), ends);
    });
  }

  it('keeps 5 May as the last day outside lustrum years, and moves it in 2025', () => {
    assert.equal(monthsPeriodLastDay(noon('2026-04-05'), 1), '2026-05-05');
    assert.equal(monthsPeriodLastDay(noon('2027-04-05'), 1), '2027-05-05');
    assert.equal(monthsPeriodLastDay(noon('2028-04-05'), 1), '2028-05-05');
    assert.equal(monthsPeriodLastDay(noon('2025-04-05'), 1), '2025-05-06');
  });

  it('keeps Goede Vrijdag as the last day by default', () => {
    assert.equal(monthsPeriodLastDay(noon('2026-03-03'), 1), '2026-04-03');
    assert.equal(monthsPeriodLastDay(noon('2027-02-26'), 1), '2027-03-26');
    assert.equal(monthsPeriodLastDay(noon('2028-03-14'), 1), '2028-04-14');
  });

  it('moves 5 May and Goede Vrijdag under the Algemene termijnenwet calendar (atw)', () => {
    assert.equal(monthsPeriodLastDay(noon('2026-04-05'), 1, 'atw'), '2026-05-06');
    assert.equal(monthsPeriodLastDay(noon('2027-04-05'), 1, 'atw'), '2027-05-07');
    assert.equal(monthsPeriodLastDay(noon('2028-04-05'), 1, 'atw'), '2028-05-08');
    assert.equal(monthsPeriodLastDay(noon('2026-03-03'), 1, 'atw'), '2026-04-07');
    assert.equal(monthsPeriodLastDay(noon('2027-02-26'), 1, 'atw'), '2027-03-30');
    assert.equal(monthsPeriodLastDay(noon('2028-03-14'), 1, 'atw'), '2028-04-18');
  });
});

describe('extendedDeadline (GDPR Art. 12(3): two further months)', () => {
  const first = { legalDueAt: '2027-03-01T22:59:59.999Z', extendedAt: null };
  const reason = 'Wij wachten op antwoord van onze boekhouder.';

  it('counts two months from the end of the first period, by the same rules', () => {
    // The first period ended Monday 1 March 2027; 1 May is a Saturday, so the extension ends Monday 3 May.
    assert.equal(extendedDeadline(first, new Date('2027-02-10T09:00:00Z'), { reason }), '2027-05-03T21:59:59.999Z');
    assert.equal(
      extendedDeadline({ legalDueAt: '2027-04-30T21:59:59.999Z', extendedAt: null }, new Date('2027-04-01'), {
        reason,
      }),
      '2027-06-30T21:59:59.999Z',
    );
    // 25 February 2026 + 2 months is Saturday 25 April; Sunday, then Koningsdag: Tuesday 28 April.
    assert.equal(
      extendedDeadline({ legalDueAt: '2026-02-25T22:59:59.999Z', extendedAt: null }, new Date('2026-02-01'), {
        reason,
      }),
      '2026-04-28T21:59:59.999Z',
    );
  });

  it('counts three months from the day of receipt when it is known, moving only the final end (art. 3(4))', () => {
    // Received Sunday 31 January 2027: the first period ended Monday 1 March; 30 April is a Friday.
    const received = { ...first, receivedAt: '2027-01-31T09:00:00.000Z' };
    assert.equal(extendedDeadline(received, new Date('2027-02-10T09:00:00Z'), { reason }), '2027-04-30T21:59:59.999Z');
    // Received 25 January 2026: 25 April is a Saturday; Sunday, then Koningsdag on Monday 27 April: Tuesday 28 April.
    assert.equal(
      extendedDeadline(
        { legalDueAt: '2026-02-25T22:59:59.999Z', extendedAt: null, receivedAt: '2026-01-25T10:00:00.000Z' },
        new Date('2026-02-01'),
        { reason },
      ),
      '2026-04-28T21:59:59.999Z',
    );
  });

  it('is possible up to the last moment of the first period', () => {
    assert.equal(extendedDeadline(first, new Date(first.legalDueAt), { reason }), '2027-05-03T21:59:59.999Z');
  });

  it('is refused with CONFLICT once the first period has ended, saying why', () => {
    const late = new Date(Date.parse(first.legalDueAt) + 1);
    assert.throws(
      () => extendedDeadline(first, late, { reason }),
      (err: unknown) =>
        err instanceof InzageError &&
        err.code === 'CONFLICT' &&
        /legal deadline of 1 March 2027 has passed/.test(err.message) &&
        /Art\. 12\(3\)/.test(err.message),
    );
  });

  it('is refused a second time', () => {
    assert.throws(
      () => extendedDeadline({ ...first, extendedAt: '2027-02-01T10:00:00Z' }, new Date('2027-02-10'), { reason }),
      (err: unknown) => err instanceof InzageError && err.code === 'CONFLICT' && /extended already/.test(err.message),
    );
  });

  it('needs the reasons, which go to the person', () => {
    assert.throws(
      () => extendedDeadline(first, new Date('2027-02-10'), { reason: '  ' }),
      (err: unknown) => err instanceof InzageError && err.code === 'VALIDATION_FAILED' && err.field === 'reason',
    );
  });
});

describe('the longest promise that fits in one month', () => {
  it('is 28 days in every month, and 30 days outside February', () => {
    assert.equal(longestPromiseWithinMonth(), 28);
    assert.equal(longestPromiseWithinMonth({ exceptFebruary: true }), 30);
  });
});

describe('isCalendarDay', () => {
  it('takes a real day as YYYY-MM-DD and nothing else', () => {
    assert.equal(isCalendarDay('2028-02-29'), true);
    for (const bad of ['2027-02-29', '2027-13-01', '2027-1-5', '31-01-2027', '2027-01-31T00:00', ''])
      assert.equal(isCalendarDay(bad), false, bad);
  });
});
