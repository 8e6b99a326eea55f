/**
 * A weekly recurrence as a client asks for it ("every Tuesday 18:00 for 10 weeks", "every
 * other Monday at 7 until March", "Tue and Thu 7:00, 8 sessions"), and its validation.
 * Pure and deterministic (the workflow may import it): no clock, no I/O; expanding it into
 * instants needs the time-zone database and lives in src/series/recurrence.ts.
 */

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

export const MAX_OCCURRENCES = 52;
export const MAX_INTERVAL = 4;

export interface RecurrenceInput {
  frequency: 'WEEKLY';
  /** Every `interval` weeks (1 = weekly, 2 = every other week), 1–4. */
  interval: number;
  /** The days of the week the sessions fall on, at least one. */
  weekdays: WeekdayCode[];
  /** The local wall-clock start of every occurrence, HH:MM (24 h). */
  startTime: string;
  /** IANA zone the start time is meant in (e.g. Europe/Berlin). */
  timeZone: string;
  /** The first calendar day the series may start on (YYYY-MM-DD, in `timeZone`). */
  firstDate: string;
  /** How many occurrences (1–52); or else `until`. */
  count?: number;
  /** The last calendar day an occurrence may fall on (YYYY-MM-DD, inclusive). */
  until?: string;
}

/** What is wrong with one field of a recurrence: the field as the API names it, and one sentence. */
export interface RecurrenceProblem {
  field: 'frequency' | 'interval' | 'weekdays' | 'start_time' | 'time_zone' | 'first_date' | 'count' | 'until';
  sentence: string;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A real calendar date written YYYY-MM-DD (2027-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** HH:MM as hours and minutes, or null when it is not a time of day. */
export function parseLocalTime(value: string): { hour: number; minute: number } | null {
  const match = TIME_PATTERN.exec(value);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

/** Whether the runtime's time-zone database knows `zone` (Intl is built in, not I/O). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every problem of the input that can be told without expanding it, in field order; an
 * empty list when the shape is right. Whether it yields between 1 and 52 occurrences (an
 * until-date) is known only after expansion (`expandOccurrences`).
 */
export function validateRecurrence(input: RecurrenceInput): RecurrenceProblem[] {
  const problems: RecurrenceProblem[] = [];
  if ((input.frequency as string) !== 'WEEKLY') problems.push({ field: 'frequency', sentence: 'Only weekly series are supported: set frequency to WEEKLY.' });
  if (!Number.isInteger(input.interval) || input.interval < 1 || input.interval > MAX_INTERVAL) {
    problems.push({ field: 'interval', sentence: `The interval must be a whole number of weeks from 1 to ${MAX_INTERVAL}.` });
  }
  const weekdays = Array.isArray(input.weekdays) ? input.weekdays : [];
  const unknown = weekdays.filter((day) => !(WEEKDAY_CODES as readonly string[]).includes(day));
  if (weekdays.length === 0) problems.push({ field: 'weekdays', sentence: 'Choose at least one weekday (MO, TU, WE, TH, FR, SA or SU).' });
  else if (unknown.length > 0) problems.push({ field: 'weekdays', sentence: `${unknown.map(String).join(', ')} is not a weekday: use MO, TU, WE, TH, FR, SA or SU.` });
  else if (new Set(weekdays).size !== weekdays.length) problems.push({ field: 'weekdays', sentence: 'Name each weekday only once.' });
  if (parseLocalTime(input.startTime) === null) problems.push({ field: 'start_time', sentence: 'The start time must be a time of day written HH:MM, e.g. 18:00.' });
  if (!isTimeZone(input.timeZone)) problems.push({ field: 'time_zone', sentence: `${input.timeZone} is not a known time zone: use an IANA name such as Europe/Berlin.` });
  const firstOk = isCalendarDate(input.firstDate);
  if (!firstOk) problems.push({ field: 'first_date', sentence: 'The first date must be a calendar date written YYYY-MM-DD.' });
  const hasCount = input.count !== undefined && input.count !== null;
  const hasUntil = input.until !== undefined && input.until !== null;
  if (hasCount && hasUntil) problems.push({ field: 'count', sentence: 'Give either a number of sessions or an end date, not both.' });
  else if (!hasCount && !hasUntil) problems.push({ field: 'count', sentence: 'Say how many sessions (up to 52) or until which date the series runs.' });
  if (hasCount) {
    const count = input.count!;
    if (!Number.isInteger(count) || count < 1) problems.push({ field: 'count', sentence: 'A series needs at least one session.' });
    else if (count > MAX_OCCURRENCES) problems.push({ field: 'count', sentence: `A series can have at most ${MAX_OCCURRENCES} sessions.` });
  }
  if (hasUntil && !hasCount) {
    const until = input.until!;
    if (!isCalendarDate(until)) problems.push({ field: 'until', sentence: 'The end date must be a calendar date written YYYY-MM-DD.' });
    // ISO dates compare as strings.
    else if (firstOk && until < input.firstDate) problems.push({ field: 'until', sentence: 'The end date is before the first date: choose an end date on or after it.' });
  }
  return problems;
}

/** Monday = 0 … Sunday = 6 for a YYYY-MM-DD calendar date. */
export function weekdayIndex(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/**
 * The calendar dates the recurrence names, in order, before any time-zone question: weeks
 * counted from the (Monday-started) week of the first date, every `interval`-th week, the
 * chosen weekdays on or after the first date, up to `count` dates or through `until`.
 * Stops after `limit` dates (so an until-date far ahead cannot loop for long). Assumes a
 * valid input (`validateRecurrence`).
 */
export function recurrenceDates(input: RecurrenceInput, limit = MAX_OCCURRENCES + 1): string[] {
  const days = [...new Set(input.weekdays)].map((code) => WEEKDAY_CODES.indexOf(code)).sort((a, b) => a - b);
  const weekStart = addDays(input.firstDate, -weekdayIndex(input.firstDate));
  const wanted = Math.min(input.count ?? limit, limit);
  const dates: string[] = [];
  for (let week = 0; dates.length < wanted; week += input.interval) {
    for (const day of days) {
      const date = addDays(weekStart, week * 7 + day);
      if (date < input.firstDate) continue;
      if (input.until !== undefined && date > input.until) return dates;
      dates.push(date);
      if (dates.length >= wanted) break;
    }
  }
  return dates;
}
