// The date helpers keep their promises whatever day, hour and zone the suite runs in: each
// is checked from every weekday, just after and just before midnight UTC, across a month
// and a year end, and around DST changes.
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/time';
import { at, atDate, dayAhead, daysBetween, isWeekend, nextWeekday, plusDays, referenceNow, today, utcOffsetHours, WEEKDAYS, weekdayOf, workdayAhead } from './time';

/** Seven consecutive days starting Monday 2031-03-24 (Europe's DST starts on Sunday the 30th), then a month and a year end. */
const MONDAY = Date.UTC(2031, 2, 24);
const DAYS = Array.from({ length: 7 }, (_, i) => MONDAY + i * DAY_MS);
const TIMES_OF_DAY = [30_000, 12 * 3_600_000, DAY_MS - 30_000]; // 00:00:30, 12:00, 23:59:30 UTC
const NOWS = [
  ...DAYS.flatMap((day) => TIMES_OF_DAY.map((t) => day + t)),
  Date.UTC(2031, 0, 31, 23, 59, 30), // Friday, the last of a month
  Date.UTC(2031, 11, 31, 23, 59, 30), // Wednesday, the last of a year
  Date.UTC(2032, 1, 28, 12), // the day before a leap day
];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu'];

/** The reference: the zone's calendar date at `ms`, read by Intl. */
function intlDate(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}
const utcWeekday = (day: string): number => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday

describe('calendar helpers from every weekday, near midnight and in any zone', () => {
  it.each(NOWS.map((now) => [new Date(now).toISOString(), now]))('from %s', (_label, now) => {
    for (const zone of ZONES) {
      const base = today({ now, zone });
      expect(base).toBe(intlDate(now, zone));
      for (const n of [0, 1, 3, 11]) {
        expect(dayAhead(n, { now, zone })).toBe(intlDate(Date.parse(`${base}T12:00:00Z`) + n * DAY_MS, 'UTC'));
        expect(daysBetween(base, dayAhead(n, { now, zone }))).toBe(n);
      }
      for (const after of [0, 2, 3]) {
        for (const weekday of WEEKDAYS) {
          const day = nextWeekday(weekday, { now, zone, after });
          expect(weekdayOf(day)).toBe(weekday);
          expect(WEEKDAYS[utcWeekday(day)]).toBe(weekday);
          expect(daysBetween(base, day)).toBeGreaterThanOrEqual(after);
          expect(daysBetween(base, day)).toBeLessThanOrEqual(after + 6);
        }
        // The Monday-to-Wednesday range the API tests use holds no weekend day.
        const monday = nextWeekday('monday', { now, zone, after });
        expect([0, 1, 2].map((i) => isWeekend(plusDays(monday, i)))).toEqual([false, false, false]);
      }
      for (const n of [2, 3, 4]) {
        const day = workdayAhead(n, { now, zone });
        expect(isWeekend(day)).toBe(false);
        expect(daysBetween(base, day)).toBeGreaterThanOrEqual(n);
        expect(daysBetween(base, day)).toBeLessThanOrEqual(n + 2);
      }
    }
  });

  it('counts from the real clock by default, in UTC', () => {
    const before = intlDate(Date.now(), 'UTC');
    const day = today();
    expect([before, intlDate(Date.now(), 'UTC')]).toContain(day);
  });

  it('does calendar arithmetic across month, year and leap days', () => {
    expect(plusDays('2031-01-31', 1)).toBe('2031-02-01');
    expect(plusDays('2031-12-31', 1)).toBe('2032-01-01');
    expect(plusDays('2032-02-28', 1)).toBe('2032-02-29');
    expect(plusDays('2031-03-01', -1)).toBe('2031-02-28');
    expect(daysBetween('2031-03-29', '2031-03-31')).toBe(2); // across Europe's DST change: still whole days
    expect(weekdayOf('2031-03-24')).toBe('monday');
    expect(isWeekend('2031-03-29')).toBe(true);
    expect(() => plusDays('2031-02-30', 1)).toThrow(/not a calendar date/);
  });
});

describe('at: a wall-clock time on a day, as an instant', () => {
  it('in UTC, in the API format', () => {
    expect(at('2031-03-24', 10)).toBe('2031-03-24T10:00:00.000Z');
    expect(at('2031-03-24', 9, 30)).toBe('2031-03-24T09:30:00.000Z');
    expect(atDate('2031-03-24', 0).getTime()).toBe(MONDAY);
  });

  it('in a zone, on both sides of its DST changes', () => {
    expect(at('2031-03-29', 10, 0, 'Europe/Berlin')).toBe('2031-03-29T09:00:00.000Z');
    expect(at('2031-03-30', 10, 0, 'Europe/Berlin')).toBe('2031-03-30T08:00:00.000Z');
    expect(at('2031-03-09', 10, 0, 'America/New_York')).toBe('2031-03-09T14:00:00.000Z');
    expect(at('2031-03-08', 10, 0, 'America/New_York')).toBe('2031-03-08T15:00:00.000Z');
    expect(utcOffsetHours('2031-01-06', 10, 'Europe/London')).toBe(0);
    expect(utcOffsetHours('2031-07-07', 10, 'Europe/London')).toBe(1);
    expect(utcOffsetHours('2031-07-07', 10, 'Asia/Kathmandu')).toBe(5.75);
  });

  it('refuses a time a DST change skips, and takes the first of a repeated one', () => {
    expect(() => at('2031-03-30', 2, 30, 'Europe/Berlin')).toThrow(/does not exist/);
    expect(at('2031-10-26', 2, 30, 'Europe/Berlin')).toBe('2031-10-26T00:30:00.000Z');
    expect(at('2031-11-02', 1, 30, 'America/New_York')).toBe('2031-11-02T05:30:00.000Z');
  });
});

describe('TEST_NOW', () => {
  const saved = process.env.TEST_NOW;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEST_NOW;
    else process.env.TEST_NOW = saved;
  });

  it('moves the reference day forward, and never into the past', () => {
    const later = new Date(Date.now() + 10 * DAY_MS);
    process.env.TEST_NOW = later.toISOString();
    expect(referenceNow().getTime()).toBe(later.getTime());
    expect(today()).toBe(intlDate(later.getTime(), 'UTC'));
    expect(weekdayOf(nextWeekday('friday'))).toBe('friday');
    process.env.TEST_NOW = '2020-01-01T00:00:00Z';
    expect(() => referenceNow()).toThrow(/TEST_NOW/);
  });
});
