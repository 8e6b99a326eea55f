import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BookingRequest, BookingSeries, Trainer } from '../../db/entities';
import { ERROR_CODES } from '../../domain/errors';
import { PolicyRefusalError } from '../../domain/policy/errors';
import { policyWording } from '../../domain/policy/wording';
import { loadPolicy } from '../../policy/policy-store';
import { RequestValidationError, type NewBookingRequest } from '../../requests/new-request';
import { SLOTS_UNAVAILABLE_MESSAGE } from '../../reservation/errors';
import { seriesAvailability } from '../../reservation/series-reservation';
import { InvalidRecurrenceError } from '../../series/recurrence';
import { rankSlotsForRequest } from '../../slots/rank-slots';
import type { BookingState, DecisionOutcome, SlotOption } from '../../../workflows/contract';
import { workflowIdFor } from '../../temporal/workflow-ids';
import { assertMayWithdraw, assertParty, assertTrainerOf, ownershipFilter } from '../auth/access';
import { actorOf } from '../auth/caller';
import type { Caller } from '../auth/caller';
import type { ApiDeps } from '../deps';
import { apiFieldOf, ApiError, forbidden, invalidField, notFound } from '../errors';
import { refusalError } from '../refusals';
import {
  approvalResponseSchema,
  approveBodySchema,
  bookingRequestDetailSchema,
  bookingRequestSchema,
  createBookingRequestBodySchema,
  listBookingRequestsQuerySchema,
  slotConflictSchema,
  withdrawBodySchema,
  type CreateBookingRequestBody,
} from '../schemas/booking-requests';
import { authErrorResponses, errorSchema, idParamsSchema } from '../schemas/common';
import { scoredSlotsQuerySchema, scoredSlotsResponseSchema } from '../schemas/scored-slots';
import { classifyStart } from '../../slots/availability';
import { domainConflictMode } from '../schemas/booking-series';
import { loadBookingCredits } from '../views/booking-credits';
import { bookingRequestView, rruleFromState, workflowStateView } from '../views/booking-request-view';
import { bookingCreditView } from '../views/credit-views';
import { scoredSlotFromOption, scoredSlotFromRanked } from '../views/scored-slot-view';
import { apiSkipCode } from '../views/series-view';
import { loadSeriesView } from './booking-series';

const MINUTE_MS = 60_000;
const TAG = ['Booking requests'];

/** The Idempotency-Key header: a retried call with the same key is the same Update. */
const idempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z.string().min(1).max(200).optional().describe('Makes a retried call the same operation: it is applied once and answered alike'),
});

const acceptedSchema = z.object({ id: z.number().int(), workflow_id: z.string(), status: z.literal('PENDING'), message: z.string() });

function clientFor(caller: Caller, body: CreateBookingRequestBody): number {
  if (caller.role === 'ADMIN') {
    if (body.client_id === undefined) throw invalidField('client_id', 'required when an admin creates a request');
    return body.client_id;
  }
  if (caller.role !== 'CLIENT' || caller.userId === null) throw forbidden('Only clients (or an admin on their behalf) can create booking requests.');
  if (body.client_id !== undefined && body.client_id !== caller.userId) throw forbidden('Clients can create booking requests only for themselves.');
  return caller.userId;
}

function durationOf(body: CreateBookingRequestBody): number {
  if (body.duration_minutes !== undefined) return body.duration_minutes;
  return (Date.parse(body.end_time!) - Date.parse(body.start_time!)) / MINUTE_MS;
}

function toNewRequest(body: CreateBookingRequestBody, clientId: number): NewBookingRequest {
  const flexible = body.preferred_start_date !== undefined;
  return {
    clientId,
    trainerId: body.trainer_id,
    sessionType: body.session_type,
    durationMinutes: durationOf(body),
    location: body.location ?? null,
    ...(body.location_type ? { locationType: body.location_type } : {}),
    specialRequests: body.special_requests ?? null,
    startTime: body.start_time ?? null,
    preferences: flexible
      ? {
          preferredStartDate: body.preferred_start_date!,
          preferredEndDate: body.preferred_end_date!,
          preferredTimes: body.preferred_times ?? [],
          avoidTimes: body.avoid_times ?? [],
          allowWeekends: body.allow_weekends ?? false,
          allowEvenings: body.allow_evenings ?? false,
        }
      : null,
    timeZone: body.time_zone ?? null,
    recurrence: body.recurrence
      ? {
          frequency: body.recurrence.frequency,
          interval: body.recurrence.interval,
          weekdays: body.recurrence.weekdays ?? [],
          count: body.recurrence.count ?? null,
          until: body.recurrence.until ?? null,
          conflictMode: domainConflictMode(body.recurrence.conflict_mode),
        }
      : null,
  };
}

/**
 * A recurrence problem's field (src/series/recurrence.ts names them bare, in snake_case)
 * as this request spells it: the series' first day and local time come from `start_time`
 * (direct) or the preferred dates (flexible); the rest are fields of `recurrence`.
 */
function recurrenceFieldOf(field: string, body: CreateBookingRequestBody): string {
  if (field.startsWith('recurrence')) return apiFieldOf(field);
  if (field === 'time_zone') return 'time_zone';
  if (field === 'start_time' || field === 'first_date') return body.start_time !== undefined ? 'start_time' : 'preferred_start_date';
  return `recurrence.${field}`;
}

/** Starts the request's workflow; what the request's preparation refuses becomes a 422 naming the field as the API spells it. */
async function startOrExplain(deps: ApiDeps, body: CreateBookingRequestBody, clientId: number) {
  try {
    return await deps.bookings.startRequest(toNewRequest(body, clientId));
  } catch (error) {
    if (error instanceof RequestValidationError) throw invalidField(apiFieldOf(error.field), error.message);
    if (error instanceof InvalidRecurrenceError) {
      const [first] = error.problems;
      throw invalidField(recurrenceFieldOf(first?.field ?? 'recurrence', body), first?.sentence ?? error.message);
    }
    if (error instanceof PolicyRefusalError && error.field !== undefined && error.field !== apiFieldOf(error.field)) {
      throw new PolicyRefusalError({ ...error.refusal, field: apiFieldOf(error.field) });
    }
    throw error;
  }
}

/** The workflow has stored the request and worked out the trainer's options (or closed it). */
function settled(state: BookingState): boolean {
  if (state.expiresAt === null) return false;
  return state.status !== 'PENDING' || state.optionsReady;
}

async function waitUntilSettled(deps: ApiDeps, bookingRequestId: number): Promise<BookingState | null> {
  const deadline = Date.now() + (deps.startWaitMs ?? 15_000);
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      const state = await deps.bookings.state(bookingRequestId);
      if (settled(state)) return state;
    } catch {
      // The first workflow task has not run yet: the query has nothing to answer from.
    }
    if (Date.now() + delay > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * The dates a series could not be booked on: as the workflow reports them, else the sessions
 * of the approved weekly time that cannot be booked now (taken, or outside the trainer's
 * policy), looked up after the failed reservation. A date refused for the client's own
 * calendar or limits is named only in the message then.
 */
async function skippedOf(deps: ApiDeps, row: BookingRequest, outcome: Extract<DecisionOutcome, { result: 'conflict' }>, chosen: SlotOption | undefined) {
  if (outcome.skipped) return outcome.skipped.map((s) => ({ start_time: new Date(s.start).toISOString(), code: apiSkipCode(s.code), reason: s.reason }));
  const sessions = (chosen?.series?.occurrences ?? []).filter((o) => o.state !== 'nonexistent').map((o) => new Date(o.start));
  if (sessions.length === 0) return [];
  const now = await seriesAvailability(deps.orm.em.fork(), row.trainer.id, sessions, row.durationMinutes, { holdOwner: workflowIdFor(row.id) });
  return now.flatMap((session) =>
    session.state === 'free' ? [] : [{ start_time: session.start.toISOString(), code: session.state === 'taken' ? 'slots_unavailable' : session.code, reason: session.reason }],
  );
}

/** A series the workflow refused as a whole (all or nothing: one date could not be booked; available only: none could). */
const isSeriesConflict = (outcome: Extract<DecisionOutcome, { result: 'conflict' }>, isSeries: boolean): boolean =>
  outcome.code === ERROR_CODES.seriesConflict || outcome.skipped !== undefined || (isSeries && outcome.code === undefined);

/** The seed's answers to an approval: 200 with the confirmation, 409 on a conflict. */
async function answerDecision(deps: ApiDeps, row: BookingRequest, outcome: DecisionOutcome, chosen?: SlotOption) {
  const bookingRequestId = row.id;
  switch (outcome.result) {
    case 'approved': {
      const series = outcome.series;
      const seriesRow = series ? await deps.orm.em.fork().findOne(BookingSeries, series.seriesId) : null;
      const bookingId = outcome.booking.bookingId;
      // The workflow's summary names the credit once approval reserves it; else (an older workflow) the ledger's RESERVE does.
      const credit = outcome.booking.credit !== undefined ? outcome.booking.credit : (await loadBookingCredits(deps.orm.em.fork(), [bookingId])).get(bookingId);
      return {
        booking_id: outcome.booking.bookingId,
        booking_request_id: bookingRequestId,
        status: 'confirmed' as const,
        message: series ? `Series approved: ${series.booked.length} sessions confirmed${series.skipped.length > 0 ? `, ${series.skipped.length} skipped` : ''}` : 'Booking approved and confirmed',
        confirmed_time: outcome.booking.startTime,
        slots_booked: series ? series.booked.reduce((sum, booking) => sum + booking.slotIds.length, 0) : outcome.booking.slotIds.length,
        credit: bookingCreditView(credit),
        ...(seriesRow ? { series: await loadSeriesView(deps.orm.em.fork(), seriesRow, series!.skipped) } : {}),
      };
    }
    case 'rejected':
      return { booking_request_id: bookingRequestId, status: 'rejected' as const, message: 'Booking request rejected', rejection_reason: outcome.reason };
    case 'conflict':
      if (isSeriesConflict(outcome, row.recurrence !== null && row.recurrence !== undefined)) {
        throw new ApiError(409, 'series_conflict', outcome.message, { skipped: await skippedOf(deps, row, outcome, chosen), options: outcome.options.map(scoredSlotFromOption) });
      }
      // Refused by the trainer's policy at approval (the option became too close, or breaks the buffers): 422 naming the rule.
      if (outcome.code) throw new ApiError(422, outcome.code, outcome.message, { options: outcome.options.map(scoredSlotFromOption) });
      throw new ApiError(409, 'slots_unavailable', outcome.message, { options: outcome.options.map(scoredSlotFromOption) });
    case 'closed':
      throw new ApiError(409, 'request_not_pending', `This request is already ${outcome.status.toLowerCase()}.`);
  }
}

export const bookingRequestRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, deps, done) => {
  const { orm, bookings } = deps;

  async function loadRequest(id: number): Promise<BookingRequest> {
    const row = await orm.em.fork().findOne(BookingRequest, id);
    if (!row) throw notFound('Booking request', id);
    return row;
  }

  /** A direct start too close to another session for the trainer's buffers: the policy's 422 with its sentence. */
  async function bufferRefusal(trainerId: number): Promise<PolicyRefusalError> {
    const em = orm.em.fork();
    const trainer = await em.findOne(Trainer, trainerId, { populate: ['user'] });
    return new PolicyRefusalError({ code: 'policy_buffer', sentence: policyWording.buffer(await loadPolicy(em, trainerId), trainer?.user.fullName), field: 'start_time' });
  }

  app.post('/booking-requests/', {
    schema: {
      tags: TAG,
      summary: 'Create a booking request (direct or flexible) and start its workflow',
      description:
        "The client's limits of the trainer's policy are checked first, under a lock per client, so concurrent requests cannot exceed them together: " +
        '422 `policy_limit_pair` (pending requests with this trainer), `policy_limit_pending` (pending requests in all) or `policy_limit_upcoming` (upcoming bookings), ' +
        'and for a direct request `policy_min_notice`, `policy_horizon` or `policy_buffer` (too close to another session for the buffers); `message` is the sentence to show. ' +
        "When the trainer asks for a credit to request (`credit_to_request`), a client without one that covers the session gets 422 `credit_none` naming the trainer's packs and prices, with `needed` and `available`. " +
        'A refused request leaves nothing behind. A taken start is 409 `slots_unavailable`.',
      body: createBookingRequestBodySchema,
      response: { 201: bookingRequestSchema, 202: acceptedSchema, 409: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const clientId = clientFor(request.caller, body);
      const em = orm.em.fork();
      // A series that books its free dates only is not refused for its first date; an all-or-nothing one is when it is
      // taken. Whether the trainer publishes its times at all is the series' own check (prepareBookingRequest, naming the field).
      if (body.start_time && body.recurrence?.conflict_mode !== 'available_only') {
        const durationMinutes = durationOf(body);
        const availability = await classifyStart(em, { trainerId: body.trainer_id, start: new Date(body.start_time), durationMinutes });
        if (availability === 'taken') throw new ApiError(409, 'slots_unavailable', SLOTS_UNAVAILABLE_MESSAGE, { field: 'start_time' });
        if (availability === 'buffer') throw await bufferRefusal(body.trainer_id);
        if (availability === 'unpublished' && !body.recurrence) {
          throw invalidField('start_time', `trainer ${body.trainer_id} has no ${durationMinutes} minutes of back-to-back free slots starting at ${new Date(body.start_time).toISOString()}; see GET /time-slots/trainer/${body.trainer_id}/available`);
        }
      }
      const started = await startOrExplain(deps, body, clientId);
      const id = started.bookingRequestId;
      const state = await waitUntilSettled(deps, id);
      if (!state) {
        return reply.code(202).send({ id, workflow_id: started.workflowId, status: 'PENDING', message: 'The request was accepted; its workflow has not stored it yet. Check GET /booking-requests/{id}.' });
      }
      if (state.mode === 'direct' && state.status === 'REJECTED') {
        throw new ApiError(409, 'slots_unavailable', `${SLOTS_UNAVAILABLE_MESSAGE} (booking request ${id} was closed as rejected).`, { field: 'start_time' });
      }
      return reply.code(201).send(bookingRequestView(await loadRequest(id), rruleFromState(state)));
    },
  });

  app.get('/booking-requests/', {
    schema: {
      tags: TAG,
      summary: "List booking requests: a client's own, a trainer's incoming, or all for an admin",
      querystring: listBookingRequestsQuerySchema,
      response: { 200: z.array(bookingRequestSchema), ...authErrorResponses },
    },
    handler: async (request) => {
      const { status, limit, offset } = request.query;
      const em = orm.em.fork();
      const rows = await em.find(BookingRequest, { ...ownershipFilter(request.caller), ...(status ? { status } : {}) }, { orderBy: { id: 'desc' }, limit, offset });
      // A series request's rule is known here once its series is confirmed (the list does not ask each workflow).
      const seriesIds = rows.filter((row) => row.recurrence).map((row) => row.id);
      const series = seriesIds.length > 0 ? await em.find(BookingSeries, { bookingRequest: { $in: seriesIds } }) : [];
      const rules = new Map(series.map((s) => [s.bookingRequest.id, s.rrule]));
      return rows.map((row) => bookingRequestView(row, rules.get(row.id) ?? null));
    },
  });

  app.get('/booking-requests/:id', {
    schema: {
      tags: TAG,
      summary: 'A booking request, with its live workflow state',
      params: idParamsSchema,
      response: { 200: bookingRequestDetailSchema, 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadRequest(request.params.id);
      assertParty(request.caller, { clientId: row.client.id, trainerId: row.trainer.id }, 'booking requests');
      let state: BookingState | null = null;
      try {
        state = await bookings.state(row.id);
      } catch (error) {
        request.log.warn({ err: error, bookingRequestId: row.id }, 'workflow state unavailable');
      }
      const em = orm.em.fork();
      const seriesRow = row.recurrence ? await em.findOne(BookingSeries, { bookingRequest: row.id }) : null;
      const series = seriesRow ? await loadSeriesView(em, seriesRow, state?.series?.skipped ?? null) : null;
      const rrule = seriesRow?.rrule ?? (state ? rruleFromState(state) : null);
      return { ...bookingRequestView(row, rrule), workflow: state ? workflowStateView(state) : null, series };
    },
  });

  app.put('/booking-requests/:id/approve', {
    schema: {
      tags: TAG,
      summary: 'Approve (on one of the offered slots) or reject a booking request',
      description:
        'Only the offered options (GET /booking-requests/{id} `workflow.options`, or the trainer\'s notification) can be approved: `confirmed_date` must equal one of their `slot_start`s. ' +
        'A slot that was taken meanwhile answers 409 with the seed\'s message and the options that are free now; an option the trainer\'s policy no longer allows ' +
        '(it has come inside the notice, or breaks the buffers or the client\'s limits) answers 422 naming the rule (e.g. `policy_min_notice`) with its sentence and the fresh options. ' +
        "Approval reserves one of the client's pack credits when they have one that fits (`credit` in the confirmation); when the trainer requires one and there is none, 422 `credit_none` with the trainer's sentence, and the request keeps waiting.",
      params: idParamsSchema,
      headers: idempotencyHeadersSchema,
      body: approveBodySchema,
      response: { 200: approvalResponseSchema, 404: errorSchema, 409: slotConflictSchema, 422: slotConflictSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadRequest(request.params.id);
      const trainerId = row.trainer.id;
      assertTrainerOf(request.caller, { clientId: row.client.id, trainerId });
      const requestKey = request.headers['idempotency-key'];
      const body = request.body;
      if (body.status === 'REJECTED') {
        return answerDecision(deps, row, await decideOrExplain(row.id, { kind: 'reject', trainerId, reason: body.rejection_reason }, requestKey));
      }
      const state = await bookings.state(row.id);
      const options = state.options.map(scoredSlotFromOption);
      const wanted = body.confirmed_date === undefined ? undefined : Date.parse(body.confirmed_date);
      const matches = (o: SlotOption): boolean => (wanted === undefined || Date.parse(o.slotStart) === wanted) && (body.slot_id === undefined || o.slotId === body.slot_id);
      let option = wanted === undefined && body.slot_id === undefined ? (state.options.length === 1 ? state.options[0] : undefined) : state.options.find(matches);
      if (state.status !== 'PENDING' && state.chosenSlot && matches(state.chosenSlot)) {
        option = state.chosenSlot; // a repeated approval: answered from what was done
      }
      if (!option) {
        if (state.status !== 'PENDING') throw new ApiError(409, 'request_not_pending', `This request is already ${state.status.toLowerCase()}.`);
        if (body.slot_id !== undefined) {
          throw invalidField(
            'slot_id',
            options.length > 0 ? `only an offered option can be approved; offered slot_ids: ${options.map((o) => o.slot_id).join(', ')}` : 'no option is offered right now; reject the request or publish availability',
            { options },
          );
        }
        if (wanted === undefined) throw invalidField('confirmed_date', `required: pick the slot_start of one of the ${options.length} offered slots`, { options });
        const availability = await classifyStart(orm.em.fork(), { trainerId, start: new Date(wanted), durationMinutes: row.durationMinutes, holdOwner: workflowIdFor(row.id) });
        if (availability === 'taken' || availability === 'buffer') throw new ApiError(409, 'slots_unavailable', SLOTS_UNAVAILABLE_MESSAGE, { field: 'confirmed_date', options });
        throw invalidField(
          'confirmed_date',
          options.length > 0
            ? `only an offered slot can be approved; offered starts: ${options.map((o) => o.slot_start).join(', ')}`
            : 'only an offered slot can be approved, and no slot is offered right now; reject the request or publish availability',
          { options },
        );
      }
      return answerDecision(deps, row, await decideOrExplain(row.id, { kind: 'approve', trainerId, slotId: option.slotId, ...(body.notes ? { notes: body.notes } : {}) }, requestKey), option);
    },
  });

  /** The decision's outcome; a refusal by the workflow's validator becomes 409 or 422. */
  async function decideOrExplain(id: number, decision: Parameters<typeof bookings.decide>[1], requestKey: string | undefined): Promise<DecisionOutcome> {
    const outcome = await bookings.decide(id, decision, requestKey);
    if (outcome.result !== 'refused') return outcome;
    const state = await bookings.state(id);
    if (state.status !== 'PENDING') throw new ApiError(409, 'request_not_pending', outcome.message);
    const options = state.options.map(scoredSlotFromOption);
    throw refusalError(outcome, () => new ApiError(422, 'decision_refused', outcome.message, { options }), { options });
  }

  app.post('/booking-requests/:id/withdraw', {
    schema: {
      tags: TAG,
      summary: 'Withdraw a pending request (its client or an admin): closed as WITHDRAWN, its holds released, the trainer told',
      description:
        'WITHDRAWN, not REJECTED: the trainer did not decide, so it does not read as a refusal, and limits and reports tell the two apart. ' +
        'A repeated withdraw answers the same; a request that has already closed otherwise is 409 `request_not_pending` naming its status. Trainers cannot withdraw (403).',
      params: idParamsSchema,
      headers: idempotencyHeadersSchema,
      body: withdrawBodySchema,
      response: { 200: bookingRequestSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadRequest(request.params.id);
      const caller = request.caller;
      assertMayWithdraw(caller, { clientId: row.client.id, trainerId: row.trainer.id });
      const notPending = (status: string) => new ApiError(409, 'request_not_pending', `Booking request ${row.id} is already ${status.toLowerCase()}, so it can no longer be withdrawn.`);
      if (row.status === 'WITHDRAWN') return bookingRequestView(row);
      if (row.status !== 'PENDING') throw notPending(row.status);
      const reason = request.body?.reason;
      const outcome = await bookings.withdraw(row.id, { actor: actorOf(caller), ...(reason ? { reason } : {}) }, request.headers['idempotency-key']);
      if (outcome.result === 'refused') throw refusalError(outcome, () => new ApiError(409, 'request_not_pending', outcome.message));
      if (outcome.result === 'closed' && outcome.status !== 'WITHDRAWN') throw notPending(outcome.status);
      return bookingRequestView(await loadRequest(row.id));
    },
  });

  app.get('/booking-requests/:id/scored-slots', {
    schema: {
      tags: TAG,
      summary: "The trainer's free starts for this request, ranked by W_C",
      params: idParamsSchema,
      querystring: scoredSlotsQuerySchema,
      response: { 200: scoredSlotsResponseSchema, 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const row = await loadRequest(request.params.id);
      assertParty(request.caller, { clientId: row.client.id, trainerId: row.trainer.id }, 'booking requests');
      const ranked = await rankSlotsForRequest(orm.em.fork(), row.id, { maxResults: request.query.max_results, holdOwner: workflowIdFor(row.id) });
      return { booking_request_id: row.id, scored_slots: ranked.map((slot) => scoredSlotFromRanked(slot, row.durationMinutes)) };
    },
  });
  done();
};
