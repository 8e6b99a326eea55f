/** The vocabulary of a booking series (table `booking_series`), shared by entities, services and the workflow. */
import type { WeekdayCode } from './recurrence';

/**
 * ALL_OR_NOTHING (the default): every occurrence is booked or none is. AVAILABLE_ONLY: the
 * free occurrences are booked and the others listed as skipped with the reason.
 */
export const SERIES_CONFLICT_MODES = ['ALL_OR_NOTHING', 'AVAILABLE_ONLY'] as const;
export type SeriesConflictMode = (typeof SERIES_CONFLICT_MODES)[number];

/** CONFIRMED: every occurrence booked; PARTIAL: some skipped (AVAILABLE_ONLY); CANCELLED: nothing active is left. */
export const SERIES_STATUSES = ['CONFIRMED', 'PARTIAL', 'CANCELLED'] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];

/**
 * How a series REQUEST repeats, as it travels with the request (column
 * `booking_request.recurrence`, the workflow's input). The local start time and the first
 * date are not here: a direct series takes them from its `startTime` (read in the request's
 * zone), a flexible one from each candidate start W_C ranks in the preferred date range.
 */
export interface SeriesRecurrence {
  /** Every `interval` weeks, 1–4. */
  interval: number;
  /**
   * Direct series: the days of the week the sessions fall on; the start's own weekday is
   * always among them. Flexible series: empty means "the weekday of the candidate's first
   * session"; otherwise candidates start on one of these days and repeat on all of them.
   */
  weekdays: WeekdayCode[];
  /** How many sessions (1–52), or else `until`. */
  count?: number;
  /** The last calendar day a session may fall on (YYYY-MM-DD in the request's zone, inclusive). */
  until?: string;
  conflictMode: SeriesConflictMode;
}
