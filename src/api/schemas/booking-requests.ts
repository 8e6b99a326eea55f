import { z } from 'zod';
import { MAX_INTERVAL, MAX_OCCURRENCES, WEEKDAY_CODES } from '../../domain/series/recurrence';
import { LOCATION_TYPES, REQUEST_STATUSES, WORKFLOW_STATUSES } from '../../domain/statuses';
import { API_CONFLICT_MODES, bookingSeriesSchema, skippedOccurrenceSchema } from './booking-series';
import { bookingCreditSchema } from './credits';
import { calendarDateSchema, errorSchema, idSchema, instantSchema, timeBlockSchema, timeZoneSchema } from './common';
import { scoredSlotSchema } from './scored-slots';

const MINUTE_MS = 60_000;

/**
 * A weekly series (issue 12), as strict as JSON Schema says it: known fields only, bounds,
 * enums, weekdays each once (`uniqueItems`), and exactly one of `count` and `until` (`oneOf`).
 * What needs the trainer, the zone or the calendar (an end before the first session, more
 * than 52 sessions up to `until`, a weekday the start does not fall on) is checked when the
 * request is prepared, also as a 422 naming `recurrence.<field>`.
 */
export const recurrenceBodySchema = z
  .strictObject({
    frequency: z.literal('WEEKLY').describe('Only weekly series'),
    interval: z.number().int().min(1).max(MAX_INTERVAL).default(1).describe(`Every how many weeks (1 = weekly, 2 = every other week), 1-${MAX_INTERVAL}`),
    weekdays: z
      .array(z.enum(WEEKDAY_CODES))
      .min(1)
      .max(WEEKDAY_CODES.length)
      .refine((days) => new Set(days).size === days.length, { message: 'name each weekday only once' })
      .optional()
      .meta({ uniqueItems: true, example: ['TU', 'TH'] })
      .describe("The days of the week the sessions fall on, each once. Direct series: defaults to the start_time's weekday, which is always one of them. Flexible: left out, each candidate repeats on the weekday of its first session"),
    count: z.number().int().min(1).max(MAX_OCCURRENCES).optional().describe(`How many sessions, 1-${MAX_OCCURRENCES}; give count or until, not both`),
    until: calendarDateSchema.optional().describe(`The last day a session may fall on (YYYY-MM-DD in time_zone, inclusive; at most ${MAX_OCCURRENCES} sessions); give count or until, not both`),
    conflict_mode: z
      .enum(API_CONFLICT_MODES)
      .default('all_or_nothing')
      .describe('all_or_nothing: every session is booked or none is; available_only: the free sessions are booked and the others listed as skipped with the reason'),
  })
  .superRefine((recurrence, ctx) => {
    const hasCount = recurrence.count !== undefined;
    if (hasCount === (recurrence.until !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [hasCount ? 'until' : 'count'], message: hasCount ? 'give either count or until, not both' : `required: how many sessions (1-${MAX_OCCURRENCES}), or else until` });
    }
  })
  .meta({ id: 'Recurrence', oneOf: [{ required: ['count'] }, { required: ['until'] }] })
  .describe('Makes the request a weekly series: one approval for every session');

export type RecurrenceBody = z.infer<typeof recurrenceBodySchema>;

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
    recurrence: recurrenceBodySchema.optional(),
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
      // Calendar dates compare as strings; a direct series' first day depends on the zone and is checked when the request is prepared.
      if (body.recurrence?.until !== undefined && body.preferred_start_date !== undefined && body.recurrence.until < body.preferred_start_date) {
        ctx.addIssue({ code: 'custom', path: ['recurrence', 'until'], message: 'must not be before preferred_start_date, when the series may begin' });
      }
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

/** A series request's recurrence as stored, with its RFC 5545 rule once known. */
export const recurrenceViewSchema = z.object({
  frequency: z.literal('WEEKLY'),
  interval: z.number().int(),
  weekdays: z.array(z.enum(WEEKDAY_CODES)).describe('Empty: each candidate weekly time repeats on the weekday of its first session (flexible series)'),
  count: z.number().int().nullable(),
  until: z.string().nullable(),
  conflict_mode: z.enum(API_CONFLICT_MODES),
  rrule: z
    .string()
    .nullable()
    .describe('RFC 5545 (DTSTART;TZID=… and RRULE:…) once the weekly time is known: the series\' once approved, a direct series\' from its start_time; null while a flexible request has several candidate times'),
});

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
    recurrence: recurrenceViewSchema.nullable().describe('How the request repeats; null for a single session'),
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
  booking_id: z.number().int().nullable().describe("The booking; for a series, its first session's"),
  rejection_reason: z.string().nullable(),
  history: z.array(z.object({ at: z.string(), event: z.string(), detail: z.string().optional() })),
});

export const bookingRequestDetailSchema = bookingRequestSchema.extend({
  workflow: workflowStateSchema.nullable().describe('The live workflow state; null when the workflow cannot be reached'),
  series: bookingSeriesSchema.nullable().describe('An approved series request: its series, booked sessions and skipped dates; null otherwise'),
});

export const listBookingRequestsQuerySchema = z.object({
  status: z.enum(REQUEST_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const approveBodySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('APPROVED'),
    confirmed_date: instantSchema.optional().describe('The slot_start of one of the offered scored slots; may be left out when exactly one is offered (a direct booking) or slot_id is given'),
    slot_id: idSchema.optional().describe("The slot_id of one of the offered scored slots (a series option's: its first free session's slot); an alternative to confirmed_date"),
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
      confirmed_time: z.string().describe("The session's start; a series' first booked session's"),
      slots_booked: z.number().int().describe('Slots of the booking; for a series, of all its booked sessions'),
      credit: bookingCreditSchema.describe("The pack credit that pays for the session (a series': its first session's); null when it is approved unpaid"),
      series: bookingSeriesSchema.optional().describe('A series request: the confirmed series, every booked session and the skipped ones'),
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

/** A 409 on approval: what happened, plus the options that are free now (and for a series, the dates that could not be booked). */
export const slotConflictSchema = errorSchema
  .extend({
    options: z.array(scoredSlotSchema).optional(),
    skipped: z.array(skippedOccurrenceSchema).optional().describe('series_conflict: the sessions that could not be booked, with why; nothing of the series was booked'),
  })
  .meta({ id: 'SlotConflict' });

export const withdrawBodySchema = z
  .object({ reason: z.string().trim().max(1000).optional() })
  // Fastify hands a missing body to the validator as null.
  .nullish()
  .describe('Optional: why the client takes the request back (the trainer is told)');
