/**
 * Checks the recurrence of a new series request against the calendar and the trainer's
 * published times, before anything is stored (prepareBookingRequest calls it): the
 * recurrence's own shape (validateRecurrence / expandOccurrences), then the series rules in
 * src/domain/series/request-rules.ts. Every refusal is a RequestValidationError naming the
 * field (`recurrence.count`, `recurrence.until`, `recurrence.weekdays`, `durationMinutes`, …)
 * with one sentence. Returns the recurrence as the request keeps it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { TrainerPolicy } from '../domain/policy/policy';
import { WEEKDAY_CODES, validateRecurrence, weekdayIndex, type RecurrenceInput, type RecurrenceProblem, type WeekdayCode } from '../domain/series/recurrence';
import { checkSeriesRequest, type SeriesCoverage } from '../domain/series/request-rules';
import type { SeriesConflictMode, SeriesRecurrence } from '../domain/series/series';
import { MINUTE_MS } from '../domain/time';
import { RequestValidationError } from '../requests/request-validation-error';
import { expandOccurrences, InvalidRecurrenceError, type Occurrence } from './recurrence';

export interface SeriesRequestInput {
  recurrence: { frequency: string; interval: number; weekdays: string[]; count?: number | null; until?: string | null; conflictMode: SeriesConflictMode };
  /** Direct series: the first session (ISO instant). */
  startTime: string | null;
  /** Flexible series: the first day the series may begin (already today or later). */
  preferredStartDate: string | null;
  timeZone: string;
  trainerId: number;
  durationMinutes: number;
  policy: TrainerPolicy;
  trainerName?: string;
  now: Date;
}

/** A recurrence problem's field as a new request spells it. */
function requestField(problem: RecurrenceProblem, direct: boolean): string {
  switch (problem.field) {
    case 'start_time':
      return 'startTime';
    case 'time_zone':
      return 'timeZone';
    case 'first_date':
      return direct ? 'startTime' : 'preferences.preferredStartDate';
    default:
      return `recurrence.${problem.field}`;
  }
}

/** Whether published times of the trainer cover each session's start and its whole length, per weekday. */
async function coverageOf(em: EntityManager, trainerId: number, occurrences: Occurrence[], weekdays: WeekdayCode[], durationMinutes: number, zone: string): Promise<SeriesCoverage> {
  const from = occurrences[0]!.start;
  const to = new Date(occurrences.at(-1)!.start.getTime() + durationMinutes * MINUTE_MS);
  // Whole local days around the sessions, so "any published time that day" is seen too.
  const rows = await em.execute<{ start_time: Date | string; end_time: Date | string }[]>(
    `select start_time, end_time from time_slot
      where trainer_id = ? and is_available and end_time > ?::timestamptz - interval '1 day' and start_time < ?::timestamptz + interval '1 day'
      order by start_time`,
    [trainerId, from, to],
  );
  const slots = rows.map((row) => ({ start: new Date(row.start_time).getTime(), end: new Date(row.end_time).getTime() }));
  const daysWithTimes = new Set(slots.map((slot) => DateTime.fromMillis(slot.start, { zone }).toISODate()));
  const weekdaysWithoutTimes = weekdays.filter((day) => !occurrences.some((o) => WEEKDAY_CODES[weekdayIndex(o.localDate)] === day && daysWithTimes.has(o.localDate)));
  let startsPublished = 0;
  let lengthsCovered = 0;
  for (const occurrence of occurrences) {
    const start = occurrence.start.getTime();
    const end = start + durationMinutes * MINUTE_MS;
    let reached = -1;
    for (const slot of slots) {
      if (reached < 0) {
        if (slot.start <= start && slot.end > start) reached = slot.end;
      } else if (slot.start === reached) reached = slot.end;
      else if (slot.start > reached) break;
      if (reached >= end) break;
    }
    if (reached >= 0) startsPublished++;
    if (reached >= end) lengthsCovered++;
  }
  return { weekdaysWithoutTimes, startsPublished, lengthsCovered };
}

/**
 * The recurrence a new request keeps, after every check a person can act on: the shape,
 * 1 to 52 sessions, the end on or after the start, the last session within the trainer's
 * horizon, and for a direct series the first session's weekday, the trainer's published
 * times on the chosen days and a length they can cover. Throws RequestValidationError.
 */
export async function prepareSeriesRecurrence(em: EntityManager, input: SeriesRequestInput): Promise<SeriesRecurrence> {
  const { recurrence, timeZone: zone, now } = input;
  const direct = input.startTime !== null;
  const first = direct ? DateTime.fromISO(input.startTime!, { zone }) : DateTime.fromISO(input.preferredStartDate!, { zone });
  const startDay = WEEKDAY_CODES[first.weekday - 1]!;
  // Checked by validateRecurrence below (an unknown day is named in its sentence).
  const weekdays = (recurrence.weekdays.length > 0 ? recurrence.weekdays : [startDay]) as WeekdayCode[];
  const localTime = direct ? first.toFormat('HH:mm') : '12:00';
  const rule: RecurrenceInput = {
    frequency: recurrence.frequency as 'WEEKLY',
    interval: recurrence.interval,
    weekdays,
    startTime: localTime,
    timeZone: zone,
    firstDate: first.toISODate()!,
    ...(recurrence.count != null ? { count: recurrence.count } : {}),
    ...(recurrence.until != null ? { until: recurrence.until } : {}),
  };
  const problems = validateRecurrence(rule);
  if (problems.length > 0) throw new RequestValidationError(requestField(problems[0]!, direct), problems[0]!.sentence);
  let occurrences: Occurrence[];
  try {
    occurrences = expandOccurrences(rule).occurrences;
  } catch (error) {
    if (!(error instanceof InvalidRecurrenceError)) throw error;
    throw new RequestValidationError(requestField(error.problems[0]!, direct), error.problems[0]!.sentence);
  }
  const today = DateTime.fromJSDate(now, { zone });
  const problem = checkSeriesRequest({
    policy: input.policy,
    ...(input.trainerName !== undefined ? { trainerName: input.trainerName } : {}),
    weekdays,
    ...(rule.count !== undefined ? { count: rule.count } : {}),
    ...(rule.until !== undefined ? { until: rule.until } : {}),
    today: today.toISODate()!,
    latestDate: today.plus({ days: input.policy.horizonDays }).toISODate()!,
    sessionDates: occurrences.map((o) => o.localDate),
    ...(direct
      ? { direct: { startDay, localTime, durationMinutes: input.durationMinutes, coverage: await coverageOf(em, input.trainerId, occurrences, weekdays, input.durationMinutes, zone) } }
      : {}),
  });
  if (problem) throw new RequestValidationError(problem.field, problem.sentence);
  return {
    interval: recurrence.interval,
    weekdays: direct ? weekdays : (recurrence.weekdays as WeekdayCode[]),
    ...(rule.count !== undefined ? { count: rule.count } : {}),
    ...(rule.until !== undefined ? { until: rule.until } : {}),
    conflictMode: recurrence.conflictMode,
  };
}
