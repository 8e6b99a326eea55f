import type { PolicyRefusalCode } from './policy/rules';

/**
 * The stable codes of domain errors: outcomes a caller acts on (a slot taken, a request no
 * longer pending), not breakdowns. One list for every layer: a `DomainError` carries its
 * code, the activity layer turns it into a non-retryable `ApplicationFailure` of that type,
 * and the workflow branches on the same constant.
 *
 * The values are the failure types already written into running workflows' histories
 * (test/fixtures/histories/), so they must not change.
 */
export const ERROR_CODES = {
  slotConflict: 'SlotConflict',
  requestNotPending: 'RequestNotPending',
  bookingNotActive: 'BookingNotActive',
  notFound: 'NotFound',
  invalidRequest: 'InvalidRequest',
  /** A weekly series could not be booked as asked (issue 12): the dates and reasons travel in its details. */
  seriesConflict: 'SeriesConflict',
  /** The client holds no credit that can pay for the session (issue 13): the sentence names the trainer's packs. */
  creditNone: 'credit_none',
  /** A booking paid with a credit cannot move past the end of its pack's validity (issue 13). */
  creditExpires: 'credit_expires',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
/** Every code a DomainError may carry: the list above, and the trainer's policy refusals (src/domain/policy). */
export type DomainErrorCode = ErrorCode | PolicyRefusalCode;

/** An error with a stable `code`; `details` travel with it across Temporal. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** What a caller may need beyond the message (the slots that clashed, a status). */
  details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  readonly code = ERROR_CODES.notFound;
  constructor(
    readonly entity: string,
    readonly id: number,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

/** Input that cannot be stored as given; retrying it would not help. */
export class InvalidRequestError extends DomainError {
  override name = 'InvalidRequestError';
  readonly code = ERROR_CODES.invalidRequest;
}

/** A trainer id that names no trainer (publishing slots, saving a policy). */
export class TrainerNotFoundError extends Error {
  override name = 'TrainerNotFoundError';
  constructor(readonly trainerId: number) {
    super(`There is no trainer ${trainerId}.`);
  }
}
