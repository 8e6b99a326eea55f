import { allHandlersFinished, condition, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { DatabaseActivities, NotificationActivities } from '../activities/booking-activities';
import { BookingRequestState, DEFAULT_TIMINGS } from './booking-request-state';
import {
  availabilityChangedSignal,
  cancelSignal,
  cancelUpdate,
  decideUpdate,
  decisionSignal,
  rescheduleSignal,
  rescheduleUpdate,
  sessionOutcomeSignal,
  sessionOutcomeUpdate,
  stateQuery,
  type BookingState,
  type BookingSummary,
  type BookingWorkflowArgs,
  type CancelCommand,
  type ChangeOutcome,
  type DecisionOutcome,
  type RescheduleCommand,
  type SessionOutcomeCommand,
  type TrainerDecision,
  type WithdrawCommand,
  type WithdrawOutcome,
  withdrawUpdate,
} from './contract';

// Database work retries with backoff until it succeeds: an outage delays a booking, it
// never loses one. Domain outcomes (a conflict) come back as non-retryable failures.
const db = proxyActivities<DatabaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A message that cannot be delivered must not hold up the booking itself.
const messenger = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/** Updates are validated up front and answered; the seed's signals are validated and queued. */
function registerHandlers(request: BookingRequestState): void {
  setHandler(stateQuery, () => request.state);
  setHandler(decideUpdate, (decision) => request.submit<DecisionOutcome>({ type: 'decision', id: uuid4(), decision }), { validator: (decision: TrainerDecision) => request.validateDecision(decision) });
  setHandler(decisionSignal, (decision) => request.accept(() => request.validateDecision(decision), { type: 'decision', id: uuid4(), decision }));
  setHandler(cancelUpdate, (command) => request.submit<ChangeOutcome>({ type: 'cancel', id: uuid4(), command }), { validator: (command: CancelCommand) => request.validateCancel(command) });
  setHandler(cancelSignal, (command) => request.accept(() => request.validateCancel(command), { type: 'cancel', id: uuid4(), command }));
  setHandler(rescheduleUpdate, (command) => request.submit<ChangeOutcome>({ type: 'reschedule', id: uuid4(), command }), { validator: (command: RescheduleCommand) => request.validateReschedule(command) });
  setHandler(rescheduleSignal, (command) => request.accept(() => request.validateReschedule(command), { type: 'reschedule', id: uuid4(), command }));
  setHandler(sessionOutcomeUpdate, (command) => request.submit<BookingSummary>({ type: 'outcome', id: uuid4(), command }), { validator: (command: SessionOutcomeCommand) => request.validateOutcome(command) });
  setHandler(sessionOutcomeSignal, (command) => request.accept(() => request.validateOutcome(command), { type: 'outcome', id: uuid4(), command }));
  setHandler(withdrawUpdate, (command) => request.submit<WithdrawOutcome>({ type: 'withdraw', id: uuid4(), command }), { validator: (command: WithdrawCommand) => request.validateWithdraw(command) });
  setHandler(availabilityChangedSignal, (change) => request.accept(() => request.validateAvailabilityChange(change), { type: 'availability', id: uuid4(), change }));
}

/**
 * One booking request, from the client's ask to the session's outcome: rank slots, ask the
 * trainer, wait up to 24 hours, reserve atomically (compensating on conflict), then own the
 * booking — reminder, cancel, reschedule, completion. The decisions live in
 * BookingRequestState; this function runs the phases.
 */
export async function bookingRequestWorkflow(args: BookingWorkflowArgs): Promise<BookingState> {
  const request = new BookingRequestState(args.request, { ...DEFAULT_TIMINGS, ...args.timings }, workflowInfo().workflowId, { db, messenger });
  registerHandlers(request);

  // 1. Store the request: PENDING for the approval window.
  await request.store();

  // 2. Options: the exact slot for a direct booking (held for us), W_C-ranked starts otherwise.
  if (!(await request.prepareOptions())) return request.state;

  // 3. Wait for the trainer until the request expires.
  while (request.state.status === 'PENDING') {
    const remaining = request.msUntilExpiry();
    if (remaining <= 0 || !(await condition(() => request.hasWork(), remaining))) {
      await request.expire();
      break;
    }
    await request.handleNext();
  }

  // 4. Own the booking: reminder, changes, and the session's outcome.
  while (request.ownsBooking()) {
    const now = Date.now();
    const { due, wakeAt } = request.nextTimer(now);
    if (wakeAt > now && (await condition(() => request.hasWork(), wakeAt - now))) {
      await request.handleNext();
      continue;
    }
    if (due === 'reminder') await request.remind();
    else if (due === 'prompt') await request.promptForOutcome();
    else {
      request.closeOutcomeWindow();
      break;
    }
  }

  // Answer anything still waiting (a duplicate press arriving at the end), then finish.
  while (request.hasWork()) await request.handleNext();
  await condition(allHandlersFinished);
  return request.state;
}
