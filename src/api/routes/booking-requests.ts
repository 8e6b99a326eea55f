import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BookingRequest, Trainer } from '../../db/entities';
import { PolicyRefusalError } from '../../domain/policy/errors';
import { policyWording } from '../../domain/policy/wording';
import { loadPolicy } from '../../policy/policy-store';
import { RequestValidationError, type NewBookingRequest } from '../../requests/new-request';
import { SLOTS_UNAVAILABLE_MESSAGE } from '../../reservation/errors';
import { rankSlotsForRequest } from '../../slots/rank-slots';
import type { BookingState, DecisionOutcome } from '../../../workflows/contract';
import { workflowIdFor } from '../../temporal/workflow-ids';
import { assertMayWithdraw, assertParty, assertTrainerOf, ownershipFilter } from '../auth/access';
import { actorOf } from '../auth/caller';
import type { Caller } from '../auth/caller';
import type { ApiDeps } from '../deps';
import { ApiError, forbidden, invalidField, notFound, snakeCase } from '../errors';
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
import { bookingRequestView, workflowStateView } from '../views/booking-request-view';
import { scoredSlotFromOption, scoredSlotFromRanked } from '../views/scored-slot-view';

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
  };
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

/** The seed's answers to an approval: 200 with the confirmation, 409 on a conflict. */
function answerDecision(bookingRequestId: number, outcome: DecisionOutcome) {
  switch (outcome.result) {
    case 'approved':
      return {
        booking_id: outcome.booking.bookingId,
        booking_request_id: bookingRequestId,
        status: 'confirmed' as const,
        message: 'Booking approved and confirmed',
        confirmed_time: outcome.booking.startTime,
        slots_booked: outcome.booking.slotIds.length,
      };
    case 'rejected':
      return { booking_request_id: bookingRequestId, status: 'rejected' as const, message: 'Booking request rejected', rejection_reason: outcome.reason };
    case 'conflict':
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
        'and for a direct request `policy_min_notice`, `policy_horizon` or `policy_buffer` (too close to another session for the buffers); `message` is the sentence to show. A refused request leaves nothing behind. A taken start is 409 `slots_unavailable`.',
      body: createBookingRequestBodySchema,
      response: { 201: bookingRequestSchema, 202: acceptedSchema, 409: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const clientId = clientFor(request.caller, body);
      const em = orm.em.fork();
      if (body.start_time) {
        const durationMinutes = durationOf(body);
        const availability = await classifyStart(em, { trainerId: body.trainer_id, start: new Date(body.start_time), durationMinutes });
        if (availability === 'taken') throw new ApiError(409, 'slots_unavailable', SLOTS_UNAVAILABLE_MESSAGE, { field: 'start_time' });
        if (availability === 'buffer') throw await bufferRefusal(body.trainer_id);
        if (availability === 'unpublished') {
          throw invalidField('start_time', `trainer ${body.trainer_id} has no ${durationMinutes} minutes of back-to-back free slots starting at ${new Date(body.start_time).toISOString()}; see GET /time-slots/trainer/${body.trainer_id}/available`);
        }
      }
      let started;
      try {
        started = await bookings.startRequest(toNewRequest(body, clientId));
      } catch (error) {
        if (!(error instanceof RequestValidationError)) throw error;
        const field = snakeCase(error.field.split('.').at(-1) ?? error.field);
        throw invalidField(field, error.message);
      }
      const id = started.bookingRequestId;
      const state = await waitUntilSettled(deps, id);
      if (!state) {
        return reply.code(202).send({ id, workflow_id: started.workflowId, status: 'PENDING', message: 'The request was accepted; its workflow has not stored it yet. Check GET /booking-requests/{id}.' });
      }
      if (state.mode === 'direct' && state.status === 'REJECTED') {
        throw new ApiError(409, 'slots_unavailable', `${SLOTS_UNAVAILABLE_MESSAGE} (booking request ${id} was closed as rejected).`, { field: 'start_time' });
      }
      return reply.code(201).send(bookingRequestView(await loadRequest(id)));
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
      const rows = await orm.em.fork().find(BookingRequest, { ...ownershipFilter(request.caller), ...(status ? { status } : {}) }, { orderBy: { id: 'desc' }, limit, offset });
      return rows.map(bookingRequestView);
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
      let workflow = null;
      try {
        workflow = workflowStateView(await bookings.state(row.id));
      } catch (error) {
        request.log.warn({ err: error, bookingRequestId: row.id }, 'workflow state unavailable');
      }
      return { ...bookingRequestView(row), workflow };
    },
  });

  app.put('/booking-requests/:id/approve', {
    schema: {
      tags: TAG,
      summary: 'Approve (on one of the offered slots) or reject a booking request',
      description:
        'Only the offered options (GET /booking-requests/{id} `workflow.options`, or the trainer\'s notification) can be approved: `confirmed_date` must equal one of their `slot_start`s. ' +
        'A slot that was taken meanwhile answers 409 with the seed\'s message and the options that are free now; an option the trainer\'s policy no longer allows ' +
        '(it has come inside the notice, or breaks the buffers or the client\'s limits) answers 422 naming the rule (e.g. `policy_min_notice`) with its sentence and the fresh options.',
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
        return answerDecision(row.id, await decideOrExplain(row.id, { kind: 'reject', trainerId, reason: body.rejection_reason }, requestKey));
      }
      const state = await bookings.state(row.id);
      const options = state.options.map(scoredSlotFromOption);
      const wanted = body.confirmed_date === undefined ? undefined : Date.parse(body.confirmed_date);
      let option = wanted === undefined ? (state.options.length === 1 ? state.options[0] : undefined) : state.options.find((o) => Date.parse(o.slotStart) === wanted);
      if (state.status !== 'PENDING' && state.chosenSlot && (wanted === undefined || Date.parse(state.chosenSlot.slotStart) === wanted)) {
        option = state.chosenSlot; // a repeated approval: answered from what was done
      }
      if (!option) {
        if (state.status !== 'PENDING') throw new ApiError(409, 'request_not_pending', `This request is already ${state.status.toLowerCase()}.`);
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
      return answerDecision(row.id, await decideOrExplain(row.id, { kind: 'approve', trainerId, slotId: option.slotId, ...(body.notes ? { notes: body.notes } : {}) }, requestKey));
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
