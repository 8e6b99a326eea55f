import type { EntityManager } from '@mikro-orm/postgresql';
import { BookingRequest } from '../db/entities';
import { logger } from '../logger';
import { NotFoundError } from '../domain/errors';
import { createWcScorer, type WcPreferences, type WcScore, type WcScorer } from '../scoring/wc';
import { findBookableRuns } from './bookable-runs';
import type { SlotRun } from './consecutive-slots';

export interface RankedSlot {
  /** The first slot of the run: where the session starts. */
  slotId: number;
  slotStart: Date;
  consecutiveSlotIds: number[];
  score: WcScore;
}

/**
 * Scores every run and returns the best `maxResults`: total score descending, then the
 * earlier start, then the lower slot id (docs/wc-scoring.md, "Ranking").
 */
export function rankRuns(runs: readonly SlotRun[], scorer: WcScorer, maxResults: number): RankedSlot[] {
  const totals = new Float64Array(runs.length);
  for (let i = 0; i < runs.length; i++) totals[i] = scorer.totalScore(runs[i]!.startMs);
  const order = Array.from(runs.keys()).sort(
    (a, b) => totals[b]! - totals[a]! || runs[a]!.startMs - runs[b]!.startMs || runs[a]!.slotIds[0]! - runs[b]!.slotIds[0]!,
  );
  return order.slice(0, Math.max(0, maxResults)).map((i) => {
    const run = runs[i]!;
    return { slotId: run.slotIds[0]!, slotStart: new Date(run.startMs), consecutiveSlotIds: run.slotIds, score: scorer.score(run.startMs) };
  });
}

/** A request's preferences as W_C reads them; a direct booking prefers its own day and time. */
export function preferencesOf(request: BookingRequest, timeZone: string): WcPreferences {
  if (request.preferredStartDate && request.preferredEndDate) {
    return {
      preferredStartDate: request.preferredStartDate,
      preferredEndDate: request.preferredEndDate,
      preferredTimes: request.preferredTimes,
      avoidTimes: request.avoidTimes,
      allowWeekends: request.allowWeekends,
      allowEvenings: request.allowEvenings,
    };
  }
  const start = request.startTime ?? request.createdAt;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(start)
    .reduce<Record<string, string>>((acc, part) => ({ ...acc, [part.type]: part.value }), {});
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const startMinute = Number(parts.hour) * 60 + Number(parts.minute);
  const endMinute = Math.min(startMinute + request.durationMinutes, 1440);
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return {
    preferredStartDate: date,
    preferredEndDate: date,
    preferredTimes: request.startTime ? [`${clock(startMinute)}-${clock(endMinute)}`] : [],
    avoidTimes: [],
    allowWeekends: request.allowWeekends,
    allowEvenings: request.allowEvenings,
  };
}

export interface RankOptions {
  maxResults?: number;
  now?: Date;
  /** Slots held by this owner (the request's own workflow) count as free. */
  holdOwner?: string;
}

/**
 * Ranks every start the request's trainer can take under their current policy (enough
 * consecutive free slots, inside notice and horizon, clear of other bookings' buffers:
 * `findBookableRuns`). Preferences are read in the request's time zone.
 */
export async function rankSlotsForRequest(em: EntityManager, bookingRequestId: number, options: RankOptions = {}): Promise<RankedSlot[]> {
  const request = await em.findOne(BookingRequest, bookingRequestId);
  if (!request) throw new NotFoundError('Booking request', bookingRequestId);
  const now = options.now ?? new Date();
  const runs = await findBookableRuns(em, { trainerId: request.trainer.id, durationMinutes: request.durationMinutes, now, holdOwner: options.holdOwner });
  logger.debug({ bookingRequestId, candidates: runs.length }, `Found ${runs.length} starts with enough consecutive slots for ${request.durationMinutes} minutes`);
  const scorer = createWcScorer(preferencesOf(request, request.timeZone), request.durationMinutes, request.timeZone);
  const ranked = rankRuns(runs, scorer, options.maxResults ?? 5);
  if (ranked.length === 0) logger.info({ bookingRequestId }, 'No available time slots found matching your duration');
  for (const slot of ranked.filter((s) => s.score.requiresManualReview)) {
    logger.warn(
      { bookingRequestId, slotId: slot.slotId, totalScore: slot.score.totalScore, breakdown: slot.score.breakdown },
      `Low W_C score detected for BookingRequest ${bookingRequestId}: Score=${slot.score.totalScore}. Manual review recommended.`,
    );
  }
  return ranked;
}
