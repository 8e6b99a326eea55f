// Many booking attempts at once over overlapping windows, then the stored data is checked
// in SQL. First straight through the reservation service (1,000 concurrent confirms), then
// through real workflows with trainers approving concurrently (100 requests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, TimeSlot, User, type Trainer } from '../../src/db/entities';
import { SLOTS_UNAVAILABLE_MESSAGE, SlotConflictError } from '../../src/reservation/errors';
import { createReservationService, type ConfirmedBooking } from '../../src/reservation/reservation-service';
import type { Notification } from '../../src/notifications/notification';
import { rankSlotsForRequest } from '../../src/slots/rank-slots';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { RecordingNotifier } from '../support/recording-notifier';
import { startBookingWorker } from '../support/temporal';
import { atDate, dayAhead, plusDays } from '../support/time';
import { auditBookings, holdsOfClosedWorkflows } from './support/booking-audit';
import { pick, seededRandom } from '../support/random';
import { approveBestUntilSettled } from './support/trainer';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

interface CalendarSlot {
  id: number;
  startMs: number;
  endMs: number;
  published: boolean;
}

/**
 * The test's own model of the rule: a session fits when the published slots overlapping it
 * start exactly at its start and run back to back past its end.
 */
function fits(calendar: readonly CalendarSlot[], startMs: number, durationMinutes: number): boolean {
  const endMs = startMs + durationMinutes * MINUTE_MS;
  let coveredUntil = startMs;
  for (const slot of calendar.filter((s) => s.startMs < endMs && s.endMs > startMs)) {
    if (slot.startMs !== coveredUntil || !slot.published) return false;
    coveredUntil = slot.endMs;
  }
  return coveredUntil >= endMs;
}

/** A trainer with `count` back-to-back slots of `minutes`, one missing and one unpublished. */
async function trainerWithGappyCalendar(start: Date, count: number, minutes: number): Promise<{ trainer: Trainer; calendar: CalendarSlot[] }> {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 75 });
  const slots = await createSlots(em, trainer, start, count, minutes);
  const [missing, unpublished] = [slots[Math.floor((2 * count) / 3)]!, slots[Math.floor(count / 3)]!];
  await em.nativeDelete(TimeSlot, { id: missing.id });
  await em.nativeUpdate(TimeSlot, { id: unpublished.id }, { isAvailable: false });
  const calendar = slots
    .filter((s) => s.id !== missing.id)
    .map((s) => ({ id: s.id, startMs: s.startTime.getTime(), endMs: s.endTime.getTime(), published: s.id !== unpublished.id }));
  return { trainer, calendar };
}

describe('torture: concurrent booking attempts', () => {
  it('1,000 concurrent confirms through the reservation service: one winner per contested slot, losers leave nothing', async () => {
    const random = seededRandom(7_000);
    const day0 = atDate(dayAhead(10), 6); // inside the default policy's notice and horizon
    const trainers = await Promise.all(
      [
        { count: 40, minutes: 60 },
        { count: 80, minutes: 30 },
        { count: 50, minutes: 45 },
        { count: 40, minutes: 60 },
      ].map((shape) => trainerWithGappyCalendar(day0, shape.count, shape.minutes)),
    );

    // Attempts: random trainer, duration and start; some starts fall between slots or run
    // off the calendar, and some attempts repeat an earlier request (a retried approval).
    const em = db.orm.em.fork();
    const attempts: { request: BookingRequest; trainerIndex: number; startMs: number }[] = [];
    for (let i = 0; i < 1000; i++) {
      if (i > 20 && random() < 0.05) {
        const earlier = attempts[Math.floor(random() * attempts.length)]!;
        attempts.push({ ...earlier, startMs: random() < 0.5 ? earlier.startMs : pick(random, trainers[earlier.trainerIndex]!.calendar).startMs });
        continue;
      }
      const trainerIndex = Math.floor(random() * trainers.length);
      const { trainer, calendar } = trainers[trainerIndex]!;
      const durationMinutes = pick(random, [30, 45, 60, 90, 120, 180]);
      const slotStart = pick(random, calendar).startMs;
      const startMs = random() < 0.05 ? slotStart + 10 * MINUTE_MS : slotStart;
      // Each request by a client of its own: this is about trainers' calendars, and one client
      // may never hold two overlapping bookings (booking_client_no_overlap).
      const client = em.create(User, { username: `torture-client-${i}`, fullName: `Torture client ${i}`, role: 'CLIENT' });
      const request = em.create(BookingRequest, { client, trainer, sessionType: 'Torture', durationMinutes, expiresAt: new Date(Date.now() + DAY_MS) });
      attempts.push({ request, trainerIndex, startMs });
    }
    await em.flush();
    const service = createReservationService(db.orm);

    const outcomes = await Promise.allSettled(attempts.map((a) => service.confirm({ bookingRequestId: a.request.id, startTime: new Date(a.startMs) })));

    // Every refusal is the typed, clearly worded conflict: no deadlock, no raw constraint error.
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    for (const reason of refusals) {
      expect(reason).toBeInstanceOf(SlotConflictError);
      expect((reason as SlotConflictError).message).toBe(SLOTS_UNAVAILABLE_MESSAGE);
    }
    // One booking per request, whichever of its attempts made it.
    const bookingOf = new Map<number, ConfirmedBooking>();
    outcomes.forEach((outcome, i) => {
      if (outcome.status !== 'fulfilled') return;
      const requestId = attempts[i]!.request.id;
      const first = bookingOf.get(requestId);
      if (first) expect(outcome.value.bookingId).toBe(first.bookingId);
      else bookingOf.set(requestId, outcome.value);
    });
    expect(bookingOf.size).toBeGreaterThan(50);
    expect(refusals.length).toBeGreaterThan(300);

    // Nobody lost for nothing: a refused attempt that fitted the calendar overlaps a booking
    // of its trainer that won (or its own request won through another attempt).
    outcomes.forEach((outcome, i) => {
      const attempt = attempts[i]!;
      const { calendar } = trainers[attempt.trainerIndex]!;
      if (outcome.status === 'fulfilled' || bookingOf.has(attempt.request.id) || !fits(calendar, attempt.startMs, attempt.request.durationMinutes)) return;
      const endMs = attempt.startMs + attempt.request.durationMinutes * MINUTE_MS;
      const blockers = [...bookingOf.values()].filter(
        (b) => b.trainerId === trainers[attempt.trainerIndex]!.trainer.id && b.startTime.getTime() < endMs && b.endTime.getTime() > attempt.startMs,
      );
      expect(blockers.length, `attempt ${i} (request ${attempt.request.id}) was refused with nothing in its way`).toBeGreaterThan(0);
    });
    // And every winner fitted the calendar it was booked in.
    for (const booking of bookingOf.values()) {
      const { calendar } = trainers.find((t) => t.trainer.id === booking.trainerId)!;
      expect(fits(calendar, booking.startTime.getTime(), booking.durationMinutes)).toBe(true);
    }

    const check = db.orm.em.fork();
    for (const { trainer } of trainers) {
      const report = await checkBookingInvariants(check, trainer.id);
      expect(report.violations).toEqual([]);
      expect(report.activeBookings).toBe([...bookingOf.values()].filter((b) => b.trainerId === trainer.id).length);
    }
    expect(await auditBookings(check)).toEqual([]);
    const requestIds = [...new Set(attempts.map((a) => a.request.id))];
    expect(await check.count(Booking, { bookingRequest: { $in: requestIds } })).toBe(bookingOf.size);
    expect(await check.count(BookingRequest, { id: { $in: requestIds }, status: 'PENDING' })).toBe(requestIds.length - bookingOf.size);
  }, 180_000);

  it('100 requests through real workflows, trainers approving concurrently: every request settles once, nothing double-booked', async () => {
    const random = seededRandom(100);
    const notifier = new RecordingNotifier();
    const running = await startBookingWorker({ db, notifier });
    try {
      const em = db.orm.em.fork();
      // A client of its own per request (one client may not hold overlapping bookings).
      const clients: User[] = [];
      for (let n = 0; n < 100; n++) clients.push(await createClient(em));
      // Only invariants are asserted, so the weekday does not matter.
      const day0 = dayAhead(3);
      const firstDay = atDate(day0, 0);
      const date = (days: number) => plusDays(day0, days);
      const trainers: Trainer[] = [];
      for (let t = 0; t < 3; t++) {
        const trainer = await createTrainer(em);
        // Two days of 16 hourly slots, 06:00-22:00 UTC.
        await createSlots(em, trainer, new Date(firstDay.getTime() + 6 * HOUR_MS), 16);
        await createSlots(em, trainer, new Date(firstDay.getTime() + DAY_MS + 6 * HOUR_MS), 16);
        trainers.push(trainer);
      }
      const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
      // Four in five are flexible (W_C-ranked options); the rest ask for an exact start,
      // which the workflow holds for itself until the trainer answers.
      const specs = Array.from({ length: 100 }, (_, n) => {
        const trainer = pick(random, trainers);
        const from = 6 + Math.floor(random() * 14);
        const common = { clientId: clients[n]!.id, trainerId: trainer.id, sessionType: 'Torture', durationMinutes: pick(random, [60, 90, 120]), timeZone: pick(random, ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) };
        if (random() < 0.2) {
          const startTime = new Date(firstDay.getTime() + Math.floor(random() * 2) * DAY_MS + from * HOUR_MS);
          return { trainerId: trainer.id, direct: true, startTime, body: { ...common, startTime: startTime.toISOString() } };
        }
        const preferences = {
          preferredStartDate: date(0),
          preferredEndDate: date(1),
          preferredTimes: [`${clock(from)}-${clock(from + 2)}`],
          avoidTimes: random() < 0.5 ? [] : [`${clock(from + 2)}-${clock(from + 3)}`],
          allowWeekends: random() < 0.5,
          allowEvenings: random() < 0.5,
        };
        return { trainerId: trainer.id, direct: false, startTime: null, body: { ...common, preferences } };
      });

      const started = await Promise.all(specs.map(async (spec) => ({ ...spec, ...(await running.bookings.startRequest(spec.body)) })));
      // A direct request whose time is already taken is turned down before the trainer sees it.
      const firsts = await Promise.all(started.map((r) => firstNotification(notifier, r.bookingRequestId, ['request.options', 'request.rejected'])));
      const decisions = await Promise.all(
        started.map((r, i) =>
          firsts[i]!.kind === 'request.rejected' ? Promise.resolve('turned down' as const) : approveBestUntilSettled(running.bookings, r.bookingRequestId, r.trainerId, firsts[i]!.options ?? []),
        ),
      );

      const approved = started.filter((_, i) => decisions[i] === 'approved');
      const rejected = started.filter((_, i) => decisions[i] === 'rejected');
      const turnedDown = started.filter((_, i) => decisions[i] === 'turned down');
      expect(approved.length).toBeGreaterThan(20);
      expect(approved.filter((r) => r.direct).length).toBeGreaterThan(0);
      expect(rejected.length + turnedDown.length).toBeGreaterThan(0);
      const check = db.orm.em.fork();
      for (const r of approved) {
        const bookings = await check.find(Booking, { bookingRequest: r.bookingRequestId });
        expect(bookings).toHaveLength(1);
        if (r.startTime) expect(bookings[0]!.startTime).toEqual(r.startTime);
        const state = await running.bookings.state(r.bookingRequestId);
        expect(state.status).toBe('APPROVED');
        expect(state.booking?.bookingId).toBe(bookings[0]!.id);
        expect(notifier.of(r.bookingRequestId, 'request.approved')).toHaveLength(1);
      }
      for (const r of [...rejected, ...turnedDown]) {
        expect(await check.count(Booking, { bookingRequest: r.bookingRequestId })).toBe(0);
        expect((await check.findOneOrFail(BookingRequest, r.bookingRequestId)).status).toBe('REJECTED');
        expect(notifier.of(r.bookingRequestId, 'request.rejected')).toHaveLength(1);
      }
      // Rejected by the trainer only because nothing was left: there is still no room now.
      for (const r of rejected) expect(await rankSlotsForRequest(check, r.bookingRequestId)).toEqual([]);
      // Turned down only because its exact time was not free: it is still not free now.
      for (const r of turnedDown) {
        const endMs = r.startTime!.getTime() + r.body.durationMinutes * MINUTE_MS;
        const overlapping = await check.find(TimeSlot, { trainer: r.trainerId, startTime: { $lt: new Date(endMs) }, endTime: { $gt: r.startTime! } }, { orderBy: { startTime: 'asc' } });
        const calendar = overlapping.map((s) => ({ id: s.id, startMs: s.startTime.getTime(), endMs: s.endTime.getTime(), published: !s.isBooked }));
        expect(fits(calendar, r.startTime!.getTime(), r.body.durationMinutes), `request ${r.bookingRequestId} was turned down but its time is free`).toBe(false);
      }
      for (const trainer of trainers) {
        const report = await checkBookingInvariants(check, trainer.id);
        expect(report.violations).toEqual([]);
        expect(report.activeBookings).toBe(approved.filter((r) => r.trainerId === trainer.id).length);
        expect(report.pendingRequests).toBe(0);
      }
      expect(await auditBookings(check)).toEqual([]);
      // Holds of the direct requests became bookings or were given back; none outlives its workflow.
      expect(await holdsOfClosedWorkflows(check, running.client)).toEqual([]);
      expect(await check.count(TimeSlot, { lockOwner: { $ne: null }, isBooked: false, lockedUntil: { $gt: new Date() } })).toBe(0);
    } finally {
      await running.stop();
    }
  }, 240_000);
});

/** The first of `kinds` that the workflow sent for a request (bounded wait). */
async function firstNotification(notifier: RecordingNotifier, bookingRequestId: number, kinds: Notification['kind'][], timeoutMs = 120_000): Promise<Notification> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = notifier.of(bookingRequestId).find((n) => kinds.includes(n.kind));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`request ${bookingRequestId} sent none of ${kinds.join(', ')} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
