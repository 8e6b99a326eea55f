/**
 * The credit ledger's decisions, free of I/O (`now` is always an argument): which lot a
 * booking uses, what ends a booking's hold on its credit, how many sessions of a series the
 * client's lots cover, and whether a pack or a payment can be stored as given. The ledger
 * service (src/credits/) gathers the facts and writes; the database guarantees the rest.
 */
import type { BookingRowStatus } from '../statuses';
import { PACKAGE_BOUNDS, type CreditLotView, type CreditNeed, type CreditPolicy, type PackageOffer, type PackageTypeDraft, PAYMENT_METHODS, type Settlement } from './credits';

export type { PackageTypeDraft } from './credits';
import { isCurrency, MAX_MONEY_MINOR } from './money';
import { creditWording } from './wording';

/** A lot can pay for a booking: same client and trainer, long enough sessions, still valid at the start, a credit left. */
export function lotFits(lot: CreditLotView, need: CreditNeed): boolean {
  return (
    lot.clientId === need.clientId &&
    lot.trainerId === need.trainerId &&
    lot.sessionMinutes >= need.durationMinutes &&
    lot.expiresAt.getTime() >= need.start.getTime() &&
    lot.available > 0
  );
}

/** Earliest expiry first, then the older lot (lower id). */
export const byExpiryThenId = (a: CreditLotView, b: CreditLotView): number => a.expiresAt.getTime() - b.expiresAt.getTime() || a.id - b.id;

/** The lot a booking uses: of those that fit, the one that expires first (then the oldest); null when none fits. */
export function chooseLot(lots: readonly CreditLotView[], need: CreditNeed): CreditLotView | null {
  return lots.filter((lot) => lotFits(lot, need)).sort(byExpiryThenId)[0] ?? null;
}

/**
 * Which lot pays for each session of a series, taking the sessions in time order and each
 * from `chooseLot` with what is left. Sessions in time order against the earliest-expiring
 * fitting lot cover as many sessions as any assignment can when all have one length (a
 * series). `uncovered` are the sessions no lot can pay for.
 */
export function planCoverage(lots: readonly CreditLotView[], needs: readonly CreditNeed[]): { covered: { need: CreditNeed; lotId: number }[]; uncovered: CreditNeed[] } {
  const left = lots.map((lot) => ({ ...lot }));
  const covered: { need: CreditNeed; lotId: number }[] = [];
  const uncovered: CreditNeed[] = [];
  for (const need of [...needs].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const lot = chooseLot(left, need);
    if (!lot) {
      uncovered.push(need);
      continue;
    }
    lot.available -= 1;
    covered.push({ need, lotId: lot.id });
  }
  return { covered, uncovered };
}

/** How a booking stopped holding its credit. */
export type BookingEnding =
  | { kind: 'cancel'; by: 'client' | 'trainer' | 'admin'; late: boolean }
  | { kind: 'outcome'; status: 'COMPLETED' | 'NO_SHOW' };

/**
 * Release or consume: a client's on-time cancel and any trainer's or admin's cancel give the
 * credit back; a client's late cancel uses it when the trainer's policy says so
 * (`lateCancelConsumes`, the default) and gives it back otherwise; a session that took place
 * (COMPLETED) or was missed (NO_SHOW) uses it.
 */
export function settlementFor(ending: BookingEnding, policy: Pick<CreditPolicy, 'lateCancelConsumes'>): Settlement {
  if (ending.kind === 'outcome') return 'consume';
  if (ending.by !== 'client' || !ending.late) return 'release';
  return policy.lateCancelConsumes ? 'consume' : 'release';
}

/**
 * The same decision from a booking's final status (a trainer's or admin's cancel and a
 * client's on-time cancel are both CANCELLED; a client's late cancel is LATE_CANCELLED);
 * null while the booking is still active.
 */
export function settlementForStatus(status: BookingRowStatus, policy: Pick<CreditPolicy, 'lateCancelConsumes'>): Settlement | null {
  switch (status) {
    case 'PENDING':
    case 'CONFIRMED':
      return null;
    case 'CANCELLED':
      return 'release';
    case 'LATE_CANCELLED':
      return settlementFor({ kind: 'cancel', by: 'client', late: true }, policy);
    case 'COMPLETED':
    case 'NO_SHOW':
      return 'consume';
  }
}

/** The packs that could pay for a session of `durationMinutes`: the shortest sessions first, then the cheapest, then by name. */
export function packsCovering(offers: readonly PackageOffer[], durationMinutes: number): PackageOffer[] {
  return offers
    .filter((offer) => offer.sessionMinutes >= durationMinutes)
    .sort((a, b) => a.sessionMinutes - b.sessionMinutes || (a.priceMinor < b.priceMinor ? -1 : a.priceMinor > b.priceMinor ? 1 : 0) || a.name.localeCompare(b.name));
}

/** A problem with input to the ledger: the field at fault (snake_case, as the API names it) and one sentence. */
export interface CreditInputProblem {
  field: string;
  sentence: string;
}


const wholeIn = (value: number, bounds: { min: number; max: number }): boolean => Number.isInteger(value) && value >= bounds.min && value <= bounds.max;

/** Whether a new pack can be stored: a name, whole numbers inside PACKAGE_BOUNDS, a price of zero or more, a known currency. */
export function checkPackageType(draft: PackageTypeDraft): CreditInputProblem | null {
  const name = draft.name.trim();
  if (name.length < PACKAGE_BOUNDS.nameLength.min || name.length > PACKAGE_BOUNDS.nameLength.max) {
    return { field: 'name', sentence: creditWording.nameLength(PACKAGE_BOUNDS.nameLength.max) };
  }
  if (!wholeIn(draft.sessions, PACKAGE_BOUNDS.sessions)) return { field: 'sessions', sentence: creditWording.outOfBounds('sessions', PACKAGE_BOUNDS.sessions) };
  if (!wholeIn(draft.sessionMinutes, PACKAGE_BOUNDS.sessionMinutes)) return { field: 'session_minutes', sentence: creditWording.outOfBounds('session_minutes', PACKAGE_BOUNDS.sessionMinutes) };
  if (!wholeIn(draft.validityDays, PACKAGE_BOUNDS.validityDays)) return { field: 'validity_days', sentence: creditWording.outOfBounds('validity_days', PACKAGE_BOUNDS.validityDays) };
  if (!isCurrency(draft.currency)) return { field: 'currency', sentence: creditWording.unknownCurrency(draft.currency) };
  if (draft.priceMinor < 0n || draft.priceMinor > MAX_MONEY_MINOR) return { field: 'price_minor', sentence: creditWording.priceNegative() };
  return null;
}

export interface PaymentDraft {
  amountMinor: bigint;
  currency: string;
  method: string;
  /** What the payment buys: a pack, or one booked session. */
  packageTypeId?: number | null;
  bookingId?: number | null;
}

/** Whether a payment can be recorded at all (before its pack or booking is looked at). */
export function checkPayment(draft: PaymentDraft): CreditInputProblem | null {
  const forPack = draft.packageTypeId !== undefined && draft.packageTypeId !== null;
  const forBooking = draft.bookingId !== undefined && draft.bookingId !== null;
  if (forPack === forBooking) return { field: 'package_type_id', sentence: creditWording.paysOneThing() };
  if (draft.amountMinor <= 0n || draft.amountMinor > MAX_MONEY_MINOR) return { field: 'amount_minor', sentence: creditWording.amountNotPositive() };
  if (!isCurrency(draft.currency)) return { field: 'currency', sentence: creditWording.unknownCurrency(draft.currency) };
  if (!(PAYMENT_METHODS as readonly string[]).includes(draft.method)) return { field: 'method', sentence: creditWording.unknownMethod() };
  return null;
}

/**
 * A pack's payment must be the pack's price in the pack's currency: a different amount is a
 * typo far more often than a discount, so it is refused unless the caller says it is meant
 * (`priceOverride`, e.g. a trainer's discount). The currency always has to match.
 */
export function checkPackPayment(pack: PackageOffer & { active: boolean }, payment: { amountMinor: bigint; currency: string; priceOverride?: boolean }): CreditInputProblem | null {
  if (!pack.active) return { field: 'package_type_id', sentence: creditWording.packInactive(pack.name) };
  if (payment.currency !== pack.currency) return { field: 'currency', sentence: creditWording.currencyMismatch(pack) };
  if (payment.amountMinor !== pack.priceMinor && !payment.priceOverride) return { field: 'amount_minor', sentence: creditWording.priceMismatch(pack, payment.amountMinor) };
  return null;
}

/** Whether a client must hold a usable, unreserved credit to open a request with this trainer. */
export function creditNeededToRequest(policy: CreditPolicy): boolean {
  return policy.creditToRequest;
}

/**
 * What approval does with credits, in the transaction that reserves the slots: a client's
 * fitting credit is always reserved when there is one (a pack pays for sessions without
 * anyone having to say so); with either requirement on, a client without one cannot be
 * approved ('required': NoCreditError), else the session is approved unpaid ('if_available').
 * A credit asked for at request time is asked for again at approval: it may have been spent
 * on another session meanwhile.
 */
export function creditAtApproval(policy: CreditPolicy): 'required' | 'if_available' {
  return policy.creditToApprove || policy.creditToRequest ? 'required' : 'if_available';
}
