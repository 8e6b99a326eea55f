import { z } from 'zod';
import { BOOKING_STATUSES, LOCATION_TYPES } from '../../domain/statuses';
import { errorSchema, instantSchema } from './common';
import { bookingCreditSchema } from './credits';

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
    series_id: z.number().int().nullable().describe('The weekly series this booking is a session of (GET /booking-series/{id}); null for a single booking'),
    is_recurring: z.boolean().describe('true for a session of a weekly series'),
    recurring_pattern: z.string().nullable().describe("The series' RFC 5545 rule (DTSTART;TZID=… and RRULE:…)"),
    notes: z.string().nullable(),
    cancellation_reason: z.string().nullable(),
    credit: bookingCreditSchema.describe('The pack credit that pays for it: held while booked, used once it took place (or was missed, or cancelled late); null when unpaid or the credit was given back'),
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

export const CANCEL_SCOPES = ['this', 'this_and_following'] as const;
export type CancelScope = (typeof CANCEL_SCOPES)[number];

export const cancelBodySchema = z
  .object({
    reason: z.string().trim().max(1000).optional(),
    scope: z
      .enum(CANCEL_SCOPES)
      .optional()
      .describe('For a session of a weekly series: this (the default) cancels this session only; this_and_following cancels it and every later session not yet started. A single booking has no following sessions (422 naming scope).'),
  })
  // Fastify hands a missing body to the validator as null.
  .nullish()
  .describe('Optional: why the booking is cancelled, and for a series session which sessions');

export const rescheduleBodySchema = z.object({
  new_start_time: instantSchema.describe('The new start; the trainer needs enough consecutive free slots from there'),
});

export const bookingChangeResponseSchema = z.object({
  message: z.string(),
  booking: bookingSchema,
  cancelled: z.array(bookingSchema).optional().describe('scope this_and_following: every session cancelled by this call, in time order'),
});

/** A 409 on reschedule: the original booking is untouched and returned as it stands. */
export const bookingConflictSchema = errorSchema.extend({ booking: bookingSchema.optional() }).meta({ id: 'BookingConflict' });
