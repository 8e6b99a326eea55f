import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, TimeSlot } from '../../src/db/entities';
import { PolicyRefusalError } from '../../src/domain/policy/errors';
import { DEFAULT_POLICY, policyWording } from '../../src/domain/policy';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { savePolicy } from '../../src/policy/policy-store';
import { createReservationService } from '../../src/reservation/reservation-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { atDate, dayAhead } from '../support/time';

// Ten days ahead: inside the default notice and horizon whatever day the suite runs.
const DAY0 = atDate(dayAhead(10), 8);
const at = (hours: number): Date => new Date(DAY0.getTime() + hours * HOUR_MS);
const open = { expiresAt: new Date(DAY0.getTime() + DAY_MS) };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolicyRefusalError);
  return (error as PolicyRefusalError).code;
};

describe('the reservation transaction applies the trainer policy at its own clock', () => {
  it('refuses to confirm or move to a start inside the notice, and writes nothing', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slots = await createSlots(em, trainer, at(0), 4);
    await savePolicy(em, trainer.id, { minNoticeMinutes: 12 * 60 });
    const request = await createRequest(em, trainer, client, open);
    // The transaction's clock is 6 h before the start: the approval came too late.
    const late = createReservationService(db.orm, () => at(-6));
    expect(await codeOf(late.confirm({ bookingRequestId: request.id, startTime: at(0) }))).toBe('policy_min_notice');
    const check = db.orm.em.fork();
    expect(await check.count(Booking, { bookingRequest: request.id })).toBe(0);
    expect((await check.findOneOrFail(BookingRequest, request.id)).status).toBe('PENDING');
    expect(await check.count(TimeSlot, { id: { $in: slots.map((s) => s.id) }, isBooked: true })).toBe(0);

    // In time, it books; a move to a start 6 h after the clock is refused the same way.
    const early = createReservationService(db.orm, () => at(-48));
    const booking = await early.confirm({ bookingRequestId: request.id, startTime: at(3) });
    expect(await codeOf(late.reschedule({ bookingId: booking.bookingId, newStartTime: at(0) }))).toBe('policy_min_notice');
    expect((await db.orm.em.fork().findOneOrFail(Booking, booking.bookingId)).startTime.toISOString()).toBe(at(3).toISOString());
  });

  it('refuses to confirm or move to a start past the horizon at its clock (policy_horizon), and writes nothing', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slots = [...(await createSlots(em, trainer, at(0), 2)), ...(await createSlots(em, trainer, at(30), 1))];
    await savePolicy(em, trainer.id, { horizonDays: 2 });
    const request = await createRequest(em, trainer, client, open);
    const horizon = policyWording.horizon({ ...DEFAULT_POLICY, horizonDays: 2 }, trainer.user.fullName);
    // The transaction's clock is 49 h before the start: one hour past the 2-day horizon.
    const early = createReservationService(db.orm, () => at(-49));
    const error = await early.confirm({ bookingRequestId: request.id, startTime: at(0) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyRefusalError);
    expect(error).toMatchObject({ code: 'policy_horizon', field: 'start_time', message: horizon });
    const check = db.orm.em.fork();
    expect(await check.count(Booking, { bookingRequest: request.id })).toBe(0);
    expect((await check.findOneOrFail(BookingRequest, request.id)).status).toBe('PENDING');
    expect(await check.count(TimeSlot, { id: { $in: slots.map((s) => s.id) }, isBooked: true })).toBe(0);

    // A day before, it books; a move to a start 54 h after that clock is refused the same way.
    const dayBefore = createReservationService(db.orm, () => at(-24));
    const booking = await dayBefore.confirm({ bookingRequestId: request.id, startTime: at(1) });
    expect(await codeOf(dayBefore.reschedule({ bookingId: booking.bookingId, newStartTime: at(30) }))).toBe('policy_horizon');
    const row = await db.orm.em.fork().findOneOrFail(Booking, booking.bookingId, { populate: ['timeSlots'] });
    expect([row.startTime.toISOString(), row.timeSlots.getItems().map((s) => s.id)]).toEqual([at(1).toISOString(), [slots[1]!.id]]);
    expect((await db.orm.em.fork().findOneOrFail(TimeSlot, slots[2]!.id)).isBooked).toBe(false);
  });

  it('refuses to move a booking whose session has started at its clock (policy_started), and writes nothing', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slots = await createSlots(em, trainer, at(0), 4);
    const booking = await createReservationService(db.orm, () => at(-24)).confirm({ bookingRequestId: (await createRequest(em, trainer, client, open)).id, startTime: at(0) });

    // At the start and half an hour into the session: nothing moves, not even to a free slot within the rules.
    for (const now of [at(0), at(0.5)]) {
      const error = await createReservationService(db.orm, () => now)
        .reschedule({ bookingId: booking.bookingId, newStartTime: at(3) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyRefusalError);
      expect(error).toMatchObject({ code: 'policy_started', message: policyWording.started() });
    }
    const row = await db.orm.em.fork().findOneOrFail(Booking, booking.bookingId, { populate: ['timeSlots'] });
    expect([row.startTime.toISOString(), row.status, row.timeSlots.getItems().map((s) => s.id)]).toEqual([at(0).toISOString(), 'CONFIRMED', [slots[0]!.id]]);
    expect(await db.orm.em.fork().count(TimeSlot, { id: { $in: slots.map((s) => s.id) }, isBooked: true })).toBe(1);
  });

  it("keeps the trainer's buffers: a confirm or a move next to another session is policy_buffer and writes nothing; far enough apart books", async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const [robin, sam] = [await createClient(em), await createClient(em)];
    await createSlots(em, trainer, at(0), 6); // hourly, back to back
    await savePolicy(em, trainer.id, { bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
    const service = createReservationService(db.orm);
    const first = await service.confirm({ bookingRequestId: (await createRequest(em, trainer, robin)).id, startTime: at(2) });

    const next = await createRequest(em, trainer, sam);
    const error = await service.confirm({ bookingRequestId: next.id, startTime: at(3) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyRefusalError);
    expect(error).toMatchObject({ code: 'policy_buffer', field: 'start_time', message: policyWording.buffer({ ...DEFAULT_POLICY, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }, trainer.user.fullName) });
    const check = db.orm.em.fork();
    expect(await check.count(Booking, { bookingRequest: next.id })).toBe(0);
    expect((await check.findOneOrFail(BookingRequest, next.id)).status).toBe('PENDING');

    const second = await service.confirm({ bookingRequestId: next.id, startTime: at(4) });
    // Moving either next to the other is refused the same way; the booking stays where it was.
    expect(await codeOf(service.reschedule({ bookingId: second.bookingId, newStartTime: at(1) }))).toBe('policy_buffer');
    expect((await db.orm.em.fork().findOneOrFail(Booking, second.bookingId)).startTime.toISOString()).toBe(at(4).toISOString());
    // Its own old place does not count against it: a move by an hour next to nobody else books.
    expect((await service.reschedule({ bookingId: first.bookingId, newStartTime: at(0) })).startTime.toISOString()).toBe(at(0).toISOString());
    expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).violations).toEqual([]);
  });

  it('a client cannot hold two overlapping sessions, even with two trainers: policy_client_overlap', async () => {
    const em = db.orm.em.fork();
    const [alex, sam] = [await createTrainer(em), await createTrainer(em)];
    const client = await createClient(em);
    await createSlots(em, alex, at(0), 2);
    await createSlots(em, sam, at(0), 2);
    const service = createReservationService(db.orm);
    await service.confirm({ bookingRequestId: (await createRequest(em, alex, client)).id, startTime: at(0) });
    const second = await createRequest(em, sam, client, { durationMinutes: 90 });
    const error = await service.confirm({ bookingRequestId: second.id, startTime: at(0) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'policy_client_overlap', field: 'start_time' });
    expect((error as Error).message).toBe('You already have a session at that time: choose a time when you are free.');
    expect(await db.orm.em.fork().count(Booking, { bookingRequest: second.id })).toBe(0);
    expect((await checkBookingInvariants(db.orm.em.fork())).violations).toEqual([]);
  });

  it('12 parallel confirms for one client with at most 10 upcoming bookings: exactly 10 win, the rest are refused cleanly', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await savePolicy(em, trainer.id, { maxUpcomingBookings: 10 });
    await createSlots(em, trainer, at(0), 12);
    const requests = await Promise.all(Array.from({ length: 12 }, () => createRequest(em.fork(), trainer, client)));
    const service = createReservationService(db.orm);

    const outcomes = await Promise.allSettled(requests.map((request, i) => service.confirm({ bookingRequestId: request.id, startTime: at(i) })));

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(refused.map((e) => (e instanceof PolicyRefusalError ? e.code : String(e)))).toEqual(['policy_limit_upcoming', 'policy_limit_upcoming']);
    const report = await checkBookingInvariants(db.orm.em.fork(), trainer.id);
    expect(report.violations).toEqual([]);
    expect([report.activeBookings, report.approvedRequests, report.pendingRequests]).toEqual([10, 10, 2]);
  });
});
