import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { BookingActivities } from '../activities/booking-activities';
import type { Audience, Notification, NotificationKind } from '../src/notifications/notification';
import {
  cancelSignal,
  cancelUpdate,
  decideUpdate,
  decisionSignal,
  DEFAULT_TIMINGS,
  FAILURE_TYPES,
  rescheduleSignal,
  rescheduleUpdate,
  SEARCH_ATTRIBUTES,
  sessionOutcomeSignal,
  sessionOutcomeUpdate,
  stateQuery,
  type Actor,
  type BookingState,
  type BookingStatus,
  type BookingSummary,
  type BookingWorkflowArgs,
  type CancelCommand,
  type ChangeOutcome,
  type DecisionOutcome,
  type RescheduleCommand,
  type SessionOutcomeCommand,
  type TrainerDecision,
} from './definitions';

// Database work retries with backoff until it succeeds: an outage delays a booking, it
// never loses one. Domain outcomes (a conflict) come back as non-retryable failures.
const db = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A message that cannot be delivered must not hold up the booking itself.
const messenger = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

type Command =
  | { type: 'decision'; id: string; decision: TrainerDecision }
  | { type: 'cancel'; id: string; command: CancelCommand }
  | { type: 'reschedule'; id: string; command: RescheduleCommand }
  | { type: 'outcome'; id: string; command: SessionOutcomeCommand };

function failureType(error: unknown): string | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause.type ?? undefined;
  return undefined;
}

function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One booking request, from the client's ask to the session's outcome: rank slots, ask the
 * trainer, wait up to 24 hours, reserve atomically (compensating on conflict), then own the
 * booking — reminder, cancel, reschedule, completion.
 */
export async function bookingRequestWorkflow(args: BookingWorkflowArgs): Promise<BookingState> {
  const timings = { ...DEFAULT_TIMINGS, ...args.timings };
  const request = args.request;
  const workflowId = workflowInfo().workflowId;
  const state: BookingState = {
    bookingRequestId: request.bookingRequestId,
    trainerId: request.trainerId,
    clientId: request.clientId,
    mode: request.startTime ? 'direct' : 'flexible',
    status: 'PENDING',
    expiresAt: null,
    optionsReady: false,
    options: [],
    chosenSlot: null,
    booking: null,
    rejectionReason: null,
    history: [],
  };
  const inbox: Command[] = [];
  const outcomes = new Map<string, DecisionOutcome | ChangeOutcome | BookingSummary>();
  let appliedDecision: TrainerDecision | null = null;
  let notificationSeq = 0;
  // Saga: each step that takes something pushes how to give it back.
  let compensations: { name: string; run: () => Promise<unknown> }[] = [];

  const record = (event: string, detail?: string): void => {
    state.history.push({ at: new Date().toISOString(), event, ...(detail === undefined ? {} : { detail }) });
  };
  const setStatus = (status: BookingStatus): void => {
    state.status = status;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.bookingStatus, value: status }]);
    setCurrentDetails(`Booking request ${request.bookingRequestId}: **${status}**`);
    record(`status ${status}`);
  };
  const tell = async (kind: NotificationKind, audience: Audience[], text: string, extra: Partial<Notification> = {}): Promise<void> => {
    const notification: Notification = {
      key: `${workflowId}/${++notificationSeq}/${kind}`,
      kind,
      audience,
      bookingRequestId: request.bookingRequestId,
      trainerId: request.trainerId,
      clientId: request.clientId,
      text,
      ...extra,
    };
    try {
      await messenger.notify(notification);
    } catch (error) {
      record('notification failed', `${kind}: ${failureMessage(error)}`);
    }
  };
  const compensate = async (): Promise<void> => {
    for (const step of compensations.reverse()) {
      await step.run();
      record('compensated', step.name);
    }
    compensations = [];
  };

  // --- validators: synchronous, they reject before anything is written to history ---
  const sameDecision = (a: TrainerDecision, b: TrainerDecision): boolean =>
    a.kind === b.kind && a.trainerId === b.trainerId && (a.kind === 'reject' || (b.kind === 'approve' && a.slotId === b.slotId));

  const validateDecision = (decision: TrainerDecision): void => {
    if (decision.trainerId !== state.trainerId) throw new Error('Only the trainer this request is addressed to can approve or reject it.');
    if (appliedDecision && sameDecision(appliedDecision, decision)) return; // answered, not applied twice
    if (state.status !== 'PENDING') throw new Error(`This request is already ${state.status.toLowerCase()}.`);
    if (decision.kind === 'approve' && !state.options.some((option) => option.slotId === decision.slotId)) {
      throw new Error('That time is not among the current options; pick one of the offered slots.');
    }
    if (decision.kind === 'reject' && (typeof decision.reason !== 'string' || decision.reason.trim() === '')) {
      throw new Error('Please give a reason for rejecting the request.');
    }
  };
  const isParty = (actor: Actor): boolean =>
    actor.role === 'ADMIN' || (actor.role === 'CLIENT' && actor.userId === state.clientId) || (actor.role === 'TRAINER' && actor.trainerId === state.trainerId);
  const validateCancel = (command: CancelCommand): void => {
    if (!isParty(command.actor)) throw new Error('Only the client, the trainer or an admin can cancel this booking.');
    if (state.status === 'CANCELLED') return;
    if (state.status !== 'APPROVED' || !state.booking) throw new Error('There is no confirmed booking to cancel.');
    if (Date.now() >= Date.parse(state.booking.startTime)) throw new Error('The session has already started, so it can no longer be cancelled.');
  };
  const validateReschedule = (command: RescheduleCommand): void => {
    if (!isParty(command.actor)) throw new Error('Only the client, the trainer or an admin can reschedule this booking.');
    if (state.status !== 'APPROVED' || !state.booking) throw new Error('There is no confirmed booking to reschedule.');
    const start = Date.parse(command.newStartTime);
    if (Number.isNaN(start)) throw new Error('newStartTime must be an ISO date-time.');
    if (start <= Date.now()) throw new Error('The new time must be in the future.');
    if (start === Date.parse(state.booking.startTime)) throw new Error('The booking is already at that time.');
  };
  const validateOutcome = (command: SessionOutcomeCommand): void => {
    if (command.trainerId !== state.trainerId) throw new Error('Only the trainer of this booking can record how it went.');
    if (state.status !== 'APPROVED' || !state.booking) throw new Error('There is no confirmed booking to record.');
    if (Date.now() < Date.parse(state.booking.startTime)) throw new Error('The session has not started yet.');
    for (const rating of [command.clientRating, command.trainerRating]) {
      if (rating !== undefined && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) throw new Error('Ratings are whole numbers from 1 to 5.');
    }
  };

  // --- handlers ---
  const submit = async <T>(command: Command): Promise<T> => {
    inbox.push(command);
    await condition(() => outcomes.has(command.id));
    return outcomes.get(command.id) as T;
  };
  const accept = (validate: () => void, command: Command): void => {
    try {
      validate();
      inbox.push(command);
    } catch (error) {
      record('ignored signal', `${command.type}: ${(error as Error).message}`);
    }
  };
  setHandler(stateQuery, () => state);
  setHandler(decideUpdate, (decision) => submit<DecisionOutcome>({ type: 'decision', id: uuid4(), decision }), { validator: validateDecision });
  setHandler(decisionSignal, (decision) => accept(() => validateDecision(decision), { type: 'decision', id: uuid4(), decision }));
  setHandler(cancelUpdate, (command) => submit<ChangeOutcome>({ type: 'cancel', id: uuid4(), command }), { validator: validateCancel });
  setHandler(cancelSignal, (command) => accept(() => validateCancel(command), { type: 'cancel', id: uuid4(), command }));
  setHandler(rescheduleUpdate, (command) => submit<ChangeOutcome>({ type: 'reschedule', id: uuid4(), command }), { validator: validateReschedule });
  setHandler(rescheduleSignal, (command) => accept(() => validateReschedule(command), { type: 'reschedule', id: uuid4(), command }));
  setHandler(sessionOutcomeUpdate, (command) => submit<BookingSummary>({ type: 'outcome', id: uuid4(), command }), { validator: validateOutcome });
  setHandler(sessionOutcomeSignal, (command) => accept(() => validateOutcome(command), { type: 'outcome', id: uuid4(), command }));

  // --- the steps ---
  const refreshOptions = async (): Promise<void> => {
    state.options = await db.rankOptions({ bookingRequestId: request.bookingRequestId, maxResults: timings.maxOptions, holdOwner: workflowId });
    record('ranked options', state.options.map((o) => `${o.slotStart} (${o.totalScore})`).join(', ') || 'none');
  };

  const decide = async (decision: TrainerDecision): Promise<DecisionOutcome> => {
    if (state.status !== 'PENDING') {
      if (appliedDecision && sameDecision(appliedDecision, decision)) {
        return decision.kind === 'approve' && state.booking
          ? { result: 'approved', booking: state.booking, duplicate: true }
          : { result: 'rejected', reason: state.rejectionReason ?? '', duplicate: true };
      }
      return { result: 'closed', status: state.status };
    }
    if (decision.kind === 'reject') {
      const reason = decision.reason.trim();
      await db.closeRequest({ bookingRequestId: request.bookingRequestId, status: 'REJECTED', reason });
      await compensate();
      appliedDecision = decision;
      state.rejectionReason = reason;
      setStatus('REJECTED');
      await tell('request.rejected', ['client'], `Your trainer declined the request: ${reason}`, { reason });
      return { result: 'rejected', reason, duplicate: false };
    }
    const option = state.options.find((o) => o.slotId === decision.slotId);
    if (!option) return { result: 'conflict', message: 'That time is not among the current options.', options: state.options };
    try {
      const booking = await db.confirmReservation({ bookingRequestId: request.bookingRequestId, slotStart: option.slotStart, holdOwner: workflowId, notes: decision.notes });
      compensations = []; // the holds became the booking
      appliedDecision = decision;
      state.booking = booking;
      state.chosenSlot = option;
      setStatus('APPROVED');
      await tell('request.approved', ['client', 'trainer'], 'The booking is confirmed.', { booking });
      return { result: 'approved', booking, duplicate: false };
    } catch (error) {
      const type = failureType(error);
      if (type === FAILURE_TYPES.requestNotPending) {
        record('approval refused', failureMessage(error));
        return { result: 'closed', status: state.status };
      }
      if (type !== FAILURE_TYPES.slotConflict) throw error;
      // Compensate: give back what we held, offer what is free now, keep waiting.
      record('slot conflict', `${option.slotStart}: ${failureMessage(error)}`);
      await compensate();
      await refreshOptions();
      const message = failureMessage(error);
      await tell('request.slot-taken', ['trainer'], 'That slot was just taken by another booking; here are the best free options now.', { options: state.options });
      await tell('request.slot-taken', ['client'], 'The time your trainer picked was just taken; they will choose another one.');
      return { result: 'conflict', message, options: state.options };
    }
  };

  const change = async (command: Command & { type: 'cancel' | 'reschedule' | 'outcome' }): Promise<ChangeOutcome | BookingSummary> => {
    const booking = state.booking;
    if (command.type === 'cancel') {
      if (state.status === 'CANCELLED' && booking) return { result: 'done', booking, duplicate: true };
      if (state.status !== 'APPROVED' || !booking) throw ApplicationFailure.nonRetryable('There is no confirmed booking to cancel.');
      state.booking = await db.cancelBooking({ bookingId: booking.bookingId, reason: command.command.reason });
      setStatus('CANCELLED');
      await tell('booking.cancelled', ['client', 'trainer'], `The booking was cancelled by the ${command.command.actor.role.toLowerCase()}.`, { booking: state.booking, reason: command.command.reason });
      return { result: 'done', booking: state.booking, duplicate: false };
    }
    if (state.status !== 'APPROVED' || !booking) {
      return command.type === 'outcome' ? (booking as BookingSummary) : { result: 'conflict', message: `The booking is ${state.status.toLowerCase()}.`, booking: booking as BookingSummary };
    }
    if (command.type === 'reschedule') {
      try {
        state.booking = await db.rescheduleBooking({ bookingId: booking.bookingId, newStartTime: command.command.newStartTime, holdOwner: workflowId });
      } catch (error) {
        if (failureType(error) !== FAILURE_TYPES.slotConflict) throw error;
        record('reschedule conflict', `${command.command.newStartTime}: ${failureMessage(error)}`);
        return { result: 'conflict', message: failureMessage(error), booking };
      }
      record('rescheduled', `${booking.startTime} -> ${state.booking.startTime}`);
      await tell('booking.rescheduled', ['client', 'trainer'], 'The booking was moved to a new time.', { booking: state.booking });
      return { result: 'done', booking: state.booking, duplicate: false };
    }
    state.booking = await db.recordSessionOutcome({ bookingId: booking.bookingId, ...command.command });
    setStatus(command.command.outcome);
    await tell('booking.outcome-recorded', ['client'], command.command.outcome === 'COMPLETED' ? 'Your session was recorded as completed. Thanks for training!' : 'Your session was recorded as a no-show.', { booking: state.booking });
    return state.booking;
  };

  const handle = async (command: Command): Promise<void> => {
    const outcome = command.type === 'decision' ? await decide(command.decision) : await change(command);
    outcomes.set(command.id, outcome);
  };

  // 1. Store the request: PENDING for the approval window.
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.bookingRequestId, value: String(request.bookingRequestId) },
    { key: SEARCH_ATTRIBUTES.trainerId, value: String(request.trainerId) },
    { key: SEARCH_ATTRIBUTES.clientId, value: String(request.clientId) },
  ]);
  const stored = await db.persistRequest({ request, expiresAt: new Date(Date.now() + timings.approvalWindowMs).toISOString(), workflowId });
  state.expiresAt = stored.expiresAt;
  setStatus('PENDING');

  // 2. Options: the exact slot for a direct booking (held for us), W_C-ranked starts otherwise.
  if (state.mode === 'direct') {
    try {
      state.options = [await db.holdRequestedSlot({ bookingRequestId: request.bookingRequestId, owner: workflowId, lockedUntil: stored.expiresAt })];
      compensations.push({ name: 'release held slots', run: () => db.releaseHolds({ owner: workflowId }) });
      record('held requested slot', state.options[0]!.consecutiveSlotIds.join(', '));
    } catch (error) {
      if (failureType(error) !== FAILURE_TYPES.slotConflict) throw error;
      const reason = 'The chosen time is no longer available.';
      await db.closeRequest({ bookingRequestId: request.bookingRequestId, status: 'REJECTED', reason });
      state.rejectionReason = reason;
      setStatus('REJECTED');
      await tell('request.rejected', ['client'], `${reason} Please pick another slot.`, { reason });
      return state;
    }
  } else {
    await refreshOptions();
  }
  state.optionsReady = true;
  await tell('request.received', ['client'], 'Your request was sent to your trainer, who has 24 hours to answer.', { expiresAt: state.expiresAt });
  await tell('request.options', ['trainer'], state.options.length > 0 ? 'New booking request: pick a slot or reject.' : 'New booking request, but no free slots match its duration yet.', {
    options: state.options,
    expiresAt: state.expiresAt,
  });

  // 3. Wait for the trainer until the request expires.
  while (state.status === 'PENDING') {
    const remaining = Date.parse(stored.expiresAt) - Date.now();
    if (remaining <= 0 || !(await condition(() => inbox.length > 0, remaining))) {
      await db.closeRequest({ bookingRequestId: request.bookingRequestId, status: 'EXPIRED' });
      await compensate();
      setStatus('EXPIRED');
      await tell('request.expired', ['client', 'trainer'], 'The request expired after 24 hours without an answer.');
      break;
    }
    await handle(inbox.shift()!);
  }

  // 4. Own the booking: reminder, changes, and the session's outcome.
  let remindedFor: string | null = null;
  let promptedFor: string | null = null;
  while (state.status === 'APPROVED' && state.booking) {
    const now = Date.now();
    const start = Date.parse(state.booking.startTime);
    const end = Date.parse(state.booking.endTime);
    let wakeAt: number;
    let due: 'reminder' | 'prompt' | 'close';
    if (remindedFor !== state.booking.startTime && now < start) {
      wakeAt = start - timings.reminderLeadMs;
      due = 'reminder';
    } else if (promptedFor !== state.booking.startTime) {
      wakeAt = end;
      due = 'prompt';
    } else {
      wakeAt = end + timings.outcomeWindowMs;
      due = 'close';
    }
    if (wakeAt > now && (await condition(() => inbox.length > 0, wakeAt - now))) {
      await handle(inbox.shift()!);
      continue;
    }
    if (due === 'reminder') {
      remindedFor = state.booking.startTime;
      await tell('booking.reminder', ['client', 'trainer'], 'Reminder: your training session is coming up.', { booking: state.booking });
    } else if (due === 'prompt') {
      promptedFor = state.booking.startTime;
      await tell('booking.outcome-prompt', ['trainer'], 'How did the session go? Record it as completed or a no-show.', { booking: state.booking });
    } else {
      record('outcome window closed', 'no outcome was recorded');
      break;
    }
  }

  // Answer anything still waiting (a duplicate press arriving at the end), then finish.
  while (inbox.length > 0) await handle(inbox.shift()!);
  await condition(allHandlersFinished);
  return state;
}
