import type { SeriesOptionDetail, SlotOption } from '../../../workflows/contract';
import type { RankedSlot } from '../../slots/rank-slots';
import { apiConflictMode } from '../schemas/booking-series';
import type { ScoredSlotView } from '../schemas/scored-slots';

const MINUTE_MS = 60_000;

/** A workflow's option as the seed's scored slot. */
export function scoredSlotFromOption(option: SlotOption): ScoredSlotView {
  return {
    total_score: option.totalScore,
    breakdown: {
      date_match: option.breakdown.dateMatch,
      time_of_day_match: option.breakdown.timeOfDayMatch,
      avoid_time_penalty: option.breakdown.avoidTimePenalty,
      weekend_evening_bonus: option.breakdown.weekendEveningBonus,
    },
    slot_id: option.slotId,
    slot_start: option.slotStart,
    slot_end: option.slotEnd,
    consecutive_slot_ids: option.consecutiveSlotIds,
    requires_manual_review: option.requiresManualReview,
    ...(option.series ? { series: seriesOptionView(option.series) } : {}),
  };
}

/** A series option's weekly time, its free/total count and every session with its state. */
export function seriesOptionView(series: SeriesOptionDetail): NonNullable<ScoredSlotView['series']> {
  return {
    rrule: series.rrule,
    weekdays: series.weekdays,
    local_time: series.localTime,
    time_zone: series.timeZone,
    interval: series.interval,
    conflict_mode: apiConflictMode(series.conflictMode),
    free: series.free,
    total: series.total,
    sessions: series.occurrences.map((o) => ({ start_time: new Date(o.start).toISOString(), local_date: o.localDate, state: o.state, ...(o.reason ? { reason: o.reason } : {}) })),
  };
}

/** A freshly ranked start as the seed's scored slot. */
export function scoredSlotFromRanked(slot: RankedSlot, durationMinutes: number): ScoredSlotView {
  const b = slot.score.breakdown;
  return {
    total_score: slot.score.totalScore,
    breakdown: { date_match: b.dateMatch, time_of_day_match: b.timeOfDayMatch, avoid_time_penalty: b.avoidTimePenalty, weekend_evening_bonus: b.weekendEveningBonus },
    slot_id: slot.slotId,
    slot_start: slot.slotStart.toISOString(),
    slot_end: new Date(slot.slotStart.getTime() + durationMinutes * MINUTE_MS).toISOString(),
    consecutive_slot_ids: slot.consecutiveSlotIds,
    requires_manual_review: slot.score.requiresManualReview,
  };
}
