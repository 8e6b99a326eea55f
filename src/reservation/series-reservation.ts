/**
 * Weekly series (issue 12) on the atomic reservation: a whole series is reserved in ONE
 * transaction, each occurrence exactly as a single booking is (its slots locked and
 * checked, the trainer's policy at the transaction's clock, its Booking and Session), every
 * occurrence linked to one `booking_series` row. Each occurrence runs under its own
 * SAVEPOINT, so a conflict (a slot taken, a policy refusal, the database's exclusion
 * constraints) undoes that occurrence only and is recorded with its reason; then
 * ALL_OR_NOTHING throws SeriesConflictError listing every such date (the transaction rolls
 * back: nothing written), AVAILABLE_ONLY keeps the rest (none booked: SeriesConflictError).
 *
 * Occurrences are taken in time order and each one's slots in id order, so two series over
 * shared slots queue on the first shared slot and never deadlock.
 */
import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { createCreditLedger, noCreditIn, type CreditLedger, type ReserveInput } from '../credits/ledger';
import { Booking, BookingSeries, Session, TimeSlot } from '../db/entities';
import { NoCreditError } from '../domain/credits/errors';
import { creditAtApproval } from '../domain/credits/rules';
import { ERROR_CODES, InvalidRequestError, NotFoundError } from '../domain/errors';
import { PolicyRefusalError } from '../domain/policy/errors';
import { checkStartAllowed, decideClientCancel, type PolicyRefusal } from '../domain/policy/rules';
import type { TrainerPolicy } from '../domain/policy/policy';
import { policyWording } from '../domain/policy/wording';
import { MAX_OCCURRENCES } from '../domain/series/recurrence';
import type { SeriesConflictMode, SeriesStatus } from '../domain/series/series';
import type { LocationType } from '../domain/statuses';
import { MINUTE_MS } from '../domain/time';
import { logger } from '../logger';
import { loadPolicy, lockClientLoad } from '../policy/policy-store';
import { RequestNotPendingError, SeriesConflictError, SlotConflictError, type SkippedOccurrence } from './errors';
import { cancelSettlement } from './reservation-service';
import {
  bookSlots,
  checkSessionSlots,
  CLIENT_OVERLAP_CONSTRAINT,
  constraintOf,
  EXCLUSION_VIOLATION,
  freeFor,
  isDriverCode,
  lockSessionSlots,
  readSessionSlots,
  UNIQUE_VIOLATION,
} from './slot-locks';

export interface ConfirmSeriesInput {
  /** The request the series answers: it becomes APPROVED, and a retry finds the series by it. */
  bookingRequestId: number;
  clientId: number;
  trainerId: number;
  /** The starts of the occurrences (expandOccurrences), any order; duplicates count once. */
  occurrences: Date[];
  durationMinutes: number;
  /** RFC 5545 text of the series (toRRule), stored on the series and on each occurrence. */
  rrule: string;
  timeZone: string;
  conflictMode: SeriesConflictMode;
  /** Defaults: the request's session type, location (else the trainer's gym) and location type. */
  sessionType?: string;
  location?: string | null;
  locationType?: LocationType;
  /** Holds by this owner (the request's workflow) count as its own, not as a conflict. */
  holdOwner?: string;
  notes?: string;
}

export interface BookedOccurrence {
  bookingId: number;
  sessionId: number;
  start: Date;
  end: Date;
  slotIds: number[];
}

export interface ConfirmedSeries {
  seriesId: number;
  bookingRequestId: number;
  trainerId: number;
  clientId: number;
  status: SeriesStatus;
  conflictMode: SeriesConflictMode;
  booked: BookedOccurrence[];
  skipped: SkippedOccurrence[];
  /** True when this call found the series already confirmed (an idempotent retry). */
  alreadyDone: boolean;
}

export type OccurrenceAvailability =
  | { start: Date; state: 'free'; slotIds: number[] }
  | { start: Date; state: 'taken'; reason: string }
  | { start: Date; state: 'outside_policy'; code: PolicyRefusal['code']; reason: string };

export interface CancelSeriesOptions {
  /**
   * A client's cancel: each occurrence inside the trainer's cutoff becomes LATE_CANCELLED
   * (decideClientCancel), the later ones CANCELLED. Without it (trainer, admin, or a client
   * outside the cutoff) every one is CANCELLED.
   */
  late?: boolean;
  reason?: string;
  /** A late occurrence uses its credit (true) or gives it back (false); by default the trainer's policy as stored now. */
  lateCancelConsumes?: boolean;
}

export interface CancelledSeries {
  seriesId: number;
  status: SeriesStatus;
  cancelled: { bookingId: number; start: Date; status: 'CANCELLED' | 'LATE_CANCELLED'; freedSlotIds: number[] }[];
}

interface RequestRow {
  id: number;
  client_id: number;
  trainer_id: number;
  session_type: string;
  location: string | null;
  location_type: LocationType;
  status: string;
  expires_at: Date | string;
  price_per_hour: string | number;
  gym_name: string | null;
  trainer_name: string;
}

const slotTakenReason = 'the trainer is not free then (the slots are booked, held, unpublished or missing)';

/** Occurrence starts in time order, each once. */
const inTimeOrder = (starts: Date[]): Date[] =>
  [...new Set(starts.map((start) => start.getTime()))].sort((a, b) => a - b).map((ms) => new Date(ms));

/** Why one occurrence could not be booked, from what its savepoint caught; null for a breakdown (rethrown). */
function skippedFor(start: Date, error: unknown): SkippedOccurrence | null {
  if (error instanceof SlotConflictError) return { start, code: ERROR_CODES.slotConflict, reason: slotTakenReason };
  // AVAILABLE_ONLY with the trainer's credit requirement: no credit left for this date (the sentence names the packs).
  if (error instanceof NoCreditError) return { start, code: ERROR_CODES.creditNone, reason: error.sentence };
  if (error instanceof PolicyRefusalError) return { start, code: error.code, reason: error.message };
  if (isDriverCode(error, EXCLUSION_VIOLATION) && constraintOf(error) === CLIENT_OVERLAP_CONSTRAINT) {
    return { start, code: 'policy_client_overlap', reason: policyWording.clientOverlap() };
  }
  if (isDriverCode(error, EXCLUSION_VIOLATION)) return { start, code: ERROR_CODES.slotConflict, reason: slotTakenReason };
  return null;
}

/**
 * Per occurrence: free (with the slots it would take), taken, or outside the trainer's
 * policy at `now` (notice, horizon) — for offering weekly times and showing "8 of 10 free".
 * Reads without locking: the answer can be stale by the time the series is confirmed,
 * which the reservation then decides. Held slots are free only for `holdOwner`.
 */
export async function seriesAvailability(
  em: EntityManager,
  trainerId: number,
  occurrences: Date[],
  durationMinutes: number,
  options: { now?: Date; holdOwner?: string; policy?: TrainerPolicy } = {},
): Promise<OccurrenceAvailability[]> {
  const now = options.now ?? new Date();
  const policy = options.policy ?? (await loadPolicy(em, trainerId));
  const isFree = freeFor(options.holdOwner, now);
  const answers: OccurrenceAvailability[] = [];
  for (const start of inTimeOrder(occurrences)) {
    const refusal = checkStartAllowed(policy, start, now);
    if (refusal) {
      answers.push({ start, state: 'outside_policy', code: refusal.code, reason: refusal.sentence });
      continue;
    }
    let slotIds: number[];
    try {
      slotIds = checkSessionSlots(await readSessionSlots(em, trainerId, start, durationMinutes), start, durationMinutes, isFree);
    } catch (error) {
      if (!(error instanceof SlotConflictError)) throw error;
      answers.push({ start, state: 'taken', reason: slotTakenReason });
      continue;
    }
    // The trainer's buffers: another active booking whose blocked range reaches into this session's.
    const end = new Date(start.getTime() + durationMinutes * MINUTE_MS);
    const [clash] = await em.execute<{ id: number }[]>(
      `select id from booking where trainer_id = ? and status in ('PENDING', 'CONFIRMED')
          and tstzrange(blocked_start, blocked_end) && tstzrange(?::timestamptz - make_interval(mins => ?), ?::timestamptz + make_interval(mins => ?)) limit 1`,
      [trainerId, start, policy.bufferBeforeMinutes, end, policy.bufferAfterMinutes],
    );
    answers.push(clash ? { start, state: 'taken', reason: policyWording.buffer(policy) } : { start, state: 'free', slotIds });
  }
  return answers;
}

export function createSeriesReservation(orm: MikroORM, clock: () => Date = () => new Date(), ledger: CreditLedger = createCreditLedger(orm, clock)) {
  async function describeExisting(em: EntityManager, series: { id: number; status: SeriesStatus; conflict_mode: SeriesConflictMode }, request: RequestRow, asked: Date[]): Promise<ConfirmedSeries> {
    const rows = await em.execute<{ id: number; start_time: Date | string; end_time: Date | string; session_id: number | null; slot_ids: number[] | null }[]>(
      `select b.id, b.start_time, b.end_time,
              (select min(t.id) from training_session t where t.booking_id = b.id) as session_id,
              (select array_agg(s.id order by s.start_time) from time_slot s where s.booking_id = b.id) as slot_ids
         from booking b where b.series_id = ? order by b.start_time`,
      [series.id],
    );
    const booked = rows.map((row) => ({ bookingId: row.id, sessionId: row.session_id ?? 0, start: new Date(row.start_time), end: new Date(row.end_time), slotIds: row.slot_ids ?? [] }));
    const bookedMs = new Set(booked.map((b) => b.start.getTime()));
    const skipped = inTimeOrder(asked)
      .filter((start) => !bookedMs.has(start.getTime()))
      .map((start) => ({ start, code: ERROR_CODES.slotConflict, reason: 'it was not booked when the series was confirmed' }));
    return { seriesId: series.id, bookingRequestId: request.id, trainerId: request.trainer_id, clientId: request.client_id, status: series.status, conflictMode: series.conflict_mode, booked, skipped, alreadyDone: true };
  }

  /** One occurrence, inside the series' transaction: slots, booking, slots booked, session. */
  async function bookOccurrence(
    tx: EntityManager,
    context: { input: ConfirmSeriesInput; request: RequestRow; seriesId: number; now: Date; location: string | null; sessionType: string; locationType: LocationType; creditPerOccurrence: boolean },
    start: Date,
  ): Promise<BookedOccurrence> {
    const { input, request, seriesId, now, location, sessionType, locationType } = context;
    const slotIds = await lockSessionSlots(tx, input.trainerId, start, input.durationMinutes, freeFor(input.holdOwner, now));
    const pricePerHour = Number(request.price_per_hour);
    const totalCost = Math.round(pricePerHour * input.durationMinutes * (100 / 60)) / 100;
    const end = new Date(start.getTime() + input.durationMinutes * MINUTE_MS);
    const [booking] = await tx.execute<{ id: number }[]>(
      `insert into booking (booking_request_id, series_id, client_id, trainer_id, session_type, duration_minutes, start_time, end_time,
                            price_per_hour, total_cost, location, location_type, status, is_recurring, recurring_pattern, notes, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CONFIRMED', true, ?, ?, ?, ?) returning id`,
      [request.id, seriesId, input.clientId, input.trainerId, sessionType, input.durationMinutes, start, end, pricePerHour, totalCost, location, locationType, input.rrule, input.notes ?? null, now, now],
    );
    const bookingId = booking!.id;
    await bookSlots(tx, slotIds, bookingId);
    const [session] = await tx.execute<{ id: number }[]>(
      `insert into training_session (booking_id, client_id, trainer_id, title, session_type, scheduled_date, duration_minutes, location, status, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'CONFIRMED', ?) returning id`,
      [bookingId, input.clientId, input.trainerId, `${sessionType} session`, sessionType, start, input.durationMinutes, location, now],
    );
    // AVAILABLE_ONLY with the credit requirement: each date's credit under its own savepoint (a NoCreditError skips the date).
    if (context.creditPerOccurrence) await ledger.reserveForBooking(tx, creditInput(input, bookingId, start));
    return { bookingId, sessionId: session!.id, start, end, slotIds };
  }

  const creditInput = (input: ConfirmSeriesInput, bookingId: number, start: Date): ReserveInput => ({ bookingId, clientId: input.clientId, trainerId: input.trainerId, durationMinutes: input.durationMinutes, start });

  /**
   * The series' credits once its dates are booked (issue 13), in the same transaction. With
   * the trainer's requirement on: ALL_OR_NOTHING reserves one per session all or nothing
   * (`reserveForBookings`: a NoCreditError rolls the series back); AVAILABLE_ONLY reserved
   * each date's already (`creditPerOccurrence`). Without it, the sessions take the credits
   * the client has, earliest first, and the rest are unpaid.
   */
  async function reserveSeriesCredits(tx: EntityManager, input: ConfirmSeriesInput, booked: BookedOccurrence[], required: boolean): Promise<void> {
    if (required) {
      if (input.conflictMode === 'ALL_OR_NOTHING') await ledger.reserveForBookings(tx, booked.map((b) => creditInput(input, b.bookingId, b.start)));
      return;
    }
    for (const occurrence of booked) {
      try {
        await ledger.reserveForBooking(tx, creditInput(input, occurrence.bookingId, occurrence.start));
      } catch (error) {
        if (!(error instanceof NoCreditError)) throw error;
        break; // sessions in time order: a later one finds no credit either
      }
    }
  }

  return {
    /**
     * Reserves a whole series in one transaction (see the file's comment). A retry for a
     * request whose series exists returns that series (`alreadyDone`).
     */
    async confirmSeries(input: ConfirmSeriesInput): Promise<ConfirmedSeries> {
      const starts = inTimeOrder(input.occurrences);
      if (starts.length === 0 || starts.length > MAX_OCCURRENCES) throw new InvalidRequestError(`A series has from 1 to ${MAX_OCCURRENCES} occurrences.`);
      try {
        return await orm.em.fork().transactional(async (tx) => {
          const [request] = await tx.execute<RequestRow[]>(
            `select r.id, r.client_id, r.trainer_id, r.session_type, r.location, r.location_type, r.status, r.expires_at,
                    t.price_per_hour, t.gym_name, u.full_name as trainer_name
               from booking_request r join trainer t on t.id = r.trainer_id join app_user u on u.id = t.user_id
              where r.id = ? for update of r`,
            [input.bookingRequestId],
          );
          if (!request) throw new NotFoundError('Booking request', input.bookingRequestId);
          // A statement of its own after the lock: a retry that waited sees its twin's series.
          const [existing] = await tx.execute<{ id: number; status: SeriesStatus; conflict_mode: SeriesConflictMode }[]>(
            'select id, status, conflict_mode from booking_series where booking_request_id = ?',
            [request.id],
          );
          if (existing) return describeExisting(tx, existing, request, starts);
          if (request.client_id !== input.clientId || request.trainer_id !== input.trainerId) {
            throw new InvalidRequestError(`Booking request ${request.id} is between other people than this series.`);
          }
          const now = clock();
          if (request.status !== 'PENDING') throw new RequestNotPendingError(request.id, request.status);
          if (new Date(request.expires_at) <= now) throw new RequestNotPendingError(request.id, 'EXPIRED');

          const policy = await loadPolicy(tx, input.trainerId);
          const creditRequired = creditAtApproval(policy) === 'required';
          // Count and book under the client's lock: the series counts toward the limit by its occurrences.
          await lockClientLoad(tx, input.clientId);
          const [load] = await tx.execute<{ upcoming: string }[]>(
            `select count(*) as upcoming from booking where client_id = ? and status in ('PENDING', 'CONFIRMED') and start_time > ?`,
            [input.clientId, now],
          );
          const upcoming = Number(load?.upcoming ?? 0);

          const [series] = await tx.execute<{ id: number }[]>(
            `insert into booking_series (client_id, trainer_id, booking_request_id, rrule, time_zone, duration_minutes, occurrence_count, conflict_mode, status, created_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, 'CONFIRMED', ?) returning id`,
            [input.clientId, input.trainerId, request.id, input.rrule, input.timeZone, input.durationMinutes, starts.length, input.conflictMode, now],
          );
          const seriesId = series!.id;
          const context = {
            input,
            request,
            seriesId,
            now,
            sessionType: input.sessionType ?? request.session_type,
            location: input.location !== undefined ? input.location : (request.location ?? request.gym_name ?? null),
            locationType: input.locationType ?? request.location_type,
            creditPerOccurrence: creditRequired && input.conflictMode === 'AVAILABLE_ONLY',
          };

          const booked: BookedOccurrence[] = [];
          const skipped: SkippedOccurrence[] = [];
          for (const start of starts) {
            const refusal = checkStartAllowed(policy, start, now, request.trainer_name);
            if (refusal) {
              skipped.push({ start, code: refusal.code, reason: refusal.sentence });
              continue;
            }
            if (upcoming + booked.length >= policy.maxUpcomingBookings) {
              skipped.push({ start, code: 'policy_limit_upcoming', reason: policyWording.limitUpcoming(policy) });
              continue;
            }
            await tx.execute('savepoint series_occurrence', [], 'run');
            try {
              booked.push(await bookOccurrence(tx, context, start));
              await tx.execute('release savepoint series_occurrence', [], 'run');
            } catch (error) {
              const skip = skippedFor(start, error);
              if (!skip) throw error;
              await tx.execute('rollback to savepoint series_occurrence', [], 'run');
              skipped.push(skip);
            }
          }

          if (booked.length === 0 || (input.conflictMode === 'ALL_OR_NOTHING' && skipped.length > 0)) {
            logger.info({ bookingRequestId: request.id, conflictMode: input.conflictMode, skipped: skipped.length, of: starts.length }, 'Series not booked; rolling back');
            // Every date free but none paid for: the client's missing credits are the whole answer.
            if (skipped.length > 0 && skipped.every((skip) => skip.code === ERROR_CODES.creditNone)) {
              throw await noCreditIn(tx, skipped.map((skip) => ({ clientId: input.clientId, trainerId: input.trainerId, durationMinutes: input.durationMinutes, start: skip.start })), 0);
            }
            throw new SeriesConflictError(skipped);
          }
          await reserveSeriesCredits(tx, input, booked, creditRequired);
          const status: SeriesStatus = skipped.length > 0 ? 'PARTIAL' : 'CONFIRMED';
          await tx.execute('update booking_series set status = ? where id = ?', [status, seriesId], 'run');
          await tx.execute(
            `update booking_request set status = 'APPROVED', confirmed_date = ?, notes = coalesce(?, notes), updated_at = ? where id = ?`,
            [booked[0]!.start, input.notes ?? null, now, request.id],
            'run',
          );
          logger.info({ seriesId, bookingRequestId: request.id, booked: booked.length, skipped: skipped.length }, `Series ${seriesId} booked: ${booked.length} occurrences`);
          return { seriesId, bookingRequestId: request.id, trainerId: input.trainerId, clientId: input.clientId, status, conflictMode: input.conflictMode, booked, skipped, alreadyDone: false };
        });
      } catch (error) {
        // Two confirms of one request raced and the other committed first: return its series.
        if (isDriverCode(error, UNIQUE_VIOLATION)) {
          const em = orm.em.fork();
          const existing = await em.findOne(BookingSeries, { bookingRequest: input.bookingRequestId });
          if (existing) {
            const [request] = await em.execute<RequestRow[]>('select id, client_id, trainer_id from booking_request where id = ?', [input.bookingRequestId]);
            return describeExisting(em, { id: existing.id, status: existing.status, conflict_mode: existing.conflictMode }, request!, starts);
          }
        }
        throw error;
      }
    },

    /** Availability of each occurrence at this service's clock (see `seriesAvailability`). */
    async availability(trainerId: number, occurrences: Date[], durationMinutes: number, holdOwner?: string): Promise<OccurrenceAvailability[]> {
      return seriesAvailability(orm.em.fork(), trainerId, occurrences, durationMinutes, { now: clock(), ...(holdOwner ? { holdOwner } : {}) });
    },

    /**
     * Cancels the active occurrences of a series that start at or after `fromStart` and have
     * not started yet ("this and all following"), frees their slots and cancels their
     * sessions, in one transaction. The series becomes CANCELLED when nothing active is left.
     * Cancelling again changes nothing.
     */
    async cancelSeriesFrom(seriesId: number, fromStart: Date, options: CancelSeriesOptions = {}): Promise<CancelledSeries> {
      return orm.em.fork().transactional(async (tx) => {
        const series = await tx.findOne(BookingSeries, seriesId, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!series) throw new NotFoundError('Booking series', seriesId);
        const now = clock();
        const policy = options.late ? await loadPolicy(tx, series.trainer.id) : null;
        const lateCancelConsumes = options.lateCancelConsumes ?? policy?.lateCancelConsumes ?? true;
        const start = new Date(Math.max(fromStart.getTime(), now.getTime() + 1));
        const bookings = await tx.find(
          Booking,
          { series: seriesId, status: { $in: ['PENDING', 'CONFIRMED'] }, startTime: { $gte: start } },
          { orderBy: { startTime: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        const cancelled: CancelledSeries['cancelled'] = [];
        for (const booking of bookings) {
          const late = policy !== null && decideClientCancel(policy, booking.startTime, now) === 'late';
          const slots = await tx.find(TimeSlot, { booking: booking.id });
          booking.status = late ? 'LATE_CANCELLED' : 'CANCELLED';
          booking.cancellationReason = options.reason ?? null;
          cancelled.push({ bookingId: booking.id, start: booking.startTime, status: booking.status, freedSlotIds: slots.map((slot) => slot.id) });
          // Each occurrence's credit in the same transaction, settled as its own cancel would be.
          await ledger.settleBooking(tx, { bookingId: booking.id, outcome: cancelSettlement(late, lateCancelConsumes), note: late ? 'cancelled late with the series' : 'cancelled with the series' });
        }
        await tx.flush();
        const ids = bookings.map((booking) => booking.id);
        if (ids.length > 0) {
          await tx.nativeUpdate(TimeSlot, { booking: { $in: ids } }, { isBooked: false, booking: null });
          await tx.nativeUpdate(Session, { booking: { $in: ids }, status: { $in: ['PENDING', 'CONFIRMED'] } }, { status: 'CANCELLED' });
        }
        const active = await tx.count(Booking, { series: seriesId, status: { $in: ['PENDING', 'CONFIRMED'] } });
        if (active === 0 && series.status !== 'CANCELLED') {
          series.status = 'CANCELLED';
          await tx.flush();
        }
        logger.info({ seriesId, cancelled: ids, fromStart }, `Series ${seriesId}: ${ids.length} occurrences cancelled from ${fromStart.toISOString()}`);
        return { seriesId, status: series.status, cancelled };
      });
    },
  };
}

export type SeriesReservation = ReturnType<typeof createSeriesReservation>;
