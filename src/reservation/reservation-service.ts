import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { Booking, BookingRequest, Session, TimeSlot, Trainer } from '../db/entities';
import { logger } from '../logger';
import { BookingNotActiveError, NotFoundError, RequestNotPendingError, SlotConflictError } from './errors';

export interface HeldSlots {
  slotIds: number[];
  lockedUntil: Date;
}

export interface ConfirmedBooking {
  bookingId: number;
  bookingRequestId: number;
  sessionId: number;
  trainerId: number;
  clientId: number;
  startTime: Date;
  endTime: Date;
  durationMinutes: number;
  totalCost: number;
  status: string;
  slotIds: number[];
  /** True when this call found the booking already made (an idempotent retry). */
  alreadyDone: boolean;
}

export interface HoldInput {
  trainerId: number;
  startTime: Date;
  durationMinutes: number;
  owner: string;
  lockedUntil: Date;
}

export interface ConfirmInput {
  bookingRequestId: number;
  startTime: Date;
  /** Holds by this owner (the request's workflow) count as its own, not as a conflict. */
  holdOwner?: string;
  notes?: string;
}

export interface RescheduleInput {
  bookingId: number;
  newStartTime: Date;
  holdOwner?: string;
}

export interface CancelInput {
  bookingId: number;
  reason?: string;
}

const MINUTE_MS = 60_000;
// PostgreSQL SQLSTATEs that mean "someone else got there first".
const EXCLUSION_VIOLATION = '23P01';
const UNIQUE_VIOLATION = '23505';

/**
 * The seed's atomic multi-slot reservation, with the database as the last word: slots are
 * locked in id order (so concurrent reservations never deadlock), checked, and changed in
 * one transaction that either does everything or nothing. An exclusion constraint on the
 * trainer's active bookings and a unique key on the request back this up, so even a bug
 * here could not produce a double booking.
 */
export function createReservationService(orm: MikroORM, clock: () => Date = () => new Date()) {
  /**
   * Locks the slots that a session of `durationMinutes` at `start` occupies and checks that
   * they are back to back, cover the session and are free for `owner`. Returns their ids
   * in time order.
   */
  async function lockSessionSlots(
    tx: EntityManager,
    trainerId: number,
    start: Date,
    durationMinutes: number,
    isFree: (slot: TimeSlot) => boolean,
  ): Promise<number[]> {
    const startMs = start.getTime();
    const endMs = startMs + durationMinutes * MINUTE_MS;
    const slots = await tx.find(
      TimeSlot,
      { trainer: trainerId, startTime: { $lt: new Date(endMs) }, endTime: { $gt: start } },
      { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const inTimeOrder = [...slots].sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    const ids = inTimeOrder.map((slot) => slot.id);
    logger.debug({ trainerId, start, durationMinutes, slotIds: ids }, `Looking for consecutive slots from ${start.toISOString()} to ${new Date(endMs).toISOString()}`);

    let coveredUntil = startMs;
    for (const slot of inTimeOrder) {
      if (slot.startTime.getTime() !== coveredUntil) break;
      coveredUntil = slot.endTime.getTime();
    }
    if (inTimeOrder.length === 0 || coveredUntil < endMs) {
      throw new SlotConflictError(ids, `no unbroken run of published slots covers ${start.toISOString()} for ${durationMinutes} minutes`);
    }
    const busy = inTimeOrder.filter((slot) => !isFree(slot)).map((slot) => slot.id);
    if (busy.length > 0) throw new SlotConflictError(ids, `slots ${busy.join(', ')} are booked, unpublished or held by someone else`);
    return ids;
  }

  function freeFor(owner: string | undefined, now: Date, ownBookingId?: number) {
    return (slot: TimeSlot): boolean => {
      if (!slot.isAvailable) return false;
      if (slot.isBooked) return ownBookingId !== undefined && slot.booking?.id === ownBookingId;
      const held = slot.lockedUntil !== null && slot.lockedUntil !== undefined && slot.lockedUntil > now;
      return !held || (owner !== undefined && slot.lockOwner === owner);
    };
  }

  function isDriverCode(error: unknown, code: string): boolean {
    return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
  }

  /**
   * Marks the given slots as booked by `bookingId`, re-checking in the UPDATE itself that
   * each is still free (the seed's critical check): anything less than all of them rolls
   * the whole transaction back.
   */
  async function bookSlots(tx: EntityManager, slotIds: number[], bookingId: number): Promise<void> {
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

  function toConfirmed(booking: Booking, sessionId: number, slotIds: number[], alreadyDone: boolean): ConfirmedBooking {
    return {
      bookingId: booking.id,
      bookingRequestId: booking.bookingRequest.id,
      sessionId,
      trainerId: booking.trainer.id,
      clientId: booking.client.id,
      startTime: booking.startTime,
      endTime: booking.endTime,
      durationMinutes: booking.durationMinutes,
      totalCost: Number(booking.totalCost),
      status: booking.status,
      slotIds,
      alreadyDone,
    };
  }

  async function describeExisting(em: EntityManager, booking: Booking): Promise<ConfirmedBooking> {
    const slots = await em.find(TimeSlot, { booking: booking.id }, { orderBy: { startTime: 'asc' } });
    const session = await em.findOne(Session, { booking: booking.id }, { orderBy: { id: 'asc' } });
    return toConfirmed(booking, session?.id ?? 0, slots.map((slot) => slot.id), true);
  }

  /** Runs `work` in a transaction and turns the database's own conflict verdicts into ours. */
  async function inTransaction<T>(slotIdsForLog: () => number[], work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await orm.em.fork().transactional(work);
    } catch (error) {
      if (isDriverCode(error, EXCLUSION_VIOLATION)) {
        logger.error({ slotIds: slotIdsForLog(), err: error }, 'Transaction rolled back: an overlapping booking exists');
        throw new SlotConflictError(slotIdsForLog(), 'an overlapping booking was committed first');
      }
      if (error instanceof SlotConflictError) {
        logger.error({ slotIds: error.slotIds, detail: error.detail }, `Transaction rolled back: ${error.detail}`);
      }
      throw error;
    }
  }

  return {
    /**
     * Holds the slots of one session for `owner` until `lockedUntil`, e.g. while a direct
     * booking waits for the trainer. Re-holding by the same owner extends the hold.
     */
    async hold(input: HoldInput): Promise<HeldSlots> {
      let slotIds: number[] = [];
      return inTransaction(
        () => slotIds,
        async (tx) => {
          const now = clock();
          slotIds = await lockSessionSlots(tx, input.trainerId, input.startTime, input.durationMinutes, freeFor(input.owner, now));
          await tx.nativeUpdate(TimeSlot, { id: { $in: slotIds } }, { lockedUntil: input.lockedUntil, lockOwner: input.owner });
          logger.info({ slotIds, owner: input.owner, lockedUntil: input.lockedUntil }, `Successfully locked ${slotIds.length} time slots atomically: [${slotIds.join(', ')}]`);
          return { slotIds, lockedUntil: input.lockedUntil };
        },
      );
    },

    /** Drops every hold that `owner` has on slots that were not booked. Idempotent. */
    async release(owner: string): Promise<number> {
      const released = await orm.em.fork().nativeUpdate(TimeSlot, { lockOwner: owner }, { lockedUntil: null, lockOwner: null });
      if (released > 0) logger.info({ owner, released }, `Released ${released} held time slots`);
      return released;
    },

    /**
     * Approves a PENDING request at `startTime`: takes the slots, creates the Booking (with
     * total_cost from the trainer's price) and its Session, marks the slots booked and sets
     * the request APPROVED — all or nothing. A retry for an already approved request returns
     * the booking that exists.
     */
    async confirm(input: ConfirmInput): Promise<ConfirmedBooking> {
      let slotIds: number[] = [];
      try {
        return await inTransaction(
          () => slotIds,
          async (tx) => {
            const request = await tx.findOne(BookingRequest, input.bookingRequestId, { lockMode: LockMode.PESSIMISTIC_WRITE });
            if (!request) throw new NotFoundError('Booking request', input.bookingRequestId);
            const existing = await tx.findOne(Booking, { bookingRequest: request.id });
            if (existing) return describeExisting(tx, existing);
            const now = clock();
            if (request.status !== 'PENDING') throw new RequestNotPendingError(request.id, request.status);
            if (request.expiresAt <= now) throw new RequestNotPendingError(request.id, 'EXPIRED');

            const trainer = await tx.findOneOrFail(Trainer, request.trainer.id);
            slotIds = await lockSessionSlots(tx, trainer.id, input.startTime, request.durationMinutes, freeFor(input.holdOwner, now));
            logger.info({ bookingRequestId: request.id, slotIds }, `Successfully locked ${slotIds.length} time slots atomically: [${slotIds.join(', ')}]`);

            const pricePerHour = Number(trainer.pricePerHour);
            const booking = tx.create(Booking, {
              bookingRequest: request,
              client: request.client,
              trainer,
              sessionType: request.sessionType,
              durationMinutes: request.durationMinutes,
              startTime: input.startTime,
              endTime: new Date(input.startTime.getTime() + request.durationMinutes * MINUTE_MS),
              pricePerHour,
              totalCost: Math.round(pricePerHour * request.durationMinutes * (100 / 60)) / 100,
              location: request.location ?? trainer.gymName ?? null,
              locationType: request.locationType,
              status: 'CONFIRMED',
              notes: input.notes ?? null,
            });
            await tx.flush();
            logger.info({ bookingId: booking.id, bookingRequestId: request.id }, `Created Booking ${booking.id} in transaction`);

            await bookSlots(tx, slotIds, booking.id);

            const session = tx.create(Session, {
              booking,
              client: request.client,
              trainer,
              title: `${request.sessionType} session`,
              sessionType: request.sessionType,
              scheduledDate: booking.startTime,
              durationMinutes: request.durationMinutes,
              location: booking.location,
              status: 'CONFIRMED',
            });
            request.status = 'APPROVED';
            request.confirmedDate = input.startTime;
            if (input.notes !== undefined) request.notes = input.notes;
            await tx.flush();
            logger.info({ bookingId: booking.id, bookingRequestId: request.id, slotIds }, `Booking ${booking.id} approved successfully. Transaction will be committed.`);
            return toConfirmed(booking, session.id, slotIds, false);
          },
        );
      } catch (error) {
        // Two confirms of one request raced and the other committed first: return its booking.
        if (isDriverCode(error, UNIQUE_VIOLATION)) {
          const em = orm.em.fork();
          const existing = await em.findOne(Booking, { bookingRequest: input.bookingRequestId });
          if (existing) return describeExisting(em, existing);
        }
        throw error;
      }
    },

    /**
     * Moves a confirmed booking to `newStartTime`: takes the new slots and frees the old ones
     * in one transaction. On any conflict the original booking stays exactly as it was.
     */
    async reschedule(input: RescheduleInput): Promise<ConfirmedBooking> {
      let slotIds: number[] = [];
      return inTransaction(
        () => slotIds,
        async (tx) => {
          const booking = await tx.findOne(Booking, input.bookingId, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!booking) throw new NotFoundError('Booking', input.bookingId);
          if (booking.status !== 'CONFIRMED') throw new BookingNotActiveError(booking.id, booking.status);
          const now = clock();
          slotIds = await lockSessionSlots(tx, booking.trainer.id, input.newStartTime, booking.durationMinutes, freeFor(input.holdOwner, now, booking.id));

          booking.startTime = input.newStartTime;
          booking.endTime = new Date(input.newStartTime.getTime() + booking.durationMinutes * MINUTE_MS);
          await tx.flush();
          await tx.nativeUpdate(TimeSlot, { booking: booking.id, id: { $nin: slotIds } }, { isBooked: false, booking: null });
          await bookSlots(tx, slotIds, booking.id);
          await tx.nativeUpdate(Session, { booking: booking.id, status: { $in: ['PENDING', 'CONFIRMED'] } }, { scheduledDate: booking.startTime });
          await tx.nativeUpdate(BookingRequest, { id: booking.bookingRequest.id }, { confirmedDate: booking.startTime });
          logger.info({ bookingId: booking.id, slotIds, newStartTime: input.newStartTime }, `Booking ${booking.id} rescheduled`);
          const session = await tx.findOne(Session, { booking: booking.id }, { orderBy: { id: 'asc' } });
          return toConfirmed(booking, session?.id ?? 0, slotIds, false);
        },
      );
    },

    /** Cancels a booking and frees its slots; cancelling a cancelled booking changes nothing. */
    async cancel(input: CancelInput): Promise<ConfirmedBooking> {
      return inTransaction(
        () => [],
        async (tx) => {
          const booking = await tx.findOne(Booking, input.bookingId, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!booking) throw new NotFoundError('Booking', input.bookingId);
          if (booking.status === 'CANCELLED') return describeExisting(tx, booking);
          if (booking.status !== 'CONFIRMED' && booking.status !== 'PENDING') throw new BookingNotActiveError(booking.id, booking.status);
          const slots = await tx.find(TimeSlot, { booking: booking.id }, { orderBy: { startTime: 'asc' } });
          booking.status = 'CANCELLED';
          booking.cancellationReason = input.reason ?? null;
          await tx.flush();
          await tx.nativeUpdate(TimeSlot, { booking: booking.id }, { isBooked: false, booking: null });
          await tx.nativeUpdate(Session, { booking: booking.id, status: { $in: ['PENDING', 'CONFIRMED'] } }, { status: 'CANCELLED' });
          logger.info({ bookingId: booking.id, freedSlotIds: slots.map((slot) => slot.id) }, `Booking ${booking.id} cancelled; ${slots.length} slots freed`);
          const session = await tx.findOne(Session, { booking: booking.id }, { orderBy: { id: 'asc' } });
          return toConfirmed(booking, session?.id ?? 0, slots.map((slot) => slot.id), false);
        },
      );
    },
  };
}

export type ReservationService = ReturnType<typeof createReservationService>;
