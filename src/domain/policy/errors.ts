import { DomainError } from '../errors';
import type { PolicyRefusal, PolicyRefusalCode } from './rules';

/**
 * A refusal by the trainer's policy, thrown where a door cannot answer with a value (a
 * service, an activity): `code` is the stable PolicyRefusal code, the message its sentence.
 * A DomainError, so the activity layer turns it into a non-retryable failure of that type.
 */
export class PolicyRefusalError extends DomainError {
  override name = 'PolicyRefusalError';
  readonly code: PolicyRefusalCode;
  readonly field: string | undefined;
  constructor(readonly refusal: PolicyRefusal) {
    super(refusal.sentence);
    this.code = refusal.code;
    this.field = refusal.field;
  }
  override details() {
    return this.field === undefined ? undefined : { field: this.field };
  }
}
