import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/booking-activities';
import { ERROR_CODES, NotFoundError } from '../../src/domain/errors';
import { RequestNotPendingError, SLOTS_UNAVAILABLE_MESSAGE, SlotConflictError } from '../../src/reservation/errors';
import type { ReservationService } from '../../src/reservation/reservation-service';

// The one place domain errors cross into Temporal: a DomainError's code becomes the
// ApplicationFailure's type (non-retryable), which the workflow branches on.
function activitiesFailingWith(error: Error) {
  const reservations = { confirm: () => Promise.reject(error), cancel: () => Promise.reject(error) } as unknown as ReservationService;
  return createActivities({ orm: undefined as never, reservations, notifier: { notify: () => Promise.resolve() } });
}

const confirm = (error: Error) => activitiesFailingWith(error).confirmReservation({ bookingRequestId: 1, slotStart: '2030-01-07T10:00:00Z', holdOwner: 'booking-request-1' });

describe('activity error mapping', () => {
  it('turns a slot conflict into a non-retryable SlotConflict failure with its slots', async () => {
    const failure = await confirm(new SlotConflictError([3, 4], 'slot 3 is booked')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: ERROR_CODES.slotConflict, nonRetryable: true, message: SLOTS_UNAVAILABLE_MESSAGE, details: [{ slotIds: [3, 4], detail: 'slot 3 is booked' }] });
  });

  it('uses each domain error’s own code as the failure type', async () => {
    await expect(confirm(new RequestNotPendingError(1, 'EXPIRED'))).rejects.toMatchObject({ type: 'RequestNotPending', nonRetryable: true, details: [{ status: 'EXPIRED' }] });
    await expect(confirm(new NotFoundError('Booking request', 1))).rejects.toMatchObject({ type: 'NotFound', nonRetryable: true });
  });

  it('leaves any other error to Temporal’s retries', async () => {
    const outage = new Error('connection terminated');
    await expect(confirm(outage)).rejects.toBe(outage);
  });
});
