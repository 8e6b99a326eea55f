import type { Booking, BookingSeries } from '../../db/entities';
import type { SeriesSummary } from '../../../workflows/contract';
import { apiConflictMode, type BookingSeriesView } from '../schemas/booking-series';

/**
 * A series row with its bookings (any order) as the API shows it. `skipped` comes from the
 * request's workflow (the database keeps only what was booked); null when it cannot say.
 */
export function bookingSeriesView(series: BookingSeries, bookings: Booking[], skipped: SeriesSummary['skipped'] | null): BookingSeriesView {
  return {
    id: series.id,
    booking_request_id: series.bookingRequest.id,
    client_id: series.client.id,
    trainer_id: series.trainer.id,
    status: series.status,
    conflict_mode: apiConflictMode(series.conflictMode),
    rrule: series.rrule,
    time_zone: series.timeZone,
    duration_minutes: series.durationMinutes,
    occurrence_count: series.occurrenceCount,
    occurrences: [...bookings]
      .sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.id - b.id)
      .map((b) => ({ booking_id: b.id, start_time: b.startTime.toISOString(), end_time: b.endTime.toISOString(), status: b.status })),
    skipped: skipped === null ? null : skipped.map((s) => ({ start_time: new Date(s.start).toISOString(), code: apiSkipCode(s.code), reason: s.reason })),
  };
}

/** The reservation's SlotConflict is the API's slots_unavailable; policy codes are already the API's. */
export const apiSkipCode = (code: string): string => (code === 'SlotConflict' ? 'slots_unavailable' : code);
