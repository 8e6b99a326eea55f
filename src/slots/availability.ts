import type { EntityManager } from '@mikro-orm/postgresql';
import { TimeSlot } from '../db/entities';
import { blockedRange } from '../domain/policy/rules';
import { MINUTE_MS } from '../domain/time';
import { loadPolicy } from '../policy/policy-store';
import { findConsecutiveRuns } from './consecutive-slots';
import { loadFreeSlots } from './free-slots';

/**
 * Whether a session of `durationMinutes` can start at `start` with this trainer right now:
 * `free` (enough back-to-back free slots, and the session with the trainer's buffers clear
 * of every other active booking), `buffer` (the slots are free, but the session would come
 * closer to another one than the trainer's buffers: the policy's refusal `policy_buffer`),
 * `taken` (published, but booked or held by someone else: a conflict) or `unpublished` (the trainer
 * offers no slot there: bad input). Notice and horizon are the policy's own refusals
 * (checkStartAllowed), not asked here.
 */
export async function classifyStart(
  em: EntityManager,
  query: { trainerId: number; start: Date; durationMinutes: number; holdOwner?: string },
  now: Date = new Date(),
): Promise<'free' | 'buffer' | 'taken' | 'unpublished'> {
  const end = new Date(query.start.getTime() + query.durationMinutes * MINUTE_MS);
  const free = await loadFreeSlots(em, { trainerId: query.trainerId, from: query.start, to: end, holdOwner: query.holdOwner, now });
  if (findConsecutiveRuns(free, query.durationMinutes).some((run) => run.startMs === query.start.getTime())) {
    const policy = await loadPolicy(em, query.trainerId);
    const mine = blockedRange(policy, { start: query.start, end });
    const [row] = await em.getConnection().execute<{ n: string }[]>(
      `select count(*) as n from booking where trainer_id = ? and status in ('PENDING', 'CONFIRMED') and blocked_end > ? and blocked_start < ?`,
      [query.trainerId, mine.start, mine.end],
      'all',
      em.getTransactionContext(),
    );
    if (Number(row?.n ?? 0) === 0) return 'free';
    return policy.bufferBeforeMinutes > 0 || policy.bufferAfterMinutes > 0 ? 'buffer' : 'taken';
  }
  const busy = await em.count(TimeSlot, {
    trainer: query.trainerId,
    startTime: { $lt: end },
    endTime: { $gt: query.start },
    $or: [{ isBooked: true }, { lockedUntil: { $gt: now }, ...(query.holdOwner ? { lockOwner: { $ne: query.holdOwner } } : {}) }],
  });
  return busy > 0 ? 'taken' : 'unpublished';
}
