import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { readBookingCredit } from '../credits/booking-credit';
import { createCreditLedger, type CreditLedger, type ReserveInput } from '../credits/ledger';
import { Booking, BookingRequest, Session, TimeSlot } from '../db/entities';
import { CreditExpiryError, NoCreditError } from '../domain/credits/errors';
import { creditAtApproval } from '../domain/credits/rules';
import { creditNoticeWording } from '../domain/credits/wording';
import type { Settlement } from '../domain/credits/credits';
import { logger } from '../logger';
import type { BookingCredit, CreditEntryView } from '../../workflows/contract';
import { NotFoundError } from '../domain/errors';
import { PolicyRefusalError } from '../domain/policy/errors';
import { blockedRange, checkStartAllowed, checkTrainerReschedule, type PolicyRefusal } from '../domain/policy/rules';
import { policyWording } from '../domain/policy/wording';
import { MINUTE_MS } from '../domain/time';
import { loadPolicy, lockClientLoad, policySelectList } from '../policy/policy-store';
import { withDefaults, type PolicyFields, type TrainerPolicy } from '../domain/policy/policy';
import { BookingNotActiveError, RequestNotPendingError, SlotConflictError } from './errors';
import { bookSlots, CLIENT_OVERLAP_CONSTRAINT, constraintOf, EXCLUSION_VIOLATION, freeFor, isDriverCode, lockSessionSlots, UNIQUE_VIOLATION } from './slot-locks';

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
  /** The pack credit that pays for it (issue 13): present, or null once given back, when the booking has ledger entries. */
  credit?: BookingCredit | null;
  /** Its credit ledger entries, oldest first; absent for a booking no credit ever paid for. */
  ledger?: CreditEntryView[];
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
  /** A client's cancel inside the cutoff: the booking becomes LATE_CANCELLED (its sessions CANCELLED). */
  late?: boolean;
  /**
   * A late cancel uses the booking's credit (true) or gives it back (false), as the policy the
   * client agreed to says; by default the trainer's policy as stored now. Any other cancel
   * gives the credit back.
   */
  lateCancelConsumes?: boolean;
}

interface RequestRow {
  id: number;
  client_id: number;
  trainer_id: number;
  session_type: string;
  duration_minutes: number;
  location: string | null;
  location_type: string;
  status: string;
  expires_at: Date | string;
  price_per_hour: string | number;
  gym_name: string | null;
  trainer_name: string;
}
function refuse(refusal: PolicyRefusal | null): void {
  if (refusal) throw new PolicyRefusalError(refusal);
}

/**
 * The trainer's buffers, checked in the transaction (after its slots are locked, so a real
 * overlap is already a slot conflict): another active booking of the trainer whose blocked
 * range meets this session's widened by the buffers is `policy_buffer`. The exclusion
 * constraint booking_no_buffer_overlap backs this under races (then a 409 slot conflict).
 */
async function refuseBufferClash(tx: EntityManager, trainerId: number, policy: TrainerPolicy, start: Date, end: Date, ownBookingId?: number): Promise<void> {
  if (policy.bufferBeforeMinutes === 0 && policy.bufferAfterMinutes === 0) return;
  const mine = blockedRange(policy, { start, end });
  const [clash] = await tx.execute<{ trainer_name: string }[]>(
    `select u.full_name as trainer_name from booking b join trainer t on t.id = b.trainer_id join app_user u on u.id = t.user_id
      where b.trainer_id = ? and b.status in ('PENDING', 'CONFIRMED') and b.id <> ? and b.blocked_end > ? and b.blocked_start < ? limit 1`,
    [trainerId, ownBookingId ?? 0, mine.start, mine.end],
  );
  if (clash) throw new PolicyRefusalError({ code: 'policy_buffer', sentence: policyWording.buffer(policy, clash.trainer_name), field: 'start_time' });
}

/**
 * A new booking's credit, in the approval's transaction (issue 13): with the trainer's
 * credit requirement on (`creditAtApproval` 'required') a NoCreditError rolls the whole
 * approval back; otherwise a fitting credit is reserved when the client has one, and the
 * session is approved unpaid when not (the ledger wrote nothing then).
 */
export async function reserveCreditAtApproval(ledger: CreditLedger, tx: EntityManager, policy: TrainerPolicy, input: ReserveInput): Promise<void> {
  if (creditAtApproval(policy) === 'required') {
    await ledger.reserveForBooking(tx, input);
    return;
  }
  try {
    await ledger.reserveForBooking(tx, input);
  } catch (error) {
    if (!(error instanceof NoCreditError)) throw error;
    logger.debug({ bookingId: input.bookingId }, `Booking ${input.bookingId} approved unpaid: no fitting credit`);
  }
}

/** What ends a cancelled booking's hold on its credit: a late cancel per `lateCancelConsumes`, any other cancel gives it back. */
export const cancelSettlement = (late: boolean, lateCancelConsumes: boolean): Settlement => (late && lateCancelConsumes ? 'consume' : 'release');

/**
 * A booking holding a credit (reserved, not settled) cannot move to a start after its lot's
 * end of validity: the ledger gives a booking one RESERVE for its life, so it cannot take a
 * credit of another pack instead (CreditExpiryError, worded for both sides).
 */
async function refuseMovePastCredit(tx: EntityManager, bookingId: number, newStart: Date): Promise<void> {
  const [held] = await tx.execute<{ lot_id: number; expires_at: Date | string; pack_name: string; zone: string | null }[]>(
    `select r.lot_id, l.expires_at, pt.name as pack_name, coalesce(cu.time_zone, t.time_zone) as zone
       from credit_entry r join credit_lot l on l.id = r.lot_id join package_type pt on pt.id = l.package_type_id
            join app_user cu on cu.id = l.client_id join trainer t on t.id = l.trainer_id
      where r.booking_id = ? and r.kind = 'RESERVE'
        and not exists (select 1 from credit_entry s where s.booking_id = r.booking_id and s.kind in ('RELEASE', 'CONSUME'))`,
    [bookingId],
  );
  if (!held) return;
  const expiresAt = new Date(held.expires_at);
  if (newStart.getTime() <= expiresAt.getTime()) return;
  throw new CreditExpiryError(creditNoticeWording.moveAfterExpiry({ packName: held.pack_name, expiresAt }, held.zone ?? 'UTC'), held.lot_id, expiresAt);
}

/**
 * The seed's atomic multi-slot reservation, with the database as the last word: slots are
 * locked in id order (so concurrent reservations never deadlock), checked, and changed in
 * one transaction that either does everything or nothing. An exclusion constraint on the
 * trainer's active bookings and a unique key on the request back this up, so even a bug
 * here could not produce a double booking.
 */
export function createReservationService(orm: MikroORM, clock: () => Date = () => new Date(), ledger: CreditLedger = createCreditLedger(orm, clock)) {
  async function toConfirmed(em: EntityManager, booking: Booking, sessionId: number, slotIds: number[], alreadyDone: boolean): Promise<ConfirmedBooking> {
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
      ...(await readBookingCredit(em, booking.id)),
    };
  }

  async function describeExisting(em: EntityManager, booking: Booking): Promise<ConfirmedBooking> {
    const slots = await em.find(TimeSlot, { booking: booking.id }, { orderBy: { startTime: 'asc' } });
    const session = await em.findOne(Session, { booking: booking.id }, { orderBy: { id: 'asc' } });
    return toConfirmed(em, booking, session?.id ?? 0, slots.map((slot) => slot.id), true);
  }

  /** Runs `work` in a transaction and turns the database's own conflict verdicts into ours. */
  async function inTransaction<T>(slotIdsForLog: () => number[], work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await orm.em.fork().transactional(work);
    } catch (error) {
      if (isDriverCode(error, EXCLUSION_VIOLATION) && constraintOf(error) === CLIENT_OVERLAP_CONSTRAINT) {
        logger.info({ slotIds: slotIdsForLog() }, 'Transaction rolled back: the client already has a session at that time');
        throw new PolicyRefusalError({ code: 'policy_client_overlap', sentence: policyWording.clientOverlap(), field: 'start_time' });
      }
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
     * total_cost from the trainer's price) and its Session, reserves the client's credit
     * (`reserveCreditAtApproval`: a NoCreditError when the trainer requires one and there is
     * none), marks the slots booked and sets the request APPROVED — all or nothing. A retry
     * for an already approved request returns the booking that exists.
     */
    async confirm(input: ConfirmInput): Promise<ConfirmedBooking> {
      let slotIds: number[] = [];
      try {
        return await inTransaction(
          () => slotIds,
          async (tx) => {
            // The request row, locked, with its trainer and the trainer's policy (one statement: the hot path).
            const [request] = await tx.execute<(RequestRow & PolicyFields)[]>(
              `select r.id, r.client_id, r.trainer_id, r.session_type, r.duration_minutes, r.location, r.location_type,
                      r.status, r.expires_at, t.price_per_hour, t.gym_name, u.full_name as trainer_name, ${policySelectList('tp')}
                 from booking_request r join trainer t on t.id = r.trainer_id join app_user u on u.id = t.user_id
                 left join trainer_policy tp on tp.trainer_id = r.trainer_id
                where r.id = ? for update of r`,
              [input.bookingRequestId],
            );
            if (!request) throw new NotFoundError('Booking request', input.bookingRequestId);
            // Asked only now, in a statement of its own: a retry that waited for the lock must
            // see the booking its twin committed meanwhile (the locking read would not).
            const [existing] = await tx.execute<{ id: number }[]>('select id from booking where booking_request_id = ?', [request.id]);
            if (existing) return describeExisting(tx, await tx.findOneOrFail(Booking, existing.id));
            const now = clock();
            if (request.status !== 'PENDING') throw new RequestNotPendingError(request.id, request.status);
            if (new Date(request.expires_at) <= now) throw new RequestNotPendingError(request.id, 'EXPIRED');
            // The trainer's policy as it stands at this transaction's clock: the start may have become too close.
            const policy = withDefaults(request);
            refuse(checkStartAllowed(policy, input.startTime, now, request.trainer_name));

            slotIds = await lockSessionSlots(tx, request.trainer_id, input.startTime, request.duration_minutes, freeFor(input.holdOwner, now));
            await refuseBufferClash(tx, request.trainer_id, policy, input.startTime, new Date(input.startTime.getTime() + request.duration_minutes * MINUTE_MS));
            logger.info({ bookingRequestId: request.id, slotIds }, `Successfully locked ${slotIds.length} time slots atomically: [${slotIds.join(', ')}]`);
            // Count and book under the client's lock, so parallel confirms cannot pass the limit together.
            // Taken after the slots: whoever holds a client's lock already has its slots, so no cycle.
            await lockClientLoad(tx, request.client_id);
            const [load] = await tx.execute<{ upcoming: string }[]>(
              `select count(*) as upcoming from booking where client_id = ? and status in ('PENDING', 'CONFIRMED') and start_time > ?`,
              [request.client_id, now],
            );
            if (Number(load?.upcoming ?? 0) >= policy.maxUpcomingBookings) {
              throw new PolicyRefusalError({ code: 'policy_limit_upcoming', sentence: policyWording.limitUpcoming(policy) });
            }

            const pricePerHour = Number(request.price_per_hour);
            const totalCost = Math.round(pricePerHour * request.duration_minutes * (100 / 60)) / 100;
            const endTime = new Date(input.startTime.getTime() + request.duration_minutes * MINUTE_MS);
            const location = request.location ?? request.gym_name ?? null;
            const [booking] = await tx.execute<{ id: number }[]>(
              `insert into booking (booking_request_id, client_id, trainer_id, session_type, duration_minutes, start_time, end_time,
                                    price_per_hour, total_cost, location, location_type, status, is_recurring, notes, created_at, updated_at)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CONFIRMED', false, ?, ?, ?) returning id`,
              [request.id, request.client_id, request.trainer_id, request.session_type, request.duration_minutes, input.startTime, endTime, pricePerHour, totalCost, location, request.location_type, input.notes ?? null, now, now],
            );
            const bookingId = booking!.id;
            logger.info({ bookingId, bookingRequestId: request.id }, `Created Booking ${bookingId} in transaction`);

            await bookSlots(tx, slotIds, bookingId);

            const [session] = await tx.execute<{ id: number }[]>(
              `insert into training_session (booking_id, client_id, trainer_id, title, session_type, scheduled_date, duration_minutes, location, status, created_at)
               values (?, ?, ?, ?, ?, ?, ?, ?, 'CONFIRMED', ?) returning id`,
              [bookingId, request.client_id, request.trainer_id, `${request.session_type} session`, request.session_type, input.startTime, request.duration_minutes, location, now],
            );
            // The credit in the same transaction: no credit, no booking (when the trainer requires one).
            await reserveCreditAtApproval(ledger, tx, policy, { bookingId, clientId: request.client_id, trainerId: request.trainer_id, durationMinutes: request.duration_minutes, start: input.startTime });
            await tx.execute(
              `update booking_request set status = 'APPROVED', confirmed_date = ?, notes = coalesce(?, notes), updated_at = ? where id = ?`,
              [input.startTime, input.notes ?? null, now, request.id],
              'run',
            );
            logger.info({ bookingId, bookingRequestId: request.id, slotIds }, `Booking ${bookingId} approved successfully. Transaction will be committed.`);
            return {
              bookingId,
              bookingRequestId: request.id,
              sessionId: session!.id,
              trainerId: request.trainer_id,
              clientId: request.client_id,
              startTime: input.startTime,
              endTime,
              durationMinutes: request.duration_minutes,
              totalCost,
              status: 'CONFIRMED',
              slotIds,
              alreadyDone: false,
              ...(await readBookingCredit(tx, bookingId)),
            };
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
     * in one transaction. On any conflict the original booking stays exactly as it was. A
     * booking paid with a credit keeps it; it cannot move past the credit's pack's end
     * (CreditExpiryError): a booking holds one credit for its whole life.
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
          // Nothing moves once started, and the new start follows notice and horizon (a client's cutoff is the workflow's).
          const policy = await loadPolicy(tx, booking.trainer.id);
          refuse(checkTrainerReschedule(policy, booking.startTime, input.newStartTime, now));
          slotIds = await lockSessionSlots(tx, booking.trainer.id, input.newStartTime, booking.durationMinutes, freeFor(input.holdOwner, now, booking.id));
          await refuseBufferClash(tx, booking.trainer.id, policy, input.newStartTime, new Date(input.newStartTime.getTime() + booking.durationMinutes * MINUTE_MS), booking.id);
          await refuseMovePastCredit(tx, booking.id, input.newStartTime);

          booking.startTime = input.newStartTime;
          booking.endTime = new Date(input.newStartTime.getTime() + booking.durationMinutes * MINUTE_MS);
          await tx.flush();
          await tx.nativeUpdate(TimeSlot, { booking: booking.id, id: { $nin: slotIds } }, { isBooked: false, booking: null });
          await bookSlots(tx, slotIds, booking.id);
          await tx.nativeUpdate(Session, { booking: booking.id, status: { $in: ['PENDING', 'CONFIRMED'] } }, { scheduledDate: booking.startTime });
          // A series' request keeps its first session's date; one occurrence moving does not change it.
          if (!booking.series) await tx.nativeUpdate(BookingRequest, { id: booking.bookingRequest.id }, { confirmedDate: booking.startTime });
          logger.info({ bookingId: booking.id, slotIds, newStartTime: input.newStartTime }, `Booking ${booking.id} rescheduled`);
          const session = await tx.findOne(Session, { booking: booking.id }, { orderBy: { id: 'asc' } });
          return toConfirmed(tx, booking, session?.id ?? 0, slotIds, false);
        },
      );
    },

    /**
     * Cancels a booking (late or not) and frees its slots; cancelling a cancelled booking
     * changes nothing. The booking's credit is settled in the same transaction: a late cancel
     * uses it or gives it back per `lateCancelConsumes`, any other cancel gives it back. The
     * last active occurrence of a series cancelled makes the series CANCELLED.
     */
    async cancel(input: CancelInput): Promise<ConfirmedBooking> {
      return inTransaction(
        () => [],
        async (tx) => {
          // An occurrence of a series: its series row first, as cancelSeriesFrom locks them
          // (series, then bookings), so the two never deadlock and the count below is exact.
          const [ofSeries] = await tx.execute<{ series_id: number | null }[]>('select series_id from booking where id = ?', [input.bookingId]);
          const seriesId = ofSeries?.series_id ?? null;
          if (seriesId !== null) await tx.execute('select id from booking_series where id = ? for update', [seriesId]);
          const booking = await tx.findOne(Booking, input.bookingId, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!booking) throw new NotFoundError('Booking', input.bookingId);
          if (booking.status === 'CANCELLED' || booking.status === 'LATE_CANCELLED') return describeExisting(tx, booking);
          if (booking.status !== 'CONFIRMED' && booking.status !== 'PENDING') throw new BookingNotActiveError(booking.id, booking.status);
          const slots = await tx.find(TimeSlot, { booking: booking.id }, { orderBy: { startTime: 'asc' } });
          booking.status = input.late ? 'LATE_CANCELLED' : 'CANCELLED';
          booking.cancellationReason = input.reason ?? null;
          await tx.flush();
          await tx.nativeUpdate(TimeSlot, { booking: booking.id }, { isBooked: false, booking: null });
          await tx.nativeUpdate(Session, { booking: booking.id, status: { $in: ['PENDING', 'CONFIRMED'] } }, { status: 'CANCELLED' });
          const late = input.late === true;
          const consumes = late && (input.lateCancelConsumes ?? (await loadPolicy(tx, booking.trainer.id)).lateCancelConsumes);
          await ledger.settleBooking(tx, { bookingId: booking.id, outcome: cancelSettlement(late, consumes), note: late ? 'cancelled late' : 'cancelled' });
          if (seriesId !== null) {
            const ended = await tx.execute<{ affectedRows: number }>(
              `update booking_series set status = 'CANCELLED' where id = ? and status <> 'CANCELLED'
                  and not exists (select 1 from booking b where b.series_id = ? and b.status in ('PENDING', 'CONFIRMED'))`,
              [seriesId, seriesId],
              'run',
            );
            if (ended.affectedRows > 0) logger.info({ seriesId, bookingId: booking.id }, `Series ${seriesId} cancelled: its last active occurrence was cancelled`);
          }
          logger.info({ bookingId: booking.id, freedSlotIds: slots.map((slot) => slot.id) }, `Booking ${booking.id} cancelled; ${slots.length} slots freed`);
          const session = await tx.findOne(Session, { booking: booking.id }, { orderBy: { id: 'asc' } });
          return toConfirmed(tx, booking, session?.id ?? 0, slots.map((slot) => slot.id), false);
        },
      );
    },
  };
}

export type ReservationService = ReturnType<typeof createReservationService>;
