/**
 * A weekly recurrence turned into what the reservation needs: an RFC 5545 rule to store
 * (`toRRule`) and the occurrences as UTC instants (`expandOccurrences`) that keep the LOCAL
 * wall-clock time across daylight-saving changes — 18:00 in Berlin stays 18:00 after the
 * last Sunday of March and of October, so the stored instants move by an hour.
 *
 * Expansion uses luxon (already a dependency) rather than the `rrule` package: rrule 2.8.1
 * represents TZID dates as "floating" Dates whose UTC fields mean local time and converts
 * them with the host's zone, which is known to give occurrences an hour (or a zone offset)
 * off across DST and in TZID rules (jkbrzt/rrule #611 on 2.8.1, #295, #390). A weekly rule
 * is simple enough to expand exactly here: calendar dates first (src/domain/series), then
 * each date's local time through the zone database. The stored string is plain RFC 5545,
 * so any library can read it back.
 */
import { DateTime } from 'luxon';
import { InvalidRequestError } from '../domain/errors';
import { MINUTE_MS } from '../domain/time';
import {
  MAX_OCCURRENCES,
  WEEKDAY_CODES,
  parseLocalTime,
  recurrenceDates,
  validateRecurrence,
  type RecurrenceInput,
  type RecurrenceProblem,
} from '../domain/series/recurrence';
import { seriesWording } from '../domain/series/wording';

export type { RecurrenceInput, RecurrenceProblem, WeekdayCode } from '../domain/series/recurrence';

/** One session of a series: when it starts, and the local day and time it was asked for. */
export interface Occurrence {
  start: Date;
  /** YYYY-MM-DD in the series' zone. */
  localDate: string;
  /** HH:MM in the series' zone (always the series' start time). */
  localTime: string;
}

/** A date of the rule that cannot happen, and why (one sentence). */
export interface SkippedDate {
  localDate: string;
  reason: string;
}

export interface ExpandedSeries {
  occurrences: Occurrence[];
  /** Dates the rule names whose local start time does not exist (clocks go forward over it). */
  skipped: SkippedDate[];
}

/** A recurrence that cannot be booked as given: every problem names its field. */
export class InvalidRecurrenceError extends InvalidRequestError {
  override name = 'InvalidRecurrenceError';
  constructor(readonly problems: RecurrenceProblem[]) {
    super(problems.map((problem) => problem.sentence).join(' '));
  }
  /** The first field at fault, for a 422 that names one. */
  get field(): string {
    return this.problems[0]?.field ?? 'recurrence';
  }
  override details() {
    return { field: this.field, problems: this.problems };
  }
}

const offsetMinutes = (ms: number, zone: string): number => DateTime.fromMillis(ms, { zone }).offset;

/**
 * The instant a local wall-clock time names in `zone`: the earlier one when the time occurs
 * twice (clocks go back; RFC 5545 takes the first), null when it does not occur at all
 * (clocks go forward over it).
 */
export function localToInstant(date: string, hour: number, minute: number, zone: string): Date | null {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets that can apply near that time: a transition is never closer than a day to another.
  const offsets = new Set([asUtc - 86_400_000, asUtc, asUtc + 86_400_000].map((ms) => offsetMinutes(ms, zone)));
  const candidates = [...offsets]
    .map((offset) => asUtc - offset * MINUTE_MS)
    .filter((ms) => offsetMinutes(ms, zone) * MINUTE_MS === asUtc - ms)
    .sort((a, b) => a - b);
  return candidates.length > 0 ? new Date(candidates[0]!) : null;
}

function throwIfInvalid(input: RecurrenceInput): void {
  const problems = validateRecurrence(input);
  if (problems.length > 0) throw new InvalidRecurrenceError(problems);
}

const compact = (date: string): string => date.replaceAll('-', '');

/**
 * The series as RFC 5545 text: `DTSTART;TZID=<zone>:<first date and local time>` and the
 * `RRULE` line (FREQ=WEEKLY, INTERVAL, BYDAY, WKST=MO, and COUNT or UNTIL). UNTIL is the end
 * of the until-date in the zone, written in UTC as RFC 5545 requires with a TZID start.
 * Throws InvalidRecurrenceError for an input `validateRecurrence` refuses.
 */
export function toRRule(input: RecurrenceInput): string {
  throwIfInvalid(input);
  const days = [...input.weekdays].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));
  const parts = ['FREQ=WEEKLY', `INTERVAL=${input.interval}`, `BYDAY=${days.join(',')}`, 'WKST=MO'];
  if (input.count !== undefined) parts.push(`COUNT=${input.count}`);
  else {
    const endOfDay = DateTime.fromISO(`${input.until!}T23:59:59`, { zone: input.timeZone }).toUTC();
    parts.push(`UNTIL=${endOfDay.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
  }
  const dtstart = `${compact(input.firstDate)}T${input.startTime.replace(':', '')}00`;
  return `DTSTART;TZID=${input.timeZone}:${dtstart}\nRRULE:${parts.join(';')}`;
}

/**
 * The occurrences of the series in time order as UTC instants at the local start time of
 * each date. A date whose local start time does not exist (the clocks jump over it) is
 * skipped with its reason and still counts toward COUNT, as it is an instance of the rule.
 * Throws InvalidRecurrenceError for a bad input, and for one that yields no occurrence or
 * more than 52 (an until-date too far ahead).
 */
export function expandOccurrences(input: RecurrenceInput): ExpandedSeries {
  throwIfInvalid(input);
  const dates = recurrenceDates(input);
  if (dates.length > MAX_OCCURRENCES) {
    throw new InvalidRecurrenceError([{ field: 'until', sentence: `That end date gives more than ${MAX_OCCURRENCES} sessions: choose an earlier end date.` }]);
  }
  const { hour, minute } = parseLocalTime(input.startTime)!;
  const occurrences: Occurrence[] = [];
  const skipped: SkippedDate[] = [];
  for (const localDate of dates) {
    const start = localToInstant(localDate, hour, minute, input.timeZone);
    if (start) occurrences.push({ start, localDate, localTime: input.startTime });
    else skipped.push({ localDate, reason: seriesWording.nonexistent(localDate, input.startTime, input.timeZone) });
  }
  if (occurrences.length === 0) {
    const field = input.until !== undefined ? 'until' : 'start_time';
    throw new InvalidRecurrenceError([{ field, sentence: 'No session of this series falls between the first date and the end date: choose other weekdays or a later end date.' }]);
  }
  return { occurrences, skipped };
}
