/**
 * What the request's workflow and an occurrence's workflow share: the activity proxies, the
 * handlers clients call, and phase 4 — owning one confirmed booking (reminder, changes,
 * the session's outcome). One function each, so both workflows do exactly the same.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { DatabaseActivities, NotificationActivities } from '../activities/booking-activities';
import type { BookingRequestState, WorkflowActivities } from './booking-request-state';
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
  type BookingSummary,
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

export const activities: WorkflowActivities = { db, messenger };

/** Updates are validated up front and answered; the seed's signals are validated and queued. */
export function registerHandlers(request: BookingRequestState): void {
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

/** Phase 4: own the booking — the reminder, changes, and the session's outcome, until the outcome window closes or the booking ends. */
export async function ownBooking(request: BookingRequestState): Promise<void> {
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
      await request.closeOutcomeWindow();
      break;
    }
  }
}

/** Answers anything still waiting (a duplicate press arriving at the end), then lets the handlers finish. */
export async function finish(request: BookingRequestState): Promise<void> {
  while (request.hasWork()) await request.handleNext();
  await condition(allHandlersFinished);
}
