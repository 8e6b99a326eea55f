// The credit ledger's decisions and sentences (src/domain/credits), without a database.
import { describe, expect, it } from 'vitest';
import type { CreditLotView, CreditNeed, PackageOffer } from '../../src/domain/credits/credits';
import {
  checkPackageType,
  checkPackPayment,
  checkPayment,
  chooseLot,
  creditAtApproval,
  creditNeededToRequest,
  lotFits,
  packsCovering,
  planCoverage,
  settlementFor,
  settlementForStatus,
} from '../../src/domain/credits/rules';
import { creditWording, describeCreditPolicyForClient, describeCreditPolicyForTrainer } from '../../src/domain/credits/wording';
import { DEFAULT_POLICY, withDefaults } from '../../src/domain/policy/policy';
import { BOOKING_STATUSES } from '../../src/domain/statuses';

const DAY = 86_400_000;
const T0 = new Date('2027-03-10T09:00:00Z');
const day = (n: number): Date => new Date(T0.getTime() + n * DAY);
const lot = (id: number, overrides: Partial<CreditLotView> = {}): CreditLotView => ({ id, clientId: 1, trainerId: 2, sessionMinutes: 60, expiresAt: day(30), available: 5, ...overrides });
const need = (overrides: Partial<CreditNeed> = {}): CreditNeed => ({ clientId: 1, trainerId: 2, durationMinutes: 60, start: day(1), ...overrides });
const offer = (overrides: Partial<PackageOffer> = {}): PackageOffer => ({ id: 1, name: 'Ten', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'EUR', validityDays: 90, ...overrides });

describe('which lot pays for a booking', () => {
  it('only a lot of the same client and trainer, long enough, valid at the start, with a credit left', () => {
    expect(lotFits(lot(1), need())).toBe(true);
    expect(lotFits(lot(1, { clientId: 9 }), need())).toBe(false);
    expect(lotFits(lot(1, { trainerId: 9 }), need())).toBe(false);
    expect(lotFits(lot(1), need({ durationMinutes: 90 }))).toBe(false);
    expect(lotFits(lot(1, { sessionMinutes: 90 }), need({ durationMinutes: 60 }))).toBe(true);
    expect(lotFits(lot(1, { expiresAt: day(1) }), need({ start: day(1) }))).toBe(true);
    expect(lotFits(lot(1, { expiresAt: day(1) }), need({ start: new Date(day(1).getTime() + 1) }))).toBe(false);
    expect(lotFits(lot(1, { available: 0 }), need())).toBe(false);
  });

  it('the one that expires first, then the older one', () => {
    expect(chooseLot([lot(1, { expiresAt: day(40) }), lot(2, { expiresAt: day(20) }), lot(3, { expiresAt: day(20) })], need())?.id).toBe(2);
    expect(chooseLot([lot(1, { expiresAt: day(20), available: 0 }), lot(2, { expiresAt: day(40) })], need())?.id).toBe(2);
    expect(chooseLot([lot(1, { sessionMinutes: 60 })], need({ durationMinutes: 90 }))).toBeNull();
    expect(chooseLot([], need())).toBeNull();
  });

  it('a series takes its sessions in time order, each from the lot that expires first', () => {
    const lots = [lot(1, { expiresAt: day(10), available: 2 }), lot(2, { expiresAt: day(60), available: 2 })];
    const sessions = [day(21), day(7), day(14), day(1), day(28)].map((start) => need({ start }));
    const plan = planCoverage(lots, sessions);
    expect(plan.covered.map((c) => [c.need.start, c.lotId])).toEqual([
      [day(1), 1],
      [day(7), 1],
      [day(14), 2],
      [day(21), 2],
    ]);
    expect(plan.uncovered.map((n) => n.start)).toEqual([day(28)]);
    // The lots themselves are not changed.
    expect(lots.map((l) => l.available)).toEqual([2, 2]);
  });

  it('a lot expiring mid-series pays only for the sessions before its expiry', () => {
    const plan = planCoverage([lot(1, { expiresAt: day(8), available: 5 })], [day(1), day(7), day(14)].map((start) => need({ start })));
    expect(plan.covered).toHaveLength(2);
    expect(plan.uncovered.map((n) => n.start)).toEqual([day(14)]);
  });
});

describe('release or consume', () => {
  const consumes = { lateCancelConsumes: true };
  const releases = { lateCancelConsumes: false };
  it('a cancel in time, or by the trainer or an admin, gives the credit back', () => {
    for (const policy of [consumes, releases]) {
      expect(settlementFor({ kind: 'cancel', by: 'client', late: false }, policy)).toBe('release');
      expect(settlementFor({ kind: 'cancel', by: 'trainer', late: true }, policy)).toBe('release');
      expect(settlementFor({ kind: 'cancel', by: 'admin', late: true }, policy)).toBe('release');
    }
  });
  it("a client's late cancel follows the trainer's policy", () => {
    expect(settlementFor({ kind: 'cancel', by: 'client', late: true }, consumes)).toBe('consume');
    expect(settlementFor({ kind: 'cancel', by: 'client', late: true }, releases)).toBe('release');
    expect(settlementFor({ kind: 'cancel', by: 'client', late: true }, DEFAULT_POLICY)).toBe('consume');
  });
  it('a session that took place or was missed uses the credit', () => {
    expect(settlementFor({ kind: 'outcome', status: 'COMPLETED' }, releases)).toBe('consume');
    expect(settlementFor({ kind: 'outcome', status: 'NO_SHOW' }, releases)).toBe('consume');
  });
  it('the same from a booking’s final status; nothing while it is active', () => {
    const answers = Object.fromEntries(BOOKING_STATUSES.map((status) => [status, [settlementForStatus(status, consumes), settlementForStatus(status, releases)]]));
    expect(answers).toEqual({
      PENDING: [null, null],
      CONFIRMED: [null, null],
      CANCELLED: ['release', 'release'],
      LATE_CANCELLED: ['consume', 'release'],
      COMPLETED: ['consume', 'consume'],
      NO_SHOW: ['consume', 'consume'],
    });
  });
});

describe("the trainer's credit rules", () => {
  it('default to no credit needed and a late cancel that uses the credit', () => {
    expect(DEFAULT_POLICY).toMatchObject({ creditToRequest: false, creditToApprove: false, lateCancelConsumes: true });
    expect(withDefaults({ creditToApprove: true, lateCancelConsumes: null })).toMatchObject({ creditToRequest: false, creditToApprove: true, lateCancelConsumes: true });
    expect(withDefaults({ lateCancelConsumes: false }).lateCancelConsumes).toBe(false);
  });
  it('approval reserves a credit when there is one, and requires one when either rule is on', () => {
    expect(creditAtApproval(DEFAULT_POLICY)).toBe('if_available');
    expect(creditAtApproval({ ...DEFAULT_POLICY, creditToApprove: true })).toBe('required');
    expect(creditAtApproval({ ...DEFAULT_POLICY, creditToRequest: true })).toBe('required');
    expect(creditNeededToRequest(DEFAULT_POLICY)).toBe(false);
    expect(creditNeededToRequest({ ...DEFAULT_POLICY, creditToRequest: true })).toBe(true);
  });
  it('are described to trainers and clients', () => {
    expect(describeCreditPolicyForTrainer(DEFAULT_POLICY)).toEqual(['Credit needed to request a session: no', 'Credit needed to approve a session: no', 'A late cancellation uses the credit']);
    expect(describeCreditPolicyForClient(DEFAULT_POLICY, 'Sam')).toBeNull();
    expect(describeCreditPolicyForClient({ ...DEFAULT_POLICY, creditToApprove: true, lateCancelConsumes: false }, 'Sam')).toBe(
      'Sam books sessions against a pack: each session uses 1 credit; a late cancellation gives the credit back.',
    );
  });
});

describe('packs and payments as given', () => {
  const pack = { name: 'Ten sessions', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'EUR', validityDays: 90 };
  it('a pack inside its bounds is fine; each bound names its field', () => {
    expect(checkPackageType(pack)).toBeNull();
    expect(checkPackageType({ ...pack, priceMinor: 0n })).toBeNull();
    expect(checkPackageType({ ...pack, name: '  ' })?.field).toBe('name');
    expect(checkPackageType({ ...pack, sessions: 0 })?.field).toBe('sessions');
    expect(checkPackageType({ ...pack, sessions: 201 })?.field).toBe('sessions');
    expect(checkPackageType({ ...pack, sessions: 1.5 })?.field).toBe('sessions');
    expect(checkPackageType({ ...pack, sessionMinutes: 14 })?.field).toBe('session_minutes');
    expect(checkPackageType({ ...pack, sessionMinutes: 481 })?.field).toBe('session_minutes');
    expect(checkPackageType({ ...pack, validityDays: 731 })?.field).toBe('validity_days');
    expect(checkPackageType({ ...pack, currency: 'EURO' })?.field).toBe('currency');
    expect(checkPackageType({ ...pack, priceMinor: -1n })?.field).toBe('price_minor');
    expect(checkPackageType({ ...pack, sessions: 0 })?.sentence).toBe('sessions must be a whole number from 1 to 200.');
  });
  it('a payment pays for exactly one thing, more than zero, in a known currency, by a known method', () => {
    const payment = { amountMinor: 70_000n, currency: 'EUR', method: 'CASH', packageTypeId: 1 };
    expect(checkPayment(payment)).toBeNull();
    expect(checkPayment({ ...payment, packageTypeId: null, bookingId: 4 })).toBeNull();
    expect(checkPayment({ ...payment, bookingId: 4 })?.field).toBe('package_type_id');
    expect(checkPayment({ ...payment, packageTypeId: null })?.field).toBe('package_type_id');
    expect(checkPayment({ ...payment, amountMinor: 0n })?.field).toBe('amount_minor');
    expect(checkPayment({ ...payment, currency: 'XYZ' })?.field).toBe('currency');
    expect(checkPayment({ ...payment, method: 'CHEQUE' })?.field).toBe('method');
  });
  it("a pack's payment is its price in its currency, unless a different amount is confirmed", () => {
    const sold = { ...offer(), active: true };
    expect(checkPackPayment(sold, { amountMinor: 70_000n, currency: 'EUR' })).toBeNull();
    expect(checkPackPayment(sold, { amountMinor: 60_000n, currency: 'EUR' })).toEqual({
      field: 'amount_minor',
      sentence: 'The pack "Ten" costs €700.00, not €600.00: record the price, or confirm the different amount (a discount).',
    });
    expect(checkPackPayment(sold, { amountMinor: 60_000n, currency: 'EUR', priceOverride: true })).toBeNull();
    expect(checkPackPayment(sold, { amountMinor: 70_000n, currency: 'GBP', priceOverride: true })?.field).toBe('currency');
    expect(checkPackPayment({ ...sold, active: false }, { amountMinor: 70_000n, currency: 'EUR' })?.field).toBe('package_type_id');
  });
  it('the packs offered for a session are those that cover it, shortest then cheapest first', () => {
    const offers = [offer({ id: 1, name: 'Ninety', sessionMinutes: 90, priceMinor: 90_000n }), offer({ id: 2, name: 'Five', sessions: 5, priceMinor: 37_500n }), offer({ id: 3, name: 'Ten' }), offer({ id: 4, name: 'Half', sessionMinutes: 30 })];
    expect(packsCovering(offers, 60).map((o) => o.id)).toEqual([2, 3, 1]);
    expect(packsCovering(offers, 90).map((o) => o.id)).toEqual([1]);
    expect(packsCovering(offers, 120)).toEqual([]);
  });
});

describe('wording', () => {
  it('no credit: the trainer’s packs and prices, to the trainer and to the client', () => {
    expect(creditWording.noCredit({ clientName: 'Jamie', trainerName: 'Sam', durationMinutes: 60, offers: [offer()] })).toBe(
      'Jamie has no credit left for a 60-min session with Sam: buy a pack — 10 × 60 min for €700.00.',
    );
    expect(creditWording.noCredit({ trainerName: 'Sam', durationMinutes: 60, offers: [offer(), offer({ sessions: 5, priceMinor: 37_550n })] })).toBe(
      'You have no credit left for a 60-min session with Sam: buy a pack — 10 × 60 min for €700.00 or 5 × 60 min for €375.50.',
    );
    expect(creditWording.noCredit({ trainerName: 'Sam', durationMinutes: 90, offers: [] })).toBe('You have no credit left for a 90-min session with Sam: ask Sam about a pack that covers it.');
    expect(creditWording.notEnoughForSeries({ trainerName: 'Sam', durationMinutes: 60, needed: 10, available: 4, offers: [offer()] })).toBe(
      'These 10 sessions need 10 credits for 60-min sessions with Sam, and you have 4: buy a pack — 10 × 60 min for €700.00 — or book fewer sessions.',
    );
  });
  it('the booking summary and balances', () => {
    expect(creditWording.usesCredit(4)).toBe('uses 1 credit (4 left)');
    expect(
      creditWording.balance({
        trainerName: 'Sam',
        reserved: 1,
        lots: [
          { available: 3, sessionMinutes: 60, expiresAt: new Date('2027-03-14T12:00:00Z') },
          { available: 0, sessionMinutes: 60, expiresAt: new Date('2027-02-01T12:00:00Z') },
          { available: 1, sessionMinutes: 90, expiresAt: new Date('2027-04-02T12:00:00Z') },
        ],
      }),
    ).toBe('Sam: 4 credits (3 × 60 min until 14 Mar 2027, 1 × 90 min until 2 Apr 2027); 1 more held for booked sessions.');
    expect(creditWording.balance({ trainerName: 'Sam', reserved: 0, lots: [] })).toBe('Sam: no credits left.');
    expect(creditWording.entry({ kind: 'PURCHASE', delta: 10, createdAt: new Date('2026-12-12T10:00:00Z'), sessionMinutes: 60 })).toBe('12 Dec 2026: +10 bought (10 × 60 min)');
    expect(creditWording.entry({ kind: 'EXPIRE', delta: -3, createdAt: new Date('2027-03-12T10:00:00Z'), sessionMinutes: 60 })).toBe('12 Mar 2027: −3 credits expired unused');
    expect(creditWording.reminder({ trainerName: 'Sam', available: 4, expiring: 4, expiresAt: new Date('2027-03-14T12:00:00Z') })).toBe('4 credits of your pack with Sam expire on 14 Mar 2027: book a session before then.');
    expect(creditWording.lowOrExpiring({ clientName: 'Jamie', available: 1, expiring: 1, expiresAt: new Date('2027-03-14T12:00:00Z') })).toBe('Jamie has 1 credit left; 1 credit expires on 14 Mar 2027.');
  });
  it('dates are read in the reader’s zone', () => {
    const lateEvening = new Date('2027-03-14T23:30:00Z');
    expect(creditWording.balance({ trainerName: 'Sam', reserved: 0, lots: [{ available: 1, sessionMinutes: 60, expiresAt: lateEvening }] }, 'Europe/Berlin')).toBe('Sam: 1 credit (1 × 60 min until 15 Mar 2027).');
  });
});
