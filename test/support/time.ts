// Dates for tests that do not depend on the day the suite runs. A slot "3 days ahead" is a
// Saturday on Wednesdays (and gets the weekend bonus), "tomorrow" may be in another month,
// and 23:30 UTC is already tomorrow in Berlin. So fixtures name the weekday they need
// (`nextWeekday('monday', { after: 3 })`), or a day whose weekday does not matter
// (`dayAhead(4)`), and instants are wall-clock times on such a day (`at(day, 10)`).
//
// Every helper counts from `now` when one is given (so the helpers are unit-tested for
// every weekday, near midnight and around DST), else from the reference instant: the
// clock, or TEST_NOW when set. TEST_NOW (an ISO instant, not before the real clock, since
// the services under test keep the real one) moves only the tests' fixtures to another day
// or week, to check that no expectation depends on which day that is.
import { DateTime } from 'luxon';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

export interface ClockOptions {
  /** Count from this instant instead of the reference one. */
  now?: Date | number;
  /** The zone whose calendar "today" is read in; UTC unless given. */
  zone?: string;
}

/** The instant the helpers count from when no `now` is given: TEST_NOW, else the clock. */
export function referenceNow(): Date {
  const real = Date.now();
  const fake = process.env.TEST_NOW;
  if (!fake) return new Date(real);
  const ms = Date.parse(fake);
  // An hour of slack: TEST_NOW is set once, before a run that may take a while.
  if (Number.isNaN(ms) || ms < real - HOUR_MS) throw new Error(`TEST_NOW=${fake} must be an ISO instant not before the real clock`);
  return new Date(ms);
}

const calendarDay = (day: string): DateTime => {
  const parsed = DateTime.fromISO(day, { zone: 'UTC' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !parsed.isValid) throw new Error(`not a calendar date (YYYY-MM-DD): ${day}`);
  return parsed;
};

/** Today's calendar date (YYYY-MM-DD) in the zone (UTC by default). */
export function today(options: ClockOptions = {}): string {
  const now = options.now ?? referenceNow();
  const local = DateTime.fromMillis(typeof now === 'number' ? now : now.getTime(), { zone: options.zone ?? 'UTC' });
  if (!local.isValid) throw new Error(`unknown time zone ${options.zone}`);
  return local.toISODate();
}

/** The calendar date `days` after `day` (negative: before). */
export function plusDays(day: string, days: number): string {
  return calendarDay(day).plus({ days }).toISODate()!;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((calendarDay(to).toMillis() - calendarDay(from).toMillis()) / DAY_MS);
}

/**
 * The calendar date `days` after today. Its weekday is whatever it is: use it only where
 * the weekday does not matter (no weekend bonus in an expectation, no weekday filter).
 */
export function dayAhead(days: number, options: ClockOptions = {}): string {
  return plusDays(today(options), days);
}

/** The weekday of a calendar date. */
export function weekdayOf(day: string): WeekdayName {
  return WEEKDAYS[calendarDay(day).weekday - 1]!;
}

export function isWeekend(day: string): boolean {
  return calendarDay(day).weekday >= 6;
}

/** The first `weekday` at least `after` days after today (default 2): `after` to `after + 6` days ahead. */
export function nextWeekday(weekday: WeekdayName, options: ClockOptions & { after?: number } = {}): string {
  const first = dayAhead(options.after ?? 2, options);
  const wanted = WEEKDAYS.indexOf(weekday) + 1;
  return plusDays(first, (wanted - calendarDay(first).weekday + 7) % 7);
}

/** The first working day (Monday to Friday) at least `days` after today: at most `days + 2` ahead. */
export function workdayAhead(days: number, options: ClockOptions = {}): string {
  let day = dayAhead(days, options);
  while (isWeekend(day)) day = plusDays(day, 1);
  return day;
}

/**
 * The instant of a wall-clock time on a calendar date in a zone (UTC by default), as ISO
 * with milliseconds (`2031-01-06T10:00:00.000Z`, the API's format). A time that does not
 * exist there (skipped by a DST change) throws; an ambiguous one is its first occurrence.
 */
export function at(day: string, hour: number, minute = 0, zone = 'UTC'): string {
  calendarDay(day);
  const local = DateTime.fromISO(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, { zone });
  if (!local.isValid) throw new Error(`${day} ${hour}:${minute} in ${zone}: ${local.invalidExplanation}`);
  if (local.toISODate() !== day || local.hour !== hour || local.minute !== minute) throw new Error(`${day} ${hour}:${minute} does not exist in ${zone} (a DST gap)`);
  const earlier = local.minus({ hours: 1 });
  // In a repeated hour Luxon may pick either offset; the first occurrence is the earlier instant.
  const first = earlier.hour === hour && earlier.minute === minute && earlier.toISODate() === day ? earlier : local;
  return new Date(first.toMillis()).toISOString();
}

/** `at(...)` as a Date. */
export function atDate(day: string, hour: number, minute = 0, zone = 'UTC'): Date {
  return new Date(at(day, hour, minute, zone));
}

/** The zone's offset from UTC in whole hours (may be fractional) at that wall-clock time. */
export function utcOffsetHours(day: string, hour: number, zone: string): number {
  return DateTime.fromISO(at(day, hour, 0, zone), { zone }).offset / 60;
}
