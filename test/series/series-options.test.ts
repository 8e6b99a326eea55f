import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/booking-activities';
import { Booking, BookingRequest, BookingSeries, type Trainer, type User } from '../../src/db/entities';
import type { SeriesRecurrence } from '../../src/domain/series/series';
import { seriesWording } from '../../src/domain/series/wording';
import { DAY_MS } from '../../src/domain/time';
import { createReservationService } from '../../src/reservation/reservation-service';
import { createSeriesReservation } from '../../src/reservation/series-reservation';
import { candidateFor, orderSeriesOptions, seriesOptionsForRequest } from '../../src/series/series-options';
import type { SlotOption } from '../../workflows/contract';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { RecordingNotifier } from '../support/recording-notifier';

// The services run on a fixed clock, so the fixed calendar below (Berlin around the last
// Sunday of March 2027) is always ahead of "now", whatever day the suite runs.
const NOW = new Date('2027-03-10T08:00:00Z');
const clock = () => NOW;

function option(slotId: number, totalScore: number, free: number, total: number, slotStart = '2027-03-16T17:00:00.000Z'): SlotOption {
  return {
    slotId,
    slotStart,
    slotEnd: slotStart,
    consecutiveSlotIds: [slotId],
    totalScore,
    breakdown: { dateMatch: totalScore, timeOfDayMatch: 0, avoidTimePenalty: 0, weekendEveningBonus: 0 },
    requiresManualReview: false,
    series: {
      rrule: '',
      weekdays: ['TU'],
      localTime: '18:00',
      timeZone: 'UTC',
      interval: 1,
      conflictMode: 'ALL_OR_NOTHING',
      occurrences: Array.from({ length: total }, (_, i) => ({ start: slotStart, localDate: '2027-03-16', state: i < free ? ('free' as const) : ('taken' as const) })),
      total,
      free,
    },
  };
}

describe('series candidates and their order', () => {
  const recurrence = (weekdays: SeriesRecurrence['weekdays']): SeriesRecurrence => ({ interval: 1, weekdays, count: 4, conflictMode: 'ALL_OR_NOTHING' });

  it('a start names its local time, date and weekday in the request zone; named weekdays filter candidates', () => {
    // Tuesday 23:30 UTC is Wednesday 00:30 in Berlin.
    const late = new Date('2027-03-16T23:30:00Z');
    expect(candidateFor(late, recurrence([]), 'Europe/Berlin')).toEqual({ start: late, localTime: '00:30', firstDate: '2027-03-17', weekdays: ['WE'] });
    expect(candidateFor(late, recurrence(['TU', 'TH']), 'Europe/Berlin')).toBeNull();
    expect(candidateFor(late, recurrence(['WE', 'MO']), 'Europe/Berlin')).toMatchObject({ weekdays: ['MO', 'WE'] });
  });

  it('all or nothing: the times that can be booked whole first, then the score, then the free count', () => {
    const ordered = orderSeriesOptions([option(1, 90, 9, 10), option(2, 40, 10, 10), option(3, 60, 10, 10), option(4, 40, 9, 10), option(5, 40, 10, 10, '2027-03-17T17:00:00.000Z')], true);
    expect(ordered.map((o) => o.slotId)).toEqual([3, 2, 5, 1, 4]);
  });

  it('available dates only: the score, then the free count breaks ties', () => {
    const ordered = orderSeriesOptions([option(1, 40, 7, 10), option(2, 90, 5, 10), option(3, 40, 9, 10)], false);
    expect(ordered.map((o) => o.slotId)).toEqual([2, 3, 1]);
  });
});

describe('series options and the series activities on the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  const activities = () => createActivities({ orm: db.orm, reservations: createReservationService(db.orm, clock), series: createSeriesReservation(db.orm, clock), notifier: new RecordingNotifier() });

  /** A direct series request: Sundays 02:30 Berlin from 14 March 2027, four of them; 28 March has no 02:30 (the clocks go forward). */
  async function sundaysAtHalfPastTwo(conflictMode: SeriesRecurrence['conflictMode'] = 'ALL_OR_NOTHING'): Promise<{ trainer: Trainer; client: User; request: BookingRequest; starts: Date[] }> {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em, { timeZone: 'Europe/Berlin' });
    const client = await createClient(em);
    const starts = ['2027-03-14T01:30:00Z', '2027-03-21T01:30:00Z', '2027-04-04T00:30:00Z'].map((iso) => new Date(iso));
    for (const start of starts) await createSlots(em, trainer, start, 1);
    const request = em.create(BookingRequest, {
      client,
      trainer,
      sessionType: 'Mobility',
      durationMinutes: 60,
      startTime: starts[0]!,
      endTime: new Date(starts[0]!.getTime() + 3_600_000),
      timeZone: 'Europe/Berlin',
      recurrence: { interval: 1, weekdays: ['SU'], count: 4, conflictMode },
      expiresAt: new Date(NOW.getTime() + DAY_MS),
    });
    await em.flush();
    return { trainer, client, request, starts };
  }

  it('a direct series has one option: every date of the rule, the one without its local time as nonexistent; booking it skips that date', async () => {
    const { trainer, request, starts } = await sundaysAtHalfPastTwo();
    const options = await seriesOptionsForRequest(db.orm.em.fork(), request.id, { now: NOW });
    expect(options).toHaveLength(1);
    const [only] = options;
    expect(only).toMatchObject({ slotStart: starts[0]!.toISOString(), series: { weekdays: ['SU'], localTime: '02:30', total: 4, free: 3 } });
    expect(only!.series!.occurrences.map((o) => [o.localDate, o.state])).toEqual([
      ['2027-03-14', 'free'],
      ['2027-03-21', 'free'],
      ['2027-03-28', 'nonexistent'],
      ['2027-04-04', 'free'],
    ]);
    expect(only!.series!.occurrences[2]!.reason).toBe(seriesWording.nonexistent('2027-03-28', '02:30', 'Europe/Berlin'));

    // All or nothing still books it: a date that does not exist is not a conflict.
    const series = await activities().confirmSeries({ bookingRequestId: request.id, option: only!, holdOwner: 'booking-request-test' });
    expect(series).toMatchObject({ status: 'CONFIRMED', conflictMode: 'ALL_OR_NOTHING', timeZone: 'Europe/Berlin', rrule: only!.series!.rrule });
    expect(series.booked.map((b) => [b.startTime, b.status, b.totalCost])).toEqual(starts.map((s) => [s.toISOString(), 'CONFIRMED', 60]));
    expect(series.skipped).toEqual([{ start: only!.series!.occurrences[2]!.start, code: 'nonexistent', reason: only!.series!.occurrences[2]!.reason }]);
    // A retry answers with the same series.
    const again = await activities().confirmSeries({ bookingRequestId: request.id, option: only!, holdOwner: 'booking-request-test' });
    expect(again.seriesId).toBe(series.seriesId);
    expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).violations).toEqual([]);
  });

  it('a taken session travels as a SeriesConflict failure naming its date; nothing is written', async () => {
    const { trainer, request, starts } = await sundaysAtHalfPastTwo();
    const [only] = await seriesOptionsForRequest(db.orm.em.fork(), request.id, { now: NOW });
    const rival = await createRequest(db.orm.em.fork(), trainer, await createClient(db.orm.em.fork()), { expiresAt: new Date(NOW.getTime() + DAY_MS) });
    await createReservationService(db.orm, clock).confirm({ bookingRequestId: rival.id, startTime: starts[1]! });

    const failure = await activities()
      .confirmSeries({ bookingRequestId: request.id, option: only!, holdOwner: 'booking-request-test' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'SeriesConflict', nonRetryable: true, details: [{ skipped: [{ start: starts[1]!.toISOString(), code: 'SlotConflict' }] }] });
    expect(await db.orm.em.fork().count(BookingSeries, { bookingRequest: request.id })).toBe(0);
    expect(await db.orm.em.fork().count(Booking, { bookingRequest: request.id })).toBe(0);
  });

  it('cancelSeriesFrom answers with the series as it is now; a second call changes nothing', async () => {
    const { trainer, request, starts } = await sundaysAtHalfPastTwo();
    const [only] = await seriesOptionsForRequest(db.orm.em.fork(), request.id, { now: NOW });
    const series = await activities().confirmSeries({ bookingRequestId: request.id, option: only!, holdOwner: 'booking-request-test' });
    const from = series.booked[1]!;
    const after = await activities().cancelSeriesFrom({ seriesId: series.seriesId, fromBookingId: from.bookingId, reason: 'Injury' });
    expect(after.status).toBe('CONFIRMED');
    expect(after.booked.map((b) => [b.startTime, b.status, b.slotIds.length])).toEqual([
      [starts[0]!.toISOString(), 'CONFIRMED', 1],
      [starts[1]!.toISOString(), 'CANCELLED', 0],
      [starts[2]!.toISOString(), 'CANCELLED', 0],
    ]);
    expect(after.cancelledIds).toEqual([series.booked[1]!.bookingId, series.booked[2]!.bookingId]);
    // A second call (a retry after the first committed) finds the same series and cancels nothing more.
    expect(await activities().cancelSeriesFrom({ seriesId: series.seriesId, fromBookingId: from.bookingId })).toEqual({ ...after, cancelledIds: [] });
    await expect(activities().cancelSeriesFrom({ seriesId: series.seriesId + 1000, fromBookingId: from.bookingId })).rejects.toMatchObject({ type: 'NotFound' });
    expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).violations).toEqual([]);
  });
});
