import type { BookingClient, BookingTarget } from './booking-client';

/** How long a change to a session of a series waits for its occurrence's workflow, at most. */
export const OCCURRENCE_READY_MS = 10_000;

/**
 * A session of a confirmed series is owned by its occurrence's workflow, which the series'
 * request workflow starts just AFTER it has answered the approval. A cancel or reschedule
 * sent in that moment would find no workflow yet (or one that has not taken its booking),
 * so callers wait until the occurrence's workflow answers with its booking: at once in the
 * usual case, at most `timeoutMs`. A single booking (no series) needs no wait.
 * Resolves either way; the change that follows then answers as it does.
 */
export async function waitForOccurrence(bookings: Pick<BookingClient, 'state'>, target: Exclude<BookingTarget, number>, timeoutMs = OCCURRENCE_READY_MS): Promise<void> {
  if (target.seriesId === null) return;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    try {
      const state = await bookings.state(target);
      if (state.booking?.bookingId === target.bookingId) return;
    } catch {
      // Not started yet, or its first workflow task has not run: there is nothing to answer from.
    }
    if (Date.now() + delay > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
