import { clientMayWithdraw, partyMayChange, trainerMayDecide } from '../../domain/access';
import { forbidden, invalidField } from '../errors';
import { actorOf, type Caller } from './caller';

/** Something that belongs to one client and one trainer: a request or a booking. */
export interface Owned {
  clientId: number;
  trainerId: number;
}

/**
 * The client it is for, the trainer it is addressed to, or an admin: who may see it, cancel
 * it or reschedule it. The one rule the workflow's validators apply too (`partyMayChange`).
 */
export function isParty(caller: Caller, owned: Owned): boolean {
  return partyMayChange(owned, actorOf(caller)) === null;
}

export function assertParty(caller: Caller, owned: Owned, what: string): void {
  if (!isParty(caller, owned)) throw forbidden(`You may only see and change your own ${what}.`);
}

/** Withdraw a pending request: its client, or an admin for them (`clientMayWithdraw`); a trainer rejects instead. */
export function assertMayWithdraw(caller: Caller, owned: Owned): void {
  const refusal = clientMayWithdraw(owned, actorOf(caller));
  if (refusal) throw forbidden(caller.role === 'TRAINER' ? `${refusal.message} A trainer rejects a request instead.` : refusal.message);
}

/** Approve, reject: only the trainer the request is addressed to (or an admin). */
export function assertTrainerOf(caller: Caller, owned: Owned): void {
  const refusal = trainerMayDecide(owned, { trainerId: caller.role === 'TRAINER' ? caller.trainerId : null, isAdmin: caller.role === 'ADMIN' });
  if (refusal) throw forbidden(refusal.message);
}

/** The trainer whose availability a call publishes: the caller's own profile, or any for an admin. */
export function trainerToActFor(caller: Caller, requested: number | undefined): number {
  if (caller.role === 'ADMIN') {
    if (requested === undefined) throw invalidField('trainer_id', 'required when an admin publishes availability');
    return requested;
  }
  if (caller.role !== 'TRAINER' || caller.trainerId === null) throw forbidden('Only trainers can publish availability.');
  if (requested !== undefined && requested !== caller.trainerId) throw forbidden('Trainers can publish only their own availability.');
  return caller.trainerId;
}

/** Row filter for lists: a client's own, a trainer's addressed ones, or all for an admin. */
export function ownershipFilter(caller: Caller): { client?: number; trainer?: number } {
  if (caller.role === 'ADMIN') return {};
  if (caller.role === 'TRAINER') return { trainer: caller.trainerId ?? -1 };
  return { client: caller.userId ?? -1 };
}
