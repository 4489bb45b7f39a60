import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type HoldRule, holdEnds } from '../../retention/holds.ts';
import { recordTime, timeInSelect, timeParam, zonedValue } from './sql-time.ts';

const zone = process.env.TZ;
/** Node reads TZ again when it changes: the process's local zone, as a server might have it set. */
const inZone = (tz: string) => {
  process.env.TZ = tz;
};

describe("a shop database's times", () => {
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('reads a date and time without a zone as UTC, whatever the process runs in', () => {
    for (const tz of ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Pacific/Kiritimati']) {
      inZone(tz);
      assert.equal(new Date('2026-12-31 22:30:00').getTimezoneOffset() !== 0, tz !== 'UTC', `${tz} is in effect`);
      assert.equal(recordTime('2026-12-31 22:30:00')?.toISOString(), '2026-12-31T22:30:00.000Z', tz);
      assert.equal(recordTime('2026-12-31T22:30')?.toISOString(), '2026-12-31T22:30:00.000Z', tz);
      assert.equal(recordTime('2026-12-31 22:30:00.123456')?.toISOString(), '2026-12-31T22:30:00.123Z', tz);
      assert.equal(recordTime('2026-12-31')?.toISOString(), '2026-12-31T00:00:00.000Z', tz);
      // A value with its zone keeps it.
      assert.equal(recordTime('2027-01-01T00:30:00+01:00')?.toISOString(), '2026-12-31T23:30:00.000Z', tz);
      assert.equal(recordTime('2026-12-31T22:30:00.000Z')?.toISOString(), '2026-12-31T22:30:00.000Z', tz);
    }
  });

  it("reads it in the system's zone when the data map names one, summer and winter, whatever the process runs in", () => {
    for (const tz of ['UTC', 'Europe/Amsterdam', 'America/New_York']) {
      inZone(tz);
      const amsterdam = (text: string) => recordTime(text, 'Europe/Amsterdam')?.toISOString();
      assert.equal(amsterdam('2026-12-31 23:30:00'), '2026-12-31T22:30:00.000Z', tz);
      assert.equal(amsterdam('2026-07-01 00:30:00'), '2026-06-30T22:30:00.000Z', tz);
      assert.equal(amsterdam('2026-07-01'), '2026-06-30T22:00:00.000Z', tz);
      // A value with its own zone, or a driver's Date, is not moved.
      assert.equal(amsterdam('2026-12-31T22:30:00.000Z'), '2026-12-31T22:30:00.000Z', tz);
    }
  });

  it('reads the hours the clocks skip and repeat the same on every server', () => {
    for (const tz of ['UTC', 'Europe/Amsterdam', 'America/New_York']) {
      inZone(tz);
      const amsterdam = (text: string) => recordTime(text, 'Europe/Amsterdam')?.toISOString();
      // 25 October 2026: 03:00 summer time becomes 02:00 winter time; 02:30 happens twice, and is read as the second.
      assert.equal(amsterdam('2026-10-25 01:30:00'), '2026-10-24T23:30:00.000Z', tz);
      assert.equal(amsterdam('2026-10-25 02:30:00'), '2026-10-25T01:30:00.000Z', tz);
      assert.equal(amsterdam('2026-10-25 03:30:00'), '2026-10-25T02:30:00.000Z', tz);
      // 29 March 2026: 02:00 winter time becomes 03:00 summer time; 02:30 never happens, and is read as 03:30.
      assert.equal(amsterdam('2026-03-29 01:30:00'), '2026-03-29T00:30:00.000Z', tz);
      assert.equal(amsterdam('2026-03-29 02:30:00'), '2026-03-29T01:30:00.000Z', tz);
      assert.equal(amsterdam('2026-03-29 03:30:00'), '2026-03-29T01:30:00.000Z', tz);
    }
  });

  it('has no time for what is not one, so the hold counts from today', () => {
    assert.equal(recordTime(null), undefined);
    assert.equal(recordTime(''), undefined);
    assert.equal(recordTime('0000-00-00 00:00:00'), undefined, "MySQL's zero date is no time");
    assert.equal(recordTime('gisteren'), undefined);
    assert.equal(recordTime('2026-02-31 10:00:00'), undefined);
    assert.equal(recordTime('2026-02-31 10:00:00', 'Europe/Amsterdam'), undefined);
    assert.equal(recordTime(new Date(Number.NaN)), undefined);
    const at = new Date('2026-05-01T10:00:00Z');
    assert.equal(recordTime(at), at);
  });

  it("puts an order at 23:30 on New Year's Eve, Dutch time, in that year's books on any server (AWR art. 52(4))", () => {
    const fiscal: HoldRule = { term: { years: 7 }, until: 'end-of-financial-year' };
    // WordPress's post_date_gmt of an order placed at 2026-12-31 23:30 in Amsterdam.
    for (const tz of ['UTC', 'Europe/Amsterdam', 'Asia/Tokyo']) {
      inZone(tz);
      assert.equal(holdEnds(recordTime('2026-12-31 22:30:00')!, fiscal).toISOString(), '2033-12-31T23:00:00.000Z', tz);
      // Half an hour later it is 2027 in Amsterdam, and the order is in the next year's books.
      assert.equal(holdEnds(recordTime('2026-12-31 23:00:00')!, fiscal).toISOString(), '2034-12-31T23:00:00.000Z', tz);
      // PrestaShop's date_add of the same two orders, in the shop's own time.
      const shop = (text: string) => holdEnds(recordTime(text, 'Europe/Amsterdam')!, fiscal).toISOString();
      assert.equal(shop('2026-12-31 23:30:00'), '2033-12-31T23:00:00.000Z', tz);
      assert.equal(shop('2027-01-01 00:00:00'), '2034-12-31T23:00:00.000Z', tz);
    }
  });

  it("shows a zoned system's times as the instants they name, and leaves other values alone", () => {
    inZone('America/New_York');
    assert.equal(zonedValue('2026-12-31 23:30:00', 'Europe/Amsterdam'), '2026-12-31T22:30:00.000Z');
    assert.equal(zonedValue('2026-12-31', 'Europe/Amsterdam'), '2026-12-31', 'a day stays a day');
    assert.equal(zonedValue('0000-00-00 00:00:00', 'Europe/Amsterdam'), '0000-00-00 00:00:00');
    assert.equal(zonedValue('Balkonweg 12', 'Europe/Amsterdam'), 'Balkonweg 12');
    assert.equal(zonedValue(42, 'Europe/Amsterdam'), 42);
  });

  it('hands each database a time in the form it compares', () => {
    const at = new Date('2026-08-02T12:00:00.000Z');
    assert.equal(timeParam({ dialect: 'mysql' }, at), '2026-08-02 12:00:00.000');
    assert.equal(timeParam({ dialect: 'sqlite' }, at), '2026-08-02T12:00:00.000Z');
    assert.equal(timeParam({ dialect: 'postgres' }, at), at);
    // In the system's zone: 12:00 UTC is 14:00 in Amsterdam in summer.
    assert.equal(timeParam({ dialect: 'mysql' }, at, 'Europe/Amsterdam'), '2026-08-02 14:00:00.000');
    assert.equal(timeParam({ dialect: 'sqlite' }, at, 'Europe/Amsterdam'), '2026-08-02 14:00:00.000');
    assert.equal(timeParam({ dialect: 'postgres' }, at, 'Europe/Amsterdam'), at);
    // A select on MySQL keeps ISO 8601 in UTC, which a text column of ISO times sorts exactly.
    assert.equal(timeInSelect({ dialect: 'mysql' }, at), '2026-08-02T12:00:00.000Z');
    assert.equal(timeInSelect({ dialect: 'mysql' }, at, 'Europe/Amsterdam'), '2026-08-02 14:00:00.000');
  });
});
