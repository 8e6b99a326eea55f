import { logger } from '../logger';
import type { BookingClient } from '../temporal/booking-client';
import type { AvailabilityChange } from '../../workflows/contract';

/** How long a caller waits for pending requests to be told before it answers anyway. */
const DEFAULT_WAIT_MS = 3_000;

/**
 * Tells the trainer's pending requests that their free time changed (slots published,
 * time off blocked), so each re-ranks its options. Never throws and never holds up the
 * caller longer than `waitMs`: the slots are already changed, and a request re-ranks on its
 * own at the next decision; a failure or a slow Temporal is logged. Resolves to the number
 * of requests told, or null when that is not known in time.
 */
export async function announceAvailabilityChange(bookings: Pick<BookingClient, 'availabilityChanged'> | (() => Promise<Pick<BookingClient, 'availabilityChanged'>>), change: AvailabilityChange, waitMs = DEFAULT_WAIT_MS): Promise<number | null> {
  const telling = (async () => (typeof bookings === 'function' ? await bookings() : bookings).availabilityChanged(change))().catch((error: unknown) => {
    logger.warn({ err: error, ...change }, 'pending requests could not be told that availability changed');
    return null;
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      logger.warn({ ...change, waitMs }, 'telling pending requests that availability changed is slow; answering without waiting');
      resolve(null);
    }, waitMs);
    timer.unref();
  });
  try {
    return await Promise.race([telling, late]);
  } finally {
    clearTimeout(timer);
  }
}
