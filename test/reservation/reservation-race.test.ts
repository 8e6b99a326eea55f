import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlotConflictError } from '../../src/reservation/errors';
import { createReservationService, type ConfirmedBooking } from '../../src/reservation/reservation-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { seededRandom } from '../support/random';
import { atDate, dayAhead } from '../support/time';

const HOUR_MS = 3_600_000;
// Ten days ahead: inside the default policy's notice and horizon, whatever day the suite runs.
const DAY0 = atDate(dayAhead(10), 6);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe('concurrent confirms over overlapping two-slot windows', () => {
  it.each([1, 2, 3])('round %i: one winner per conflicting group, no slot booked twice, losers leave nothing', async (seed) => {
    const random = seededRandom(seed);
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const slotCount = 12;
    const slots = await createSlots(em, trainer, DAY0, slotCount);
    // 48 requests of 120 minutes, each starting at a random slot: windows [k, k+1] overlap
    // their neighbours, so most requests must lose.
    const attempts = await Promise.all(
      Array.from({ length: 48 }, async () => {
        const startIndex = Math.floor(random() * (slotCount - 1));
        const request = await createRequest(em.fork(), trainer, client, { durationMinutes: 120 });
        return { requestId: request.id, startIndex };
      }),
    );
    const service = createReservationService(db.orm);

    const outcomes = await Promise.allSettled(
      attempts.map((attempt) => service.confirm({ bookingRequestId: attempt.requestId, startTime: new Date(DAY0.getTime() + attempt.startIndex * HOUR_MS) })),
    );

    const winners: { startIndex: number; booking: ConfirmedBooking }[] = [];
    const losers: { startIndex: number; requestId: number }[] = [];
    outcomes.forEach((outcome, i) => {
      const attempt = attempts[i]!;
      if (outcome.status === 'fulfilled') winners.push({ startIndex: attempt.startIndex, booking: outcome.value });
      else {
        // Every failure is a clean, typed conflict — never a deadlock or a constraint crash.
        expect(outcome.reason).toBeInstanceOf(SlotConflictError);
        losers.push(attempt);
      }
    });

    expect(winners.length).toBeGreaterThan(0);
    // Winners' windows are pairwise disjoint, and each owns exactly its two slots.
    const taken = new Set<number>();
    for (const winner of winners) {
      expect(winner.booking.slotIds).toEqual([slots[winner.startIndex]!.id, slots[winner.startIndex + 1]!.id]);
      for (const id of winner.booking.slotIds) {
        expect(taken.has(id)).toBe(false);
        taken.add(id);
      }
    }
    // Nobody lost for nothing: each loser's window overlaps a winner's.
    for (const loser of losers) {
      expect(winners.some((w) => Math.abs(w.startIndex - loser.startIndex) <= 1)).toBe(true);
    }
    const report = await checkBookingInvariants(db.orm.em.fork(), trainer.id);
    expect(report.violations).toEqual([]);
    expect(report.activeBookings).toBe(winners.length);
    expect(report.approvedRequests).toBe(winners.length);
    expect(report.pendingRequests).toBe(losers.length);
  });
});
