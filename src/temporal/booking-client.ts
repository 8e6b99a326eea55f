import type { MikroORM } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { createCreditLedger, type CreditLedger, type RecordedPayment, type RecordPaymentInput } from '../credits/ledger';
import { trainerMayDecide } from '../domain/access';
import { POLICY_REFUSAL_CODES, type PolicyRefusalCode } from '../domain/policy';
import { DAY_MS } from '../domain/time';
import { waitForOccurrence } from './occurrence-ready';
import { abandonBookingRequest, admitBookingRequest } from '../requests/admit-request';
import { prepareBookingRequest, type NewBookingRequest } from '../requests/new-request';
import { recordPackPayment } from './credit-lots';
import type { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';
import {
  availabilityChangedSignal,
  BOOKING_WORKFLOW_TYPE,
  bookingWorkflowIdFor,
  cancelSeriesUpdate,
  cancelUpdate,
  decideUpdate,
  decisionSignal,
  rescheduleUpdate,
  SEARCH_ATTRIBUTES,
  sessionOutcomeUpdate,
  stateQuery,
  withdrawUpdate,
  workflowIdFor,
  type AvailabilityChange,
  type BookingState,
  type BookingSummary,
  type CancelCommand,
  type CancelSeriesCommand,
  type CancelSeriesOutcome,
  type ChangeOutcome,
  type DecisionOutcome,
  type RescheduleCommand,
  type SessionOutcomeCommand,
  type TrainerDecision,
  type WithdrawCommand,
  type WithdrawOutcome,
  type WorkflowTimings,
} from '../../workflows/contract';

/**
 * A change the workflow refused up front (its validator): nothing was applied. `code` names
 * the trainer's policy rule that refused it (e.g. policy_started), for a program's 4xx body.
 */
export interface Refused {
  result: 'refused';
  message: string;
  code?: PolicyRefusalCode;
}

const isPolicyCode = (type: unknown): type is PolicyRefusalCode => (POLICY_REFUSAL_CODES as readonly unknown[]).includes(type);

export interface BookingClientOptions {
  client: Client;
  orm: MikroORM;
  taskQueue: string;
  /** Shorter windows for demos and tests; production uses the defaults. */
  timings?: Partial<WorkflowTimings>;
}

/**
 * Which workflow owns a booking: a request id names a single booking's (its request's
 * workflow); a booking of a series (`seriesId` set) is owned by its occurrence's workflow.
 */
export type BookingTarget = number | { bookingRequestId: number; bookingId: number; seriesId: number | null };

export interface StartedRequest {
  bookingRequestId: number;
  workflowId: string;
}

/**
 * How the API, the bots and operators talk to booking workflows: start one per request,
 * send the trainer's decision, cancel, reschedule, record the outcome, read the state.
 * Nothing here writes bookings; the workflow does.
 */
export function createBookingClient({ client, orm, taskQueue, timings }: BookingClientOptions) {
  let ledger: CreditLedger | undefined;
  const handleFor = (bookingRequestId: number): WorkflowHandle<typeof bookingRequestWorkflow> =>
    client.workflow.getHandle<typeof bookingRequestWorkflow>(workflowIdFor(bookingRequestId));

  /** Runs an Update; a validator's refusal becomes a `Refused` answer rather than an error. */
  async function update<T>(run: () => Promise<T>): Promise<T | Refused> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const type = error.cause instanceof ApplicationFailure ? error.cause.type : undefined;
        return { result: 'refused', message: error.cause?.message ?? error.message, ...(isPolicyCode(type) ? { code: type } : {}) };
      }
      throw error;
    }
  }

  const bookingHandle = (target: BookingTarget): WorkflowHandle =>
    typeof target === 'number' ? handleFor(target) : client.workflow.getHandle(bookingWorkflowIdFor(target));

  /**
   * The workflow that owns a booking, ready for a change: a session of a series is owned by
   * its occurrence's workflow, which the series' request workflow starts just after it has
   * answered the approval, so a change sent in that moment waits for it (waitForOccurrence).
   */
  async function readyHandle(target: BookingTarget): Promise<WorkflowHandle> {
    if (typeof target !== 'number' && target.seriesId !== null) await waitForOccurrence({ state: (t) => bookingHandle(t).query(stateQuery) }, target);
    return bookingHandle(target);
  }

  async function isClosed(handle: WorkflowHandle): Promise<boolean> {
    const description = await handle.describe();
    return description.status.name !== 'RUNNING';
  }

  return {
    /**
     * Validates the request, then starts its workflow (`booking-request-<id>`). Typed for
     * callers that build a request (the chat engine, the API route); the validation still
     * runs, so a bad field is a RequestValidationError whatever the caller sent.
     */
    async startRequest(input: NewBookingRequest): Promise<StartedRequest> {
      const request = await prepareBookingRequest(orm.em.fork(), input);
      const workflowId = workflowIdFor(request.bookingRequestId);
      // Stored at the door under the client's limits (a PolicyRefusalError stops here); the workflow's persistRequest adopts the row and sets its own deadline.
      await admitBookingRequest(orm.em, request, { workflowId, expiresAt: new Date(Date.now() + (timings?.approvalWindowMs ?? DAY_MS)) });
      try {
        await client.workflow.start<typeof bookingRequestWorkflow>(BOOKING_WORKFLOW_TYPE, {
          taskQueue,
          workflowId,
          args: [{ request, timings }],
          staticSummary: `${request.startTime ? 'Direct' : 'Flexible'} ${request.recurrence ? 'weekly series' : 'booking'} request ${request.bookingRequestId}: ${request.sessionType}, ${request.durationMinutes} min, trainer ${request.trainerId}, client ${request.clientId}`,
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTES.bookingRequestId, value: String(request.bookingRequestId) },
            { key: SEARCH_ATTRIBUTES.trainerId, value: String(request.trainerId) },
            { key: SEARCH_ATTRIBUTES.clientId, value: String(request.clientId) },
            { key: SEARCH_ATTRIBUTES.bookingStatus, value: 'PENDING' },
          ],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
          // A start that failed but happened all the same (a lost answer) keeps its row; else no
          // workflow owns the row: close it, so it does not count against the client's limits.
          const started = await handleFor(request.bookingRequestId).describe().then(() => true, () => false);
          if (!started) {
            await abandonBookingRequest(orm.em, request.bookingRequestId).catch(() => undefined);
            throw error;
          }
        }
      }
      return { bookingRequestId: request.bookingRequestId, workflowId };
    },

    /**
     * The trainer's decision, answered with its outcome. `requestKey` (a button press id)
     * makes a repeated press the same Update, so it is applied once. A decision on a
     * closed request is answered from the request's final state.
     */
    async decide(bookingRequestId: number, decision: TrainerDecision, requestKey?: string): Promise<DecisionOutcome | Refused> {
      const handle = handleFor(bookingRequestId);
      try {
        return await update(() => handle.executeUpdate(decideUpdate, { args: [decision], ...(requestKey ? { updateId: requestKey } : {}) }));
      } catch (error) {
        if (!(await isClosed(handle).catch(() => false))) throw error;
        const state = await handle.query(stateQuery);
        const refusal = trainerMayDecide(state, { trainerId: decision.trainerId });
        if (refusal) return { result: 'refused', message: refusal.message };
        if (decision.kind === 'reject' && state.status === 'REJECTED') return { result: 'rejected', reason: state.rejectionReason ?? '', duplicate: true };
        return { result: 'refused', message: `This request is already ${state.status.toLowerCase()}.` };
      }
    },

    /** The seed's fire-and-forget decision. */
    async signalDecision(bookingRequestId: number, decision: TrainerDecision): Promise<void> {
      await handleFor(bookingRequestId).signal(decisionSignal, decision);
    },

    async cancel(target: BookingTarget, command: CancelCommand, requestKey?: string): Promise<ChangeOutcome | Refused> {
      const handle = await readyHandle(target);
      try {
        return await update(() => handle.executeUpdate(cancelUpdate, { args: [command], ...(requestKey ? { updateId: requestKey } : {}) }));
      } catch (error) {
        if (!(await isClosed(handle).catch(() => false))) throw error;
        const state = await handle.query(stateQuery);
        if (state.status === 'CANCELLED' && state.booking) return { result: 'done', booking: state.booking, duplicate: true };
        if (state.status === 'LATE_CANCELLED' && state.booking) return { result: 'done', booking: state.booking, duplicate: true, late: true };
        return { result: 'refused', message: `This booking is ${state.status.toLowerCase()} and can no longer be cancelled.` };
      }
    },

    async reschedule(target: BookingTarget, command: RescheduleCommand, requestKey?: string): Promise<ChangeOutcome | Refused> {
      const handle = await readyHandle(target);
      return update(() => handle.executeUpdate(rescheduleUpdate, { args: [command], ...(requestKey ? { updateId: requestKey } : {}) }));
    },

    async recordOutcome(target: BookingTarget, command: SessionOutcomeCommand): Promise<BookingSummary | Refused> {
      const handle = await readyHandle(target);
      return update(() => handle.executeUpdate(sessionOutcomeUpdate, { args: [command] }));
    },

    /**
     * "This and all following" for an occurrence of a series: sent to the series request's
     * workflow, which cancels them in one transaction and tells the occurrences' workflows.
     */
    async cancelSeries(bookingRequestId: number, command: CancelSeriesCommand, requestKey?: string): Promise<CancelSeriesOutcome | Refused> {
      return update(() => handleFor(bookingRequestId).executeUpdate(cancelSeriesUpdate, { args: [command], ...(requestKey ? { updateId: requestKey } : {}) }));
    },

    /**
     * The client takes back a PENDING request (WITHDRAWN: holds released, the trainer told).
     * A withdraw of a request that has already closed is answered from its final state.
     */
    async withdraw(bookingRequestId: number, command: WithdrawCommand, requestKey?: string): Promise<WithdrawOutcome | Refused> {
      const handle = handleFor(bookingRequestId);
      try {
        return await update(() => handle.executeUpdate(withdrawUpdate, { args: [command], ...(requestKey ? { updateId: requestKey } : {}) }));
      } catch (error) {
        if (!(await isClosed(handle).catch(() => false))) throw error;
        const state = await handle.query(stateQuery);
        if (state.status === 'WITHDRAWN') return { result: 'withdrawn', duplicate: true };
        return { result: 'closed', status: state.status };
      }
    },

    /**
     * Tells every PENDING request of the trainer that their free time changed, so each
     * re-ranks its options (found through the TrainerId and BookingStatus search
     * attributes, on this client's task queue: the workers that share its database).
     * Returns how many were told; a request that closes meanwhile is skipped.
     */
    async availabilityChanged(change: AvailabilityChange): Promise<number> {
      const query = `${SEARCH_ATTRIBUTES.trainerId.name} = '${change.trainerId}' AND ${SEARCH_ATTRIBUTES.bookingStatus.name} = 'PENDING' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`;
      let told = 0;
      for await (const execution of client.workflow.list({ query })) {
        try {
          await client.workflow.getHandle(execution.workflowId).signal(availabilityChangedSignal, change);
          told++;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return told;
    },

    /** The workflow's full state: status, options with breakdowns, chosen slot, history (an occurrence's for a series booking target). */
    async state(target: BookingTarget): Promise<BookingState> {
      return bookingHandle(target).query(stateQuery);
    },

    /** Waits for the workflow to finish and returns its final state. */
    async result(bookingRequestId: number): Promise<BookingState> {
      return handleFor(bookingRequestId).result();
    },

    /**
     * Records a payment (issue 13: a pack's creates its lot) and starts the pack's workflow
     * (`credit-lot-<lotId>`: ready, reminder, expiry) on this client's task queue. The same
     * idempotency key records once and starts once (src/temporal/credit-lots.ts).
     */
    async recordPayment(input: RecordPaymentInput): Promise<RecordedPayment & { workflowId: string | null }> {
      ledger ??= createCreditLedger(orm);
      return recordPackPayment({ client, taskQueue, ledger }, input);
    },

    handle: handleFor,
  };
}

export type BookingClient = ReturnType<typeof createBookingClient>;
