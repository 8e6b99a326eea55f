import type { EntityManager } from '@mikro-orm/postgresql';
import { blockedRange, windowForStarts } from '../domain/policy/rules';
import type { TrainerPolicy } from '../domain/policy/policy';
import { MINUTE_MS } from '../domain/time';
import { loadPolicy } from '../policy/policy-store';
import { findConsecutiveRuns, type SlotRun } from './consecutive-slots';
import { loadFreeSlots } from './free-slots';

export interface BookableQuery {
  trainerId: number;
  durationMinutes: number;
  now: Date;
  /** Narrow the starts further than the policy's window: earliest start (inclusive). */
  from?: Date;
  /** Latest start, exclusive. */
  to?: Date;
  /** Slots held by this owner (a request's own workflow) count as free. */
  holdOwner?: string;
  /** A booking that does not count against the buffers (the one being moved). */
  ignoreBookingId?: number;
  /** The trainer's policy, when the caller has it already; else the current one is loaded. */
  policy?: TrainerPolicy;
}

interface BlockedRow {
  blocked_start: Date | string;
  blocked_end: Date | string;
}

/**
 * Every start at which the trainer can take a session of `durationMinutes` under their
 * policy: enough back-to-back free slots, the start inside the notice/horizon window
 * (`windowForStarts`, pushed into the slot query), and the session's blocked range
 * (`blockedRange`, the session widened by the buffers) clear of every active booking's
 * blocked range [blocked_start, blocked_end). Ranking, the API and the chat offer only these.
 */
export async function findBookableRuns(em: EntityManager, query: BookableQuery): Promise<SlotRun[]> {
  const policy = query.policy ?? (await loadPolicy(em, query.trainerId));
  const window = windowForStarts(policy, query.now);
  const firstStartMs = Math.max(window.earliest.getTime(), query.from?.getTime() ?? -Infinity);
  const lastStartMs = Math.min(window.latest.getTime(), query.to ? query.to.getTime() - 1 : Infinity);
  if (firstStartMs > lastStartMs) return [];
  const sessionMs = query.durationMinutes * MINUTE_MS;
  const free = await loadFreeSlots(em, { trainerId: query.trainerId, from: new Date(firstStartMs), to: new Date(lastStartMs + sessionMs), now: query.now, holdOwner: query.holdOwner });
  const runs = findConsecutiveRuns(free, query.durationMinutes).filter((run) => run.startMs <= lastStartMs);
  if (runs.length === 0) return runs;

  const lowMs = firstStartMs - policy.bufferBeforeMinutes * MINUTE_MS;
  const highMs = lastStartMs + sessionMs + policy.bufferAfterMinutes * MINUTE_MS;
  const rows = await em.getConnection().execute<BlockedRow[]>(
    `select blocked_start, blocked_end from booking
      where trainer_id = ? and status in ('PENDING', 'CONFIRMED') and blocked_end > ? and blocked_start < ? and id <> ?`,
    [query.trainerId, new Date(lowMs), new Date(highMs), query.ignoreBookingId ?? 0],
    'all',
    em.getTransactionContext(),
  );
  if (rows.length === 0) return runs;
  const busy = mergeRanges(rows.map((row) => ({ startMs: new Date(row.blocked_start).getTime(), endMs: new Date(row.blocked_end).getTime() })));
  // Runs come in time order and every run is widened by the same buffers, so one pass over
  // the merged busy ranges decides them all: O(runs + bookings) after the sort.
  let next = 0;
  return runs.filter((run) => {
    const mine = blockedRange(policy, { start: new Date(run.startMs), end: new Date(run.startMs + sessionMs) });
    while (next < busy.length && busy[next]!.endMs <= mine.start.getTime()) next++;
    return !(next < busy.length && busy[next]!.startMs < mine.end.getTime());
  });
}

/** Ranges sorted by start with overlapping or touching ones joined: disjoint and in order. */
function mergeRanges(ranges: { startMs: number; endMs: number }[]): { startMs: number; endMs: number }[] {
  const sorted = [...ranges].sort((a, b) => a.startMs - b.startMs);
  const merged: { startMs: number; endMs: number }[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.startMs <= last.endMs) last.endMs = Math.max(last.endMs, range.endMs);
    else merged.push({ ...range });
  }
  return merged;
}
