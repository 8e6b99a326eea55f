/**
 * The vocabulary of session packs, payments and the credit ledger (issue 13), shared by the
 * entities, the ledger service, the workflow and the doors. Pure data: workflows import it.
 *
 * A credit is one whole session. A package type covers sessions of up to `sessionMinutes`;
 * a booking uses exactly one credit of a lot whose `sessionMinutes` is at least the
 * booking's duration (no fractional credits: a 90-min session needs a 90-min pack).
 */

/** How an offline payment reached the trainer. */
export const PAYMENT_METHODS = ['CASH', 'BANK_TRANSFER', 'CARD_AT_GYM', 'OTHER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * The kinds of ledger entries and their `delta` on the lot's available credits:
 * PURCHASE +sessions (once per lot), RESERVE −1 (a booking holds a credit), RELEASE +1 (the
 * booking ended without using it), CONSUME 0 (the booking used the credit it held), EXPIRE
 * −n (what was left when the lot's validity ended).
 */
export const CREDIT_ENTRY_KINDS = ['PURCHASE', 'RESERVE', 'RELEASE', 'CONSUME', 'EXPIRE'] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/** The entries that settle a reserved credit: at most one per booking. */
export const SETTLEMENT_KINDS = ['RELEASE', 'CONSUME'] as const satisfies readonly CreditEntryKind[];

/** What ends a booking's hold on its credit: the credit comes back (release) or is used (consume). */
export type Settlement = 'release' | 'consume';

/** Inclusive bounds of a package type; the database checks the same numbers. */
export const PACKAGE_BOUNDS = Object.freeze({
  sessions: { min: 1, max: 200 },
  sessionMinutes: { min: 15, max: 480 },
  validityDays: { min: 1, max: 730 },
  /** Longest name a trainer may give a pack. */
  nameLength: { min: 1, max: 80 },
});

/** A pack as a trainer defines it: what it covers, costs and how long it stays valid. */
export interface PackageTypeDraft {
  name: string;
  sessions: number;
  sessionMinutes: number;
  /** Integer minor units of `currency` (cents for EUR, yen for JPY). */
  priceMinor: bigint;
  /** ISO 4217, upper case. */
  currency: string;
  validityDays: number;
}

/** A trainer's pack as offered to clients (a `package_type` row). */
export interface PackageOffer extends PackageTypeDraft {
  id: number;
}

/** A purchased lot as the rules see it. */
export interface CreditLotView {
  id: number;
  clientId: number;
  trainerId: number;
  sessionMinutes: number;
  expiresAt: Date;
  available: number;
}

/** What a booking needs from the ledger: one credit of this client with this trainer, covering this length, valid at this start. */
export interface CreditNeed {
  clientId: number;
  trainerId: number;
  durationMinutes: number;
  start: Date;
}

/** A trainer's credit rules, part of the trainer's policy (src/domain/policy/policy.ts). */
export interface CreditPolicy {
  /** A client needs a usable credit to ask for a session. */
  creditToRequest: boolean;
  /** Approving a session reserves one of the client's credits; without one the approval is refused. */
  creditToApprove: boolean;
  /** A client's late cancellation uses the credit (true) or gives it back (false). */
  lateCancelConsumes: boolean;
}
