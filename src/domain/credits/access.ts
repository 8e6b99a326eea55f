/**
 * Who may see and change packs, payments and credits (issue 13), for every door (API,
 * chat, CLI): a trainer their own packs and their own clients' payments and credits, a
 * client their own credits and payments, an admin everything. Each rule returns the
 * sentence of its refusal, or null when allowed.
 */
import type { PartyActor } from '../access';
import { creditAccessWording } from './wording';

/** A client's, a trainer's or everyone's (admin) credits, payments and ledger entries. */
export interface CreditScope {
  clientId?: number;
  trainerId?: number;
}

/** Add or stop selling a trainer's packs, see their unsold ones, or list their clients running low: the trainer or an admin. */
export function mayManagePacks(actor: PartyActor, trainerId: number, sentence: string = creditAccessWording.managePacks): string | null {
  if (actor.role === 'ADMIN' || (actor.role === 'TRAINER' && actor.trainerId === trainerId)) return null;
  return sentence;
}

/** Record a payment to a trainer: that trainer or an admin, never a client. */
export function mayRecordPayment(actor: PartyActor, trainerId: number): string | null {
  if (actor.role === 'ADMIN') return null;
  if (actor.role === 'CLIENT') return creditAccessWording.recordPaymentClient;
  return actor.trainerId === trainerId ? null : creditAccessWording.recordPaymentOtherTrainer;
}

/**
 * What a reader may see of credits and payments, from what they asked for: a client their
 * own (with any trainer, or one), a trainer their own clients' (one client, or all), an
 * admin whatever they ask. Asking for someone else's is refused with its sentence.
 */
export function creditReadScope(actor: PartyActor, asked: CreditScope): { scope: CreditScope } | { refusal: string } {
  const only = (scope: CreditScope): CreditScope => Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined));
  switch (actor.role) {
    case 'ADMIN':
      return { scope: only(asked) };
    case 'CLIENT':
      if (asked.clientId !== undefined && asked.clientId !== actor.userId) return { refusal: creditAccessWording.otherClient };
      return { scope: only({ clientId: actor.userId, trainerId: asked.trainerId }) };
    case 'TRAINER':
      if (asked.trainerId !== undefined && asked.trainerId !== actor.trainerId) return { refusal: creditAccessWording.otherTrainer };
      return { scope: only({ clientId: asked.clientId, trainerId: actor.trainerId }) };
  }
}
