/**
 * What makes a weekly series REQUEST acceptable before anything is stored, decided here and
 * worded here (the API's 422, the chat's sentence and the CLI all show these): the first
 * session's weekday among the chosen ones, the last session within the trainer's horizon,
 * every chosen weekday inside the trainer's published times, and a session length those
 * times can cover. Pure: the service (src/series/series-request.ts) gathers the facts.
 */
import type { TrainerPolicy } from '../policy/policy';
import { WEEKDAY_CODES, type WeekdayCode } from './recurrence';

const WEEKDAY_PLURALS: Record<WeekdayCode, string> = { MO: 'Mondays', TU: 'Tuesdays', WE: 'Wednesdays', TH: 'Thursdays', FR: 'Fridays', SA: 'Saturdays', SU: 'Sundays' };
const WEEKDAY_NAMES: Record<WeekdayCode, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

/** "Tuesdays", "Tuesdays and Thursdays", "Mondays, Wednesdays and Fridays" (in week order). */
export function weekdaysInWords(days: readonly WeekdayCode[]): string {
  const names = [...days].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b)).map((day) => WEEKDAY_PLURALS[day]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

const who = (trainerName: string | undefined): string => trainerName ?? 'This trainer';
const sessions = (n: number): string => (n === 1 ? '1 session' : `${n} sessions`);

/** The field a problem is about, as a new request spells it (NewBookingRequest). */
export type SeriesRequestField = 'recurrence.weekdays' | 'recurrence.count' | 'recurrence.until' | 'durationMinutes' | 'startTime';

export interface SeriesRequestProblem {
  field: SeriesRequestField;
  sentence: string;
}

export const seriesRequestWording = {
  startNotOnWeekdays: (startDay: WeekdayCode, days: readonly WeekdayCode[]): string =>
    `The first session falls on a ${WEEKDAY_NAMES[startDay]}, which is not among the chosen days (${weekdaysInWords(days)}): add it or choose another first session.`,
  lastBeyondHorizon: (policy: TrainerPolicy, lastDate: string, count: number, trainerName?: string): string =>
    `The last of the ${sessions(count)} would be on ${lastDate}, but ${who(trainerName)} takes bookings at most ${policy.horizonDays} days ahead: choose fewer sessions or an earlier end date.`,
  untilBeyondHorizon: (policy: TrainerPolicy, latestDate: string, trainerName?: string): string =>
    `${who(trainerName)} takes bookings at most ${policy.horizonDays} days ahead: choose an end date on or before ${latestDate}.`,
  weekdayUnavailable: (days: readonly WeekdayCode[], from: string, to: string, trainerName?: string): string =>
    `${who(trainerName)} has no published times on ${weekdaysInWords(days)} between ${from} and ${to}: choose other days.`,
  timeUnavailable: (localTime: string, days: readonly WeekdayCode[], trainerName?: string): string =>
    `${who(trainerName)} has no published time at ${localTime} on ${weekdaysInWords(days)} in that period: choose another time.`,
  lengthUncovered: (durationMinutes: number, localTime: string, trainerName?: string): string =>
    `${who(trainerName)}'s published times from ${localTime} never run ${durationMinutes} minutes on those days: choose a shorter session or another time.`,
} as const;

/** What the service found about a direct series' sessions in the trainer's published times. */
export interface SeriesCoverage {
  /** The chosen weekdays none of whose session days has any published time at all. */
  weekdaysWithoutTimes: WeekdayCode[];
  /** Sessions whose start lies inside a published time. */
  startsPublished: number;
  /** Sessions whose whole length is covered by back-to-back published times (booked or not). */
  lengthsCovered: number;
}

export interface SeriesRequestFacts {
  policy: TrainerPolicy;
  trainerName?: string;
  /** The chosen weekdays (after defaulting to the first session's). */
  weekdays: WeekdayCode[];
  count?: number;
  until?: string;
  /** Today and the last day the trainer takes bookings on, YYYY-MM-DD in the series' zone. */
  today: string;
  latestDate: string;
  /** The sessions the rule names: their local dates, in order (at least one). */
  sessionDates: string[];
  /** Direct series only: the first session's weekday, its local time, and the coverage. */
  direct?: { startDay: WeekdayCode; localTime: string; durationMinutes: number; coverage: SeriesCoverage };
}

/** The first problem of a series request, in the order a person would fix them; null when acceptable. */
export function checkSeriesRequest(facts: SeriesRequestFacts): SeriesRequestProblem | null {
  const { policy, trainerName, direct } = facts;
  if (direct && !facts.weekdays.includes(direct.startDay)) {
    return { field: 'recurrence.weekdays', sentence: seriesRequestWording.startNotOnWeekdays(direct.startDay, facts.weekdays) };
  }
  if (facts.until !== undefined && facts.until > facts.latestDate) {
    return { field: 'recurrence.until', sentence: seriesRequestWording.untilBeyondHorizon(policy, facts.latestDate, trainerName) };
  }
  const last = facts.sessionDates.at(-1)!;
  if (last > facts.latestDate) {
    return { field: facts.count !== undefined ? 'recurrence.count' : 'recurrence.until', sentence: seriesRequestWording.lastBeyondHorizon(policy, last, facts.sessionDates.length, trainerName) };
  }
  if (direct) {
    const { coverage } = direct;
    if (coverage.weekdaysWithoutTimes.length > 0) {
      return { field: 'recurrence.weekdays', sentence: seriesRequestWording.weekdayUnavailable(coverage.weekdaysWithoutTimes, facts.sessionDates[0]!, last, trainerName) };
    }
    if (coverage.startsPublished === 0) return { field: 'startTime', sentence: seriesRequestWording.timeUnavailable(direct.localTime, facts.weekdays, trainerName) };
    if (coverage.lengthsCovered === 0) return { field: 'durationMinutes', sentence: seriesRequestWording.lengthUncovered(direct.durationMinutes, direct.localTime, trainerName) };
  }
  return null;
}
