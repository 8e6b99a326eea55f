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

/** An occurrence of a series that was not booked: its start and why (a stable code and one sentence). */
export interface SkippedOccurrence {
  start: Date;
  /** SlotConflict, or the policy refusal code (policy_min_notice, policy_limit_upcoming, policy_client_overlap, …). */
  code: string;
  reason: string;
}

/**
 * A weekly series that cannot be booked as asked: in ALL_OR_NOTHING mode an occurrence
 * could not be booked (nothing was written), in AVAILABLE_ONLY mode none could. Lists every
 * such date with its reason.
 */
export class SeriesConflictError extends DomainError {
  override name = 'SeriesConflictError';
  readonly code = ERROR_CODES.seriesConflict;
  constructor(readonly skipped: SkippedOccurrence[]) {
    super(
      skipped.length === 1
        ? `The session on ${skipped[0]!.start.toISOString()} cannot be booked: ${skipped[0]!.reason}`
        : `${skipped.length} sessions of the series cannot be booked: ${skipped.map((s) => `${s.start.toISOString()} (${s.reason})`).join('; ')}`,
    );
  }
  override details() {
    return { skipped: this.skipped.map((s) => ({ start: s.start.toISOString(), code: s.code, reason: s.reason })) };
  }
}
