import type { EntityManager } from '@mikro-orm/postgresql';
import { TimeSlot } from '../db/entities';
import { MINUTE_MS } from '../domain/time';
import { findConsecutiveRuns } from './consecutive-slots';
import { loadFreeSlots } from './free-slots';

/**
 * Whether a session of `durationMinutes` can start at `start` with this trainer right now:
 * `free` (enough back-to-back free slots), `taken` (published, but booked or held by
 * someone else: a conflict) or `unpublished` (the trainer offers no slot there: bad input).
 */
export async function classifyStart(
  em: EntityManager,
  query: { trainerId: number; start: Date; durationMinutes: number; holdOwner?: string },
  now: Date = new Date(),
): Promise<'free' | 'taken' | 'unpublished'> {
  const end = new Date(query.start.getTime() + query.durationMinutes * MINUTE_MS);
  const free = await loadFreeSlots(em, { trainerId: query.trainerId, from: query.start, to: end, holdOwner: query.holdOwner, now });
  if (findConsecutiveRuns(free, query.durationMinutes).some((run) => run.startMs === query.start.getTime())) return 'free';
  const busy = await em.count(TimeSlot, {
    trainer: query.trainerId,
    startTime: { $lt: end },
    endTime: { $gt: query.start },
    $or: [{ isBooked: true }, { lockedUntil: { $gt: now }, ...(query.holdOwner ? { lockOwner: { $ne: query.holdOwner } } : {}) }],
  });
  return busy > 0 ? 'taken' : 'unpublished';
}
