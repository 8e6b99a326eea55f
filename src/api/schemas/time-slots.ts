import { z } from 'zod';
import { calendarDateSchema, clockTimeSchema, errorSchema, idSchema, instantSchema, timeZoneSchema } from './common';

export const MAX_SLOTS_PER_CALL = 2000;

export const timeSlotSchema = z
  .object({
    id: z.number().int(),
    trainer_id: z.number().int(),
    start_time: z.string(),
    end_time: z.string(),
    duration_minutes: z.number().int(),
  })
  .meta({ id: 'TimeSlot' });

const slotInputSchema = z.object({ start_time: instantSchema, end_time: instantSchema });

/** A recurring week over a date range, in wall-clock time of the trainer's zone. */
const weeklyPatternSchema = z
  .object({
    from_date: calendarDateSchema,
    to_date: calendarDateSchema,
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays: 1 = Monday … 7 = Sunday'),
    day_start: clockTimeSchema,
    day_end: clockTimeSchema,
    slot_minutes: z.number().int().min(15).max(480).default(60),
    time_zone: timeZoneSchema.optional().describe("Defaults to the trainer's time zone"),
  })
  .superRefine((pattern, ctx) => {
    if (pattern.to_date < pattern.from_date) ctx.addIssue({ code: 'custom', path: ['to_date'], message: 'must not be before from_date' });
    if (pattern.day_end <= pattern.day_start) ctx.addIssue({ code: 'custom', path: ['day_end'], message: 'must be after day_start' });
    const days = (Date.parse(pattern.to_date) - Date.parse(pattern.from_date)) / 86_400_000;
    if (days > 366) ctx.addIssue({ code: 'custom', path: ['to_date'], message: 'the range may span at most one year' });
  });

export const bulkCreateBodySchema = z
  .object({
    trainer_id: idSchema.optional().describe("Admins only: whose availability this is. Trainers always publish their own."),
    slots: z.array(slotInputSchema).min(1).max(MAX_SLOTS_PER_CALL).optional().describe('Explicit slots'),
    weekly: weeklyPatternSchema.optional().describe('A recurring weekly pattern, expanded into slots'),
  })
  .superRefine((body, ctx) => {
    if ((body.slots === undefined) === (body.weekly === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['slots'], message: 'give either slots (a list) or weekly (a recurring pattern), not both or neither' });
    }
    body.slots?.forEach((slot, i) => {
      const minutes = (Date.parse(slot.end_time) - Date.parse(slot.start_time)) / 60_000;
      if (!(minutes >= 15 && minutes <= 480)) ctx.addIssue({ code: 'custom', path: ['slots', i, 'end_time'], message: 'must be 15 to 480 minutes after start_time' });
    });
  });

export type BulkCreateBody = z.infer<typeof bulkCreateBodySchema>;

export const bulkCreateResponseSchema = z.object({
  trainer_id: z.number().int(),
  created: z.number().int(),
  slots: z.array(timeSlotSchema),
});

/** A 409/422 for overlapping slots: the times at fault. */
export const slotOverlapSchema = errorSchema
  .extend({ overlaps: z.array(z.object({ start_time: z.string(), end_time: z.string(), conflicts_with: z.object({ start_time: z.string(), end_time: z.string() }) })).optional() })
  .meta({ id: 'SlotOverlap' });

export const availableQuerySchema = z
  .object({
    from: instantSchema.optional().describe('Default: now'),
    to: instantSchema.optional().describe('Default: 14 days after from; at most 92 days after it'),
  });

export const trainerParamsSchema = z.object({ id: idSchema.describe('The trainer id') });

export const timeOffBodySchema = z
  .object({
    from: instantSchema.describe('Start of the time off (inclusive)'),
    to: instantSchema.describe('End of the time off (exclusive)'),
  })
  .meta({ example: { from: '2024-12-24T00:00:00Z', to: '2024-12-27T00:00:00Z' } });

export const timeOffResponseSchema = z.object({
  trainer_id: z.number().int(),
  removed_slots: z.number().int().describe('Free slots deleted'),
  in_the_way: z
    .array(
      z.object({
        kind: z.enum(['booking', 'hold']).describe('booking: a booked session; hold: slots a pending request holds for the trainer\'s answer'),
        id: z.number().int().describe('The booking id, or the booking request id'),
        start_time: z.string(),
        end_time: z.string(),
      }),
    )
    .describe('What time off never removes: cancel the booking or reject the request to free the time'),
  message: z.string(),
});
