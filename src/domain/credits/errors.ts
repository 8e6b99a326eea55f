import { DomainError, ERROR_CODES, InvalidRequestError } from '../errors';
import type { CreditNeed } from './credits';
import type { CreditInputProblem } from './rules';

/**
 * The client holds no credit that can pay for a session (or, for a series, not enough): the
 * message is the sentence a person reads (creditWording.noCredit: the trainer's packs and
 * prices). A DomainError, so the activity layer turns it into a non-retryable failure of
 * type `credit_none`; nothing was written when it is thrown.
 */
export class NoCreditError extends DomainError {
  override name = 'NoCreditError';
  readonly code = ERROR_CODES.creditNone;
  constructor(
    /** What the client reads ("You have no credit left …"); also the error's message. */
    readonly sentence: string,
    /** The same for the trainer ("Jamie has no credit left …"). */
    readonly trainerSentence: string,
    readonly need: Pick<CreditNeed, 'clientId' | 'trainerId' | 'durationMinutes'> & { starts: Date[] },
    /** How many sessions were asked for and how many the client's credits could pay for. */
    readonly shortfall: { needed: number; available: number } = { needed: 1, available: 0 },
  ) {
    super(sentence);
  }
  override details() {
    return {
      clientId: this.need.clientId,
      trainerId: this.need.trainerId,
      durationMinutes: this.need.durationMinutes,
      starts: this.need.starts.map((start) => start.toISOString()),
      needed: this.shortfall.needed,
      available: this.shortfall.available,
      trainerSentence: this.trainerSentence,
    };
  }
}

/** Input the ledger cannot store as given (a pack's bounds, a payment's amount or currency): the field at fault and one sentence. */
export class CreditInputError extends InvalidRequestError {
  override name = 'CreditInputError';
  readonly field: string;
  constructor(readonly problem: CreditInputProblem) {
    super(problem.sentence);
    this.field = problem.field;
  }
  override details() {
    return { field: this.field };
  }
}

/**
 * A booking that holds a pack's credit cannot move to a start after the pack's end of
 * validity: a booking holds one credit for its whole life (the ledger's one RESERVE per
 * booking), so it cannot change packs on the way. Nothing was changed when it is thrown.
 */
export class CreditExpiryError extends DomainError {
  override name = 'CreditExpiryError';
  readonly code = ERROR_CODES.creditExpires;
  constructor(
    readonly sentence: string,
    readonly lotId: number,
    readonly expiresAt: Date,
  ) {
    super(sentence);
  }
  override details() {
    return { lotId: this.lotId, expiresAt: this.expiresAt.toISOString() };
  }
}
