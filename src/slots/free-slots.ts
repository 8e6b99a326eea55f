import type { EntityManager } from '@mikro-orm/postgresql';
import { TimeSlot } from '../db/entities';
import { logger } from '../logger';
import type { FreeSlot } from './consecutive-slots';

export interface FreeSlotQuery {
  trainerId: number;
  from: Date;
  to?: Date;
  /** A hold by this owner does not make a slot busy (its own hold, e.g. a workflow's). */
  holdOwner?: string;
  /** The instant against which holds are judged expired. */
  now?: Date;
}

/**
 * The trainer's bookable slots starting in [from, to), in time order: published, not
 * booked, and not held by someone else (an expired hold counts as free).
 */
export async function loadFreeSlots(em: EntityManager, query: FreeSlotQuery): Promise<FreeSlot[]> {
  const now = query.now ?? new Date();
  const holdFree = [{ lockedUntil: null }, { lockedUntil: { $lte: now } }, ...(query.holdOwner ? [{ lockOwner: query.holdOwner }] : [])];
  const rows = await em
    .createQueryBuilder(TimeSlot)
    .select(['id', 'startTime', 'endTime'])
    .where({
      trainer: query.trainerId,
      isAvailable: true,
      isBooked: false,
      startTime: query.to ? { $gte: query.from, $lt: query.to } : { $gte: query.from },
      $or: holdFree,
    })
    .orderBy({ startTime: 'asc' })
    .execute('all');
  const slots = rows.map((row) => ({ id: row.id, startMs: new Date(row.startTime).getTime(), endMs: new Date(row.endTime).getTime() }));
  logger.debug({ trainerId: query.trainerId, from: query.from, to: query.to, freeSlots: slots.length }, 'loaded free slots');
  return slots;
}
