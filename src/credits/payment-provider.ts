/**
 * The seam between recording a payment and taking one. Today every payment is taken offline
 * (cash, a bank transfer, a card at the gym) and only recorded: `manualProvider`. A card
 * processor later implements the same interface — it takes the money in `confirm` and
 * returns its own reference — and the ledger does not change: the ledger stores the
 * provider's name and reference (`payment.provider`, `payment.provider_ref`, unique
 * together) and creates the lot exactly as for a manual payment.
 */
import type { PaymentMethod } from '../domain/credits/credits';

/** What is about to be recorded, as a provider sees it. */
export interface PaymentIntent {
  trainerId: number;
  clientId: number;
  amountMinor: bigint;
  /** ISO 4217, upper case. */
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  /** The caller's key for this one payment (a chat form's submission, an API Idempotency-Key). */
  idempotencyKey: string | null;
  purpose: { packageTypeId: number } | { bookingId: number };
}

/** A provider's answer: the payment happened; `providerRef` identifies it at the provider (recorded once). */
export interface PaymentConfirmation {
  providerRef: string | null;
}

export interface PaymentProvider {
  /** Stored as `payment.provider`. */
  readonly name: string;
  /**
   * Takes or confirms the payment, before anything is written to the ledger. Throws when
   * the payment did not happen (declined, cancelled): then nothing is recorded. Must be
   * idempotent per `idempotencyKey`, as the ledger may call it again on a retry.
   */
  confirm(intent: PaymentIntent): Promise<PaymentConfirmation>;
}

/**
 * Offline payments, recorded by the trainer or an admin: nothing to take, so the
 * confirmation is immediate. Its reference is the caller's idempotency key (`manual:<key>`),
 * so a retried recording with the same key is recorded once; without a key every call
 * records a payment.
 */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  confirm: (intent) => Promise.resolve({ providerRef: intent.idempotencyKey === null ? null : `manual:${intent.idempotencyKey}` }),
};
