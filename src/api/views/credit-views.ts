import type { CreditBalance, LedgerEntry, LowOrExpiring, PackageTypeRecord, RecordedPayment } from '../../credits/ledger';
import type { PaymentRecord } from '../../credits/payment-list';
import type { PaymentMethod } from '../../domain/credits/credits';
import { formatMoney } from '../../domain/credits/money';
import { creditWording, packOffer } from '../../domain/credits/wording';
import type { BookingCredit } from '../../../workflows/contract';
import type { ApiPaymentMethod, BookingCreditView } from '../schemas/credits';

/** The ledger's CASH as the API's cash, and back. */
export const apiMethod = (method: PaymentMethod): ApiPaymentMethod => method.toLowerCase() as ApiPaymentMethod;
export const domainMethod = (method: ApiPaymentMethod): PaymentMethod => method.toUpperCase() as PaymentMethod;

/** Minor units as a JSON number: exact, since the API takes only safe integers in. */
export function jsonMinor(minor: bigint): number {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`${minor} minor units do not fit a JSON number exactly`);
  return Number(minor);
}

const iso = (date: Date): string => date.toISOString();

export function packageTypeView(pack: PackageTypeRecord) {
  return {
    id: pack.id,
    trainer_id: pack.trainerId,
    name: pack.name,
    sessions: pack.sessions,
    session_minutes: pack.sessionMinutes,
    price_minor: jsonMinor(pack.priceMinor),
    currency: pack.currency,
    price: formatMoney(pack.priceMinor, pack.currency),
    validity_days: pack.validityDays,
    active: pack.active,
    offer: packOffer(pack),
    created_at: iso(pack.createdAt),
  };
}

export function recordedPaymentView(payment: RecordedPayment & { workflowId: string | null }, input: { clientId: number; trainerId: number; reference: string | null }) {
  return {
    id: payment.paymentId,
    client_id: input.clientId,
    trainer_id: input.trainerId,
    amount_minor: jsonMinor(payment.amountMinor),
    currency: payment.currency,
    amount: formatMoney(payment.amountMinor, payment.currency),
    method: apiMethod(payment.method),
    reference: input.reference,
    package_type_id: payment.packageTypeId,
    booking_id: payment.bookingId,
    provider: payment.provider,
    lot: payment.lot ? { lot_id: payment.lot.lotId, sessions: payment.lot.sessions, session_minutes: payment.lot.sessionMinutes, expires_at: iso(payment.lot.expiresAt) } : null,
    workflow_id: payment.workflowId,
    already_recorded: payment.alreadyRecorded,
    message: payment.sentence,
  };
}

export function paymentView(payment: PaymentRecord) {
  return {
    id: payment.id,
    client_id: payment.clientId,
    client_name: payment.clientName,
    trainer_id: payment.trainerId,
    trainer_name: payment.trainerName,
    amount_minor: jsonMinor(payment.amountMinor),
    currency: payment.currency,
    amount: formatMoney(payment.amountMinor, payment.currency),
    method: apiMethod(payment.method),
    reference: payment.reference,
    recorded_by: payment.recordedBy,
    package_type_id: payment.packageTypeId,
    package_name: payment.packageName,
    booking_id: payment.bookingId,
    lot_id: payment.lotId,
    provider: payment.provider,
    created_at: iso(payment.createdAt),
  };
}

export function balanceView(balance: CreditBalance) {
  return {
    client_id: balance.clientId,
    client_name: balance.clientName,
    trainer_id: balance.trainerId,
    trainer_name: balance.trainerName,
    available: balance.available,
    reserved: balance.reserved,
    next_expiry: balance.nextExpiry ? iso(balance.nextExpiry) : null,
    summary: creditWording.balance({ trainerName: balance.trainerName, lots: balance.lots.filter((lot) => !lot.expired), reserved: balance.reserved }),
    lots: balance.lots.map((lot) => ({
      lot_id: lot.lotId,
      package_type_id: lot.packageTypeId,
      pack_name: lot.packageName,
      sessions: lot.sessions,
      session_minutes: lot.sessionMinutes,
      available: lot.available,
      reserved: lot.reserved,
      purchased_at: iso(lot.purchasedAt),
      expires_at: iso(lot.expiresAt),
      expired: lot.expired,
    })),
  };
}

export function ledgerEntryView(entry: LedgerEntry) {
  return {
    id: entry.id,
    lot_id: entry.lotId,
    client_id: entry.clientId,
    trainer_id: entry.trainerId,
    kind: entry.kind,
    delta: entry.delta,
    booking_id: entry.bookingId,
    note: entry.note,
    created_at: iso(entry.createdAt),
    session_minutes: entry.sessionMinutes,
    session_start: entry.sessionStart ? iso(entry.sessionStart) : null,
    description: creditWording.entry(entry),
  };
}

export function lowOrExpiringView(row: LowOrExpiring) {
  return {
    client_id: row.clientId,
    client_name: row.clientName,
    available: row.available,
    reserved: row.reserved,
    expiring: row.expiring,
    expires_at: row.expiresAt ? iso(row.expiresAt) : null,
    reasons: row.reasons,
    message: creditWording.lowOrExpiring(row),
  };
}

/** A booking's credit (BookingSummary.credit, or read from the ledger) as the API shows it. */
export function bookingCreditView(credit: BookingCredit | null | undefined): BookingCreditView {
  if (!credit) return null;
  return { lot_id: credit.lotId, pack_name: credit.packName, left: credit.left, expires_at: new Date(credit.expiresAt).toISOString() };
}
