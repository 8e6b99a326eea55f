/**
 * The building blocks every reservation transaction shares (single bookings in
 * reservation-service.ts, weekly series in series-reservation.ts): lock and check the slots
 * a session occupies, mark them booked, and tell the database's conflict verdicts apart.
 * Plain SQL on the transaction's connection: this is the hot path of every reservation, and
 * entity hydration would cost more than the statements themselves.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { TimeSlot } from '../db/entities';
import { MINUTE_MS } from '../domain/time';
import { logger } from '../logger';
import { SlotConflictError } from './errors';

/** A time_slot row as the SELECT returns it (timestamps may arrive as strings). */
interface SlotRow {
  id: number;
  start_time: Date | string;
  end_time: Date | string;
  is_available: boolean;
  is_booked: boolean;
  booking_id: number | null;
  locked_until: Date | string | null;
  lock_owner: string | null;
}

export interface LockedSlot {
  id: number;
  startMs: number;
  endMs: number;
  isAvailable: boolean;
  isBooked: boolean;
  bookingId: number | null;
  lockedUntilMs: number | null;
  lockOwner: string | null;
}

const toLockedSlot = (row: SlotRow): LockedSlot => ({
  id: row.id,
  startMs: new Date(row.start_time).getTime(),
  endMs: new Date(row.end_time).getTime(),
  isAvailable: row.is_available,
  isBooked: row.is_booked,
  bookingId: row.booking_id,
  lockedUntilMs: row.locked_until === null ? null : new Date(row.locked_until).getTime(),
  lockOwner: row.lock_owner,
});

// PostgreSQL SQLSTATEs that mean "someone else got there first".
export const EXCLUSION_VIOLATION = '23P01';
export const UNIQUE_VIOLATION = '23505';
/** The exclusion constraint that keeps one client's active bookings apart (any trainers). */
export const CLIENT_OVERLAP_CONSTRAINT = 'booking_client_no_overlap';

export function isDriverCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

export function constraintOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { constraint?: unknown }).constraint : undefined;
}

/** Whether a slot is free for a caller that holds `owner`'s holds (and, when moving, its own booking). */
export function freeFor(owner: string | undefined, now: Date, ownBookingId?: number) {
  return (slot: LockedSlot): boolean => {
    if (!slot.isAvailable) return false;
    if (slot.isBooked) return ownBookingId !== undefined && slot.bookingId === ownBookingId;
    const held = slot.lockedUntilMs !== null && slot.lockedUntilMs > now.getTime();
    return !held || (owner !== undefined && slot.lockOwner === owner);
  };
}

/**
 * The slots (of one trainer, in any order) that a session of `durationMinutes` at `start`
 * would occupy: checked to be back to back, to cover the session and to be free. Returns
 * their ids in time order, or throws SlotConflictError saying what is wrong.
 */
export function checkSessionSlots(slots: LockedSlot[], start: Date, durationMinutes: number, isFree: (slot: LockedSlot) => boolean): number[] {
  const startMs = start.getTime();
  const endMs = startMs + durationMinutes * MINUTE_MS;
  const inTimeOrder = [...slots].sort((a, b) => a.startMs - b.startMs);
  const ids = inTimeOrder.map((slot) => slot.id);
  let coveredUntil = startMs;
  for (const slot of inTimeOrder) {
    if (slot.startMs !== coveredUntil) break;
    coveredUntil = slot.endMs;
  }
  if (inTimeOrder.length === 0 || coveredUntil < endMs) {
    throw new SlotConflictError(ids, `no unbroken run of published slots covers ${start.toISOString()} for ${durationMinutes} minutes`);
  }
  const busy = inTimeOrder.filter((slot) => !isFree(slot)).map((slot) => slot.id);
  if (busy.length > 0) throw new SlotConflictError(ids, `slots ${busy.join(', ')} are booked, unpublished or held by someone else`);
  return ids;
}

/** The trainer's slots that overlap [start, start + duration), read without locking (for availability). */
export async function readSessionSlots(em: EntityManager, trainerId: number, start: Date, durationMinutes: number): Promise<LockedSlot[]> {
  const rows = await em.execute<SlotRow[]>(
    `select id, start_time, end_time, is_available, is_booked, booking_id, locked_until, lock_owner
       from time_slot where trainer_id = ? and start_time < ? and end_time > ? order by id`,
    [trainerId, new Date(start.getTime() + durationMinutes * MINUTE_MS), start],
  );
  return rows.map(toLockedSlot);
}

/**
 * Locks the slots that a session of `durationMinutes` at `start` occupies and checks them
 * (`checkSessionSlots`). Returns their ids in time order.
 */
export async function lockSessionSlots(
  tx: EntityManager,
  trainerId: number,
  start: Date,
  durationMinutes: number,
  isFree: (slot: LockedSlot) => boolean,
): Promise<number[]> {
  const endMs = start.getTime() + durationMinutes * MINUTE_MS;
  // FOR UPDATE in id order: concurrent reservations over shared slots queue, never deadlock.
  const rows = await tx.execute<SlotRow[]>(
    `select id, start_time, end_time, is_available, is_booked, booking_id, locked_until, lock_owner
       from time_slot where trainer_id = ? and start_time < ? and end_time > ? order by id for update`,
    [trainerId, new Date(endMs), start],
  );
  const slots = rows.map(toLockedSlot);
  logger.debug({ trainerId, start, durationMinutes, slotIds: slots.map((slot) => slot.id) }, `Looking for consecutive slots from ${start.toISOString()} to ${new Date(endMs).toISOString()}`);
  return checkSessionSlots(slots, start, durationMinutes, isFree);
}

/**
 * Marks the given slots as booked by `bookingId`, re-checking in the UPDATE itself that
 * each is still free (the seed's critical check): anything less than all of them rolls
 * the whole transaction back.
 */
export async function bookSlots(tx: EntityManager, slotIds: number[], bookingId: number): Promise<void> {
  const updated = await tx.nativeUpdate(
    TimeSlot,
    { id: { $in: slotIds }, $or: [{ isBooked: false }, { booking: bookingId }] },
    { isBooked: true, booking: bookingId, lockedUntil: null, lockOwner: null },
  );
  if (updated !== slotIds.length) {
    logger.error(
      { slotIds, expected: slotIds.length, updated },
      `ATOMIC OPERATION FAILED: Expected to update ${slotIds.length} slots, but only updated ${updated}. Rolling back transaction. Slot IDs: [${slotIds.join(', ')}]`,
    );
    throw new SlotConflictError(slotIds, `only ${updated} of ${slotIds.length} slots could be booked`);
  }
}
