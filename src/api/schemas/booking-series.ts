import { z } from 'zod';
import { SERIES_STATUSES, type SeriesConflictMode } from '../../domain/series/series';
import { BOOKING_STATUSES } from '../../domain/statuses';

/** The API's spelling of a series' conflict mode (SeriesConflictMode in lower case). */
export const API_CONFLICT_MODES = ['all_or_nothing', 'available_only'] as const;
export type ApiConflictMode = (typeof API_CONFLICT_MODES)[number];

/** A session of a series that was not booked, and why. */
export const skippedOccurrenceSchema = z.object({
  start_time: z.string().describe('When the session would have started (ISO 8601 instant, UTC)'),
  code: z.string().describe('Why, for programs: slots_unavailable (taken), or the policy rule (e.g. policy_min_notice, policy_client_overlap)'),
  reason: z.string().describe('Why, in one sentence'),
});

/** A confirmed weekly series: its rule and its sessions, each an ordinary booking. */
export const bookingSeriesSchema = z
  .object({
    id: z.number().int(),
    booking_request_id: z.number().int(),
    client_id: z.number().int(),
    trainer_id: z.number().int(),
    status: z.enum(SERIES_STATUSES).describe('CONFIRMED: every session booked; PARTIAL: some skipped (available_only); CANCELLED: none is active any more'),
    conflict_mode: z.enum(API_CONFLICT_MODES),
    rrule: z.string().describe('RFC 5545: the DTSTART;TZID=… line and the RRULE line'),
    time_zone: z.string().describe('The zone whose wall-clock time every session keeps (across DST changes)'),
    duration_minutes: z.number().int(),
    occurrence_count: z.number().int().describe('How many sessions the rule names'),
    occurrences: z
      .array(z.object({ booking_id: z.number().int(), start_time: z.string(), end_time: z.string(), status: z.enum(BOOKING_STATUSES) }))
      .describe('The booked sessions in time order; each is a booking (GET /bookings/{id}) that can be cancelled or rescheduled on its own'),
    skipped: z.array(skippedOccurrenceSchema).nullable().describe('The sessions not booked (available_only) with the reason; null when the workflow cannot be reached to say'),
  })
  .meta({ id: 'BookingSeries' });

export type BookingSeriesView = z.infer<typeof bookingSeriesSchema>;

/** SeriesConflictMode as the API spells it. */
export const apiConflictMode = (mode: SeriesConflictMode): ApiConflictMode => (mode === 'AVAILABLE_ONLY' ? 'available_only' : 'all_or_nothing');
export const domainConflictMode = (mode: ApiConflictMode): SeriesConflictMode => (mode === 'available_only' ? 'AVAILABLE_ONLY' : 'ALL_OR_NOTHING');
