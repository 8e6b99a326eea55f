// THE RACE: many approvals at once for the last credits. Each contender runs in its own
// transaction that also writes a marker row (as a reservation writes its booking), so a
// loser that left anything behind would show. Exactly as many win as there are credits,
// every loser gets NoCreditError and leaves nothing, no balance goes wrong — and the same
// holds for retries racing each other (one entry per booking), for concurrent expiry runs,
// for concurrent recordings of one payment, and for raw SQL that skips the service's locks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoCreditError } from '../../src/domain/credits/errors';
import { checkCreditInvariants } from '../support/credit-invariants';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seededRandom } from '../support/random';
import { createCreditWorld, NOW, startAt, type CreditWorld } from './support/credit-world';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.orm.em.getConnection().execute('create table race_marker (booking_id int primary key)');
});
afterAll(async () => db?.drop());

interface Contender {
  bookingId: number;
  start: Date;
}

/** `count` bookings of the world's client, one per hour from day 1. */
async function contenders(w: CreditWorld, count: number): Promise<Contender[]> {
  const list: Contender[] = [];
  for (let i = 0; i < count; i++) {
    const booking = await w.booking(startAt(1 + Math.floor(i / 10), i % 10));
    list.push({ bookingId: booking.id, start: booking.startTime });
  }
  return list;
}

/** Each contender in its own transaction: a marker row, then its credit. */
function race(w: CreditWorld, list: readonly Contender[]): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(
    list.map((c) =>
      db.orm.em.fork().transactional(async (tx) => {
        await tx.execute('insert into race_marker (booking_id) values (?)', [c.bookingId]);
        return w.ledger.reserveForBooking(tx, { bookingId: c.bookingId, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: c.start });
      }),
    ),
  );
}

async function markers(list: readonly Contender[]): Promise<number[]> {
  const rows = await db.orm.em.fork().execute<{ booking_id: number }[]>(`select booking_id from race_marker where booking_id in (${list.map(() => '?').join(', ')}) order by booking_id`, list.map((c) => c.bookingId));
  return rows.map((row) => row.booking_id);
}

async function reservedBookings(trainerId: number): Promise<number[]> {
  const rows = await db.orm.em.fork().execute<{ booking_id: number }[]>(`select booking_id from credit_entry where trainer_id = ? and kind = 'RESERVE' order by booking_id`, [trainerId]);
  return rows.map((row) => row.booking_id);
}

describe('concurrent approvals for the last credits', () => {
  it.each([
    [1, 24],
    [3, 24],
    [5, 30],
  ])('%i credit(s), %i contenders: exactly that many win, the rest get NoCreditError and leave nothing', async (credits, count) => {
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack({ sessions: credits }))).lot!;
    const list = await contenders(w, count);
    const outcomes = await race(w, list);

    const winners = list.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((c) => c.bookingId);
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(winners).toHaveLength(credits);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(NoCreditError);
    expect(losers).toHaveLength(count - credits);
    // Nothing partial: exactly the winners' transactions committed, markers and credits alike.
    expect(await markers(list)).toEqual([...winners].sort((a, b) => a - b));
    expect(await reservedBookings(w.trainer.id)).toEqual([...winners].sort((a, b) => a - b));
    expect(await w.available(lot.lotId)).toBe(0);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });

  it('over two lots (2 + 3 credits): five win, both lots end empty, the earlier expiry first', async () => {
    const w = await createCreditWorld(db);
    const soon = (await w.buy(await w.pack({ sessions: 2, validityDays: 30 }))).lot!;
    const later = (await w.buy(await w.pack({ sessions: 3, validityDays: 60 }))).lot!;
    const list = await contenders(w, 20);
    const outcomes = await race(w, list);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect([await w.available(soon.lotId), await w.available(later.lotId)]).toEqual([0, 0]);
    expect(await markers(list)).toHaveLength(5);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });

  it('two series racing for 4 credits, 3 sessions each: one gets all three, the other none', async () => {
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack({ sessions: 4 }))).lot!;
    const list = await contenders(w, 6);
    const [a, b] = [list.slice(0, 3), list.slice(3)];
    const outcomes = await Promise.allSettled(
      [a, b].map((series) =>
        db.orm.em.fork().transactional(async (tx) => {
          for (const c of series) await tx.execute('insert into race_marker (booking_id) values (?)', [c.bookingId]);
          return w.ledger.reserveForBookings(
            tx,
            series.map((c) => ({ bookingId: c.bookingId, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: c.start })),
          );
        }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(lost.reason).toBeInstanceOf(NoCreditError);
    const won = outcomes[0]!.status === 'fulfilled' ? a : b;
    expect(await markers(list)).toEqual(won.map((c) => c.bookingId));
    expect(await reservedBookings(w.trainer.id)).toEqual(won.map((c) => c.bookingId));
    expect(await w.available(lot.lotId)).toBe(1);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });
});

describe('retries racing each other write once', () => {
  it('eight concurrent reservations of one booking: one RESERVE, the same answer for all', async () => {
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack({ sessions: 3 }))).lot!;
    const [c] = await contenders(w, 1);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.orm.em.fork().transactional((tx) => w.ledger.reserveForBooking(tx, { bookingId: c!.bookingId, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: c!.start })),
      ),
    );
    expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
    expect(results.filter((r) => !r.alreadyReserved)).toHaveLength(1);
    expect(await w.available(lot.lotId)).toBe(2);
    expect(await reservedBookings(w.trainer.id)).toEqual([c!.bookingId]);
  });

  it('eight concurrent settlements of one booking, release and consume mixed: one settlement', async () => {
    const random = seededRandom(13);
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack({ sessions: 3 }))).lot!;
    const [c] = await contenders(w, 1);
    await db.orm.em.fork().transactional((tx) => w.ledger.reserveForBooking(tx, { bookingId: c!.bookingId, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start: c!.start }));
    await w.setStatus(c!.bookingId, 'CANCELLED');
    const outcomes = Array.from({ length: 8 }, () => (random() < 0.5 ? ('release' as const) : ('consume' as const)));
    const results = await Promise.all(outcomes.map((outcome) => db.orm.em.fork().transactional((tx) => w.ledger.settleBooking(tx, { bookingId: c!.bookingId, outcome }))));
    expect(new Set(results.map((r) => r!.entryId)).size).toBe(1);
    expect(results.filter((r) => !r!.alreadySettled)).toHaveLength(1);
    const kind = results[0]!.kind;
    expect(await w.available(lot.lotId)).toBe(kind === 'RELEASE' ? 3 : 2);
    const [row] = await db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from credit_entry where booking_id = ? and kind in ('RELEASE', 'CONSUME')`, [c!.bookingId]);
    expect(row!.n).toBe(1);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });

  it('four concurrent expiry runs: one EXPIRE per lot, every expired lot at 0', async () => {
    const w = await createCreditWorld(db);
    const lots = [];
    for (let i = 0; i < 5; i++) lots.push((await w.buy(await w.pack({ sessions: 2 + i, validityDays: 5 }))).lot!);
    const after = new Date(NOW.getTime() + 6 * 86_400_000);
    const runs = await Promise.all(Array.from({ length: 4 }, () => w.ledger.expireLots(after)));
    expect(runs.reduce((sum, run) => sum + run.credits, 0)).toBeGreaterThanOrEqual(2 + 3 + 4 + 5 + 6);
    for (const lot of lots) expect(await w.available(lot.lotId)).toBe(0);
    const [row] = await db.orm.em
      .fork()
      .execute<{ n: number }[]>(`select count(*)::int as n from credit_entry where kind = 'EXPIRE' and lot_id in (${lots.map(() => '?').join(', ')})`, lots.map((lot) => lot.lotId));
    expect(row!.n).toBe(lots.length);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id, now: after })).toEqual([]);
  });

  it('six concurrent recordings of one payment (same idempotency key): one payment, one lot', async () => {
    const w = await createCreditWorld(db);
    const pack = await w.pack({ sessions: 4 });
    const results = await Promise.all(Array.from({ length: 6 }, () => w.buy(pack, { idempotencyKey: 'chat-form-42' })));
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(new Set(results.map((r) => r.lot!.lotId)).size).toBe(1);
    expect(results.filter((r) => !r.alreadyRecorded)).toHaveLength(1);
    const [row] = await db.orm.em.fork().execute<{ payments: number; lots: number }[]>(
      'select (select count(*)::int from payment where client_id = ?) as payments, (select count(*)::int from credit_lot where client_id = ?) as lots',
      [w.client.id, w.client.id],
    );
    expect(row).toEqual({ payments: 1, lots: 1 });
    expect(await w.available(results[0]!.lot!.lotId)).toBe(4);
  });
});

describe('the check constraint alone', () => {
  it('refuses overspend by writers that skip the service and its locks: 3 credits, 16 raw RESERVEs at once', async () => {
    const w = await createCreditWorld(db);
    const lot = (await w.buy(await w.pack({ sessions: 3 }))).lot!;
    const list = await contenders(w, 16);
    const outcomes = await Promise.allSettled(
      list.map((c) =>
        db.orm.em.fork().transactional(async (tx) => {
          await tx.execute('insert into race_marker (booking_id) values (?)', [c.bookingId]);
          await tx.execute(`insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, created_at) values (?, ?, ?, 'RESERVE', -1, ?, ?)`, [
            lot.lotId,
            w.client.id,
            w.trainer.id,
            c.bookingId,
            NOW,
          ]);
        }),
      ),
    );
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const failure of failures) expect(failure.reason).toMatchObject({ code: '23514', constraint: 'credit_lot_available_bounds' });
    expect(await markers(list)).toHaveLength(3);
    expect(await w.available(lot.lotId)).toBe(0);
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id })).toEqual([]);
  });
});
