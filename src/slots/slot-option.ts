import { MINUTE_MS } from '../domain/time';
import type { SlotOption } from '../../workflows/contract';
import type { RankedSlot } from './rank-slots';

/** A ranked start as the workflow, the API and the chat show it: its end and W_C breakdown. */
export function toSlotOption(slot: RankedSlot, durationMinutes: number): SlotOption {
  return {
    slotId: slot.slotId,
    slotStart: slot.slotStart.toISOString(),
    slotEnd: new Date(slot.slotStart.getTime() + durationMinutes * MINUTE_MS).toISOString(),
    consecutiveSlotIds: slot.consecutiveSlotIds,
    totalScore: slot.score.totalScore,
    breakdown: slot.score.breakdown,
    requiresManualReview: slot.score.requiresManualReview,
  };
}
