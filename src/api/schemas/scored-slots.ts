import { z } from 'zod';
import { idSchema } from './common';

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
