import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { SERIES_CONFLICT_MODES, SERIES_STATUSES } from '../../domain/series/series';
import { BookingRequest } from './booking-request';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * A standing weekly slot (issue 12): one row per confirmed series, its occurrences are
 * ordinary bookings (`booking.series_id`, `is_recurring`, `recurring_pattern` = `rrule`),
 * at most one per start (unique `series_id, start_time`). One series per request.
 */
export const BookingSeries = defineEntity({
  name: 'BookingSeries',
  tableName: 'booking_series',
  checks: [
    { name: 'booking_series_positive_duration', expression: 'duration_minutes > 0' },
    { name: 'booking_series_occurrence_count_bounds', expression: 'occurrence_count >= 1 and occurrence_count <= 52' },
  ],
  properties: {
    id: p.integer().primary(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    bookingRequest: () => p.oneToOne(BookingRequest).owner().unique(),
    /** RFC 5545 text: `DTSTART;TZID=…` and the `RRULE` line (src/series/recurrence.ts). */
    rrule: p.text(),
    /** The zone whose wall-clock time every occurrence keeps. */
    timeZone: p.string(),
    durationMinutes: p.integer(),
    /** How many occurrences were asked for: all of them are booked unless the series is PARTIAL. */
    occurrenceCount: p.integer(),
    conflictMode: p.enum(SERIES_CONFLICT_MODES).default('ALL_OR_NOTHING'),
    status: p.enum(SERIES_STATUSES).default('CONFIRMED'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type BookingSeries = InferEntity<typeof BookingSeries>;
