import { z } from 'zod';
import { LOCATION_TYPES, REQUEST_STATUSES, WORKFLOW_STATUSES } from '../../domain/statuses';
import { calendarDateSchema, errorSchema, idSchema, instantSchema, timeBlockSchema, timeZoneSchema } from './common';
import { scoredSlotSchema } from './scored-slots';

const MINUTE_MS = 60_000;

/**
 * A new request, as in the seed's Step 1: either an exact `start_time` (direct booking,
 * with `duration_minutes` or `end_time`) or preferences over a date range (flexible).
 */
export const createBookingRequestBodySchema = z
  .object({
    client_id: idSchema.optional().describe('Admins only: the client the request is made for. Clients always book for themselves.'),
    trainer_id: idSchema,
    session_type: z.string().trim().min(1).max(100).meta({ example: 'Strength Training' }),
    duration_minutes: z.number().int().min(15).max(480).optional().describe('Required unless start_time and end_time are both given'),
    location: z.string().trim().max(200).nullish().meta({ example: 'Gym Studio' }),
    location_type: z.enum(LOCATION_TYPES).optional(),
    special_requests: z.string().trim().max(1000).nullish(),
    start_time: instantSchema.optional().describe('Direct booking: the exact start chosen from the available slots'),
    end_time: instantSchema.optional().describe('Direct booking: the end; must agree with duration_minutes when both are given'),
    preferred_start_date: calendarDateSchema.optional().describe('Flexible request: first acceptable day (in time_zone)'),
    preferred_end_date: calendarDateSchema.optional().describe('Flexible request: last acceptable day (in time_zone)'),
    preferred_times: z.array(timeBlockSchema).max(12).optional(),
    avoid_times: z.array(timeBlockSchema).max(12).optional(),
    allow_weekends: z.boolean().optional(),
    allow_evenings: z.boolean().optional(),
    time_zone: timeZoneSchema.optional().describe("Zone the preferences are meant in; defaults to the client's, else the trainer's"),
  })
  .superRefine((body, ctx) => {
    const direct = body.start_time !== undefined;
    const flexible = body.preferred_start_date !== undefined || body.preferred_end_date !== undefined;
    if (direct === flexible) {
      ctx.addIssue({ code: 'custom', path: ['start_time'], message: 'give either start_time (direct booking) or preferred_start_date and preferred_end_date (flexible request), not both or neither' });
      return;
    }
    if (flexible) {
      if (body.preferred_start_date === undefined) ctx.addIssue({ code: 'custom', path: ['preferred_start_date'], message: 'required together with preferred_end_date' });
      if (body.preferred_end_date === undefined) ctx.addIssue({ code: 'custom', path: ['preferred_end_date'], message: 'required together with preferred_start_date' });
      if (body.preferred_start_date && body.preferred_end_date && body.preferred_end_date < body.preferred_start_date) {
        ctx.addIssue({ code: 'custom', path: ['preferred_end_date'], message: 'must not be before preferred_start_date' });
      }
      if (body.end_time !== undefined) ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'only a direct booking (with start_time) has an end_time' });
    }
    if (body.duration_minutes === undefined && !(direct && body.end_time !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['duration_minutes'], message: 'required (or give start_time and end_time)' });
    }
    if (direct && body.end_time !== undefined && body.start_time !== undefined) {
      const minutes = (Date.parse(body.end_time) - Date.parse(body.start_time)) / MINUTE_MS;
      if (!(minutes >= 15 && minutes <= 480 && Number.isInteger(minutes))) {
        ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'must be 15 to 480 whole minutes after start_time' });
      } else if (body.duration_minutes !== undefined && body.duration_minutes !== minutes) {
        ctx.addIssue({ code: 'custom', path: ['end_time'], message: `is ${minutes} minutes after start_time, but duration_minutes is ${body.duration_minutes}` });
      }
    }
  });

export type CreateBookingRequestBody = z.infer<typeof createBookingRequestBodySchema>;

export const bookingRequestSchema = z
  .object({
    id: z.number().int(),
    client_id: z.number().int(),
    trainer_id: z.number().int(),
    session_type: z.string(),
    duration_minutes: z.number().int(),
    location: z.string().nullable(),
    location_type: z.enum(LOCATION_TYPES),
    special_requests: z.string().nullable(),
    start_time: z.string().nullable(),
    end_time: z.string().nullable(),
    preferred_start_date: z.string().nullable(),
    preferred_end_date: z.string().nullable(),
    preferred_times: z.array(z.string()),
    avoid_times: z.array(z.string()),
    allow_weekends: z.boolean(),
    allow_evenings: z.boolean(),
    time_zone: z.string(),
    status: z.enum(REQUEST_STATUSES),
    expires_at: z.string().nullable(),
    confirmed_date: z.string().nullable(),
    rejection_reason: z.string().nullable(),
    notes: z.string().nullable(),
    workflow_id: z.string(),
    created_at: z.string().nullable(),
  })
  .meta({ id: 'BookingRequest' });

export type BookingRequestView = z.infer<typeof bookingRequestSchema>;

/** What the request's workflow knows beyond the row: live options, booking, history. */
export const workflowStateSchema = z.object({
  status: z.enum(WORKFLOW_STATUSES),
  mode: z.enum(['direct', 'flexible']),
  expires_at: z.string().nullable(),
  options: z.array(scoredSlotSchema).describe('The starts the trainer may approve right now, best first'),
  chosen_slot: scoredSlotSchema.nullable(),
  booking_id: z.number().int().nullable(),
  rejection_reason: z.string().nullable(),
  history: z.array(z.object({ at: z.string(), event: z.string(), detail: z.string().optional() })),
});

export const bookingRequestDetailSchema = bookingRequestSchema.extend({
  workflow: workflowStateSchema.nullable().describe('The live workflow state; null when the workflow cannot be reached'),
});

export const listBookingRequestsQuerySchema = z.object({
  status: z.enum(REQUEST_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const approveBodySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('APPROVED'),
    confirmed_date: instantSchema.optional().describe('The slot_start of one of the offered scored slots; may be left out when exactly one is offered (a direct booking)'),
    notes: z.string().trim().max(1000).optional(),
  }),
  z.object({
    status: z.literal('REJECTED'),
    rejection_reason: z.string().trim().min(1, 'give a reason for rejecting the request').max(1000),
  }),
]);

export const approvalResponseSchema = z.union([
  z
    .object({
      booking_id: z.number().int(),
      booking_request_id: z.number().int(),
      status: z.literal('confirmed'),
      message: z.string(),
      confirmed_time: z.string(),
      slots_booked: z.number().int(),
    })
    .meta({ id: 'BookingConfirmation' }),
  z
    .object({
      booking_request_id: z.number().int(),
      status: z.literal('rejected'),
      message: z.string(),
      rejection_reason: z.string(),
    })
    .meta({ id: 'BookingRejection' }),
]);

/** A 409 on approval: what happened, plus the options that are free now. */
export const slotConflictSchema = errorSchema.extend({ options: z.array(scoredSlotSchema).optional() }).meta({ id: 'SlotConflict' });

export const withdrawBodySchema = z
  .object({ reason: z.string().trim().max(1000).optional() })
  // Fastify hands a missing body to the validator as null.
  .nullish()
  .describe('Optional: why the client takes the request back (the trainer is told)');
