import { z } from 'zod';
import { WEEKDAY_CODES } from '../../domain/series/recurrence';
import { API_CONFLICT_MODES } from './booking-series';
import { idSchema } from './common';

/** A weekly time offered for a series request: its rule, and which of its sessions are free. */
export const seriesOptionSchema = z.object({
  rrule: z.string().describe('RFC 5545 (DTSTART;TZID=… and RRULE:…)'),
  weekdays: z.array(z.enum(WEEKDAY_CODES)),
  local_time: z.string().describe('HH:MM: every session starts at this wall-clock time in time_zone'),
  time_zone: z.string(),
  interval: z.number().int(),
  conflict_mode: z.enum(API_CONFLICT_MODES),
  free: z.number().int().describe('How many of the sessions can be booked now'),
  total: z.number().int().describe('How many sessions the rule names'),
  sessions: z
    .array(
      z.object({
        start_time: z.string(),
        local_date: z.string().describe('YYYY-MM-DD in time_zone'),
        state: z.enum(['free', 'taken', 'outside_policy', 'nonexistent']).describe('nonexistent: the local time does not exist that day (the clocks go forward over it)'),
        reason: z.string().optional().describe('Why it cannot be booked (one sentence); absent when free'),
      }),
    )
    .describe('Every session the rule names, in time order'),
});

/** One W_C-ranked start, shaped as in the seed's scored-slots example. */
export const scoredSlotSchema = z
  .object({
    total_score: z.number(),
    breakdown: z.object({
      date_match: z.number(),
      time_of_day_match: z.number(),
      avoid_time_penalty: z.number(),
      weekend_evening_bonus: z.number(),
    }),
    slot_id: z.number().int().describe('The first slot of the run: where the session starts'),
    slot_start: z.string().describe('ISO 8601 instant (UTC)'),
    slot_end: z.string().describe('When the session would end (ISO 8601 instant, UTC)'),
    consecutive_slot_ids: z.array(z.number().int()).describe('Every slot the session needs, in time order'),
    requires_manual_review: z.boolean().describe('true when total_score < 0: a low preference match'),
    series: seriesOptionSchema
      .optional()
      .describe("A series request's weekly time: slot_start, slot_end and total_score are its first session's, slot_id its first free session's (approve by it)"),
  })
  .meta({ id: 'ScoredSlot' });

export const scoredSlotsQuerySchema = z.object({
  max_results: z.coerce.number().int().min(1).max(50).default(5).describe('How many of the best starts to return (1-50)'),
});

export const scoredSlotsResponseSchema = z.object({
  booking_request_id: idSchema,
  scored_slots: z.array(scoredSlotSchema),
});

export type ScoredSlotView = z.infer<typeof scoredSlotSchema>;
