/**
 * A bad field in a new request: `field` names it (as the request spells it, e.g.
 * `preferences.preferredEndDate`) and `message` is one bare sentence a person can act on.
 * An API prefixes its own spelling of the field; a bot shows the sentence as it is.
 */
export class RequestValidationError extends Error {
  override name = 'RequestValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
