/** The vocabulary of a booking series (table `booking_series`), shared by entities, services and the workflow. */

/**
 * ALL_OR_NOTHING (the default): every occurrence is booked or none is. AVAILABLE_ONLY: the
 * free occurrences are booked and the others listed as skipped with the reason.
 */
export const SERIES_CONFLICT_MODES = ['ALL_OR_NOTHING', 'AVAILABLE_ONLY'] as const;
export type SeriesConflictMode = (typeof SERIES_CONFLICT_MODES)[number];

/** CONFIRMED: every occurrence booked; PARTIAL: some skipped (AVAILABLE_ONLY); CANCELLED: nothing active is left. */
export const SERIES_STATUSES = ['CONFIRMED', 'PARTIAL', 'CANCELLED'] as const;
export type SeriesStatus = (typeof SERIES_STATUSES)[number];
