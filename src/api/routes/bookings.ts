import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Booking } from '../../db/entities';
import type { CancelSeriesOutcome, ChangeOutcome } from '../../../workflows/contract';
import { assertParty, ownershipFilter } from '../auth/access';
import { actorOf } from '../auth/caller';
import type { ApiDeps } from '../deps';
import { ApiError, invalidField, notFound } from '../errors';
import type { BookingTarget, Refused } from '../../temporal/booking-client';
import { refusalError } from '../refusals';
import { bookingChangeResponseSchema, bookingConflictSchema, bookingSchema, cancelBodySchema, listBookingsQuerySchema, rescheduleBodySchema } from '../schemas/bookings';
import { authErrorResponses, errorSchema, idParamsSchema } from '../schemas/common';
import { bookingViews, bookingViewWithCredit } from '../views/booking-credits';

const TAG = ['Bookings'];

const idempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z.string().min(1).max(200).optional().describe('Makes a retried call the same operation: it is applied once and answered alike'),
});

/** The workflow that owns a booking: its request's, or for a session of a series its occurrence's. */
export const targetOf = (row: Booking): Exclude<BookingTarget, number> => ({ bookingRequestId: row.bookingRequest.id, bookingId: row.id, seriesId: row.series?.id ?? null });

export const bookingRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm, bookings }, done) => {
  async function loadBooking(id: number): Promise<Booking> {
    const row = await orm.em.fork().findOne(Booking, id, { populate: ['timeSlots'] });
    if (!row) throw notFound('Booking', id);
    return row;
  }

  /** A booking as the API shows it, with the pack credit that pays for it. */
  const bookingView = (row: Booking) => bookingViewWithCredit(orm.em.fork(), row);

  /** "This and all following" of a series, through the series request's workflow: the cancelled sessions. */
  async function cancelFollowing(row: Booking, run: () => Promise<CancelSeriesOutcome | Refused>): Promise<{ duplicate: boolean; cancelledIds: number[] }> {
    let outcome: CancelSeriesOutcome | Refused;
    try {
      outcome = await run();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'booking_not_active', `The series of booking ${row.id} can no longer be changed: its workflow has finished.`);
      throw error;
    }
    if (outcome.result === 'refused') {
      const booking = await bookingView(row);
      throw refusalError(outcome, () => new ApiError(409, 'booking_not_active', outcome.message, { booking }), { booking });
    }
    if (outcome.result === 'conflict') {
      const booking = await bookingView(await loadBooking(row.id));
      throw outcome.code ? new ApiError(422, outcome.code, outcome.message, { field: 'scope', booking }) : new ApiError(409, 'booking_not_active', outcome.message, { booking });
    }
    return { duplicate: outcome.duplicate, cancelledIds: outcome.cancelled.map((b) => b.bookingId) };
  }

  /** Runs a cancel/reschedule Update; a booking whose workflow has finished can no longer change. */
  async function change(booking: Booking, run: () => Promise<ChangeOutcome | Refused>, field?: string): Promise<ChangeOutcome> {
    let outcome: ChangeOutcome | Refused;
    try {
      outcome = await run();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'booking_not_active', `Booking ${booking.id} can no longer be changed: its workflow has finished.`);
      throw error;
    }
    if (outcome.result === 'refused') throw refusalError(outcome, () => new ApiError(409, 'booking_not_active', outcome.message));
    // Refused by the policy after the validator (the reservation's own check at its clock, or the cancel judged
    // again): 422 naming the rule, with the booking as it stays.
    if (outcome.result === 'conflict' && outcome.code) {
      throw new ApiError(422, outcome.code, outcome.message, { ...(field ? { field } : {}), booking: await bookingView(await loadBooking(booking.id)) });
    }
    return outcome;
  }

  app.get('/bookings/', {
    schema: {
      tags: TAG,
      summary: "List bookings: a client's own, a trainer's, or all for an admin",
      querystring: listBookingsQuerySchema,
      response: { 200: z.array(bookingSchema), ...authErrorResponses },
    },
    handler: async (request) => {
      const { status, limit, offset } = request.query;
      const rows = await orm.em
        .fork()
        .find(Booking, { ...ownershipFilter(request.caller), ...(status ? { status } : {}) }, { populate: ['timeSlots'], orderBy: { startTime: 'asc', id: 'asc' }, limit, offset });
      return bookingViews(orm.em.fork(), rows);
    },
  });

  app.get('/bookings/:id', {
    schema: {
      tags: TAG,
      summary: 'One booking',
      params: idParamsSchema,
      response: { 200: bookingSchema, 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadBooking(request.params.id);
      assertParty(request.caller, { clientId: row.client.id, trainerId: row.trainer.id }, 'bookings');
      return bookingView(row);
    },
  });

  app.post('/bookings/:id/cancel', {
    schema: {
      tags: TAG,
      summary: 'Cancel a confirmed booking (client, trainer or admin); its slots become free again',
      description:
        "A client's cancel inside the trainer's cutoff is recorded as a late cancellation (status LATE_CANCELLED). " +
        "Once the session has started a client can no longer cancel: 422 with error `policy_started` and the trainer's sentence. Trainers and admins may cancel any time before the start. " +
        'A session of a weekly series (`series_id`) is cancelled alone by default (`scope: "this"`); `scope: "this_and_following"` cancels it and every later session not yet started in one transaction, ' +
        'answered with them in `cancelled` (a client\'s inside the cutoff become LATE_CANCELLED each). `this_and_following` on a booking outside a series is 422 naming `scope`.',
      params: idParamsSchema,
      headers: idempotencyHeadersSchema,
      body: cancelBodySchema,
      response: { 200: bookingChangeResponseSchema, 404: errorSchema, 409: bookingConflictSchema, 422: bookingConflictSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadBooking(request.params.id);
      assertParty(request.caller, { clientId: row.client.id, trainerId: row.trainer.id }, 'bookings');
      const reason = request.body?.reason;
      const scope = request.body?.scope ?? 'this';
      if (scope === 'this_and_following' && !row.series) {
        throw invalidField('scope', `booking ${row.id} is not a session of a weekly series, so it has no following sessions; leave scope out (or send "this")`);
      }
      // "This and following" from a session already cancelled or held still cancels the later ones.
      if (scope === 'this' && row.status !== 'CONFIRMED' && row.status !== 'CANCELLED') {
        throw new ApiError(409, 'booking_not_active', `Booking ${row.id} is ${row.status.toLowerCase()}, so it can no longer be cancelled.`, { booking: await bookingView(row) });
      }
      if (scope === 'this_and_following') {
        const { duplicate, cancelledIds } = await cancelFollowing(row, () =>
          bookings.cancelSeries(row.bookingRequest.id, { actor: actorOf(request.caller), fromBookingId: row.id, ...(reason ? { reason } : {}) }, request.headers['idempotency-key']),
        );
        const em = orm.em.fork();
        const cancelled = cancelledIds.length > 0 ? await em.find(Booking, { id: { $in: cancelledIds } }, { populate: ['timeSlots'], orderBy: { startTime: 'asc', id: 'asc' } }) : [];
        return {
          message: duplicate || cancelled.length === 0 ? 'These sessions were already cancelled' : `${cancelled.length} session${cancelled.length === 1 ? '' : 's'} of the series cancelled`,
          booking: await bookingView(await loadBooking(row.id)),
          cancelled: await bookingViews(em, cancelled),
        };
      }
      const outcome = await change(row, () => bookings.cancel(targetOf(row), { actor: actorOf(request.caller), ...(reason ? { reason } : {}) }, request.headers['idempotency-key']));
      return { message: outcome.result === 'done' && outcome.duplicate ? 'Booking was already cancelled' : 'Booking cancelled', booking: await bookingView(await loadBooking(row.id)) };
    },
  });

  app.post('/bookings/:id/reschedule', {
    schema: {
      tags: TAG,
      summary: 'Move a confirmed booking to a new start; on a conflict the booking stays as it was',
      description:
        "Refused by the trainer's policy with 422 naming the rule: `policy_started` (the session has begun), `policy_cutoff_reschedule` (a client, inside the cutoff), " +
        '`policy_min_notice` or `policy_horizon` (the new start), `policy_buffer` or `policy_client_overlap`; a session paid with a pack credit cannot move past the pack\'s end: 422 `credit_expires`. A slot taken meanwhile is 409 `slots_unavailable`.',
      params: idParamsSchema,
      headers: idempotencyHeadersSchema,
      body: rescheduleBodySchema,
      response: { 200: bookingChangeResponseSchema, 404: errorSchema, 409: bookingConflictSchema, 422: bookingConflictSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadBooking(request.params.id);
      assertParty(request.caller, { clientId: row.client.id, trainerId: row.trainer.id }, 'bookings');
      const start = Date.parse(request.body.new_start_time);
      if (start <= Date.now()) throw invalidField('new_start_time', 'must be in the future');
      if (start === row.startTime.getTime()) throw invalidField('new_start_time', 'the booking already starts then');
      if (row.status !== 'CONFIRMED') {
        throw new ApiError(409, 'booking_not_active', `Booking ${row.id} is ${row.status.toLowerCase()}, so it can no longer be rescheduled.`, { booking: await bookingView(row) });
      }
      const outcome = await change(row, () =>
        bookings.reschedule(targetOf(row), { actor: actorOf(request.caller), newStartTime: new Date(start).toISOString() }, request.headers['idempotency-key']),
        'new_start_time',
      );
      const current = await bookingView(await loadBooking(row.id));
      if (outcome.result === 'conflict') throw new ApiError(409, 'slots_unavailable', outcome.message, { field: 'new_start_time', booking: current });
      return { message: 'Booking rescheduled', booking: current };
    },
  });
  done();
};
