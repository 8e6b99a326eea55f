import type { Booking } from '../../db/entities';
import type { BookingCredit } from '../../../workflows/contract';
import type { BookingView } from '../schemas/bookings';
import { bookingCreditView } from './credit-views';

/** A booking row (with its time slots loaded) as the API shows it, with the pack credit that pays for it (`bookingViews` reads it). */
export function bookingView(row: Booking, credit: BookingCredit | null): BookingView {
  const slots = row.timeSlots.isInitialized() ? row.timeSlots.getItems() : [];
  return {
    id: row.id,
    booking_request_id: row.bookingRequest.id,
    client_id: row.client.id,
    trainer_id: row.trainer.id,
    session_type: row.sessionType,
    duration_minutes: row.durationMinutes,
    start_time: row.startTime.toISOString(),
    end_time: row.endTime.toISOString(),
    price_per_hour: row.pricePerHour,
    total_cost: row.totalCost,
    location: row.location ?? null,
    location_type: row.locationType,
    status: row.status,
    series_id: row.series?.id ?? null,
    is_recurring: row.isRecurring,
    recurring_pattern: row.recurringPattern ?? null,
    notes: row.notes ?? null,
    cancellation_reason: row.cancellationReason ?? null,
    credit: bookingCreditView(credit),
    slot_ids: slots.map((slot) => ({ id: slot.id, start: slot.startTime.getTime() })).sort((a, b) => a.start - b.start).map((slot) => slot.id),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
