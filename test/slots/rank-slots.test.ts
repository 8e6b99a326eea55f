import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TimeSlot } from '../../src/db/entities';
import { logger } from '../../src/logger';
import { createReservationService } from '../../src/reservation/reservation-service';
import { rankSlotsForRequest } from '../../src/slots/rank-slots';
import { savePolicy } from '../../src/policy/policy-store';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

// The seed's scenario: Mon 15 – Sat 20 January, preferring 10-12 and 14-16, avoiding 9-9:30.
const SEED_PREFS = {
  preferredStartDate: '2035-01-15',
  preferredEndDate: '2035-01-20',
  preferredTimes: ['10:00-12:00', '14:00-16:00'],
  avoidTimes: ['09:00-09:30'],
  allowWeekends: true,
  allowEvenings: false,
};
const utc = (iso: string) => new Date(`${iso}Z`);
// The clock of these scenarios: a few days before the seed's week, so every start lies inside the trainer's notice and horizon.
const NOW = utc('2035-01-10T00:00:00');

describe('rankSlotsForRequest', () => {
  it('ranks by total, then earlier start, returns top N with consecutive slot ids and breakdowns', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    // 2035-01-15 is a Monday. Three hours on Tuesday from 09:00, two on Monday from 14:00.
    const tuesday = await createSlots(em, trainer, utc('2035-01-16T09:00:00'), 3);
    const monday = await createSlots(em, trainer, utc('2035-01-15T14:00:00'), 2);
    const request = await createRequest(em, trainer, client, { durationMinutes: 60, ...SEED_PREFS, timeZone: 'UTC' });

    const ranked = await rankSlotsForRequest(em.fork(), request.id, { maxResults: 3, now: NOW });

    // Mon 14:00 and 15:00: 50 + 40 = 90 (earlier first); Tue 10:00: 40 + 40 = 80 (the seed's example).
    expect(ranked.map((r) => [r.slotId, r.score.totalScore])).toEqual([
      [monday[0]!.id, 90],
      [monday[1]!.id, 90],
      [tuesday[1]!.id, 80],
    ]);
    expect(ranked[2]).toMatchObject({
      slotStart: utc('2035-01-16T10:00:00'),
      consecutiveSlotIds: [tuesday[1]!.id],
      score: { breakdown: { dateMatch: 40, timeOfDayMatch: 40, avoidTimePenalty: 0, weekendEveningBonus: 0 }, requiresManualReview: false },
    });
  });

  it('for 120 minutes offers only starts with two free consecutive slots, skipping gaps, booked slots, live holds and other trainers', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const other = await createTrainer(em);
    const client = await createClient(em);
    const morning = await createSlots(em, trainer, utc('2035-01-17T08:00:00'), 4); // 08-12
    const afternoon = await createSlots(em, trainer, utc('2035-01-17T13:00:00'), 1); // 13-14, then a gap
    await createSlots(em, trainer, utc('2035-01-17T15:00:00'), 1); // 15-16 alone
    await createSlots(em, other, utc('2035-01-17T14:00:00'), 1); // would bridge the gap, but is not ours
    const request = await createRequest(em, trainer, client, { durationMinutes: 120, ...SEED_PREFS, timeZone: 'UTC' });

    let ranked = await rankSlotsForRequest(em.fork(), request.id, { maxResults: 10, now: NOW });
    expect(ranked.map((r) => r.consecutiveSlotIds).sort()).toEqual([
      [morning[0]!.id, morning[1]!.id],
      [morning[1]!.id, morning[2]!.id],
      [morning[2]!.id, morning[3]!.id],
    ].sort());
    expect(ranked.some((r) => r.slotId === afternoon[0]!.id)).toBe(false);

    // Book 10-11 for someone else, hold 08-09 live, and leave an expired hold on 09-10.
    const service = createReservationService(db.orm, () => NOW);
    const blocker = await createRequest(em, trainer, client, { durationMinutes: 60, expiresAt: new Date(NOW.getTime() + 86_400_000) });
    await service.confirm({ bookingRequestId: blocker.id, startTime: utc('2035-01-17T10:00:00') });
    await service.hold({ trainerId: trainer.id, startTime: utc('2035-01-17T08:00:00'), durationMinutes: 60, owner: 'someone', lockedUntil: new Date(NOW.getTime() + 600_000) });
    await em.fork().nativeUpdate(TimeSlot, { id: morning[1]!.id }, { lockedUntil: new Date(NOW.getTime() - 1000), lockOwner: 'gone' });
    ranked = await rankSlotsForRequest(em.fork(), request.id, { maxResults: 10, now: NOW });
    expect(ranked).toEqual([]);
    // The holder itself still sees its held slot as free.
    await service.release('someone');
    await service.hold({ trainerId: trainer.id, startTime: utc('2035-01-17T08:00:00'), durationMinutes: 60, owner: 'booking-request-x', lockedUntil: new Date(NOW.getTime() + 600_000) });
    ranked = await rankSlotsForRequest(em.fork(), request.id, { maxResults: 10, holdOwner: 'booking-request-x', now: NOW });
    expect(ranked.map((r) => r.consecutiveSlotIds)).toEqual([[morning[0]!.id, morning[1]!.id]]);
  });

  it('reads preferences in the request time zone', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    // 15:00 UTC is 10:00 in New York (EST, UTC-5): inside the preferred block there.
    const [slot] = await createSlots(em, trainer, utc('2035-01-16T15:00:00'), 1);
    const request = await createRequest(em, trainer, client, { ...SEED_PREFS, timeZone: 'America/New_York' });
    const [best] = await rankSlotsForRequest(em.fork(), request.id, { now: NOW });
    expect(best).toMatchObject({ slotId: slot!.id, score: { totalScore: 80 } });
  });

  it('still returns negative totals, flagged for manual review and logged as a warning', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await createSlots(em, trainer, utc('2035-01-22T09:00:00'), 1); // after the range, in the avoided block
    const request = await createRequest(em, trainer, client, { ...SEED_PREFS, timeZone: 'UTC' });
    const warn = vi.spyOn(logger, 'warn');

    const ranked = await rankSlotsForRequest(em.fork(), request.id, { now: NOW });

    expect(ranked[0]!.score).toMatchObject({ totalScore: -50, requiresManualReview: true });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ bookingRequestId: request.id, totalScore: -50 }), expect.stringContaining('Manual review recommended'));
    warn.mockRestore();
  });
});

describe('ranking under the trainer policy', () => {
  it('offers only starts inside notice and horizon, and none whose buffers would touch another booking', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await savePolicy(em, trainer.id, { minNoticeMinutes: 12 * 60, horizonDays: 3, bufferBeforeMinutes: 30, bufferAfterMinutes: 30 });
    await createSlots(em, trainer, utc('2035-01-10T06:00:00'), 1); // 6 h ahead: inside the 12 h notice
    const day = await createSlots(em, trainer, utc('2035-01-11T08:00:00'), 6); // 08-14
    await createSlots(em, trainer, utc('2035-01-13T08:00:00'), 1); // 3 days 8 h ahead: beyond the horizon
    const blocker = await createRequest(em, trainer, client, { durationMinutes: 60, expiresAt: new Date(NOW.getTime() + 86_400_000) });
    await createReservationService(db.orm, () => NOW).confirm({ bookingRequestId: blocker.id, startTime: utc('2035-01-11T10:00:00') });
    const request = await createRequest(em, trainer, client, { durationMinutes: 60, ...SEED_PREFS, timeZone: 'UTC' });

    const ranked = await rankSlotsForRequest(em.fork(), request.id, { maxResults: 20, now: NOW });

    // The booking 10-11 blocks 09:30-11:30: 09:00 and 11:00 would break a buffer; 08:00 and 12:00 just touch it.
    expect(ranked.map((r) => r.slotStart.toISOString()).sort()).toEqual(['2035-01-11T08:00:00.000Z', '2035-01-11T12:00:00.000Z', '2035-01-11T13:00:00.000Z']);
    expect(ranked.map((r) => r.slotId).sort((a, b) => a - b)).toEqual([day[0]!.id, day[4]!.id, day[5]!.id]);
  });

  it('judges every start against all the bookings nearby, also when their blocked ranges touch one another', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    await savePolicy(em, trainer.id, { minNoticeMinutes: 12 * 60, horizonDays: 3, bufferBeforeMinutes: 30, bufferAfterMinutes: 30 });
    await createSlots(em, trainer, utc('2035-01-11T08:00:00'), 6); // 08-14
    const service = createReservationService(db.orm, () => NOW);
    for (const start of ['2035-01-11T10:00:00', '2035-01-11T12:00:00']) {
      const blocker = await createRequest(em, trainer, client, { durationMinutes: 60, expiresAt: new Date(NOW.getTime() + 86_400_000) });
      await service.confirm({ bookingRequestId: blocker.id, startTime: utc(start) });
    }
    const request = await createRequest(em, trainer, client, { durationMinutes: 60, ...SEED_PREFS, timeZone: 'UTC' });

    const ranked = await rankSlotsForRequest(em.fork(), request.id, { maxResults: 20, now: NOW });

    // Blocked: 09:30-11:30 and 11:30-13:30. Free slots 08, 09, 11 and 13: only 08:00 keeps both buffers.
    expect(ranked.map((r) => r.slotStart.toISOString())).toEqual(['2035-01-11T08:00:00.000Z']);
  });
});
