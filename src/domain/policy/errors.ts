import type { PolicyRefusal, PolicyRefusalCode } from './rules';

/**
 * A refusal by the trainer's policy, thrown where a door cannot answer with a value (a
 * service, an activity): `code` is the stable PolicyRefusal code, the message its sentence.
 */
export class PolicyRefusalError extends Error {
  override name = 'PolicyRefusalError';
  readonly code: PolicyRefusalCode;
  readonly field: string | undefined;
  constructor(readonly refusal: PolicyRefusal) {
    super(refusal.sentence);
    this.code = refusal.code;
    this.field = refusal.field;
  }
}
