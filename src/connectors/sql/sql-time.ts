import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import type { SqlDatabase } from './sql-database.ts';

/**
 * Times in a shop's database, one convention both ways: a date and time without a zone is in the system's
 * `timeZone` (the data map's; UTC unless said).
 *
 * A MySQL/MariaDB `datetime` (and SQLite text) has no zone. The retention sweep compares such columns with
 * times written in that zone (`timeParam`), and the engine reads the values it fetches in the same zone
 * (`recordTime`), whatever the process's own: a record's legal hold must not depend on the server's TZ
 * setting, and the erasure's hold and the sweep's must agree. WordPress keeps UTC beside local time
 * (`post_date_gmt` beside `post_date`): its map names the UTC column. PrestaShop writes its shop's zone: its
 * map says `timeZone: Europe/Amsterdam`.
 */

const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/** A record's time (a driver's Date or a column's text) as an instant, or undefined when it is none. */
export function recordTime(value: unknown, zone = 'UTC'): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (value === null || value === undefined || value === '') return undefined;
  const text = String(value).trim();
  const m = ZONELESS.exec(text);
  // Date.parse would read a zoneless date-time in the process's own zone: the parts are read here instead.
  if (!m) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : new Date(at);
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  // MySQL's zero date ('0000-00-00 00:00:00') and other impossible days are no time.
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return undefined;
  const wall = new Date(0);
  wall.setUTCFullYear(y!, mo! - 1, d!); // not Date.UTC, which reads the years 0-99 as 1900-1999
  if (wall.getUTCDate() !== d) return undefined; // 31 February
  wall.setUTCHours(h!, mi!, s!, ms);
  return zone === 'UTC' ? wall : new Date(wallTimeIn(zone, wall.getTime()));
}

/**
 * The instant at which the clocks of `zone` show this wall time (given as if it were UTC), from the zone's
 * offsets alone, never the process's. In the hour that repeats when the clocks go back it is the second
 * one (winter time); a time the clocks skip when they go forward is read with the offset before the skip.
 */
function wallTimeIn(zone: string, wall: number): number {
  const offsetAt = (at: number) => tzOffset(zone, new Date(at)) * 60_000;
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}

/**
 * A value as a record shows it: a zoneless date and time of a system with a zone of its own becomes the ISO
 * instant it names, so that the person's answer (which shows times in Dutch time) and the sealed archive say
 * when it happened, not the shop's wall clock read as UTC. Anything else is left as it is.
 */
export function zonedValue<T>(value: T, zone: string): T | string {
  if (typeof value !== 'string' || !ZONELESS.test(value) || !/[ T]\d/.test(value)) return value;
  return recordTime(value, zone)?.toISOString() ?? value;
}

/**
 * A time as each database compares it with its time columns. MySQL/MariaDB takes '2026-08-02T12:00:00.000Z'
 * in a select with a warning, but refuses it in an update or delete under strict mode: it gets its own form,
 * in the system's zone. SQLite's text in UTC is compared with ISO 8601 text; PostgreSQL gets the instant.
 */
export function timeParam(database: Pick<SqlDatabase, 'dialect'>, at: Date, zone = 'UTC'): Date | string {
  if (database.dialect === 'postgres') return at;
  if (database.dialect === 'mysql')
    return zone === 'UTC'
      ? at.toISOString().slice(0, 23).replace('T', ' ')
      : format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd HH:mm:ss.SSS');
  return zone === 'UTC' ? at.toISOString() : format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd HH:mm:ss.SSS');
}

/**
 * The same for a select, where MySQL/MariaDB also takes ISO 8601 with its `Z`: a text column holding ISO
 * times (the demo shop's) then sorts exactly, and a `datetime` is compared after conversion. A system with a
 * zone of its own gets the zone's wall time, as in `timeParam`.
 */
export function timeInSelect(database: Pick<SqlDatabase, 'dialect'>, at: Date, zone = 'UTC'): Date | string {
  return zone === 'UTC' && database.dialect === 'mysql' ? at.toISOString() : timeParam(database, at, zone);
}
