import type { BookingClient } from '../../../src/temporal/booking-client';
import type { BookingState } from '../../../workflows/contract';

/**
 * Brings approved booking workflows to their end: an admin cancels each booking (an
 * approved workflow otherwise runs until a week after the session), then each workflow's
 * result is awaited. Returns the final states.
 */
export async function cancelAndFinish(bookings: BookingClient, bookingRequestIds: number[], adminUserId: number): Promise<BookingState[]> {
  for (const id of bookingRequestIds) {
    const outcome = await bookings.cancel(id, { actor: { role: 'ADMIN', userId: adminUserId }, reason: 'Drill over' }, `cancel-${id}`);
    if (outcome.result !== 'done') throw new Error(`cancelling request ${id} answered ${JSON.stringify(outcome)}`);
  }
  return Promise.all(bookingRequestIds.map((id) => bookings.result(id)));
}
