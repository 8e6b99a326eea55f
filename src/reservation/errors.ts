import { DomainError, ERROR_CODES } from '../domain/errors';

/**
 * Typed outcomes of the reservation service that callers act on: the workflow turns a
 * conflict into compensation, the API into a 409, the bots into one clear sentence.
 * Each `code` (src/domain/errors.ts) travels across Temporal as the failure type.
 */
export const SLOTS_UNAVAILABLE_MESSAGE =
  'Time slots are no longer available - another booking may have been made simultaneously';

export class SlotConflictError extends DomainError {
  override name = 'SlotConflictError';
  readonly code = ERROR_CODES.slotConflict;
  constructor(
    readonly slotIds: number[],
    readonly detail: string,
  ) {
    super(SLOTS_UNAVAILABLE_MESSAGE);
  }
  override details() {
    return { slotIds: this.slotIds, detail: this.detail };
  }
}

export class RequestNotPendingError extends DomainError {
  override name = 'RequestNotPendingError';
  readonly code = ERROR_CODES.requestNotPending;
  constructor(
    readonly requestId: number,
    readonly status: string,
  ) {
    super(`Booking request ${requestId} is ${status.toLowerCase()}, so it can no longer be approved`);
  }
  override details() {
    return { status: this.status };
  }
}

export class BookingNotActiveError extends DomainError {
  override name = 'BookingNotActiveError';
  readonly code = ERROR_CODES.bookingNotActive;
  constructor(
    readonly bookingId: number,
    readonly status: string,
  ) {
    super(`Booking ${bookingId} is ${status.toLowerCase()}, so it can no longer be changed`);
  }
  override details() {
    return { status: this.status };
  }
}
