import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, Session, TimeSlot } from '../../src/db/entities';
import { RequestNotPendingError, SlotConflictError } from '../../src/reservation/errors';
import { createReservationService, type ReservationService } from '../../src/reservation/reservation-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { atDate, dayAhead } from '../support/time';

const HOUR_MS = 3_600_000;
// Ten days ahead: inside the default policy's notice and horizon, whatever day the suite runs.
const DAY0 = atDate(dayAhead(10), 8);
const at = (hours: number): Date => new Date(DAY0.getTime() + hours * HOUR_MS);

let db: TestDatabase;
let service: ReservationService;

beforeAll(async () => {
  db = await createTestDatabase();
  service = createReservationService(db.orm);
});
afterAll(async () => db.drop());

async function slotState(ids: number[]) {
  const rows = await db.orm.em.fork().find(TimeSlot, { id: { $in: ids } }, { orderBy: { id: 'asc' } });
  return rows.map((slot) => ({ id: slot.id, isBooked: slot.isBooked, bookingId: slot.booking?.id ?? null, lockOwner: slot.lockOwner ?? null }));
}

describe('confirm', () => {
  it('books a 90-minute session on two consecutive 60-minute slots, all in one go', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em, { pricePerHour: 80 });
    const client = await createClient(em);
    const slots = await createSlots(em, trainer, at(0), 3);
    const request = await createRequest(em, trainer, client, { durationMinutes: 90 });

    const booking = await service.confirm({ bookingRequestId: request.id, startTime: at(0), notes: 'See you there' });

    expect(booking.slotIds).toEqual([slots[0]!.id, slots[1]!.id]);
    expect(booking.alreadyDone).toBe(false);
    expect(booking.endTime.toISOString()).toBe(new Date(at(0).getTime() + 90 * 60_000).toISOString());
    expect(booking.totalCost).toBe(120); // 80 per hour × 1.5 h
    const check = db.orm.em.fork();
    const saved = await check.findOneOrFail(Booking, booking.bookingId);
    expect(saved.status).toBe('CONFIRMED');
    expect(Number(saved.totalCost)).toBe(120);
    expect((await check.findOneOrFail(BookingRequest, request.id)).status).toBe('APPROVED');
    expect(await check.count(Session, { booking: booking.bookingId })).toBe(1);
    expect(await slotState(slots.map((s) => s.id))).toEqual([
      { id: slots[0]!.id, isBooked: true, bookingId: booking.bookingId, lockOwner: null },
      { id: slots[1]!.id, isBooked: true, bookingId: booking.bookingId, lockOwner: null },
      { id: slots[2]!.id, isBooked: false, bookingId: null, lockOwner: null },
    ]);
  });

  it('takes two slots for 120 minutes and three 30-minute slots for 90', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const hourly = await createSlots(em, trainer, at(0), 3);
    const halfHours = await createSlots(em, trainer, at(5), 4, 30);
    const twoHours = await createRequest(em, trainer, client, { durationMinutes: 120 });
    const ninety = await createRequest(em, trainer, client, { durationMinutes: 90 });

    expect((await service.confirm({ bookingRequestId: twoHours.id, startTime: at(1) })).slotIds).toEqual([hourly[1]!.id, hourly[2]!.id]);
    expect((await service.confirm({ bookingRequestId: ninety.id, startTime: at(5) })).slotIds).toEqual(halfHours.slice(0, 3).map((s) => s.id));
  });

  it('a retry for the same request returns the same booking and creates nothing more', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await createSlots(em, trainer, at(0), 2);
    const request = await createRequest(em, trainer, client, { durationMinutes: 60 });

    const first = await service.confirm({ bookingRequestId: request.id, startTime: at(0) });
    const retries = await Promise.all([1, 2, 3].map(() => service.confirm({ bookingRequestId: request.id, startTime: at(1) })));

    for (const retry of retries) {
      expect(retry.bookingId).toBe(first.bookingId);
      expect(retry.slotIds).toEqual(first.slotIds);
      expect(retry.alreadyDone).toBe(true);
    }
    const check = db.orm.em.fork();
    expect(await check.count(Booking, { bookingRequest: request.id })).toBe(1);
    expect(await check.count(Session, { booking: first.bookingId })).toBe(1);
  });

  it('refuses a run with a gap and leaves everything as it was', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const before = await createSlots(em, trainer, at(0), 1);
    const after = await createSlots(em, trainer, at(2), 1); // 09:00-10:00 is missing
    const request = await createRequest(em, trainer, client, { durationMinutes: 120 });

    await expect(service.confirm({ bookingRequestId: request.id, startTime: at(0) })).rejects.toBeInstanceOf(SlotConflictError);

    const check = db.orm.em.fork();
    expect((await check.findOneOrFail(BookingRequest, request.id)).status).toBe('PENDING');
    expect(await check.count(Booking, { trainer: trainer.id })).toBe(0);
    expect((await slotState([before[0]!.id, after[0]!.id])).every((s) => !s.isBooked)).toBe(true);
  });

  it("never uses another trainer's slots to complete a run", async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const other = await createTrainer(em);
    const client = await createClient(em);
    await createSlots(em, trainer, at(0), 1);
    const othersSlot = await createSlots(em, other, at(1), 1);
    const request = await createRequest(em, trainer, client, { durationMinutes: 120 });

    await expect(service.confirm({ bookingRequestId: request.id, startTime: at(0) })).rejects.toBeInstanceOf(SlotConflictError);
    expect((await slotState([othersSlot[0]!.id]))[0]!.isBooked).toBe(false);
  });

  it('refuses a request that is no longer pending', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await createSlots(em, trainer, at(0), 1);
    const expired = await createRequest(em, trainer, client, { expiresAt: new Date(Date.now() - 1000) });
    const rejected = await createRequest(em, trainer, client);
    rejected.status = 'REJECTED';
    await em.flush();

    await expect(service.confirm({ bookingRequestId: expired.id, startTime: at(0) })).rejects.toBeInstanceOf(RequestNotPendingError);
    await expect(service.confirm({ bookingRequestId: rejected.id, startTime: at(0) })).rejects.toBeInstanceOf(RequestNotPendingError);
    expect(await db.orm.em.fork().count(Booking, { trainer: trainer.id })).toBe(0);
  });
});

describe('holds', () => {
  it('a live hold of another owner blocks, an expired one does not, and an own hold is honoured', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slots = await createSlots(em, trainer, at(0), 4);
    const held = await service.hold({ trainerId: trainer.id, startTime: at(0), durationMinutes: 60, owner: 'someone-else', lockedUntil: new Date(Date.now() + 600_000) });
    expect(held.slotIds).toEqual([slots[0]!.id]);
    await service.hold({ trainerId: trainer.id, startTime: at(1), durationMinutes: 60, owner: 'long-gone', lockedUntil: new Date(Date.now() + 600_000) });
    // The hold on slot 1 lapsed a second ago.
    await em.fork().nativeUpdate(TimeSlot, { id: slots[1]!.id }, { lockedUntil: new Date(Date.now() - 1000) });
    await service.hold({ trainerId: trainer.id, startTime: at(2), durationMinutes: 120, owner: 'booking-request-mine', lockedUntil: new Date(Date.now() + 600_000) });

    const blocked = await createRequest(em, trainer, client);
    const free = await createRequest(em, trainer, client);
    const mine = await createRequest(em, trainer, client, { durationMinutes: 120 });
    await expect(service.confirm({ bookingRequestId: blocked.id, startTime: at(0) })).rejects.toBeInstanceOf(SlotConflictError);
    await expect(service.hold({ trainerId: trainer.id, startTime: at(0), durationMinutes: 60, owner: 'third', lockedUntil: new Date(Date.now() + 60_000) })).rejects.toBeInstanceOf(SlotConflictError);
    expect((await service.confirm({ bookingRequestId: free.id, startTime: at(1) })).slotIds).toEqual([slots[1]!.id]);
    // Someone else cannot take the slots this owner holds, but the owner can.
    await expect(service.confirm({ bookingRequestId: mine.id, startTime: at(2) })).rejects.toBeInstanceOf(SlotConflictError);
    const booked = await service.confirm({ bookingRequestId: mine.id, startTime: at(2), holdOwner: 'booking-request-mine' });
    expect(booked.slotIds).toEqual([slots[2]!.id, slots[3]!.id]);
    expect(await slotState([slots[2]!.id, slots[3]!.id])).toEqual([
      { id: slots[2]!.id, isBooked: true, bookingId: booked.bookingId, lockOwner: null },
      { id: slots[3]!.id, isBooked: true, bookingId: booked.bookingId, lockOwner: null },
    ]);
  });

  it('release drops only the owner’s holds', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const slots = await createSlots(em, trainer, at(0), 2);
    const until = new Date(Date.now() + 600_000);
    await service.hold({ trainerId: trainer.id, startTime: at(0), durationMinutes: 60, owner: 'a', lockedUntil: until });
    await service.hold({ trainerId: trainer.id, startTime: at(1), durationMinutes: 60, owner: 'b', lockedUntil: until });

    expect(await service.release('a')).toBe(1);
    expect(await service.release('a')).toBe(0);
    expect((await slotState(slots.map((s) => s.id))).map((s) => s.lockOwner)).toEqual([null, 'b']);
  });
});

describe('cancel and reschedule', () => {
  it('reschedules onto new slots and frees the old ones in one step; a conflict leaves the booking untouched', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slots = await createSlots(em, trainer, at(0), 6);
    const mine = await createRequest(em, trainer, client, { durationMinutes: 120 });
    const theirs = await createRequest(em, trainer, client, { durationMinutes: 60 });
    const booking = await service.confirm({ bookingRequestId: mine.id, startTime: at(0) });
    await service.confirm({ bookingRequestId: theirs.id, startTime: at(4) });

    // Shift by one hour: slot 1 stays, slot 0 is freed, slot 2 is taken.
    const moved = await service.reschedule({ bookingId: booking.bookingId, newStartTime: at(1) });
    expect(moved.slotIds).toEqual([slots[1]!.id, slots[2]!.id]);
    expect((await slotState(slots.slice(0, 3).map((s) => s.id))).map((s) => s.bookingId)).toEqual([null, booking.bookingId, booking.bookingId]);

    // 03:00-05:00 would need slot 4, which the other booking owns.
    await expect(service.reschedule({ bookingId: booking.bookingId, newStartTime: at(3) })).rejects.toBeInstanceOf(SlotConflictError);
    const check = db.orm.em.fork();
    const unchanged = await check.findOneOrFail(Booking, booking.bookingId);
    expect(unchanged.startTime.toISOString()).toBe(at(1).toISOString());
    expect((await slotState(slots.map((s) => s.id))).map((s) => s.isBooked)).toEqual([false, true, true, false, true, false]);
  });

  it('cancelling frees the slots, cancels the session and is idempotent', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slots = await createSlots(em, trainer, at(0), 2);
    const request = await createRequest(em, trainer, client, { durationMinutes: 120 });
    const booking = await service.confirm({ bookingRequestId: request.id, startTime: at(0) });

    await service.cancel({ bookingId: booking.bookingId, reason: 'injured' });
    const again = await service.cancel({ bookingId: booking.bookingId });

    expect(again.status).toBe('CANCELLED');
    const check = db.orm.em.fork();
    expect((await check.findOneOrFail(Booking, booking.bookingId)).cancellationReason).toBe('injured');
    expect((await check.findOneOrFail(Session, { booking: booking.bookingId })).status).toBe('CANCELLED');
    expect((await slotState(slots.map((s) => s.id))).every((s) => !s.isBooked && s.bookingId === null)).toBe(true);
    // The freed time can be booked again.
    const next = await createRequest(em, trainer, client, { durationMinutes: 60 });
    expect((await service.confirm({ bookingRequestId: next.id, startTime: at(1) })).slotIds).toEqual([slots[1]!.id]);
  });
});

describe('the database itself', () => {
  it('rejects an overlapping active booking and a second booking for one request, whoever writes them', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await createSlots(em, trainer, at(0), 2);
    const request = await createRequest(em, trainer, client, { durationMinutes: 120 });
    const other = await createRequest(em, trainer, client, { durationMinutes: 60 });
    const booking = await service.confirm({ bookingRequestId: request.id, startTime: at(0) });
    const conn = db.orm.em.getConnection();
    const insert = (requestId: number, start: Date) =>
      conn.execute(
        `insert into booking (booking_request_id, client_id, trainer_id, session_type, duration_minutes, start_time, end_time, price_per_hour, total_cost, status, created_at, updated_at)
         values (?, ?, ?, 'x', 60, ?, ?, 60, 60, 'CONFIRMED', now(), now())`,
        [requestId, client.id, trainer.id, start, new Date(start.getTime() + HOUR_MS)],
      );

    await expect(insert(other.id, at(1))).rejects.toMatchObject({ code: '23P01' });
    await expect(insert(request.id, at(5))).rejects.toMatchObject({ code: '23505' });
    // A cancelled booking no longer blocks the time.
    await service.cancel({ bookingId: booking.bookingId });
    await expect(insert(other.id, at(1))).resolves.toBeDefined();
  });

  it('rejects overlapping published slots of one trainer', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    await createSlots(em, trainer, at(0), 1);
    await expect(createSlots(em.fork(), trainer, new Date(at(0).getTime() + 30 * 60_000), 1)).rejects.toMatchObject({ code: '23P01' });
  });
});
