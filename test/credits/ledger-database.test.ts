// What the database itself guarantees about credits, whatever program writes to it: each
// statement below bypasses the ledger service and is refused by a constraint or a trigger,
// with the SQLSTATE and the constraint's name a program can tell apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditInvariants } from '../support/credit-invariants';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient } from '../support/fixtures';
import { createCreditWorld, NOW, startAt, type CreditWorld } from './support/credit-world';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

interface SqlFailure {
  code: string | undefined;
  constraint: string | undefined;
  message: string;
}

/** Runs one statement in a transaction of its own; its failure, or null when it succeeded. */
async function failureOf(sql: string, params: unknown[] = []): Promise<SqlFailure | null> {
  try {
    await db.orm.em.fork().transactional((tx) => tx.execute(sql, params));
    return null;
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message: string };
    return { code: e.code, constraint: e.constraint, message: e.message };
  }
}

const insertEntry = (lotId: number, w: CreditWorld, kind: string, delta: number, bookingId: number | null) =>
  failureOf(`insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, created_at) values (?, ?, ?, ?, ?, ?, ?)`, [lotId, w.client.id, w.trainer.id, kind, delta, bookingId, NOW]);

/** A world whose client bought a pack of `sessions` credits; returns the lot's id. */
async function boughtLot(sessions: number): Promise<{ w: CreditWorld; lotId: number }> {
  const w = await createCreditWorld(db);
  const paid = await w.buy(await w.pack({ sessions }));
  return { w, lotId: paid.lot!.lotId };
}

describe('the balance can never go below zero', () => {
  it('a RESERVE on an empty lot is refused by the check alone (23514, credit_lot_available_bounds)', async () => {
    const { w, lotId } = await boughtLot(1);
    const first = await w.booking(startAt(1));
    const second = await w.booking(startAt(2));
    expect(await insertEntry(lotId, w, 'RESERVE', -1, first.id)).toBeNull();
    expect(await insertEntry(lotId, w, 'RESERVE', -1, second.id)).toMatchObject({ code: '23514', constraint: 'credit_lot_available_bounds' });
    expect(await w.available(lotId)).toBe(0);
  });

  it('an EXPIRE of more than is left is refused the same way', async () => {
    const { w, lotId } = await boughtLot(3);
    expect(await failureOf(`insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, created_at) values (?, ?, ?, 'EXPIRE', -4, ?)`, [lotId, w.client.id, w.trainer.id, NOW])).toMatchObject({
      code: '23514',
      constraint: 'credit_lot_available_bounds',
    });
  });

  it('a forged PURCHASE cannot add credits: one per lot', async () => {
    const { w, lotId } = await boughtLot(2);
    const booking = await w.booking(startAt(1));
    expect(await insertEntry(lotId, w, 'RESERVE', -1, booking.id)).toBeNull();
    expect(await insertEntry(lotId, w, 'PURCHASE', 1, null)).toMatchObject({ code: '23505', constraint: 'credit_entry_one_purchase' });
    expect(await insertEntry(lotId, w, 'PURCHASE', 2, null)).toMatchObject({ code: '23505', constraint: 'credit_entry_one_purchase' });
    expect(await w.available(lotId)).toBe(1);
  });
});

describe('the ledger is append-only', () => {
  it('UPDATE and DELETE of an entry are refused (55000)', async () => {
    const { lotId } = await boughtLot(5);
    expect(await failureOf('update credit_entry set delta = 50 where lot_id = ?', [lotId])).toMatchObject({ code: '55000', message: expect.stringContaining('append-only') as unknown });
    expect(await failureOf('delete from credit_entry where lot_id = ?', [lotId])).toMatchObject({ code: '55000' });
    const [row] = await db.orm.em.fork().execute<{ n: number; delta: number }[]>('select count(*)::int as n, max(delta) as delta from credit_entry where lot_id = ?', [lotId]);
    expect(row).toEqual({ n: 1, delta: 5 });
  });

  it("a lot's balance changes only through entries: a direct UPDATE is refused, a new lot starts empty", async () => {
    const { w, lotId } = await boughtLot(5);
    expect(await failureOf('update credit_lot set available = 5000 where id = ?', [lotId])).toMatchObject({ code: '55000' });
    expect(await failureOf('update credit_lot set expires_at = expires_at + interval \'1 year\' where id = ?', [lotId])).toMatchObject({ code: '55000' });
    expect(await w.available(lotId)).toBe(5);
    const pack = await w.pack();
    const [payment] = await db.orm.em
      .fork()
      .execute<{ id: number }[]>(
        `insert into payment (client_id, trainer_id, amount_minor, currency, method, recorded_by_id, package_type_id, provider, created_at) values (?, ?, 70000, 'EUR', 'CASH', ?, ?, 'manual', ?) returning id`,
        [w.client.id, w.trainer.id, w.trainer.user.id, pack.id, NOW],
      );
    const lot = (available: number, clientId = w.client.id) =>
      failureOf(
        `insert into credit_lot (client_id, trainer_id, package_type_id, payment_id, sessions, session_minutes, purchased_at, expires_at, available) values (?, ?, ?, ?, 10, 60, ?, ?, ?)`,
        [clientId, w.trainer.id, pack.id, payment!.id, NOW, new Date(NOW.getTime() + 86_400_000), available],
      );
    expect(await lot(10)).toMatchObject({ code: '23514', constraint: 'credit_lot_starts_empty' });
    const stranger = await createClient(w.em);
    expect(await lot(0, stranger.id)).toMatchObject({ code: '23503', constraint: 'credit_lot_bought_by_payment' });
    expect(await lot(0)).toBeNull();
    // Its PURCHASE fills it with exactly its sessions.
    const [created] = await db.orm.em.fork().execute<{ id: number }[]>('select id from credit_lot where payment_id = ?', [payment!.id]);
    expect(await insertEntry(created!.id, w, 'PURCHASE', 3, null)).toMatchObject({ code: '23514', constraint: 'credit_entry_purchase_fills_lot' });
    expect(await insertEntry(created!.id, w, 'PURCHASE', 10, null)).toBeNull();
    expect(await w.available(created!.id)).toBe(10);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });
});

describe('entries say what they are', () => {
  it('each kind has its delta, and a booking exactly when it is about one', async () => {
    const { w, lotId } = await boughtLot(5);
    const booking = await w.booking(startAt(1));
    expect(await insertEntry(lotId, w, 'RESERVE', -2, booking.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_delta_matches_kind' });
    expect(await insertEntry(lotId, w, 'CONSUME', -1, booking.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_delta_matches_kind' });
    expect(await insertEntry(lotId, w, 'EXPIRE', 1, null)).toMatchObject({ code: '23514', constraint: 'credit_entry_delta_matches_kind' });
    expect(await insertEntry(lotId, w, 'RESERVE', -1, null)).toMatchObject({ code: '23514', constraint: 'credit_entry_booking_matches_kind' });
    expect(await insertEntry(lotId, w, 'EXPIRE', -1, booking.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_booking_matches_kind' });
    expect(await insertEntry(lotId, w, 'GIFT', 1, null)).toMatchObject({ code: '23514' });
  });

  it("an entry's client and trainer are its lot's; a RESERVE pays only for a booking the lot covers", async () => {
    const { w, lotId } = await boughtLot(5);
    const stranger = await createClient(w.em);
    const theirs = await w.booking(startAt(1), { client: stranger });
    const long = await w.booking(startAt(2), { durationMinutes: 90 });
    const late = await w.booking(startAt(120));
    expect(await failureOf(`insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, created_at) values (?, ?, ?, 'EXPIRE', -1, ?)`, [lotId, stranger.id, w.trainer.id, NOW])).toMatchObject({
      code: '23503',
      constraint: 'credit_entry_lot_matches',
    });
    expect(await insertEntry(lotId, w, 'RESERVE', -1, theirs.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_reserve_fits' });
    expect(await insertEntry(lotId, w, 'RESERVE', -1, long.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_reserve_fits' });
    expect(await insertEntry(lotId, w, 'RESERVE', -1, late.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_reserve_fits' });
    expect(await w.available(lotId)).toBe(5);
  });
});

describe('once per booking', () => {
  it('one RESERVE, one settlement, and a settlement only of a RESERVE in the same lot', async () => {
    const { w, lotId } = await boughtLot(5);
    const other = await boughtLot(5);
    const booking = await w.booking(startAt(1));
    expect(await insertEntry(lotId, w, 'RELEASE', 1, booking.id)).toMatchObject({ code: '23514', constraint: 'credit_entry_settles_a_reserve' });
    expect(await insertEntry(lotId, w, 'RESERVE', -1, booking.id)).toBeNull();
    expect(await insertEntry(lotId, w, 'RESERVE', -1, booking.id)).toMatchObject({ code: '23505', constraint: 'credit_entry_booking_id_kind_unique' });
    expect(await failureOf(`insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, created_at) values (?, ?, ?, 'CONSUME', 0, ?, ?)`, [other.lotId, other.w.client.id, other.w.trainer.id, booking.id, NOW])).toMatchObject({
      code: '23514',
      constraint: 'credit_entry_settles_a_reserve',
    });
    expect(await insertEntry(lotId, w, 'CONSUME', 0, booking.id)).toBeNull();
    expect(await insertEntry(lotId, w, 'RELEASE', 1, booking.id)).toMatchObject({ code: '23505', constraint: 'credit_entry_booking_settled_once' });
    expect(await insertEntry(lotId, w, 'CONSUME', 0, booking.id)).toMatchObject({ code: '23505' });
    expect(await w.available(lotId)).toBe(4);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });

  it('a payment pays for exactly one thing, a positive amount in a currency code, recorded once per provider reference', async () => {
    const { w } = await boughtLot(1);
    const pack = await w.pack();
    const booking = await w.booking(startAt(1));
    const pay = (amount: string, currency: string, packageTypeId: number | null, bookingId: number | null, ref: string | null) =>
      failureOf(
        `insert into payment (client_id, trainer_id, amount_minor, currency, method, recorded_by_id, package_type_id, booking_id, provider, provider_ref, created_at) values (?, ?, ?::bigint, ?, 'CASH', ?, ?, ?, 'manual', ?, ?)`,
        [w.client.id, w.trainer.id, amount, currency, w.trainer.user.id, packageTypeId, bookingId, ref, NOW],
      );
    expect(await pay('100', 'EUR', pack.id, booking.id, null)).toMatchObject({ code: '23514', constraint: 'payment_pays_one_thing' });
    expect(await pay('100', 'EUR', null, null, null)).toMatchObject({ code: '23514', constraint: 'payment_pays_one_thing' });
    expect(await pay('0', 'EUR', null, booking.id, null)).toMatchObject({ code: '23514', constraint: 'payment_amount_positive' });
    expect(await pay('100', 'eur', null, booking.id, null)).toMatchObject({ code: '23514', constraint: 'payment_currency_code' });
    expect(await pay('9223372036854775807', 'EUR', null, booking.id, 'r1')).toBeNull();
    expect(await pay('100', 'EUR', null, booking.id, 'r1')).toMatchObject({ code: '23505', constraint: 'payment_provider_provider_ref_unique' });
    expect(await pay('100', 'EUR', null, booking.id, null)).toBeNull();
    expect(await pay('100', 'EUR', null, booking.id, null)).toBeNull();
  });

  it('a pack outside its bounds is refused by the database too', async () => {
    const { w } = await boughtLot(1);
    const pack = (sessions: number, minutes: number, price: string, days: number) =>
      failureOf(`insert into package_type (trainer_id, name, sessions, session_minutes, price_minor, currency, validity_days, created_at) values (?, ?, ?, ?, ?::bigint, 'EUR', ?, ?)`, [
        w.trainer.id,
        `p-${sessions}-${minutes}-${price}-${days}`,
        sessions,
        minutes,
        price,
        days,
        NOW,
      ]);
    expect(await pack(0, 60, '1', 30)).toMatchObject({ constraint: 'package_type_sessions_bounds' });
    expect(await pack(201, 60, '1', 30)).toMatchObject({ constraint: 'package_type_sessions_bounds' });
    expect(await pack(10, 10, '1', 30)).toMatchObject({ constraint: 'package_type_session_minutes_bounds' });
    expect(await pack(10, 60, '-1', 30)).toMatchObject({ constraint: 'package_type_price_not_negative' });
    expect(await pack(10, 60, '1', 731)).toMatchObject({ constraint: 'package_type_validity_days_bounds' });
    expect(await pack(10, 60, '0', 730)).toBeNull();
  });
});
