import { REFUSALS } from './wording';

/** A rule's "no": what it is about, and the sentence the person reads. */
export interface Refusal {
  rule: keyof typeof REFUSALS;
  message: string;
}

/** Someone acting on a request: a trainer by id (null when not a trainer), or an admin. */
export interface RequestActor {
  trainerId: number | null;
  isAdmin?: boolean;
}

/**
 * Approve or reject: only the trainer the request is addressed to (an admin may act for
 * them). Returns why not, or null when allowed. The workflow's validator, the API, the
 * booking client and the chat all ask this function.
 */
export function trainerMayDecide(request: { trainerId: number }, actor: RequestActor): Refusal | null {
  if (actor.isAdmin === true || (actor.trainerId !== null && actor.trainerId === request.trainerId)) return null;
  return { rule: 'notAddressedTrainer', message: REFUSALS.notAddressedTrainer };
}

/** Record how a session went: only the booking's trainer. */
export function trainerMayRecordOutcome(booking: { trainerId: number }, actor: RequestActor): Refusal | null {
  if (actor.trainerId !== null && actor.trainerId === booking.trainerId) return null;
  return { rule: 'notBookingTrainer', message: REFUSALS.notBookingTrainer };
}
