import { DateTime } from 'luxon';
import { checkStartAllowed, POLICY_BOUNDS, policyWording, type TrainerPolicy } from '../../../src/domain/policy';
import { addDays, WEEKDAY_CODES, weekdayIndex, type RecurrenceInput, type WeekdayCode } from '../../../src/domain/series/recurrence';
import { checkSeriesRequest } from '../../../src/domain/series/request-rules';
import type { SeriesConflictMode } from '../../../src/domain/series/series';
import { expandOccurrences, InvalidRecurrenceError, localToInstant, type ExpandedSeries } from '../../../src/series/recurrence';
import { untilAfterMonths } from '../../parsing/recurrence';
import type { BookingDraft, DraftSeries } from '../state';

/** A weekly series as the booking request carries it (NewBookingRequest.recurrence accepts it). */
export interface SeriesRequest {
  frequency: 'WEEKLY';
  interval: number;
  weekdays: WeekdayCode[];
  count?: number;
  until?: string;
  conflictMode: SeriesConflictMode;
}


/** The weekday code of a calendar date. */
export const weekdayCodeOf = (date: string): WeekdayCode => WEEKDAY_CODES[weekdayIndex(date)]!;

const sortDays = (days: Iterable<WeekdayCode>): WeekdayCode[] => [...new Set(days)].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));

/** Longer than any horizon a trainer can set (POLICY_BOUNDS.horizonDays.max) plus a week. */
const MAX_SEARCH_DAYS = POLICY_BOUNDS.horizonDays.max + 7;

/**
 * The first session of a direct series given as days and a local time ("every Tuesday
 * 18:00"): the first of those days, from today (or `from`) on, whose local time in `zone` is
 * a real instant the trainer's notice allows. A refusal sentence when none is before the
 * trainer's horizon.
 */
export function firstSeriesStart(args: {
  weekdays: readonly WeekdayCode[];
  time: string;
  zone: string;
  now: Date;
  from?: string;
  policy: TrainerPolicy;
  trainerName?: string;
}): { day: string; startTime: string } | { refusal: string } {
  const [hour = 0, minute = 0] = args.time.split(':').map(Number);
  const today = DateTime.fromJSDate(args.now, { zone: args.zone }).toISODate()!;
  let day = args.from && args.from > today ? args.from : today;
  // The horizon ends the search (a day past it is refused); the bound only guards against no days at all.
  for (let n = 0; n <= MAX_SEARCH_DAYS; n++) {
    if (args.weekdays.includes(weekdayCodeOf(day))) {
      const start = localToInstant(day, hour, minute, args.zone);
      if (start) {
        const refusal = checkStartAllowed(args.policy, start, args.now, args.trainerName);
        if (!refusal) return { day, startTime: start.toISOString() };
        if (refusal.code === 'policy_horizon') return { refusal: refusal.sentence };
      }
    }
    day = addDays(day, 1);
  }
  return { refusal: policyWording.horizon(args.policy, args.trainerName) };
}

/** The local date and HH:MM of an instant in the zone. */
function localOf(iso: string, zone: string): { date: string; time: string } {
  const local = DateTime.fromISO(iso, { zone });
  return { date: local.toISODate()!, time: local.toFormat('HH:mm') };
}

/** The end of the series as the request says it: a count, or an until-date ("for 3 months" from the first date). */
function endOf(series: DraftSeries, firstDate: string): { count: number } | { until: string } | undefined {
  if (series.count !== undefined) return { count: series.count };
  if (series.until !== undefined) return { until: series.until };
  if (series.forMonths !== undefined) return { until: untilAfterMonths(firstDate, series.forMonths) };
  return undefined;
}

/** The calendar date the series begins on: the direct start's local day, or the flexible preferences' first day. */
function firstDateOf(draft: BookingDraft, zone: string): string | undefined {
  if (draft.mode === 'exact') return draft.startTime ? localOf(draft.startTime, zone).date : undefined;
  return draft.preferences?.startDate;
}

/** The days the request names: a direct series always includes its first session's own day. */
function requestWeekdays(draft: BookingDraft, zone: string): WeekdayCode[] {
  const series = draft.series!;
  if (draft.mode !== 'exact' || !draft.startTime) return sortDays(series.weekdays);
  return sortDays([...series.weekdays, weekdayCodeOf(localOf(draft.startTime, zone).date)]);
}

/** What the booking request carries for the draft's series; undefined while something is missing. */
export function seriesRequestOf(draft: BookingDraft, zone: string): SeriesRequest | undefined {
  const series = draft.series;
  const firstDate = firstDateOf(draft, zone);
  if (!series || series.interval === undefined || !firstDate) return undefined;
  const end = endOf(series, firstDate);
  if (!end) return undefined;
  return { frequency: 'WEEKLY', interval: series.interval, weekdays: requestWeekdays(draft, zone), ...end, conflictMode: series.conflictMode };
}

/**
 * The series as the domain expands it. Direct: the real occurrences at the local start time
 * in the zone. Flexible: the time is the trainer's to offer, so only the dates are checked
 * (at a placeholder noon), from the first preferred day on its weekday unless days are named.
 */
function recurrenceInputOf(draft: BookingDraft, zone: string): RecurrenceInput | undefined {
  const request = seriesRequestOf(draft, zone);
  const firstDate = firstDateOf(draft, zone);
  if (!request || !firstDate) return undefined;
  const direct = draft.mode === 'exact' && draft.startTime !== undefined;
  return {
    frequency: 'WEEKLY',
    interval: request.interval,
    weekdays: request.weekdays.length > 0 ? request.weekdays : [weekdayCodeOf(firstDate)],
    startTime: direct ? localOf(draft.startTime!, zone).time : '12:00',
    timeZone: zone,
    firstDate,
    ...(request.count !== undefined ? { count: request.count } : { until: request.until! }),
  };
}

/** The occurrences of a complete series, or the domain's one sentence (and the field) when it cannot be booked. */
export function expandDraftSeries(draft: BookingDraft, zone: string): { expanded: ExpandedSeries } | { field: string; problem: string } | undefined {
  const input = recurrenceInputOf(draft, zone);
  if (!input) return undefined;
  try {
    return { expanded: expandOccurrences(input) };
  } catch (error) {
    if (error instanceof InvalidRecurrenceError) return { field: error.field, problem: error.problems[0]?.sentence ?? error.message };
    throw error;
  }
}

/**
 * What the request's own check (src/domain/series/request-rules, the rules and sentences the
 * service applies) says about the draft's series before it is sent: the end within the
 * trainer's horizon. Whether the trainer publishes times on those days needs the database
 * and is the service's to say.
 */
export function seriesProblem(draft: BookingDraft, zone: string, policy: TrainerPolicy, now: Date, trainerName?: string): { field: string; problem: string } | undefined {
  const checked = expandDraftSeries(draft, zone);
  if (!checked || 'problem' in checked) return checked;
  const request = seriesRequestOf(draft, zone)!;
  const firstDate = firstDateOf(draft, zone)!;
  const today = DateTime.fromJSDate(now, { zone });
  const problem = checkSeriesRequest({
    policy,
    ...(trainerName === undefined ? {} : { trainerName }),
    weekdays: request.weekdays.length > 0 ? request.weekdays : [weekdayCodeOf(firstDate)],
    ...(request.count !== undefined ? { count: request.count } : { until: request.until! }),
    today: today.toISODate()!,
    latestDate: today.plus({ days: policy.horizonDays }).toISODate()!,
    sessionDates: checked.expanded.occurrences.map((o) => o.localDate),
  });
  return problem ? { field: problem.field, problem: problem.sentence } : undefined;
}

/** The draft with the part of its series a refusal names cleared, so the dialogue asks for it again. */
export function clearSeriesField(series: DraftSeries, field: string): DraftSeries {
  const next: DraftSeries = { ...series };
  if (field.endsWith('interval')) delete next.interval;
  else if (field.endsWith('weekdays')) {
    next.weekdays = [];
    next.daysDone = false;
  } else if (field.endsWith('conflictMode')) next.conflictMode = 'ALL_OR_NOTHING';
  else {
    delete next.count;
    delete next.until;
    delete next.forMonths;
  }
  return next;
}
