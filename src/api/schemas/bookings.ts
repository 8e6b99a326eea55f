import { z } from 'zod';
import { BOOKING_STATUSES, LOCATION_TYPES } from '../../domain/statuses';
import { errorSchema, instantSchema } from './common';

export const bookingSchema = z
  .object({
    id: z.number().int(),
    booking_request_id: z.number().int(),
    client_id: z.number().int(),
    trainer_id: z.number().int(),
    session_type: z.string(),
    duration_minutes: z.number().int(),
    start_time: z.string(),
    end_time: z.string(),
    price_per_hour: z.number(),
    total_cost: z.number(),
    location: z.string().nullable(),
    location_type: z.enum(LOCATION_TYPES),
    status: z.enum(BOOKING_STATUSES),
    is_recurring: z.boolean(),
    recurring_pattern: z.string().nullable(),
    notes: z.string().nullable(),
    cancellation_reason: z.string().nullable(),
    slot_ids: z.array(z.number().int()).describe('The time slots the booking occupies, in time order'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Booking' });

export type BookingView = z.infer<typeof bookingSchema>;

export const listBookingsQuerySchema = z.object({
  status: z.enum(BOOKING_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const cancelBodySchema = z
  .object({ reason: z.string().trim().max(1000).optional() })
  // Fastify hands a missing body to the validator as null.
  .nullish()
  .describe('Optional: why the booking is cancelled');

export const rescheduleBodySchema = z.object({
  new_start_time: instantSchema.describe('The new start; the trainer needs enough consecutive free slots from there'),
});

export const bookingChangeResponseSchema = z.object({
  message: z.string(),
  booking: bookingSchema,
});

/** A 409 on reschedule: the original booking is untouched and returned as it stands. */
export const bookingConflictSchema = errorSchema.extend({ booking: bookingSchema.optional() }).meta({ id: 'BookingConflict' });
