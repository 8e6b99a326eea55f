import type { CreditBalance, CreditLedger, LedgerEntry, LowOrExpiring, PackageTypeRecord, RecordedPayment, RecordPaymentInput } from '../../../src/credits/ledger';

/** What the dialogue reads about packs and credits (the ledger's reads, as the chat uses them). */
export interface CreditReads {
  /** Balances per client and trainer; `includeSpent` keeps used-up and expired packs. */
  balances(filter: { clientId?: number; trainerId?: number; includeSpent?: boolean; now?: Date }): Promise<CreditBalance[]>;
  /** Ledger entries, newest first. */
  entries(filter: { clientId: number; trainerId?: number; limit?: number }): Promise<LedgerEntry[]>;
  /** A trainer's clients with few credits left or credits expiring soon. */
  lowOrExpiring(trainerId: number, options: { atMost?: number; withinDays?: number; now?: Date }): Promise<LowOrExpiring[]>;
  /** A trainer's packs for sale (every one with `includeInactive`). */
  packageTypes(trainerId: number, options?: { includeInactive?: boolean }): Promise<PackageTypeRecord[]>;
}

export interface NewPackageType {
  trainerId: number;
  name: string;
  sessions: number;
  sessionMinutes: number;
  priceMinor: bigint;
  currency: string;
  validityDays: number;
}

/** What the chat's effects write: a recorded payment, a new pack, a pack no longer sold. */
export interface CreditWrites {
  /** Records the payment (idempotent per `idempotencyKey`); a pack's payment adds its credits. */
  recordPayment(input: RecordPaymentInput): Promise<RecordedPayment>;
  createPackageType(input: NewPackageType): Promise<PackageTypeRecord>;
  deactivatePackageType(trainerId: number, packageTypeId: number): Promise<PackageTypeRecord>;
}

/** The credits port of the chat engine: the ledger's reads and writes the dialogue and its effects use. */
export type ChatCredits = CreditReads & CreditWrites;

/**
 * The port over the credit ledger (src/credits). A payment is recorded by `recordPayment`:
 * the chat engine passes the booking client's, which records it in the ledger and starts the
 * pack's workflow (`recordPackPayment`: the reminder before its end, its expiry); the
 * ledger's own (no workflow) otherwise.
 */
export function ledgerCredits(ledger: CreditLedger, recordPayment: (input: RecordPaymentInput) => Promise<RecordedPayment> = (input) => ledger.recordPayment(input)): ChatCredits {
  return {
    balances: (filter) => ledger.balances(filter),
    entries: (filter) => ledger.entries(filter),
    lowOrExpiring: (trainerId, options) => ledger.lowOrExpiring(trainerId, options),
    packageTypes: (trainerId, options) => ledger.packageTypes.list(trainerId, options),
    recordPayment,
    createPackageType: (input) => ledger.packageTypes.create(input),
    deactivatePackageType: (trainerId, packageTypeId) => ledger.packageTypes.deactivate(trainerId, packageTypeId),
  };
}
