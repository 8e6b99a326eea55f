// The credit ledger on real PostgreSQL: packs, payments, and the arithmetic of every
// transition a credit goes through (purchase, reserve, consume on completion, no-show and
// late cancel, release on an on-time or trainer cancel, expiry, a release into an expired
// lot), each operation repeated to show it is idempotent, and the ledger's invariants after
// each test.
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCreditLedger, type CreditReservation } from '../../src/credits';
import { CreditInputError, NoCreditError } from '../../src/domain/credits/errors';
import { settlementFor, settlementForStatus } from '../../src/domain/credits/rules';
import { creditWording } from '../../src/domain/credits/wording';
import { NotFoundError } from '../../src/domain/errors';
import { DEFAULT_POLICY } from '../../src/domain/policy/policy';
import type { BookingRowStatus } from '../../src/domain/statuses';
import { DAY_MS } from '../../src/domain/time';
import { loadPolicy, loadStoredPolicy, savePolicy } from '../../src/policy/policy-store';
import { policyPatchSchema } from '../../src/policy/policy-patch';
import { checkCreditInvariants } from '../support/credit-invariants';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient } from '../support/fixtures';
import { createCreditWorld, NOW, startAt, type CreditWorld } from './support/credit-world';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());
afterEach(async () => {
  expect(await checkCreditInvariants(db.orm.em.fork())).toEqual([]);
});

const reserve = (w: CreditWorld, booking: { id: number; startTime: Date; durationMinutes: number }, clientId = w.client.id): Promise<CreditReservation> =>
  db.orm.em.fork().transactional((tx) => w.ledger.reserveForBooking(tx, { bookingId: booking.id, clientId, trainerId: w.trainer.id, durationMinutes: booking.durationMinutes, start: booking.startTime }));

/** Waits until `count` sessions of this database wait for a lock. */
async function waitForLockWaiters(count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if (row!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${count} lock waiters after 10 s`);
}

const settle = (w: CreditWorld, bookingId: number, outcome: 'release' | 'consume') => db.orm.em.fork().transactional((tx) => w.ledger.settleBooking(tx, { bookingId, outcome, note: null }));

async function kinds(bookingId: number): Promise<string[]> {
  const rows = await db.orm.em.fork().execute<{ kind: string; delta: number }[]>('select kind, delta from credit_entry where booking_id = ? order by id', [bookingId]);
  return rows.map((row) => `${row.kind} ${row.delta}`);
}

async function rename(em: EntityManager, w: CreditWorld, client: string, trainer: string): Promise<void> {
  await em.execute('update app_user set full_name = ? where id = ?', [client, w.client.id]);
  await em.execute('update app_user set full_name = ? where id = ?', [trainer, w.trainer.user.id]);
}

describe('packs', () => {
  it('a trainer creates, lists and deactivates packs; names are unique per trainer; bounds name their field', async () => {
    const w = await createCreditWorld(db);
    const ten = await w.ledger.packageTypes.create({ trainerId: w.trainer.id, name: ' Ten × 60 ', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'eur', validityDays: 90 });
    expect(ten).toMatchObject({ name: 'Ten × 60', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'EUR', validityDays: 90, active: true, trainerId: w.trainer.id });
    const five = await w.pack({ name: 'Five × 60', sessions: 5, priceMinor: 37_500n });
    const long = await w.pack({ name: 'Five × 90', sessions: 5, sessionMinutes: 90, priceMinor: 50_000n });
    expect((await w.ledger.packageTypes.list(w.trainer.id)).map((p) => p.name)).toEqual(['Five × 60', 'Ten × 60', 'Five × 90']);

    await expect(w.pack({ name: 'Ten × 60' })).rejects.toMatchObject({ field: 'name', message: 'You already have a pack named "Ten × 60": choose another name.' });
    await expect(w.pack({ sessions: 0 })).rejects.toBeInstanceOf(CreditInputError);
    await expect(w.pack({ currency: 'EURO' })).rejects.toMatchObject({ field: 'currency' });
    await expect(w.ledger.packageTypes.create({ trainerId: 0, name: 'x', sessions: 1, sessionMinutes: 60, priceMinor: 1n, currency: 'EUR', validityDays: 1 })).rejects.toBeInstanceOf(NotFoundError);

    expect(await w.ledger.packageTypes.deactivate(w.trainer.id, five.id)).toMatchObject({ id: five.id, active: false });
    expect(await w.ledger.packageTypes.deactivate(w.trainer.id, five.id)).toMatchObject({ active: false });
    await expect(w.ledger.packageTypes.deactivate(w.trainer.id + 1, long.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await w.ledger.packageTypes.list(w.trainer.id)).map((p) => p.id)).toEqual([ten.id, long.id]);
    expect((await w.ledger.packageTypes.list(w.trainer.id, { includeInactive: true })).map((p) => p.id)).toEqual([ten.id, long.id, five.id]);
    expect(await w.ledger.packageTypes.get(five.id)).toMatchObject({ active: false });
  });
});

describe('payments', () => {
  it('a pack payment creates the lot (valid validity_days from now) and its PURCHASE entry in one go', async () => {
    const w = await createCreditWorld(db);
    await rename(w.em, w, 'Jamie', 'Sam');
    const pack = await w.pack({ name: 'Ten × 60' });
    const paid = await w.ledger.recordPayment({ trainerId: w.trainer.id, clientId: w.client.id, recordedBy: w.trainer.user.id, amountMinor: 70_000n, currency: 'EUR', method: 'BANK_TRANSFER', reference: 'INV-7', packageTypeId: pack.id });
    expect(paid).toMatchObject({ provider: 'manual', providerRef: null, amountMinor: 70_000n, currency: 'EUR', method: 'BANK_TRANSFER', packageTypeId: pack.id, bookingId: null, alreadyRecorded: false });
    expect(paid.lot).toMatchObject({ sessions: 10, sessionMinutes: 60, expiresAt: new Date(NOW.getTime() + 90 * DAY_MS) });
    expect(paid.sentence).toBe('Recorded €700.00 (bank transfer) from Jamie for Ten × 60: 10 × 60 min added.');
    expect(await w.available(paid.lot!.lotId)).toBe(10);
    const [payment] = await w.em.execute<{ amount_minor: string; reference: string; recorded_by_id: number }[]>('select amount_minor::text, reference, recorded_by_id from payment where id = ?', [paid.paymentId]);
    expect(payment).toEqual({ amount_minor: '70000', reference: 'INV-7', recorded_by_id: w.trainer.user.id });
    expect((await w.ledger.entries({ clientId: w.client.id })).map((e) => [e.kind, e.delta, e.lotId])).toEqual([['PURCHASE', 10, paid.lot!.lotId]]);
  });

  it('a retry with the same idempotency key records once; the same key with other details is refused', async () => {
    const w = await createCreditWorld(db);
    const pack = await w.pack();
    const first = await w.buy(pack, { idempotencyKey: 'form-1' });
    const again = await w.buy(pack, { idempotencyKey: 'form-1' });
    expect(again).toMatchObject({ paymentId: first.paymentId, providerRef: 'manual:form-1', alreadyRecorded: true, lot: { lotId: first.lot!.lotId, purchaseEntryId: first.lot!.purchaseEntryId } });
    const other = await w.pack({ priceMinor: 50_000n });
    await expect(w.buy(other, { idempotencyKey: 'form-1' })).rejects.toMatchObject({ field: 'idempotency_key' });
    const [count] = await w.em.execute<{ n: number }[]>('select count(*)::int as n from credit_lot where client_id = ?', [w.client.id]);
    expect(count!.n).toBe(1);
  });

  it("a pack's payment is its price in its currency, unless the different amount is confirmed", async () => {
    const w = await createCreditWorld(db);
    const pack = await w.pack({ name: 'Ten' });
    const base = { trainerId: w.trainer.id, clientId: w.client.id, recordedBy: w.trainer.user.id, method: 'CASH' as const, packageTypeId: pack.id };
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 60_000n, currency: 'EUR' })).rejects.toMatchObject({
      field: 'amount_minor',
      message: 'The pack "Ten" costs €700.00, not €600.00: record the price, or confirm the different amount (a discount).',
    });
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 70_000n, currency: 'GBP' })).rejects.toMatchObject({ field: 'currency' });
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 70_000n, currency: 'pounds' })).rejects.toMatchObject({ field: 'currency' });
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 0n, currency: 'EUR' })).rejects.toMatchObject({ field: 'amount_minor' });
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 70_000n, currency: 'EUR', bookingId: 1 })).rejects.toMatchObject({ field: 'package_type_id' });
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 70_000n, currency: 'EUR', provider: 'stripe' })).rejects.toMatchObject({ field: 'provider' });
    const discounted = await w.ledger.recordPayment({ ...base, amountMinor: 60_000n, currency: 'eur', priceOverride: true });
    expect(discounted).toMatchObject({ amountMinor: 60_000n, currency: 'EUR', lot: { sessions: 10 } });

    await w.ledger.packageTypes.deactivate(w.trainer.id, pack.id);
    await expect(w.ledger.recordPayment({ ...base, amountMinor: 70_000n, currency: 'EUR' })).rejects.toMatchObject({ field: 'package_type_id', message: 'The pack "Ten" is no longer sold: choose another one.' });
    const elsewhere = await createCreditWorld(db);
    const theirs = await elsewhere.pack();
    await expect(w.ledger.recordPayment({ ...base, packageTypeId: theirs.id, amountMinor: 70_000n, currency: 'EUR' })).rejects.toMatchObject({ field: 'package_type_id' });
    await expect(w.ledger.recordPayment({ ...base, clientId: 0, amountMinor: 60_000n, currency: 'EUR', priceOverride: true })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a single session is paid against its booking, without credits; only a booking of this client and trainer', async () => {
    const w = await createCreditWorld(db);
    const booking = await w.booking(startAt(3));
    const paid = await w.ledger.recordPayment({ trainerId: w.trainer.id, clientId: w.client.id, recordedBy: w.trainer.user.id, amountMinor: 6_000n, currency: 'EUR', method: 'CARD_AT_GYM', bookingId: booking.id });
    expect(paid).toMatchObject({ bookingId: booking.id, packageTypeId: null, lot: null, sentence: expect.stringMatching(/^Recorded €60.00 \(card at the gym\) from .* for a session\.$/) as unknown });
    const stranger = await createClient(w.em);
    await expect(w.ledger.recordPayment({ trainerId: w.trainer.id, clientId: stranger.id, recordedBy: w.trainer.user.id, amountMinor: 6_000n, currency: 'EUR', method: 'CASH', bookingId: booking.id })).rejects.toMatchObject({
      field: 'booking_id',
    });
  });

  it('a provider plugged into the seam confirms before anything is written; a refusal writes nothing', async () => {
    const confirmed: string[] = [];
    const card = {
      name: 'test-card',
      confirm: (intent: { idempotencyKey: string | null; amountMinor: bigint }) => {
        if (intent.amountMinor > 100_000n) return Promise.reject(new Error('declined'));
        confirmed.push(intent.idempotencyKey ?? '');
        return Promise.resolve({ providerRef: `ch_${intent.idempotencyKey}` });
      },
    };
    const ledger = createCreditLedger(db.orm, () => NOW, [card]);
    const w = await createCreditWorld(db, { ledger });
    const pack = await w.pack();
    const big = await w.pack({ priceMinor: 200_000n });
    const base = { trainerId: w.trainer.id, clientId: w.client.id, recordedBy: w.trainer.user.id, currency: 'EUR', method: 'OTHER' as const, provider: 'test-card' };
    const paid = await ledger.recordPayment({ ...base, amountMinor: 70_000n, packageTypeId: pack.id, idempotencyKey: 'k1' });
    expect(paid).toMatchObject({ provider: 'test-card', providerRef: 'ch_k1', lot: { sessions: 10 } });
    await expect(ledger.recordPayment({ ...base, amountMinor: 200_000n, packageTypeId: big.id, idempotencyKey: 'k2' })).rejects.toThrow('declined');
    expect(confirmed).toEqual(['k1']);
    await expect(ledger.recordPayment({ ...base, provider: 'manual', amountMinor: 70_000n, packageTypeId: pack.id })).rejects.toMatchObject({ field: 'provider' });
    expect((await ledger.balances({ clientId: w.client.id }))[0]?.available).toBe(10);
  });
});

describe('a credit through every transition', () => {
  /** A world with one pack of 10 bought and one booking holding a credit of it. */
  async function reserved(options: { start?: Date } = {}) {
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack())).lot!;
    const booking = await w.booking(options.start ?? startAt(2));
    const held = await reserve(w, booking);
    return { w, lot, booking, held };
  }

  /** Ends the booking as its status says (the decision the booking's cancel or outcome will take), twice. */
  async function end(w: CreditWorld, bookingId: number, status: BookingRowStatus, policy = DEFAULT_POLICY) {
    await w.setStatus(bookingId, status);
    const outcome = settlementForStatus(status, policy)!;
    const first = await settle(w, bookingId, outcome);
    const again = await settle(w, bookingId, outcome);
    expect(again).toMatchObject({ entryId: first!.entryId, kind: first!.kind, alreadySettled: true });
    return first!;
  }

  it('purchase +10, then a booking holds 1: 9 left, "uses 1 credit (9 left)"; reserving again changes nothing', async () => {
    const { w, lot, booking, held } = await reserved();
    expect(held).toMatchObject({ lotId: lot.lotId, bookingId: booking.id, alreadyReserved: false, left: 9 });
    expect(creditWording.usesCredit(held.left)).toBe('uses 1 credit (9 left)');
    expect(await reserve(w, booking)).toEqual({ ...held, alreadyReserved: true });
    expect(await w.available(lot.lotId)).toBe(9);
    expect(await kinds(booking.id)).toEqual(['RESERVE -1']);
    const [balance] = await w.ledger.balances({ clientId: w.client.id, trainerId: w.trainer.id });
    expect(balance).toMatchObject({ available: 9, reserved: 1, nextExpiry: lot.expiresAt, lots: [{ lotId: lot.lotId, available: 9, reserved: 1, expired: false }] });
  });

  it('COMPLETED consumes it: still 9, nothing held', async () => {
    const { w, lot, booking } = await reserved();
    expect(await end(w, booking.id, 'COMPLETED')).toMatchObject({ kind: 'CONSUME', lotId: lot.lotId, alreadySettled: false });
    expect(await w.available(lot.lotId)).toBe(9);
    expect(await kinds(booking.id)).toEqual(['RESERVE -1', 'CONSUME 0']);
    expect((await w.ledger.balances({ clientId: w.client.id }))[0]).toMatchObject({ available: 9, reserved: 0 });
  });

  it('NO_SHOW consumes it', async () => {
    const { w, lot, booking } = await reserved();
    expect((await end(w, booking.id, 'NO_SHOW')).kind).toBe('CONSUME');
    expect(await w.available(lot.lotId)).toBe(9);
  });

  it("a client's late cancel consumes it by default, and releases it when the trainer's policy says so", async () => {
    const first = await reserved();
    expect((await end(first.w, first.booking.id, 'LATE_CANCELLED')).kind).toBe('CONSUME');
    expect(await first.w.available(first.lot.lotId)).toBe(9);

    const second = await reserved();
    await savePolicy(db.orm.em.fork(), second.w.trainer.id, { lateCancelConsumes: false });
    const policy = await loadPolicy(db.orm.em.fork(), second.w.trainer.id);
    expect((await end(second.w, second.booking.id, 'LATE_CANCELLED', policy)).kind).toBe('RELEASE');
    expect(await second.w.available(second.lot.lotId)).toBe(10);
    expect(await kinds(second.booking.id)).toEqual(['RESERVE -1', 'RELEASE 1']);
  });

  it("an on-time cancel and a trainer's cancel release it: back to 10", async () => {
    const onTime = await reserved();
    expect((await end(onTime.w, onTime.booking.id, 'CANCELLED')).kind).toBe('RELEASE');
    expect(await onTime.w.available(onTime.lot.lotId)).toBe(10);

    const byTrainer = await reserved();
    await byTrainer.w.setStatus(byTrainer.booking.id, 'CANCELLED');
    expect(await settle(byTrainer.w, byTrainer.booking.id, settlementFor({ kind: 'cancel', by: 'trainer', late: true }, DEFAULT_POLICY))).toMatchObject({ kind: 'RELEASE' });
    expect(await byTrainer.w.available(byTrainer.lot.lotId)).toBe(10);
  });

  it('a booking settled once keeps its first settlement; one that never held a credit settles nothing', async () => {
    const { w, lot, booking } = await reserved();
    await w.setStatus(booking.id, 'CANCELLED');
    const released = await settle(w, booking.id, 'release');
    expect(await settle(w, booking.id, 'consume')).toMatchObject({ entryId: released!.entryId, kind: 'RELEASE', alreadySettled: true });
    expect(await w.available(lot.lotId)).toBe(10);
    const unpaid = await w.booking(startAt(3));
    expect(await settle(w, unpaid.id, 'consume')).toBeNull();
    expect(await kinds(unpaid.id)).toEqual([]);
  });

  it('expiry writes off what is left, once; a credit released into the expired lot is expired again', async () => {
    const { w, lot, booking } = await reserved({ start: startAt(89) });
    const afterExpiry = new Date(lot.expiresAt.getTime() + 1);
    expect(await w.ledger.expireLots(lot.expiresAt)).toEqual({ lots: 0, credits: 0 });
    const expired = await w.ledger.expireLots(afterExpiry);
    expect(expired.credits).toBeGreaterThanOrEqual(9);
    expect(await w.available(lot.lotId)).toBe(0);
    expect(await w.ledger.expireLots(afterExpiry)).toEqual({ lots: 0, credits: 0 });
    const entries = await w.ledger.entries({ clientId: w.client.id, trainerId: w.trainer.id });
    expect(entries.map((e) => [e.kind, e.delta])).toEqual([
      ['EXPIRE', -9],
      ['RESERVE', -1],
      ['PURCHASE', 10],
    ]);
    // The held credit is still held: the session is before the expiry.
    expect((await w.ledger.balances({ clientId: w.client.id, now: afterExpiry }))[0]).toMatchObject({ available: 0, reserved: 1, nextExpiry: null, lots: [{ expired: true, reserved: 1 }] });

    // The session is cancelled after the pack expired: the credit comes back, and goes at once.
    const late = createCreditLedger(db.orm, () => afterExpiry);
    await w.setStatus(booking.id, 'CANCELLED');
    const released = await db.orm.em.fork().transactional((tx) => late.settleBooking(tx, { bookingId: booking.id, outcome: 'release' }));
    expect(released).toMatchObject({ kind: 'RELEASE', expired: 1 });
    expect(await w.available(lot.lotId)).toBe(0);
    expect((await w.ledger.entries({ clientId: w.client.id })).slice(0, 2).map((e) => [e.kind, e.delta])).toEqual([
      ['EXPIRE', -1],
      ['RELEASE', 1],
    ]);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id, now: afterExpiry })).toEqual([]);
  });

  it('a credit released into an expired lot before expireLots ran is expired by the next run', async () => {
    const { w, lot, booking } = await reserved({ start: startAt(89) });
    const afterExpiry = new Date(lot.expiresAt.getTime() + DAY_MS);
    await w.setStatus(booking.id, 'CANCELLED');
    // Released on a clock before the expiry, written off by the run after it.
    expect(await settle(w, booking.id, 'release')).toMatchObject({ kind: 'RELEASE', expired: 0 });
    expect(await w.available(lot.lotId)).toBe(10);
    expect(await w.ledger.expireLots(afterExpiry)).toMatchObject({ credits: 10 });
    expect(await w.available(lot.lotId)).toBe(0);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id, now: afterExpiry })).toEqual([]);
  });
});

describe('which lot a booking uses', () => {
  it('the earliest expiry that covers the session; a 90-min session needs a 90-min pack; a lot expiring before the start is not used', async () => {
    const w = await createCreditWorld(db);
    await rename(w.em, w, 'Jamie', 'Sam');
    const short = await w.pack({ name: 'Short', sessions: 2, validityDays: 10 });
    const long = await w.pack({ name: 'Long', sessions: 2, validityDays: 60 });
    const shortLot = (await w.buy(short)).lot!;
    const longLot = (await w.buy(long)).lot!;

    expect((await reserve(w, await w.booking(startAt(1, 0)))).lotId).toBe(shortLot.lotId);
    // After the short lot's expiry only the long one pays.
    expect((await reserve(w, await w.booking(startAt(20, 0)))).lotId).toBe(longLot.lotId);
    expect((await reserve(w, await w.booking(startAt(2, 0)))).lotId).toBe(shortLot.lotId);
    expect(await w.available(shortLot.lotId)).toBe(0);
    const lastOne = await reserve(w, await w.booking(startAt(3, 0)));
    expect(lastOne).toMatchObject({ lotId: longLot.lotId, left: 0 });

    const ninety = await w.booking(startAt(4, 0), { durationMinutes: 90 });
    await w.pack({ name: 'Five × 90', sessions: 5, sessionMinutes: 90, priceMinor: 50_000n });
    const error = await db.orm.em
      .fork()
      .transactional((tx) => w.ledger.reserveForBooking(tx, { bookingId: ninety.id, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 90, start: ninety.startTime }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoCreditError);
    expect((error as NoCreditError).message).toBe('You have no credit left for a 90-min session with Sam: buy a pack — 5 × 90 min for €500.00.');
    expect((error as NoCreditError).trainerSentence).toBe('Jamie has no credit left for a 90-min session with Sam: buy a pack — 5 × 90 min for €500.00.');
    expect((error as NoCreditError).details()).toMatchObject({ clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 90, needed: 1, available: 0 });
    expect(await kinds(ninety.id)).toEqual([]);

    const sixty = await w.booking(startAt(5, 0));
    expect((await w.ledger.noCredit({ clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: sixty.startTime })).message).toBe(
      'You have no credit left for a 60-min session with Sam: buy a pack — 2 × 60 min for €700.00 or 5 × 90 min for €500.00.',
    );
  });
});

describe('a series', () => {
  async function seriesWorld(credits: number, sessions: number) {
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack({ sessions: credits }))).lot!;
    const bookings = [];
    for (let week = 0; week < sessions; week++) bookings.push(await w.booking(startAt(1 + 7 * week)));
    const inputs = bookings.map((b) => ({ bookingId: b.id, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: b.startTime }));
    return { w, lot, bookings, inputs };
  }

  it('all or nothing: enough credits reserve one per session; retrying changes nothing', async () => {
    const { w, lot, inputs } = await seriesWorld(5, 4);
    const held = await db.orm.em.fork().transactional((tx) => w.ledger.reserveForBookings(tx, inputs));
    expect(held.map((h) => [h.bookingId, h.alreadyReserved])).toEqual(inputs.map((i) => [i.bookingId, false]));
    expect(await w.available(lot.lotId)).toBe(1);
    const again = await db.orm.em.fork().transactional((tx) => w.ledger.reserveForBookings(tx, inputs));
    expect(again.every((h) => h.alreadyReserved)).toBe(true);
    expect(await w.available(lot.lotId)).toBe(1);
  });

  it('all or nothing: fewer credits than sessions reserve none, say how many they cover, and leave the caller’s transaction usable', async () => {
    const { w, lot, inputs } = await seriesWorld(3, 5);
    const outcome = await db.orm.em.fork().transactional(async (tx) => {
      const error = await w.ledger.reserveForBookings(tx, inputs).catch((e: unknown) => e);
      // The caller carries on: its own write after the refusal commits.
      await tx.execute('update booking set notes = ? where id = ?', ['series refused: no credit', inputs[0]!.bookingId]);
      return error;
    });
    expect(outcome).toBeInstanceOf(NoCreditError);
    expect((outcome as NoCreditError).shortfall).toEqual({ needed: 5, available: 3 });
    expect((outcome as NoCreditError).message).toMatch(/^These 5 sessions need 5 credits for 60-min sessions with .*, and you have 3: buy a pack — /);
    expect(await w.available(lot.lotId)).toBe(3);
    const [note] = await w.em.execute<{ notes: string }[]>('select notes from booking where id = ?', [inputs[0]!.bookingId]);
    expect(note!.notes).toBe('series refused: no credit');
    for (const input of inputs) expect(await kinds(input.bookingId)).toEqual([]);
  });

  it('all or nothing: a shortfall found only under the locks (a concurrent booking took a credit) rolls back to the savepoint too', async () => {
    const { w, lot, inputs } = await seriesWorld(3, 3);
    // Another transaction holds one of the three credits, not yet committed: the series' unlocked
    // preview still counts three, then waits on the lot's lock, and finds two.
    const other = await w.booking(startAt(2));
    const concurrent = db.orm.em.fork();
    await concurrent.begin();
    await w.ledger.reserveForBooking(concurrent, { bookingId: other.id, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: other.startTime });
    const series = db.orm.em.fork().transactional(async (tx) => {
      const error = await w.ledger.reserveForBookings(tx, inputs).catch((e: unknown) => e);
      await tx.execute('update booking set notes = ? where id = ?', ['series refused: no credit', inputs[0]!.bookingId]);
      return error;
    });
    await waitForLockWaiters(1);
    await concurrent.commit();
    const error = await series;
    expect(error).toBeInstanceOf(NoCreditError);
    expect((error as NoCreditError).shortfall).toEqual({ needed: 3, available: 2 });
    expect(await w.available(lot.lotId)).toBe(2);
    for (const input of inputs) expect(await kinds(input.bookingId)).toEqual([]);
    const [note] = await w.em.execute<{ notes: string }[]>('select notes from booking where id = ?', [inputs[0]!.bookingId]);
    expect(note!.notes).toBe('series refused: no credit');
  });

  it('available only: each session under its own savepoint, the first ones the credits cover are reserved', async () => {
    const { w, lot, inputs } = await seriesWorld(3, 5);
    const skipped: number[] = [];
    await db.orm.em.fork().transactional(async (tx) => {
      for (const input of inputs) {
        await tx.execute('savepoint occurrence', [], 'run');
        try {
          await w.ledger.reserveForBooking(tx, input);
          await tx.execute('release savepoint occurrence', [], 'run');
        } catch (error) {
          if (!(error instanceof NoCreditError)) throw error;
          await tx.execute('rollback to savepoint occurrence', [], 'run');
          skipped.push(input.bookingId);
        }
      }
    });
    expect(skipped).toEqual(inputs.slice(3).map((i) => i.bookingId));
    expect(await w.available(lot.lotId)).toBe(0);
    expect(await w.ledger.coverage(w.client.id, w.trainer.id, 60, [startAt(40)])).toEqual({ covered: 0, uncovered: [startAt(40)] });
  });

  it('coverage says how many sessions the credits could pay for, without reserving', async () => {
    const { w, inputs } = await seriesWorld(3, 5);
    expect(await w.ledger.coverage(w.client.id, w.trainer.id, 60, inputs.map((i) => i.start))).toEqual({ covered: 3, uncovered: inputs.slice(3).map((i) => i.start) });
    expect(await w.ledger.coverage(w.client.id, w.trainer.id, 90, [inputs[0]!.start])).toEqual({ covered: 0, uncovered: [inputs[0]!.start] });
  });
});

describe('balances, history and the trainer’s list', () => {
  it('per client and trainer: lots, totals, next expiry; the history newest first; who runs low or expires soon', async () => {
    const w = await createCreditWorld(db);
    const other = await createClient(w.em);
    const small = await w.pack({ sessions: 2, validityDays: 10 });
    const big = await w.pack({ sessions: 10, validityDays: 90 });
    const smallLot = (await w.buy(small)).lot!;
    const bigLot = (await w.buy(big)).lot!;
    const othersLot = (await w.buy(small, { client: other })).lot!;
    const booking = await w.booking(startAt(1));
    await reserve(w, booking);
    const otherBooking = await w.booking(startAt(1, 2), { client: other });
    await reserve(w, otherBooking, other.id);
    const spent = await w.booking(startAt(2), { client: other });
    await reserve(w, spent, other.id);
    await w.setStatus(spent.id, 'COMPLETED');
    await settle(w, spent.id, 'consume');

    const [mine] = await w.ledger.balances({ clientId: w.client.id });
    expect(mine).toMatchObject({ clientId: w.client.id, trainerId: w.trainer.id, available: 11, reserved: 1, nextExpiry: smallLot.expiresAt });
    expect(mine!.lots.map((l) => [l.lotId, l.available, l.reserved])).toEqual([
      [smallLot.lotId, 1, 1],
      [bigLot.lotId, 10, 0],
    ]);
    const theirs = await w.ledger.balances({ trainerId: w.trainer.id });
    expect(theirs.map((b) => [b.clientId, b.available, b.reserved])).toEqual(
      [
        [w.client.id, 11, 1],
        [other.id, 0, 1],
      ].sort((a, b) => a[0]! - b[0]!),
    );
    // A spent lot shows only on request.
    expect((await w.ledger.balances({ clientId: other.id }))[0]!.lots.map((l) => l.lotId)).toEqual([othersLot.lotId]);
    expect((await w.ledger.balances({ clientId: other.id, includeSpent: true }))[0]!.lots).toHaveLength(1);

    const history = await w.ledger.entries({ clientId: other.id, trainerId: w.trainer.id });
    expect(history.map((e) => e.kind)).toEqual(['CONSUME', 'RESERVE', 'RESERVE', 'PURCHASE']);
    expect(history[0]).toMatchObject({ bookingId: spent.id, sessionStart: spent.startTime, sessionMinutes: 60 });
    expect((await w.ledger.entries({ bookingId: spent.id })).map((e) => e.kind)).toEqual(['CONSUME', 'RESERVE']);
    expect(await w.ledger.entries({ clientId: other.id, limit: 1 })).toHaveLength(1);
    await expect(w.ledger.entries({})).rejects.toThrow(/Name a client/);
    expect(creditWording.entry(history[3]!)).toMatch(/^10 Mar 2027: \+2 bought \(2 × 60 min\)$/);

    const list = await w.ledger.lowOrExpiring(w.trainer.id, { atMost: 1, withinDays: 14, now: NOW });
    expect(list.map((row) => [row.clientId, row.available, row.reserved, row.expiring, row.reasons])).toEqual([
      [other.id, 0, 1, 0, ['low']],
      [w.client.id, 11, 1, 1, ['expiring']],
    ]);
    expect(list[1]!.expiresAt).toEqual(smallLot.expiresAt);
    expect(await w.ledger.lowOrExpiring(w.trainer.id, { atMost: 0, withinDays: 5, now: NOW })).toMatchObject([{ clientId: other.id, reasons: ['low'] }]);
  });
});

describe("the trainer's credit rules are stored with the policy", () => {
  it('defaults until set, saved and reset like every other field, patched as yes/no', async () => {
    const w = await createCreditWorld(db);
    expect(await loadPolicy(db.orm.em.fork(), w.trainer.id)).toMatchObject({ creditToRequest: false, creditToApprove: false, lateCancelConsumes: true });
    const saved = await savePolicy(db.orm.em.fork(), w.trainer.id, { creditToApprove: true, lateCancelConsumes: false });
    expect(saved.policy).toEqual({ ...DEFAULT_POLICY, creditToApprove: true, lateCancelConsumes: false });
    expect(saved.customized).toEqual(['creditToApprove', 'lateCancelConsumes']);
    const reset = await savePolicy(db.orm.em.fork(), w.trainer.id, { lateCancelConsumes: null, minNoticeMinutes: 120 });
    expect((await loadStoredPolicy(db.orm.em.fork(), w.trainer.id)).policy).toEqual(reset.policy);
    expect(reset.policy).toEqual({ ...DEFAULT_POLICY, creditToApprove: true, minNoticeMinutes: 120 });
    expect(policyPatchSchema.safeParse({ creditToRequest: true, creditToApprove: null }).success).toBe(true);
    expect(policyPatchSchema.safeParse({ creditToRequest: 'yes' }).success).toBe(false);
  });
});
