/**
 * The weekly times a trainer is offered for a series request (issue 12). A direct series
 * has one: the local weekday(s) and time of its `startTime`, read in the request's zone. A
 * flexible one has a candidate per start W_C ranks (its local time, its date as the first
 * date, its weekday unless the request names weekdays). Each candidate is expanded into its
 * sessions (DST-stable local times) and each session checked now (free, taken, outside the
 * policy, or nonexistent on a DST day); a candidate with no free session is no option.
 *
 * Order: in ALL_OR_NOTHING mode the times that can be booked whole come first; then the W_C
 * score of the first session, then how many sessions are free (the issue: "free count
 * breaks ties"), then the earlier start. The trainer approves an option by its `slotId`
 * (the first free session's first slot), so no two options share one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { BookingRequest } from '../db/entities';
import { NotFoundError } from '../domain/errors';
import { WEEKDAY_CODES, type WeekdayCode } from '../domain/series/recurrence';
import type { SeriesRecurrence } from '../domain/series/series';
import { MINUTE_MS } from '../domain/time';
import { logger } from '../logger';
import { loadPolicy } from '../policy/policy-store';
import { seriesAvailability } from '../reservation/series-reservation';
import { createWcScorer } from '../scoring/wc';
import { preferencesOf, rankSlotsForRequest } from '../slots/rank-slots';
import { expandOccurrences, InvalidRecurrenceError, toRRule, type RecurrenceInput } from './recurrence';
import type { SeriesOccurrenceOption, SlotOption } from '../../workflows/contract';

/** How many ranked starts a flexible series considers as candidate weekly times. */
export const SERIES_CANDIDATES = 40;

export interface SeriesOptionsInput {
  /** How many options to return (the workflow's maxOptions). */
  maxResults?: number;
  /** Slots held by this owner (the request's own workflow) count as free. */
  holdOwner?: string;
  now?: Date;
  /** How many ranked starts a flexible series considers (default SERIES_CANDIDATES). */
  candidates?: number;
}

/** A weekly time to check: its first session's start, the local time and first date it repeats from, its weekdays. */
export interface SeriesCandidate {
  start: Date;
  localTime: string;
  firstDate: string;
  weekdays: WeekdayCode[];
  /** Its W_C score when it comes from the ranking (best first), so later candidates can be left unchecked. */
  score?: number;
}

/** A start in the request's zone: its local date, HH:MM and weekday code. */
export function localParts(start: Date, timeZone: string): { localDate: string; localTime: string; weekday: WeekdayCode } {
  const local = DateTime.fromJSDate(start, { zone: timeZone });
  return { localDate: local.toISODate()!, localTime: local.toFormat('HH:mm'), weekday: WEEKDAY_CODES[local.weekday - 1]! };
}

/** Every session that exists can be booked now (nonexistent dates are never booked, in any mode). */
const bookableWhole = (option: SlotOption): boolean => option.series!.free === option.series!.occurrences.filter((o) => o.state !== 'nonexistent').length;

const sortedDays = (days: readonly WeekdayCode[]): WeekdayCode[] => [...new Set(days)].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));

/**
 * The weekly time a start names for a recurrence: its local time and date, and the weekdays
 * it repeats on (the recurrence's, or the start's own when it names none). Null when the
 * recurrence names weekdays and the start falls on none of them.
 */
export function candidateFor(start: Date, recurrence: SeriesRecurrence, timeZone: string): SeriesCandidate | null {
  const { localDate, localTime, weekday } = localParts(start, timeZone);
  if (recurrence.weekdays.length > 0 && !recurrence.weekdays.includes(weekday)) return null;
  return { start, localTime, firstDate: localDate, weekdays: sortedDays(recurrence.weekdays.length > 0 ? recurrence.weekdays : [weekday]) };
}

/** The recurrence of one candidate, as src/series/recurrence.ts expands it. */
export function recurrenceInputFor(candidate: SeriesCandidate, recurrence: SeriesRecurrence, timeZone: string): RecurrenceInput {
  return {
    frequency: 'WEEKLY',
    interval: recurrence.interval,
    weekdays: candidate.weekdays,
    startTime: candidate.localTime,
    timeZone,
    firstDate: candidate.firstDate,
    ...(recurrence.count !== undefined && recurrence.count !== null ? { count: recurrence.count } : { until: recurrence.until! }),
  };
}

/** Options in offering order (see the file's comment); `wholeFirst` for ALL_OR_NOTHING. */
export function orderSeriesOptions(options: SlotOption[], wholeFirst: boolean): SlotOption[] {
  const whole = (option: SlotOption): number => (bookableWhole(option) ? 1 : 0);
  return [...options].sort(
    (a, b) =>
      (wholeFirst ? whole(b) - whole(a) : 0) ||
      b.totalScore - a.totalScore ||
      b.series!.free - a.series!.free ||
      Date.parse(a.slotStart) - Date.parse(b.slotStart) ||
      a.slotId - b.slotId,
  );
}

/** The best `maxResults` options in offering order, each slotId once (the better option keeps it). */
function pickOptions(options: SlotOption[], maxResults: number, wholeFirst: boolean): SlotOption[] {
  const usedSlots = new Set<number>();
  const picked: SlotOption[] = [];
  for (const option of orderSeriesOptions(options, wholeFirst)) {
    if (picked.length >= maxResults) break;
    if (usedSlots.has(option.slotId)) continue;
    usedSlots.add(option.slotId);
    picked.push(option);
  }
  return picked;
}

/**
 * Whether the options built so far already beat a candidate scoring `nextScore` and every
 * later one (candidates come best first): enough of them, of the kind offered first, each
 * scoring more than it (an equal score could still win on its free count).
 */
function enoughOptions(built: SlotOption[], maxResults: number, wholeFirst: boolean, nextScore: number): boolean {
  const best = pickOptions(wholeFirst ? built.filter(bookableWhole) : built, maxResults, wholeFirst);
  return best.length >= maxResults && best.every((option) => option.totalScore > nextScore);
}

/**
 * The series options of a request with a recurrence (see the file's comment), best first,
 * at most `maxResults`. A request without a recurrence has none.
 */
export async function seriesOptionsForRequest(em: EntityManager, bookingRequestId: number, options: SeriesOptionsInput = {}): Promise<SlotOption[]> {
  const request = await em.findOne(BookingRequest, bookingRequestId);
  if (!request) throw new NotFoundError('Booking request', bookingRequestId);
  const recurrence = request.recurrence;
  if (!recurrence) return [];
  const now = options.now ?? new Date();
  const maxResults = options.maxResults ?? 5;
  const timeZone = request.timeZone;

  let candidates: SeriesCandidate[];
  if (request.startTime) {
    const { localDate, localTime, weekday } = localParts(request.startTime, timeZone);
    candidates = [{ start: request.startTime, localTime, firstDate: localDate, weekdays: sortedDays(recurrence.weekdays.length > 0 ? recurrence.weekdays : [weekday]) }];
  } else {
    const ranked = await rankSlotsForRequest(em, bookingRequestId, { maxResults: Math.max(options.candidates ?? SERIES_CANDIDATES, maxResults), now, ...(options.holdOwner ? { holdOwner: options.holdOwner } : {}) });
    // Ranked best first: the first start of each weekly time is its best.
    const seen = new Set<string>();
    candidates = [];
    for (const slot of ranked) {
      const candidate = candidateFor(slot.slotStart, recurrence, timeZone);
      if (!candidate) continue;
      const key = `${candidate.weekdays.join(',')}@${candidate.localTime}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ ...candidate, score: slot.score.totalScore });
    }
  }

  const policy = await loadPolicy(em, request.trainer.id);
  const scorer = createWcScorer(preferencesOf(request, timeZone), request.durationMinutes, timeZone);
  const wholeFirst = recurrence.conflictMode === 'ALL_OR_NOTHING';
  const built: SlotOption[] = [];
  for (const candidate of candidates) {
    if (candidate.score !== undefined && enoughOptions(built, maxResults, wholeFirst, candidate.score)) break;
    const input = recurrenceInputFor(candidate, recurrence, timeZone);
    let expanded: ReturnType<typeof expandOccurrences>;
    try {
      expanded = expandOccurrences(input);
    } catch (error) {
      if (!(error instanceof InvalidRecurrenceError)) throw error;
      logger.info({ bookingRequestId, candidate, problems: error.problems }, 'Series candidate skipped: its recurrence cannot be expanded');
      continue;
    }
    const answers = await seriesAvailability(em, request.trainer.id, expanded.occurrences.map((o) => o.start), request.durationMinutes, {
      now,
      policy,
      ...(options.holdOwner ? { holdOwner: options.holdOwner } : {}),
    });
    const byStart = new Map(answers.map((answer) => [answer.start.getTime(), answer]));
    const occurrences: (SeriesOccurrenceOption & { sortKey: string })[] = expanded.occurrences.map((occurrence) => {
      const answer = byStart.get(occurrence.start.getTime())!;
      const base = { start: occurrence.start.toISOString(), localDate: occurrence.localDate, sortKey: occurrence.localDate };
      return answer.state === 'free' ? { ...base, state: 'free' as const } : { ...base, state: answer.state, reason: answer.reason };
    });
    for (const skipped of expanded.skipped) {
      // The local time does not exist that day: the instant it would name once the clocks moved on.
      const [hour, minute] = candidate.localTime.split(':').map(Number) as [number, number];
      const shifted = DateTime.fromISO(skipped.localDate, { zone: timeZone }).set({ hour, minute });
      occurrences.push({ start: new Date(shifted.toMillis()).toISOString(), localDate: skipped.localDate, state: 'nonexistent', reason: skipped.reason, sortKey: skipped.localDate });
    }
    occurrences.sort((a, b) => a.sortKey.localeCompare(b.sortKey));
    const firstFree = answers.find((answer) => answer.state === 'free');
    if (!firstFree || firstFree.state !== 'free') continue;
    const first = expanded.occurrences[0]!.start;
    const score = scorer.score(first.getTime());
    built.push({
      slotId: firstFree.slotIds[0]!,
      slotStart: first.toISOString(),
      slotEnd: new Date(first.getTime() + request.durationMinutes * MINUTE_MS).toISOString(),
      consecutiveSlotIds: firstFree.slotIds,
      totalScore: score.totalScore,
      breakdown: score.breakdown,
      requiresManualReview: score.requiresManualReview,
      series: {
        rrule: toRRule(input),
        weekdays: candidate.weekdays,
        localTime: candidate.localTime,
        timeZone,
        interval: recurrence.interval,
        conflictMode: recurrence.conflictMode,
        occurrences: occurrences.map(({ sortKey: _sortKey, ...occurrence }) => occurrence),
        total: occurrences.length,
        free: answers.filter((answer) => answer.state === 'free').length,
      },
    });
  }

  const offered = pickOptions(built, maxResults, wholeFirst);
  logger.info({ bookingRequestId, candidates: candidates.length, offered: offered.map((o) => `${o.series!.weekdays.join(',')} ${o.series!.localTime} ${o.series!.free}/${o.series!.total}`) }, 'Series options');
  return offered;
}
