import type { Refused } from '../temporal/booking-client';
import { ApiError } from './errors';

/**
 * A workflow Update's refusal as an HTTP answer. A refusal by the trainer's policy carries
 * the rule's code (e.g. policy_started, policy_cutoff_reschedule, policy_min_notice): 422
 * naming it, with the sentence as the message. Any other refusal keeps the route's own
 * answer (`otherwise`, usually 409).
 */
export function refusalError(refused: Refused, otherwise: () => ApiError, extra: Record<string, unknown> = {}): ApiError {
  if (refused.code) return new ApiError(422, refused.code, refused.message, extra);
  return otherwise();
}
