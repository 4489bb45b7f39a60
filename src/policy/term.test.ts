import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addTerm, subtractTerm } from './term.ts';

const at = (iso: string) => new Date(iso);

describe('policy terms (retention, legal holds)', () => {
  it('adds a month as the calendar does: 31 January + 1 month is 28 February, not 3 March', () => {
    assert.equal(addTerm(at('2027-01-31T10:00:00Z'), { months: 1 }).toISOString(), '2027-02-28T10:00:00.000Z');
    assert.equal(addTerm(at('2028-01-31T10:00:00Z'), { months: 1 }).toISOString(), '2028-02-29T10:00:00.000Z');
  });

  it('ends a year from 29 February on 28 February', () => {
    assert.equal(addTerm(at('2024-02-29T00:00:00Z'), { years: 7 }).toISOString(), '2031-02-28T00:00:00.000Z');
  });

  it('adds years and months before days', () => {
    assert.equal(addTerm(at('2027-01-31T00:00:00Z'), { months: 1, days: 1 }).toISOString(), '2027-03-01T00:00:00.000Z');
  });

  it('subtracts a month to the end of a shorter month: 31 March − 1 month is 28 February', () => {
    assert.equal(subtractTerm(at('2027-03-31T12:00:00Z'), { months: 1 }).toISOString(), '2027-02-28T12:00:00.000Z');
    assert.equal(subtractTerm(at('2028-02-29T12:00:00Z'), { years: 2 }).toISOString(), '2026-02-28T12:00:00.000Z');
  });

  it('keeps the time of day in UTC, whatever the season', () => {
    assert.equal(addTerm(at('2026-03-01T23:30:00Z'), { months: 1 }).toISOString(), '2026-04-01T23:30:00.000Z');
    assert.equal(subtractTerm(at('2026-12-06T04:00:00Z'), { years: 2 }).toISOString(), '2024-12-06T04:00:00.000Z');
  });
});
