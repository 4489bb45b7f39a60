import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holidayOn, publicHolidays } from './holidays.ts';

describe('Dutch public holidays (Regulation 1182/71 art. 2(1), Algemene termijnenwet art. 3)', () => {
  it('knows the holidays every reading counts, 2026 to 2028', () => {
    assert.deepEqual(
      [2026, 2027, 2028].flatMap((y) => [...publicHolidays(y).keys()]),
      [
        '2026-01-01',
        '2026-04-05',
        '2026-04-06',
        '2026-04-27',
        '2026-05-14',
        '2026-05-24',
        '2026-05-25',
        '2026-12-25',
        '2026-12-26',
        '2027-01-01',
        '2027-03-28',
        '2027-03-29',
        '2027-04-27',
        '2027-05-06',
        '2027-05-16',
        '2027-05-17',
        '2027-12-25',
        '2027-12-26',
        '2028-01-01',
        '2028-04-16',
        '2028-04-17',
        '2028-04-27',
        '2028-05-25',
        '2028-06-04',
        '2028-06-05',
        '2028-12-25',
        '2028-12-26',
      ],
    );
  });

  it('names them in Dutch', () => {
    assert.equal(holidayOn('2026-04-27'), 'Koningsdag');
    assert.equal(holidayOn('2027-05-06'), 'Hemelvaartsdag');
    assert.equal(holidayOn('2028-06-05'), 'Tweede pinksterdag');
    assert.equal(holidayOn('2026-04-28'), undefined);
  });

  it('celebrates Koningsdag on 26 April when 27 April is a Sunday', () => {
    assert.equal(holidayOn('2025-04-26'), 'Koningsdag');
    assert.equal(holidayOn('2025-04-27'), undefined);
  });

  it('counts Bevrijdingsdag in lustrum years only, and Goede Vrijdag not at all, by default', () => {
    assert.equal(holidayOn('2025-05-05'), 'Bevrijdingsdag');
    assert.equal(holidayOn('2030-05-05'), 'Bevrijdingsdag');
    for (const day of ['2026-05-05', '2027-05-05', '2028-05-05', '2026-04-03', '2027-03-26', '2028-04-14'])
      assert.equal(holidayOn(day), undefined, day);
  });

  it('counts 5 May every year and Goede Vrijdag under the text of the Algemene termijnenwet (atw)', () => {
    for (const day of ['2026-05-05', '2027-05-05', '2028-05-05'])
      assert.equal(holidayOn(day, 'atw'), 'Bevrijdingsdag', day);
    for (const day of ['2026-04-03', '2027-03-26', '2028-04-14']) assert.equal(holidayOn(day, 'atw'), 'Goede Vrijdag');
    assert.equal(holidayOn('2026-04-27', 'atw'), 'Koningsdag');
  });

  it('leaves out the bridging days the Crown equates under ATW art. 3(3)', () => {
    for (const day of ['2026-01-02', '2026-05-15', '2027-05-07', '2028-04-28', '2028-05-26']) {
      assert.equal(holidayOn(day), undefined, day);
      assert.equal(holidayOn(day, 'atw'), undefined, day);
    }
  });
});
