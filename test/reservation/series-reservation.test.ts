import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, BookingSeries, Session, TimeSlot, type Trainer, type User } from '../../src/db/entities';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { savePolicy } from '../../src/policy/policy-store';
import { SeriesConflictError } from '../../src/reservation/errors';
import { createReservationService } from '../../src/reservation/reservation-service';
import { createSeriesReservation, seriesAvailability, type ConfirmSeriesInput } from '../../src/reservation/series-reservation';
import { expandOccurrences, toRRule, type RecurrenceInput } from '../../src/series/recurrence';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';

// The services run on a fixed clock, so the fixed calendar below (a series across the last
// Sunday of March 2027 in Berlin) is always ahead of "now", whatever day the suite runs.
const NOW = new Date('2027-03-10T08:00:00Z');
const clock = () => NOW;
const tuesdays: RecurrenceInput = { frequency: 'WEEKLY', interval: 1, weekdays: ['TU'], startTime: '18:00', timeZone: 'Europe/Berlin', firstDate: '2027-03-16', count: 10 };
const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

interface Setup {
  trainer: Trainer;
  client: User;
  starts: Date[];
  input: (overrides?: Partial<ConfirmSeriesInput>) => Promise<ConfirmSeriesInput>;
}

/** A trainer with one 60-minute slot at each occurrence of `recurrence`, a client, and a factory of pending series requests. */
async function setup(recurrence: RecurrenceInput = tuesdays, trainer?: Trainer): Promise<Setup> {
  const em = db.orm.em.fork();
  const owner = trainer ?? (await createTrainer(em));
  const client = await createClient(em);
  const starts = expandOccurrences(recurrence).occurrences.map((o) => o.start);
  if (!trainer) for (const start of starts) await createSlots(em, owner, start, 1);
  const rrule = toRRule(recurrence);
  const input = async (overrides: Partial<ConfirmSeriesInput> = {}): Promise<ConfirmSeriesInput> => {
    const request = await createRequest(db.orm.em.fork(), owner, client, { expiresAt: new Date(NOW.getTime() + DAY_MS) });
    return { bookingRequestId: request.id, clientId: client.id, trainerId: owner.id, occurrences: starts, durationMinutes: 60, rrule, timeZone: recurrence.timeZone, conflictMode: 'ALL_OR_NOTHING', ...overrides };
  };
  return { trainer: owner, client, starts, input };
}

async function rejection(work: Promise<unknown>): Promise<SeriesConflictError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeriesConflictError);
  return error as SeriesConflictError;
}

async function expectClean(trainerId: number): Promise<void> {
  expect((await checkBookingInvariants(db.orm.em.fork(), trainerId)).violations).toEqual([]);
}

describe('confirmSeries', () => {
  it('books 10 Tuesdays at 18:00 Berlin in one transaction across the March DST change: local times stay, instants shift', async () => {
    const { trainer, client, input } = await setup();
    const service = createSeriesReservation(db.orm, clock);
    const asked = await input();
    const series = await service.confirmSeries(asked);
    expect(series).toMatchObject({ status: 'CONFIRMED', alreadyDone: false, skipped: [] });
    expect(series.booked).toHaveLength(10);

    const em = db.orm.em.fork();
    const bookings = await em.find(Booking, { series: series.seriesId }, { orderBy: { startTime: 'asc' } });
    expect(bookings).toHaveLength(10);
    expect(new Set(bookings.map((b) => berlin.format(b.startTime)))).toEqual(new Set(['Tue 18:00']));
    expect(bookings.map((b) => b.startTime.getUTCHours())).toEqual([17, 17, 16, 16, 16, 16, 16, 16, 16, 16]);
    for (const b of bookings) {
      expect(b).toMatchObject({ status: 'CONFIRMED', isRecurring: true, recurringPattern: asked.rrule });
      expect(b.client.id).toBe(client.id);
    }
    expect(await em.count(Session, { booking: { $in: bookings.map((b) => b.id) } })).toBe(10);
    expect(await em.count(TimeSlot, { trainer: trainer.id, isBooked: true })).toBe(10);
    expect((await em.findOneOrFail(BookingRequest, asked.bookingRequestId)).status).toBe('APPROVED');
    expect(await em.findOneOrFail(BookingSeries, series.seriesId)).toMatchObject({ status: 'CONFIRMED', occurrenceCount: 10, timeZone: 'Europe/Berlin', rrule: asked.rrule });
    await expectClean(trainer.id);
  });

  it('all or nothing: one occurrence taken → SeriesConflict naming that date, nothing written', async () => {
    const { trainer, starts, input } = await setup();
    // Another client takes the third Tuesday first.
    const rival = await createClient(db.orm.em.fork());
    const rivalRequest = await createRequest(db.orm.em.fork(), trainer, rival, { expiresAt: new Date(NOW.getTime() + DAY_MS) });
    await createReservationService(db.orm, clock).confirm({ bookingRequestId: rivalRequest.id, startTime: starts[2]! });

    const asked = await input();
    const error = await rejection(createSeriesReservation(db.orm, clock).confirmSeries(asked));
    expect(error.code).toBe('SeriesConflict');
    expect(error.skipped).toEqual([{ start: starts[2], code: 'SlotConflict', reason: expect.any(String) as string }]);
    expect(error.message).toContain(starts[2]!.toISOString());

    const em = db.orm.em.fork();
    expect(await em.count(BookingSeries, { bookingRequest: asked.bookingRequestId })).toBe(0);
    expect(await em.count(Booking, { bookingRequest: asked.bookingRequestId })).toBe(0);
    expect(await em.count(TimeSlot, { trainer: trainer.id, isBooked: true })).toBe(1);
    expect((await em.findOneOrFail(BookingRequest, asked.bookingRequestId)).status).toBe('PENDING');
    await expectClean(trainer.id);
  });

  it('available dates only: the free occurrences are booked, the taken one listed with its reason (PARTIAL)', async () => {
    const { trainer, starts, input } = await setup();
    await db.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id, startTime: starts[4]! }, { isAvailable: false });
    const series = await createSeriesReservation(db.orm, clock).confirmSeries(await input({ conflictMode: 'AVAILABLE_ONLY' }));
    expect(series.status).toBe('PARTIAL');
    expect(series.booked.map((b) => b.start)).toEqual(starts.filter((_, i) => i !== 4));
    expect(series.skipped).toEqual([{ start: starts[4], code: 'SlotConflict', reason: expect.stringContaining('not free') as string }]);
    await expectClean(trainer.id);
  });

  it('available dates only with nothing free → SeriesConflict, nothing written', async () => {
    const { trainer, input } = await setup({ ...tuesdays, count: 2 });
    await db.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id }, { isAvailable: false });
    const asked = await input({ conflictMode: 'AVAILABLE_ONLY' });
    expect((await rejection(createSeriesReservation(db.orm, clock).confirmSeries(asked))).skipped).toHaveLength(2);
    expect(await db.orm.em.fork().count(BookingSeries, { bookingRequest: asked.bookingRequestId })).toBe(0);
  });

  it('the policy applies per occurrence: a limit of 3 upcoming books 3 and skips the rest (available only)', async () => {
    const { trainer, starts, input } = await setup({ ...tuesdays, count: 5 });
    await savePolicy(db.orm.em.fork(), trainer.id, { maxUpcomingBookings: 3 });
    const series = await createSeriesReservation(db.orm, clock).confirmSeries(await input({ conflictMode: 'AVAILABLE_ONLY' }));
    expect(series.booked.map((b) => b.start)).toEqual(starts.slice(0, 3));
    expect(series.skipped.map((s) => s.code)).toEqual(['policy_limit_upcoming', 'policy_limit_upcoming']);
    // All or nothing, the same limit refuses the whole series.
    const other = await setup({ ...tuesdays, count: 5 });
    await savePolicy(db.orm.em.fork(), other.trainer.id, { maxUpcomingBookings: 3 });
    expect((await rejection(createSeriesReservation(db.orm, clock).confirmSeries(await other.input()))).skipped.map((s) => s.code)).toEqual(['policy_limit_upcoming', 'policy_limit_upcoming']);
    await expectClean(trainer.id);
    await expectClean(other.trainer.id);
  });

  it('is idempotent per request: a retry, sequential or concurrent, returns the one series', async () => {
    const { trainer, input } = await setup({ ...tuesdays, count: 4 });
    const service = createSeriesReservation(db.orm, clock);
    const asked = await input();
    const [a, b] = await Promise.all([service.confirmSeries(asked), service.confirmSeries(asked)]);
    expect(a.seriesId).toBe(b.seriesId);
    expect([a.alreadyDone, b.alreadyDone].sort()).toEqual([false, true]);
    const again = await service.confirmSeries(asked);
    expect(again).toMatchObject({ seriesId: a.seriesId, alreadyDone: true, status: 'CONFIRMED', skipped: [] });
    expect(again.booked.map((o) => o.bookingId)).toEqual(a.booked.map((o) => o.bookingId));
    expect(await db.orm.em.fork().count(Booking, { series: a.seriesId })).toBe(4);
    await expectClean(trainer.id);
  });
});

describe('cancelSeriesFrom', () => {
  it('cancels this and all following occurrences in one transaction and frees their slots; the series is CANCELLED when nothing is left', async () => {
    const { trainer, starts, input } = await setup({ ...tuesdays, count: 5 });
    const service = createSeriesReservation(db.orm, clock);
    const series = await service.confirmSeries(await input());
    const result = await service.cancelSeriesFrom(series.seriesId, starts[2]!);
    expect(result.status).toBe('CONFIRMED');
    expect(result.cancelled.map((c) => [c.start, c.status])).toEqual(starts.slice(2).map((s) => [s, 'CANCELLED']));
    const em = db.orm.em.fork();
    const bookings = await em.find(Booking, { series: series.seriesId }, { orderBy: { startTime: 'asc' } });
    expect(bookings.map((b) => b.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(await em.count(TimeSlot, { trainer: trainer.id, isBooked: true })).toBe(2);
    expect(await em.count(Session, { booking: { $in: bookings.slice(2).map((b) => b.id) }, status: 'CANCELLED' })).toBe(3);
    // Again: nothing more to cancel.
    expect((await service.cancelSeriesFrom(series.seriesId, starts[2]!)).cancelled).toEqual([]);
    await expectClean(trainer.id);

    const rest = await service.cancelSeriesFrom(series.seriesId, starts[0]!);
    expect(rest.cancelled).toHaveLength(2);
    expect(rest.status).toBe('CANCELLED');
    await expectClean(trainer.id);
  });

  it('a client cancelling inside the cutoff: only the occurrences inside it are late cancellations', async () => {
    const { trainer, starts, input } = await setup({ ...tuesdays, count: 3 });
    await savePolicy(db.orm.em.fork(), trainer.id, { cancelCutoffMinutes: 48 * 60 });
    const series = await createSeriesReservation(db.orm, clock).confirmSeries(await input());
    // The clock is a day before the first occurrence.
    const late = createSeriesReservation(db.orm, () => new Date(starts[0]!.getTime() - 24 * HOUR_MS));
    const result = await late.cancelSeriesFrom(series.seriesId, starts[0]!, { late: true });
    expect(result.cancelled.map((c) => c.status)).toEqual(['LATE_CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(result.status).toBe('CANCELLED');
    await expectClean(trainer.id);
  });
});

describe('one occurrence changed on its own', () => {
  it('cancelling the last active occurrence one by one makes the series CANCELLED', async () => {
    const { trainer, input } = await setup({ ...tuesdays, count: 2 });
    const series = await createSeriesReservation(db.orm, clock).confirmSeries(await input());
    const reservations = createReservationService(db.orm, clock);
    await reservations.cancel({ bookingId: series.booked[0]!.bookingId });
    expect((await db.orm.em.fork().findOneOrFail(BookingSeries, series.seriesId)).status).toBe('CONFIRMED');
    await expectClean(trainer.id);
    // Both at once for the last one: the series row is locked first, so it ends exactly once.
    await Promise.all([reservations.cancel({ bookingId: series.booked[1]!.bookingId }), reservations.cancel({ bookingId: series.booked[1]!.bookingId })]);
    expect((await db.orm.em.fork().findOneOrFail(BookingSeries, series.seriesId)).status).toBe('CANCELLED');
    await expectClean(trainer.id);
  });

  it('a cancel of one occurrence and "this and all following" at the same moment neither deadlock nor leave the series active', async () => {
    const { trainer, input } = await setup({ ...tuesdays, count: 3 });
    const service = createSeriesReservation(db.orm, clock);
    const series = await service.confirmSeries(await input());
    await Promise.all([
      createReservationService(db.orm, clock).cancel({ bookingId: series.booked[0]!.bookingId }),
      service.cancelSeriesFrom(series.seriesId, series.booked[1]!.start),
    ]);
    expect((await db.orm.em.fork().findOneOrFail(BookingSeries, series.seriesId)).status).toBe('CANCELLED');
    await expectClean(trainer.id);
  });

  it('rescheduling an occurrence moves that booking only; the request keeps its first session as its confirmed date', async () => {
    const { trainer, starts, input } = await setup({ ...tuesdays, count: 3 });
    const asked = await input();
    const series = await createSeriesReservation(db.orm, clock).confirmSeries(asked);
    const [spare] = await createSlots(db.orm.em.fork(), trainer, new Date(starts[1]!.getTime() + HOUR_MS), 1);
    const moved = await createReservationService(db.orm, clock).reschedule({ bookingId: series.booked[1]!.bookingId, newStartTime: spare!.startTime });
    expect(moved).toMatchObject({ bookingId: series.booked[1]!.bookingId, startTime: spare!.startTime, slotIds: [spare!.id] });
    const em = db.orm.em.fork();
    expect((await em.findOneOrFail(BookingRequest, asked.bookingRequestId)).confirmedDate).toEqual(starts[0]);
    expect((await em.find(Booking, { series: series.seriesId }, { orderBy: { startTime: 'asc' } })).map((b) => b.startTime)).toEqual([starts[0], spare!.startTime, starts[2]]);
    await expectClean(trainer.id);
  });
});

describe('seriesAvailability', () => {
  it('says per occurrence: free, taken, or outside the policy', async () => {
    const { trainer, starts } = await setup({ ...tuesdays, count: 3 });
    await db.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id, startTime: starts[1]! }, { isAvailable: false });
    const now = new Date(starts[0]!.getTime() - 30 * 60_000); // inside the default 60 min notice for the first
    const answers = await seriesAvailability(db.orm.em.fork(), trainer.id, starts, 60, { now });
    expect(answers.map((a) => a.state)).toEqual(['outside_policy', 'taken', 'free']);
    expect(answers[0]).toMatchObject({ code: 'policy_min_notice' });
  });
});

describe('race: two series sharing one occurrence, confirmed at the same moment', () => {
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))('round %i: one wins entirely, the other gets SeriesConflict and nothing partial', async () => {
    // Series A: Tuesdays 16 Mar – 6 Apr; series B: Tuesdays 6 Apr – 27 Apr (another client). They share 6 Apr.
    const a = await setup({ ...tuesdays, count: 4 });
    const b = await setup({ ...tuesdays, firstDate: '2027-04-06', count: 4 }, a.trainer);
    await createSlots(db.orm.em.fork(), a.trainer, b.starts[1]!, 1);
    await createSlots(db.orm.em.fork(), a.trainer, b.starts[2]!, 1);
    await createSlots(db.orm.em.fork(), a.trainer, b.starts[3]!, 1);
    expect(b.starts[0]).toEqual(a.starts[3]);
    const [inputA, inputB] = [await a.input(), await b.input()];
    const service = createSeriesReservation(db.orm, clock);

    const outcomes = await Promise.allSettled([service.confirmSeries(inputA), service.confirmSeries(inputB)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0]!.reason as SeriesConflictError;
    expect(error).toBeInstanceOf(SeriesConflictError);
    expect(error.skipped.map((s) => s.start)).toEqual([a.starts[3]]);
    expect(won[0]!.value).toMatchObject({ status: 'CONFIRMED' });
    expect(won[0]!.value.booked).toHaveLength(4);

    const loser = outcomes[0].status === 'rejected' ? inputA : inputB;
    const em = db.orm.em.fork();
    expect(await em.count(BookingSeries, { bookingRequest: loser.bookingRequestId })).toBe(0);
    expect(await em.count(Booking, { client: loser.clientId })).toBe(0);
    expect(await em.count(TimeSlot, { trainer: a.trainer.id, isBooked: true })).toBe(4);
    await expectClean(a.trainer.id);
  });
});
