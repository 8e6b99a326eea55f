import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking } from '../../src/db/entities';
import { MINUTE_MS } from '../../src/domain/time';
import { savePolicy } from '../../src/policy';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { seededRandom } from '../support/random';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

// A fixed morning, far ahead: nothing depends on the day the suite runs.
const DAY0 = new Date('2031-09-02T08:00:00Z').getTime();
const at = (minutes: number): Date => new Date(DAY0 + minutes * MINUTE_MS);

/** A booking inserted the way the reservation service does (raw SQL that knows nothing of blocked ranges). */
async function insertBooking(em: EntityManager, trainerId: number, clientId: number, startMinutes: number, minutes = 60, status = 'CONFIRMED'): Promise<number> {
  const [request] = await em.execute<{ id: number }[]>(
    `insert into booking_request (client_id, trainer_id, session_type, duration_minutes, status, expires_at, created_at, updated_at)
     values (?, ?, 'S', ?, 'APPROVED', now() + interval '1 day', now(), now()) returning id`,
    [clientId, trainerId, minutes],
  );
  const [booking] = await em.execute<{ id: number }[]>(
    `insert into booking (booking_request_id, client_id, trainer_id, session_type, duration_minutes, start_time, end_time, price_per_hour, total_cost, status, created_at, updated_at)
     values (?, ?, ?, 'S', ?, ?, ?, 60, 60, ?, now(), now()) returning id`,
    [request!.id, clientId, trainerId, minutes, at(startMinutes), at(startMinutes + minutes), status],
  );
  return booking!.id;
}

async function blocked(id: number): Promise<[Date, Date]> {
  const [row] = await db.orm.em.getConnection().execute<{ blocked_start: string; blocked_end: string }[]>('select blocked_start, blocked_end from booking where id = ?', [id]);
  return [new Date(row!.blocked_start), new Date(row!.blocked_end)];
}

async function people(buffers?: { bufferBeforeMinutes: number; bufferAfterMinutes: number }) {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em);
  if (buffers) await savePolicy(em, trainer.id, buffers);
  return { em, trainer, clients: [await createClient(em), await createClient(em), await createClient(em)] };
}

describe('blocked ranges: the trainer buffers in the database', () => {
  it('the trigger fills them from the policy, and with the session itself when there is none', async () => {
    const plain = await people();
    const id = await insertBooking(plain.em, plain.trainer.id, plain.clients[0]!.id, 60);
    expect(await blocked(id)).toEqual([at(60), at(120)]);

    const buffered = await people({ bufferBeforeMinutes: 15, bufferAfterMinutes: 30 });
    const bufferedId = await insertBooking(buffered.em, buffered.trainer.id, buffered.clients[0]!.id, 60);
    expect(await blocked(bufferedId)).toEqual([at(45), at(150)]);
    // A writer cannot set them by hand; moving the session moves them.
    await db.orm.em.getConnection().execute('update booking set blocked_start = start_time, blocked_end = end_time where id = ?', [bufferedId]);
    expect(await blocked(bufferedId)).toEqual([at(45), at(150)]);
    await db.orm.em.getConnection().execute(`update booking set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour' where id = ?`, [bufferedId]);
    expect(await blocked(bufferedId)).toEqual([at(105), at(210)]);
  });

  it('an ORM insert works: its placeholders are replaced by the buffered range', async () => {
    const { em, trainer, clients } = await people({ bufferBeforeMinutes: 10, bufferAfterMinutes: 20 });
    const request = await createRequest(em, trainer, clients[0]!);
    request.status = 'APPROVED';
    const booking = em.create(Booking, {
      bookingRequest: request,
      client: clients[0]!,
      trainer,
      sessionType: 'S',
      durationMinutes: 60,
      startTime: at(600),
      endTime: at(660),
      pricePerHour: 60,
      totalCost: 60,
    });
    await em.flush();
    expect(await blocked(booking.id)).toEqual([at(590), at(680)]);
    const reloaded = await db.orm.em.fork().findOneOrFail(Booking, booking.id);
    expect([reloaded.blockedStart, reloaded.blockedEnd]).toEqual([at(590), at(680)]);
    // An ORM update that moves the session moves the blocked range with it.
    reloaded.startTime = at(720);
    reloaded.endTime = at(780);
    await db.orm.em.fork().upsert(reloaded);
    expect(await blocked(booking.id)).toEqual([at(710), at(800)]);
  });

  it('refuses two bookings closer than before + after (23P01), accepts them exactly that far apart', async () => {
    const { em, trainer, clients } = await people({ bufferBeforeMinutes: 15, bufferAfterMinutes: 30 });
    await insertBooking(em, trainer.id, clients[0]!.id, 60); // 09:00-10:00
    // After it: needs 30 (its after) + 15 (the next one's before) = 45 minutes.
    await expect(insertBooking(em, trainer.id, clients[1]!.id, 120 + 44)).rejects.toMatchObject({ code: '23P01', constraint: 'booking_no_buffer_overlap' });
    await insertBooking(em, trainer.id, clients[1]!.id, 120 + 45);
    // Before it: the same 45 minutes.
    await expect(insertBooking(em, trainer.id, clients[2]!.id, -44)).rejects.toMatchObject({ code: '23P01', constraint: 'booking_no_buffer_overlap' });
    await insertBooking(em, trainer.id, clients[2]!.id, -45);
    const report = await checkBookingInvariants(db.orm.em.fork(), trainer.id);
    expect(report.activeBookings).toBe(3);
  });

  it('inactive bookings block nothing', async () => {
    const { em, trainer, clients } = await people({ bufferBeforeMinutes: 30, bufferAfterMinutes: 30 });
    await insertBooking(em, trainer.id, clients[0]!.id, 60, 60, 'LATE_CANCELLED');
    await insertBooking(em, trainer.id, clients[1]!.id, 60, 60, 'CANCELLED');
    await insertBooking(em, trainer.id, clients[2]!.id, 60, 60, 'CONFIRMED');
    expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).activeBookings).toBe(1);
  });
});

describe("a client's own calendar", () => {
  it('refuses two overlapping active bookings of one client with two trainers; touching ones are fine', async () => {
    const em = db.orm.em.fork();
    const [alex, sam, kim] = [await createTrainer(em), await createTrainer(em), await createTrainer(em)];
    const client = await createClient(em);
    await insertBooking(em, alex.id, client.id, 0);
    await expect(insertBooking(em, sam.id, client.id, 30)).rejects.toMatchObject({ code: '23P01', constraint: 'booking_client_no_overlap' });
    await insertBooking(em, sam.id, client.id, 60);
    // A cancelled overlapping booking is fine, until something makes it active again.
    const cancelled = await insertBooking(em, kim.id, client.id, 30, 60, 'CANCELLED');
    const reactivated = await db.orm.em.getConnection().execute(`update booking set status = 'CONFIRMED' where id = ?`, [cancelled]).catch((error: unknown) => error);
    expect(reactivated).toMatchObject({ code: '23P01', constraint: 'booking_client_no_overlap' });
    expect(await db.orm.em.fork().count(Booking, { client: client.id, status: 'CONFIRMED' })).toBe(2);
  });
});

describe('under a race', () => {
  /** Runs every insert in its own transaction at once; returns how many committed. */
  async function race(inserts: (() => (em: EntityManager) => Promise<unknown>)[]): Promise<number> {
    const results = await Promise.allSettled(inserts.map((insert) => db.orm.em.fork().transactional(insert())));
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: expect.stringMatching(/^(23P01|40P01)$/) as unknown });
    }
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  it('24 concurrent bookings for one trainer with buffers leave no two closer than the buffers', async () => {
    const { trainer } = await people({ bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
    const em = db.orm.em.fork();
    const clients = await Promise.all(Array.from({ length: 24 }, () => createClient(em)));
    const random = seededRandom(11);
    // 60-minute sessions starting on any quarter hour of one 4-hour morning.
    const committed = await race(clients.map((client) => () => (tx) => insertBooking(tx, trainer.id, client.id, Math.floor(random() * 16) * 15)));
    const report = await checkBookingInvariants(db.orm.em.fork(), trainer.id);
    expect(report.violations.filter((v) => !v.startsWith('active booking whose slots') && !v.startsWith('booking without exactly one session'))).toEqual([]);
    expect(report.activeBookings).toBe(committed);
    expect(committed).toBeGreaterThanOrEqual(2);
    // Starts from 08:00 to 11:45, 60 minutes each and 30 minutes apart at least: at most 3 fit.
    expect(committed).toBeLessThanOrEqual(3);
  });

  it('24 concurrent bookings for one client across two trainers leave no overlap in the client\'s calendar', async () => {
    const em = db.orm.em.fork();
    const [alex, sam] = [await createTrainer(em), await createTrainer(em)];
    const client = await createClient(em);
    const random = seededRandom(12);
    const committed = await race(
      Array.from({ length: 24 }, (_, i) => () => (tx: EntityManager) => insertBooking(tx, i % 2 === 0 ? alex.id : sam.id, client.id, 24 * 60 + Math.floor(random() * 12) * 20)),
    );
    const [overlaps] = await db.orm.em.getConnection().execute<{ n: string }[]>(
      `select count(*) as n from booking a join booking b on a.client_id = b.client_id and a.id < b.id
       where a.client_id = ? and a.status in ('PENDING', 'CONFIRMED') and b.status in ('PENDING', 'CONFIRMED') and tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)`,
      [client.id],
    );
    expect(Number(overlaps!.n)).toBe(0);
    for (const trainerId of [alex.id, sam.id]) {
      const report = await checkBookingInvariants(db.orm.em.fork(), trainerId);
      expect(report.violations.filter((v) => v.startsWith('overlapping') || v.startsWith('active bookings closer'))).toEqual([]);
    }
    const active = await db.orm.em.fork().count(Booking, { client: client.id, status: { $in: ['PENDING', 'CONFIRMED'] } });
    expect(active).toBe(committed);
    expect(committed).toBeGreaterThanOrEqual(2);
  });
});
