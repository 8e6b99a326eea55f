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

/** Someone changing a booking or a request: its client, its trainer, or an admin (the workflow's `Actor`). */
export type PartyActor = { role: 'CLIENT'; userId: number } | { role: 'TRAINER'; trainerId: number } | { role: 'ADMIN' };

/**
 * Cancel or reschedule (and see) a booking: its client, its trainer, or an admin. Whether
 * the policy allows the change at this moment is `decideClientCancel` / `checkClientReschedule`.
 */
export function partyMayChange(owned: { clientId: number; trainerId: number }, actor: PartyActor): Refusal | null {
  if (actor.role === 'ADMIN') return null;
  if (actor.role === 'CLIENT' ? actor.userId === owned.clientId : actor.trainerId === owned.trainerId) return null;
  return { rule: 'notParty', message: REFUSALS.notParty };
}

/** Withdraw a pending request: only the client who made it, or an admin for them. */
export function clientMayWithdraw(request: { clientId: number }, actor: PartyActor): Refusal | null {
  if (actor.role === 'ADMIN' || (actor.role === 'CLIENT' && actor.userId === request.clientId)) return null;
  return { rule: 'notRequestClient', message: REFUSALS.notRequestClient };
}
