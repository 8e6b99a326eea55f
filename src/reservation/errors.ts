/**
 * Typed outcomes of the reservation service that callers act on: the workflow turns a
 * conflict into compensation, the API into a 409, the bots into one clear sentence.
 * `code` is stable and travels across Temporal as the failure type.
 */
export abstract class ReservationError extends Error {
  abstract readonly code: string;
}

export const SLOTS_UNAVAILABLE_MESSAGE =
  'Time slots are no longer available - another booking may have been made simultaneously';

export class SlotConflictError extends ReservationError {
  override name = 'SlotConflictError';
  readonly code = 'SLOTS_UNAVAILABLE';
  constructor(
    readonly slotIds: number[],
    readonly detail: string,
  ) {
    super(SLOTS_UNAVAILABLE_MESSAGE);
  }
}

export class RequestNotPendingError extends ReservationError {
  override name = 'RequestNotPendingError';
  readonly code = 'REQUEST_NOT_PENDING';
  constructor(
    readonly requestId: number,
    readonly status: string,
  ) {
    super(`Booking request ${requestId} is ${status.toLowerCase()}, so it can no longer be approved`);
  }
}

export class NotFoundError extends ReservationError {
  override name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: number,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

export class BookingNotActiveError extends ReservationError {
  override name = 'BookingNotActiveError';
  readonly code = 'BOOKING_NOT_ACTIVE';
  constructor(
    readonly bookingId: number,
    readonly status: string,
  ) {
    super(`Booking ${bookingId} is ${status.toLowerCase()}, so it can no longer be changed`);
  }
}
