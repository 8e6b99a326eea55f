import type { Client } from '@temporalio/client';
import type { BookingClient, Refused } from '../../../src/temporal/booking-client';
import type { BookingState, DecisionOutcome, SlotOption, TrainerDecision } from '../../../workflows/contract';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A trainer's button press as a chat adapter sends it: when the call itself fails (a
 * server restarting, a dropped connection) the same press (same update id) is sent again
 * until it is answered, so it is applied once however often it is sent.
 */
export async function press(bookings: BookingClient, bookingRequestId: number, decision: TrainerDecision, pressId: string, timeoutMs = 90_000): Promise<DecisionOutcome | Refused> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await bookings.decide(bookingRequestId, decision, pressId);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`press ${pressId} unanswered after ${timeoutMs} ms`, { cause: error });
      await sleep(500);
    }
  }
}

/** Polls the workflow's state (queries retried while a server restarts) until `done` holds. */
export async function waitForState(bookings: BookingClient, bookingRequestId: number, done: (state: BookingState) => boolean, timeoutMs = 60_000): Promise<BookingState> {
  const deadline = Date.now() + timeoutMs;
  let last: BookingState | undefined;
  for (;;) {
    last = await bookings.state(bookingRequestId).catch(() => last);
    if (last && done(last)) return last;
    if (Date.now() > deadline) throw new Error(`request ${bookingRequestId} did not get there within ${timeoutMs} ms; last state ${last?.status ?? 'unknown'}`);
    await sleep(100);
  }
}

export const hasOptions = (state: BookingState): boolean => state.status === 'PENDING' && state.options.length > 0;

/**
 * The trainer approves the best option; when it was just taken, the best of the fresh
 * options; and rejects once none is left. Returns the request's final decision.
 */
export async function approveBestUntilSettled(bookings: BookingClient, bookingRequestId: number, trainerId: number, offered: SlotOption[], maxRounds = 40): Promise<'approved' | 'rejected'> {
  let options = offered;
  for (let round = 0; round < maxRounds; round++) {
    const pressId = `trainer-${bookingRequestId}-${round}`;
    if (options.length === 0) {
      const outcome = await press(bookings, bookingRequestId, { kind: 'reject', trainerId, reason: 'No free time left for this session' }, pressId);
      if (outcome.result !== 'rejected') throw new Error(`request ${bookingRequestId}: reject answered ${JSON.stringify(outcome)}`);
      return 'rejected';
    }
    const outcome = await press(bookings, bookingRequestId, { kind: 'approve', trainerId, slotId: options[0]!.slotId }, pressId);
    if (outcome.result === 'approved') return 'approved';
    if (outcome.result !== 'conflict') throw new Error(`request ${bookingRequestId}: approve answered ${JSON.stringify(outcome)}`);
    options = outcome.options;
  }
  throw new Error(`request ${bookingRequestId} still undecided after ${maxRounds} rounds`);
}

/** How many times the confirmReservation activity ran, per the workflow's history (its last attempt number). */
export async function confirmAttempts(client: Client, workflowId: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const confirms = new Set<string>();
  const attempts: number[] = [];
  for (const event of history.events ?? []) {
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'confirmReservation') confirms.add(String(event.eventId));
    const started = event.activityTaskStartedEventAttributes;
    if (started && confirms.has(String(started.scheduledEventId))) attempts.push(started.attempt ?? 1);
  }
  return attempts;
}
