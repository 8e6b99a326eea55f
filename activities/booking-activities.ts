import { ApplicationFailure } from '@temporalio/activity';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readBookingCredit } from '../src/credits/booking-credit';
import { buildCreditNotices } from '../src/credits/credit-notices';
import { createCreditLedger, type CreditLedger } from '../src/credits/ledger';
import { Booking, BookingRequest, Session } from '../src/db/entities';
import { logger } from '../src/logger';
import { DomainError, InvalidRequestError, NotFoundError } from '../src/domain/errors';
import type { CreditNoticeKind, CreditNotifier, Notification, Notifier } from '../src/notifications/notification';
import type { ConfirmedBooking, ReservationService } from '../src/reservation/reservation-service';
import { createSeriesReservation, type SeriesReservation } from '../src/reservation/series-reservation';
import type { SeriesStatus } from '../src/domain/series/series';
import { readSeriesBookings } from '../src/series/series-bookings';
import { seriesOptionsForRequest } from '../src/series/series-options';
import { preferencesOf, rankSlotsForRequest } from '../src/slots/rank-slots';
import { toSlotOption } from '../src/slots/slot-option';
import { pendingRequestRow } from '../src/requests/request-row';
import { createWcScorer } from '../src/scoring/wc';
import type { AvailabilityChange, BookingRequestInput, BookingSummary, SeriesSummary, SessionOutcomeCommand, SlotOption } from '../workflows/contract';

export interface ActivityDeps {
  orm: MikroORM;
  reservations: ReservationService;
  /** Every notifier delivers booking notifications; those that can also reach people about their packs implement `notifyCredits`. */
  notifier: Notifier & Partial<CreditNotifier>;
  /** The credit ledger (issue 13): the outcome's settlement, a pack's expiry; built from `orm` when not given. */
  ledger?: CreditLedger;
  /** Weekly series (issue 12); built from `orm` when not given. */
  series?: SeriesReservation;
  /**
   * Tells the trainer's pending requests that their free time changed (the booking client's
   * `availabilityChanged`); resolves to how many were told. Without it nobody is told.
   */
  announce?: (change: AvailabilityChange) => Promise<number>;
}


function toSummary(booking: ConfirmedBooking): BookingSummary {
  return {
    bookingId: booking.bookingId,
    startTime: booking.startTime.toISOString(),
    endTime: booking.endTime.toISOString(),
    durationMinutes: booking.durationMinutes,
    slotIds: booking.slotIds,
    totalCost: booking.totalCost,
    status: booking.status,
    // Only a booking with ledger entries has these keys, so an unpaid booking's summary stays as it was.
    ...(booking.ledger !== undefined ? { credit: booking.credit ?? null, ledger: booking.ledger } : {}),
  };
}

/** What the pack's workflow and the booking workflow ask to tell people about a pack (the notices are built from the ledger when sent). */
export interface CreditNoticeArgs {
  kind: CreditNoticeKind;
  lotId: number;
  /** Unique per event, e.g. `credit-lot-7/credits.expiring`: a retried delivery is recognised by it. */
  key: string;
  /** credits.expired: how many credits were written off. */
  expired?: number;
  /** The caller's clock (ISO), for the client's total of valid credits. */
  at?: string;
}

/**
 * The one place where domain errors cross into Temporal: a `DomainError` becomes a
 * non-retryable failure whose type is its `code` (src/domain/errors.ts), which the workflow
 * branches on. Anything else (a dropped connection, a timeout) is left to Temporal's retry
 * with backoff.
 */
async function translateErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      const details = error.details();
      throw ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true, ...(details ? { details: [details] } : {}) });
    }
    throw error;
  }
}

/**
 * Every activity the booking workflow calls. Each is idempotent, because Temporal may run
 * one again after a timeout or a worker crash.
 */
export function createActivities({ orm, reservations, notifier, announce, ledger = createCreditLedger(orm), series = createSeriesReservation(orm, undefined, ledger) }: ActivityDeps) {
  return {
    /** Stores the request under its reserved id (once), PENDING until `expiresAt`. */
    async persistRequest(args: { request: BookingRequestInput; expiresAt: string; workflowId: string }): Promise<{ expiresAt: string }> {
      const { request } = args;
      return translateErrors(async () => {
        const em = orm.em.fork();
        const existing = await em.findOne(BookingRequest, request.bookingRequestId);
        if (existing?.status === 'PENDING') {
          // Stored at the door (admitBookingRequest): the workflow's own deadline is the one it keeps.
          await em.nativeUpdate(BookingRequest, { id: existing.id, status: 'PENDING' }, { expiresAt: new Date(args.expiresAt), workflowId: args.workflowId });
          return { expiresAt: args.expiresAt };
        }
        if (existing) return { expiresAt: existing.expiresAt.toISOString() };
        em.create(BookingRequest, pendingRequestRow(request, { expiresAt: new Date(args.expiresAt), workflowId: args.workflowId }));
        try {
          await em.flush();
        } catch (error) {
          // A retry that raced the first attempt: the row is there, which is all we wanted.
          const again = await orm.em.fork().findOne(BookingRequest, request.bookingRequestId);
          if (again) return { expiresAt: again.expiresAt.toISOString() };
          throw new InvalidRequestError(`Booking request ${request.bookingRequestId} could not be stored: ${(error as Error).message}`);
        }
        logger.info({ bookingRequestId: request.bookingRequestId, trainerId: request.trainerId, clientId: request.clientId }, 'Booking request stored (PENDING)');
        return { expiresAt: args.expiresAt };
      });
    },

    /** The best current starts for the request, W_C-ranked; its own holds count as free. */
    async rankOptions(args: { bookingRequestId: number; maxResults: number; holdOwner: string }): Promise<SlotOption[]> {
      return translateErrors(async () => {
        const em = orm.em.fork();
        const request = await em.findOneOrFail(BookingRequest, args.bookingRequestId);
        const ranked = await rankSlotsForRequest(em, args.bookingRequestId, { maxResults: args.maxResults, holdOwner: args.holdOwner });
        return ranked.map((slot) => toSlotOption(slot, request.durationMinutes));
      });
    },

    /**
     * Direct booking: holds the exact slots the client chose for the workflow until
     * `lockedUntil`, and scores that one option for the trainer's message.
     */
    async holdRequestedSlot(args: { bookingRequestId: number; owner: string; lockedUntil: string }): Promise<SlotOption> {
      return translateErrors(async () => {
        const em = orm.em.fork();
        const request = await em.findOneOrFail(BookingRequest, args.bookingRequestId);
        if (!request.startTime) throw new NotFoundError('Requested start of booking request', request.id);
        const held = await reservations.hold({ trainerId: request.trainer.id, startTime: request.startTime, durationMinutes: request.durationMinutes, owner: args.owner, lockedUntil: new Date(args.lockedUntil) });
        const score = createWcScorer(preferencesOf(request, request.timeZone), request.durationMinutes, request.timeZone).score(request.startTime.getTime());
        return toSlotOption({ slotId: held.slotIds[0]!, slotStart: request.startTime, consecutiveSlotIds: held.slotIds, score }, request.durationMinutes);
      });
    },

    async releaseHolds(args: { owner: string }): Promise<number> {
      return reservations.release(args.owner);
    },

    async confirmReservation(args: { bookingRequestId: number; slotStart: string; holdOwner: string; notes?: string }): Promise<BookingSummary> {
      return translateErrors(async () =>
        toSummary(await reservations.confirm({ bookingRequestId: args.bookingRequestId, startTime: new Date(args.slotStart), holdOwner: args.holdOwner, notes: args.notes })),
      );
    },

    /**
     * A series request's weekly times (src/series/series-options.ts): each with its first
     * session's score and how many of its sessions are free; its own holds count as free.
     */
    async seriesOptions(args: { bookingRequestId: number; maxResults: number; holdOwner: string }): Promise<SlotOption[]> {
      return translateErrors(async () => seriesOptionsForRequest(orm.em.fork(), args.bookingRequestId, { maxResults: args.maxResults, holdOwner: args.holdOwner }));
    },

    /**
     * Books the weekly time `option` (a series option) in one transaction: every session
     * (ALL_OR_NOTHING) or the free ones (AVAILABLE_ONLY), else a SeriesConflict failure with
     * each date that could not be booked (nothing written). A retry returns the series made.
     */
    async confirmSeries(args: { bookingRequestId: number; option: SlotOption; holdOwner: string; notes?: string }): Promise<SeriesSummary> {
      return translateErrors(async () => {
        const detail = args.option.series;
        if (!detail) throw new InvalidRequestError(`The option at ${args.option.slotStart} is not a weekly time of a series.`);
        const em = orm.em.fork();
        const request = await em.findOne(BookingRequest, args.bookingRequestId);
        if (!request) throw new NotFoundError('Booking request', args.bookingRequestId);
        const confirmed = await series.confirmSeries({
          bookingRequestId: request.id,
          clientId: request.client.id,
          trainerId: request.trainer.id,
          occurrences: detail.occurrences.filter((o) => o.state !== 'nonexistent').map((o) => new Date(o.start)),
          durationMinutes: request.durationMinutes,
          rrule: detail.rrule,
          timeZone: detail.timeZone,
          conflictMode: detail.conflictMode,
          holdOwner: args.holdOwner,
          ...(args.notes !== undefined ? { notes: args.notes } : {}),
        });
        const skipped = [
          ...confirmed.skipped.map((s) => ({ start: s.start.toISOString(), code: s.code, reason: s.reason })),
          ...detail.occurrences.filter((o) => o.state === 'nonexistent').map((o) => ({ start: o.start, code: 'nonexistent', reason: o.reason ?? '' })),
        ].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
        return {
          seriesId: confirmed.seriesId,
          status: confirmed.status,
          conflictMode: confirmed.conflictMode,
          rrule: detail.rrule,
          timeZone: detail.timeZone,
          booked: await readSeriesBookings(em, confirmed.seriesId),
          skipped,
        };
      });
    },

    /**
     * "This and all following": cancels the occurrence `fromBookingId` (at its current start)
     * and every later active one not yet started, in one transaction (`late`: a client's
     * cancel, each occurrence inside the cutoff LATE_CANCELLED). Answers with the series'
     * status and every booking of it as it is now; cancelling again changes nothing.
     */
    async cancelSeriesFrom(args: { seriesId: number; fromBookingId: number; late?: boolean; reason?: string; lateCancelConsumes?: boolean }): Promise<{ status: SeriesStatus; booked: BookingSummary[]; cancelledIds?: number[] }> {
      return translateErrors(async () => {
        const em = orm.em.fork();
        const [from] = await em.getConnection().execute<{ start_time: Date | string }[]>('select start_time from booking where id = ? and series_id = ?', [args.fromBookingId, args.seriesId]);
        if (!from) throw new NotFoundError(`Booking of series ${args.seriesId}`, args.fromBookingId);
        const result = await series.cancelSeriesFrom(args.seriesId, new Date(from.start_time), {
          late: args.late === true,
          ...(args.reason !== undefined ? { reason: args.reason } : {}),
          ...(args.lateCancelConsumes !== undefined ? { lateCancelConsumes: args.lateCancelConsumes } : {}),
        });
        // `cancelledIds`: what THIS call cancelled (empty on a retry after the first attempt committed).
        return { status: result.status, booked: await readSeriesBookings(em, args.seriesId), cancelledIds: result.cancelled.map((c) => c.bookingId) };
      });
    },

    /** Closes a PENDING request as REJECTED, EXPIRED or WITHDRAWN; a closed request is left as it is. */
    async closeRequest(args: { bookingRequestId: number; status: 'REJECTED' | 'EXPIRED' | 'WITHDRAWN'; reason?: string }): Promise<void> {
      const changed = await orm.em
        .fork()
        .nativeUpdate(BookingRequest, { id: args.bookingRequestId, status: 'PENDING' }, { status: args.status, rejectionReason: args.reason ?? null, updatedAt: new Date() });
      if (changed > 0) logger.info({ bookingRequestId: args.bookingRequestId, status: args.status, reason: args.reason }, `Booking request ${args.bookingRequestId} ${args.status.toLowerCase()}`);
    },

    /**
     * `late`: a client's cancel inside the policy's cutoff, recorded as LATE_CANCELLED; its
     * credit is used or given back per `lateCancelConsumes` (the policy the client agreed to).
     * Any other cancel gives the credit back. Both in the cancel's transaction.
     */
    async cancelBooking(args: { bookingId: number; reason?: string; late?: boolean; lateCancelConsumes?: boolean }): Promise<BookingSummary> {
      return translateErrors(async () =>
        toSummary(
          await reservations.cancel({ bookingId: args.bookingId, reason: args.reason, late: args.late === true, ...(args.lateCancelConsumes !== undefined ? { lateCancelConsumes: args.lateCancelConsumes } : {}) }),
        ),
      );
    },

    async rescheduleBooking(args: { bookingId: number; newStartTime: string; holdOwner: string }): Promise<BookingSummary> {
      return translateErrors(async () => toSummary(await reservations.reschedule({ bookingId: args.bookingId, newStartTime: new Date(args.newStartTime), holdOwner: args.holdOwner })));
    },

    /**
     * Records how the session went (completed or no-show) with its ratings, and uses the
     * booking's credit (CONSUME) in the same transaction. Idempotent: a retry finds the credit
     * used already (the ledger's one settlement per booking) and writes nothing.
     */
    async recordSessionOutcome(args: { bookingId: number } & SessionOutcomeCommand): Promise<BookingSummary> {
      return translateErrors(async () =>
        orm.em.fork().transactional(async (tx) => {
          const booking = await tx.findOne(Booking, args.bookingId);
          if (!booking) throw new NotFoundError('Booking', args.bookingId);
          booking.status = args.outcome;
          const sessions = await tx.find(Session, { booking: booking.id });
          for (const session of sessions) {
            session.status = args.outcome;
            session.clientRating = args.clientRating ?? session.clientRating ?? null;
            session.trainerRating = args.trainerRating ?? session.trainerRating ?? null;
            session.trainerNotes = args.notes ?? session.trainerNotes ?? null;
            if (args.outcome === 'COMPLETED') {
              session.actualStartTime ??= booking.startTime;
              session.actualEndTime ??= booking.endTime;
            }
          }
          await ledger.settleBooking(tx, { bookingId: booking.id, outcome: 'consume', note: args.outcome === 'COMPLETED' ? 'completed' : 'no-show' });
          const slotIds = (await tx.execute<{ id: number }[]>('select id from time_slot where booking_id = ? order by start_time', [booking.id])).map((row) => row.id);
          const credit = await readBookingCredit(tx, booking.id);
          logger.info({ bookingId: booking.id, outcome: args.outcome }, `Session outcome recorded for booking ${booking.id}`);
          return {
            bookingId: booking.id,
            startTime: booking.startTime.toISOString(),
            endTime: booking.endTime.toISOString(),
            durationMinutes: booking.durationMinutes,
            slotIds,
            totalCost: Number(booking.totalCost),
            status: args.outcome,
            ...(credit.ledger !== undefined ? { credit: credit.credit ?? null, ledger: credit.ledger } : {}),
          };
        }),
      );
    },

    /**
     * The outcome window closed with nothing recorded: the session's time was kept for the
     * client, so its credit is used (CONSUME, noted "outcome not recorded"). Idempotent, and a
     * no-op for a booking that holds no credit or was settled already. Answers its ledger.
     */
    async settleUnrecordedOutcome(args: { bookingId: number }): Promise<Pick<BookingSummary, 'credit' | 'ledger'>> {
      return translateErrors(async () =>
        orm.em.fork().transactional(async (tx) => {
          await ledger.settleBooking(tx, { bookingId: args.bookingId, outcome: 'consume', note: 'outcome not recorded' });
          const credit = await readBookingCredit(tx, args.bookingId);
          return credit.ledger !== undefined ? { credit: credit.credit ?? null, ledger: credit.ledger } : {};
        }),
      );
    },

    async notify(notification: Notification): Promise<void> {
      await notifier.notify(notification);
    },

    /**
     * Tells people about a pack (issue 13): the notices are built from the ledger now (one
     * per reader, src/credits/credit-notices.ts) and delivered by every notifier that can
     * reach people outside a booking request. Resolves to how many notices were built.
     */
    async notifyCredits(args: CreditNoticeArgs): Promise<number> {
      const notices = await buildCreditNotices(orm.em.fork(), { kind: args.kind, lotId: args.lotId, key: args.key, ...(args.expired !== undefined ? { expired: args.expired } : {}), ...(args.at ? { now: new Date(args.at) } : {}) });
      if (!notifier.notifyCredits) {
        logger.info({ key: args.key, kind: args.kind }, 'no notifier reaches people about their packs; credit notice not sent');
        return notices.length;
      }
      for (const notice of notices) await notifier.notifyCredits(notice);
      return notices.length;
    },

    /** A pack as its workflow needs it: credits left in it and its end of validity; null when the lot does not exist. */
    async creditLotStatus(args: { lotId: number }): Promise<{ available: number; expiresAt: string } | null> {
      const [lot] = await orm.em.fork().execute<{ available: number; expires_at: Date | string }[]>('select available, expires_at from credit_lot where id = ?', [args.lotId]);
      return lot ? { available: lot.available, expiresAt: new Date(lot.expires_at).toISOString() } : null;
    },

    /**
     * Writes off what is left of one pack past its end (the ledger's `expireLots` for that
     * lot, as of `asOf`, the workflow's clock). Idempotent: a second run finds nothing left.
     */
    async expireCreditLot(args: { lotId: number; asOf: string }): Promise<{ credits: number }> {
      return translateErrors(async () => ({ credits: (await ledger.expireLots(new Date(args.asOf), { lotId: args.lotId })).credits }));
    },

    /**
     * A cancel freed the booking's slots: the trainer's other pending requests re-rank. Never
     * fails (a request re-ranks on its own at its next decision anyway); resolves to how many
     * requests were told, 0 when there is nobody to tell or no way to tell them.
     */
    async announceFreedTime(args: { trainerId: number; bookingRequestId: number }): Promise<number> {
      if (!announce) return 0;
      try {
        const told = await announce({ trainerId: args.trainerId, reason: 'freed' });
        logger.info({ ...args, told }, 'pending requests told that a cancel freed time');
        return told;
      } catch (error) {
        logger.warn({ err: error, ...args }, 'pending requests could not be told that a cancel freed time');
        return 0;
      }
    },
  };
}

export type BookingActivities = ReturnType<typeof createActivities>;
/** What the workflow tells people and other requests; a failure here must never hold up the booking. */
export type NotificationActivities = Pick<BookingActivities, 'notify' | 'announceFreedTime' | 'notifyCredits'>;
/** Everything else: the database work, retried until it succeeds or a domain outcome says no. */
export type DatabaseActivities = Omit<BookingActivities, keyof NotificationActivities>;
