import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, TimeSlot } from '../../src/db/entities';
import { RequestValidationError } from '../../src/requests/new-request';
import type { BookingClient } from '../../src/temporal/booking-client';
import { workflowIdFor, type DecisionOutcome } from '../../workflows/contract';
import { startBookingStack, type BookingStack } from '../support/booking-stack';
import type { TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { RecordingNotifier } from '../support/recording-notifier';
import { startBookingWorker, type RunningBookingWorker } from '../support/temporal';
import { saveHistoryIfRecording } from '../support/histories';
import { atDate, nextWeekday, plusDays } from '../support/time';
import { HOUR_MS } from '../../src/domain/time';
import { savePolicy } from '../../src/policy';


let stack: BookingStack;
let db: TestDatabase;
let notifier: RecordingNotifier;
let running: RunningBookingWorker;
let bookings: BookingClient;

beforeAll(async () => {
  stack = await startBookingStack();
  ({ db, notifier, running, bookings } = stack);
});
afterAll(async () => stack?.stop());

/** A Monday 3 to 9 days ahead: requests span Monday to Wednesday, so no weekend bonus, whatever day it is. */
const DAY = nextWeekday('monday', { after: 3 });

async function setup(slotCount = 6, day = DAY) {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 90 });
  // Some tests open several requests of one client with one trainer; the client limits are tested in test/api/client-limits.test.ts.
  await savePolicy(em, trainer.id, { maxPendingPerClient: 10, maxPendingPerPair: 10 });
  const client = await createClient(em);
  const slots = await createSlots(em, trainer, atDate(day, 9), slotCount);
  return { trainer, client, slots };
}

function flexible(trainerId: number, clientId: number, day = DAY, durationMinutes = 60) {
  return {
    clientId,
    trainerId,
    sessionType: 'Strength Training',
    durationMinutes,
    timeZone: 'UTC',
    preferences: { preferredStartDate: day, preferredEndDate: plusDays(day, 2), preferredTimes: ['10:00-12:00'], avoidTimes: ['09:00-09:30'], allowWeekends: true, allowEvenings: false },
  };
}

async function waitForStatus(bookingRequestId: number, status: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await bookings.state(bookingRequestId);
    if (state.status === status) return state;
    if (Date.now() > deadline) throw new Error(`request ${bookingRequestId} is ${state.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('booking workflow on the dev server', () => {
  it('ranks, notifies the trainer, and on approval books atomically; the UI can find it by trainer, client and status', async () => {
    const { trainer, client, slots } = await setup();
    const { bookingRequestId, workflowId } = await bookings.startRequest(flexible(trainer.id, client.id));
    expect(workflowId).toBe(`booking-request-${bookingRequestId}`);

    const [offer] = await notifier.waitFor(bookingRequestId, 'request.options');
    // 10:00 is inside the preferred block, on the first preferred day: 50 + 40.
    expect(offer!.options![0]).toMatchObject({ slotId: slots[1]!.id, totalScore: 90, consecutiveSlotIds: [slots[1]!.id] });
    expect(offer!.audience).toEqual(['trainer']);
    const pending = await bookings.state(bookingRequestId);
    expect(pending.status).toBe('PENDING');
    expect(Date.parse(pending.expiresAt!) - Date.now()).toBeGreaterThan(23 * HOUR_MS);

    const outcome = await bookings.decide(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[1]!.id, notes: 'See you!' });

    expect(outcome).toMatchObject({ result: 'approved', duplicate: false, booking: { slotIds: [slots[1]!.id], totalCost: 90 } });
    const em = db.orm.em.fork();
    expect((await em.findOneOrFail(BookingRequest, bookingRequestId)).status).toBe('APPROVED');
    expect(await em.count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
    const state = await bookings.state(bookingRequestId);
    expect(state).toMatchObject({ status: 'APPROVED', chosenSlot: { slotId: slots[1]!.id } });
    expect(state.history.map((h) => h.event)).toEqual(expect.arrayContaining(['status PENDING', 'status APPROVED']));
    expect((await notifier.waitFor(bookingRequestId, 'request.approved'))[0]!.audience).toEqual(['client', 'trainer']);

    const query = `TrainerId = '${trainer.id}' AND ClientId = '${client.id}' AND BookingStatus = 'APPROVED'`;
    const deadline = Date.now() + 15_000;
    let found: string[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      found = [];
      for await (const wf of running.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([workflowId]);
    const description = await running.client.workflow.getHandle(workflowId).describe();
    expect(await description.staticSummary()).toContain(`Flexible booking request ${bookingRequestId}`);
    await saveHistoryIfRecording(running.client, workflowId, 'approved');
  });

  it('rejects with a reason: REJECTED in the database, the client told why, the workflow done', async () => {
    const { trainer, client } = await setup();
    const { bookingRequestId } = await bookings.startRequest(flexible(trainer.id, client.id));
    await notifier.waitFor(bookingRequestId, 'request.options');

    const outcome = await bookings.decide(bookingRequestId, { kind: 'reject', trainerId: trainer.id, reason: 'Fully booked that week' });

    expect(outcome).toEqual({ result: 'rejected', reason: 'Fully booked that week', duplicate: false });
    const final = await bookings.result(bookingRequestId);
    expect(final.status).toBe('REJECTED');
    const row = await db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId);
    expect([row.status, row.rejectionReason]).toEqual(['REJECTED', 'Fully booked that week']);
    expect((await notifier.waitFor(bookingRequestId, 'request.rejected'))[0]).toMatchObject({ audience: ['client'], reason: 'Fully booked that week' });
    // Pressing Reject again is answered, not applied again.
    expect(await bookings.decide(bookingRequestId, { kind: 'reject', trainerId: trainer.id, reason: 'Fully booked that week' })).toMatchObject({ result: 'rejected', duplicate: true });
  });

  it('refuses a decision from another trainer, an unknown slot and an empty reason, changing nothing', async () => {
    const { trainer, client } = await setup();
    const other = await createTrainer(db.orm.em.fork());
    const { bookingRequestId } = await bookings.startRequest(flexible(trainer.id, client.id));
    const [offer] = await notifier.waitFor(bookingRequestId, 'request.options');
    const before = (await bookings.state(bookingRequestId)).history.length;

    expect(await bookings.decide(bookingRequestId, { kind: 'approve', trainerId: other.id, slotId: offer!.options![0]!.slotId })).toEqual({
      result: 'refused',
      message: 'Only the trainer this request is addressed to can approve or reject it.',
    });
    expect(await bookings.decide(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: 999_999 })).toMatchObject({ result: 'refused' });
    expect(await bookings.decide(bookingRequestId, { kind: 'reject', trainerId: trainer.id, reason: '  ' })).toMatchObject({ result: 'refused' });

    const state = await bookings.state(bookingRequestId);
    expect(state.status).toBe('PENDING');
    expect(state.history.length).toBe(before);
    expect(await db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(0);
  });

  it('answers duplicate approvals (double clicks, a retried update id, a signal) without booking twice', async () => {
    const { trainer, client, slots } = await setup();
    const { bookingRequestId } = await bookings.startRequest(flexible(trainer.id, client.id));
    await notifier.waitFor(bookingRequestId, 'request.options');
    const approve = { kind: 'approve' as const, trainerId: trainer.id, slotId: slots[1]!.id };

    const presses = await Promise.all([bookings.decide(bookingRequestId, approve, 'press-1'), bookings.decide(bookingRequestId, approve, 'press-1'), bookings.decide(bookingRequestId, approve, 'press-2')]);
    await bookings.signalDecision(bookingRequestId, approve);

    const approved = presses.filter((p): p is Extract<DecisionOutcome, { result: 'approved' }> => p.result === 'approved');
    expect(approved).toHaveLength(3);
    expect(new Set(approved.map((p) => p.booking.bookingId)).size).toBe(1);
    // The two presses with id press-1 are one update: one answer. Of the two updates (press-1,
    // press-2), whichever ran first applied the approval and the other is answered as a duplicate.
    const [first, again, other] = approved as [(typeof approved)[0], (typeof approved)[0], (typeof approved)[0]];
    expect(again).toEqual(first);
    expect([first.duplicate, other.duplicate].sort()).toEqual([false, true]);
    const state = await waitForStatus(bookingRequestId, 'APPROVED');
    expect(state.history.filter((h) => h.event === 'status APPROVED')).toHaveLength(1);
    expect(await db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
    expect(notifier.of(bookingRequestId, 'request.approved')).toHaveLength(1);
  });

  it('the seed’s signal works too', async () => {
    const { trainer, client, slots } = await setup();
    const { bookingRequestId } = await bookings.startRequest(flexible(trainer.id, client.id));
    await notifier.waitFor(bookingRequestId, 'request.options');
    await bookings.signalDecision(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[2]!.id });
    expect((await waitForStatus(bookingRequestId, 'APPROVED')).booking!.slotIds).toEqual([slots[2]!.id]);
  });

  it('compensates a conflict: two requests race for one slot, the loser is re-offered and then approved on another', async () => {
    const { trainer, client, slots } = await setup(6);
    const a = await bookings.startRequest(flexible(trainer.id, client.id, DAY, 120));
    const b = await bookings.startRequest(flexible(trainer.id, client.id, DAY, 120));
    await notifier.waitFor(a.bookingRequestId, 'request.options');
    const [offerB] = await notifier.waitFor(b.bookingRequestId, 'request.options');
    // Both were offered 10:00-12:00 (slots 1 and 2) first.
    const contested = offerB!.options![0]!;
    expect(contested.consecutiveSlotIds).toEqual([slots[1]!.id, slots[2]!.id]);

    const [first, second] = await Promise.all([
      bookings.decide(a.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: contested.slotId }),
      bookings.decide(b.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: contested.slotId }),
    ]);
    const results = [first.result, second.result].sort();
    expect(results).toEqual(['approved', 'conflict']);
    const loser = first.result === 'conflict' ? a : b;
    const conflict = (first.result === 'conflict' ? first : second) as Extract<DecisionOutcome, { result: 'conflict' }>;
    expect(conflict.message).toContain('Time slots are no longer available');
    // Fresh options no longer contain the taken slots.
    expect(conflict.options.length).toBeGreaterThan(0);
    expect(conflict.options.flatMap((o) => o.consecutiveSlotIds)).not.toContain(slots[1]!.id);
    expect(conflict.options.flatMap((o) => o.consecutiveSlotIds)).not.toContain(slots[2]!.id);
    expect(notifier.of(loser.bookingRequestId, 'request.slot-taken').map((n) => n.audience[0]).sort()).toEqual(['client', 'trainer']);
    expect((await bookings.state(loser.bookingRequestId)).status).toBe('PENDING');

    // The trainer picks a fresh option, within the same 24-hour window.
    const retry = await bookings.decide(loser.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: conflict.options[0]!.slotId });
    expect(retry).toMatchObject({ result: 'approved' });
    const report = await checkBookingInvariants(db.orm.em.fork(), trainer.id);
    expect(report.violations).toEqual([]);
    expect(report.activeBookings).toBe(2);
    await saveHistoryIfRecording(running.client, loser.workflowId, 'conflict-then-approved');
  });

  it('direct booking holds the chosen slot for the workflow; rejecting releases it', async () => {
    const { trainer, client, slots } = await setup(3);
    const start = slots[0]!.startTime.toISOString();
    const { bookingRequestId } = await bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'Mobility', durationMinutes: 90, startTime: start, timeZone: 'UTC' });
    const [offer] = await notifier.waitFor(bookingRequestId, 'request.options');
    expect(offer!.options).toHaveLength(1);
    expect(offer!.options![0]).toMatchObject({ slotStart: start, consecutiveSlotIds: [slots[0]!.id, slots[1]!.id] });
    const held = await db.orm.em.fork().find(TimeSlot, { id: { $in: [slots[0]!.id, slots[1]!.id] } });
    expect(held.map((s) => s.lockOwner)).toEqual([workflowIdFor(bookingRequestId), workflowIdFor(bookingRequestId)]);

    // Someone else asking for the same time right now is turned away at once.
    const rival = await bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'Mobility', durationMinutes: 60, startTime: slots[1]!.startTime.toISOString(), timeZone: 'UTC' });
    expect((await bookings.result(rival.bookingRequestId)).status).toBe('REJECTED');

    await bookings.decide(bookingRequestId, { kind: 'reject', trainerId: trainer.id, reason: 'Injured' });
    await bookings.result(bookingRequestId);
    const released = await db.orm.em.fork().find(TimeSlot, { id: { $in: slots.map((s) => s.id) } });
    expect(released.every((s) => s.lockOwner === null && !s.isBooked)).toBe(true);
    await saveHistoryIfRecording(running.client, workflowIdFor(bookingRequestId), 'direct-rejected');
  });

  it('direct booking approved: the held slots become the booking', async () => {
    const { trainer, client, slots } = await setup(2);
    const { bookingRequestId } = await bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'Mobility', durationMinutes: 120, startTime: slots[0]!.startTime.toISOString(), timeZone: 'UTC' });
    const [offer] = await notifier.waitFor(bookingRequestId, 'request.options');
    const outcome = await bookings.decide(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: offer!.options![0]!.slotId });
    expect(outcome).toMatchObject({ result: 'approved', booking: { slotIds: [slots[0]!.id, slots[1]!.id], totalCost: 180 } });
  });

  it('cancels and reschedules a confirmed booking; a reschedule conflict leaves it untouched', async () => {
    const { trainer, client, slots } = await setup(6);
    const mine = await bookings.startRequest(flexible(trainer.id, client.id));
    const theirs = await bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'Mobility', durationMinutes: 60, startTime: slots[5]!.startTime.toISOString(), timeZone: 'UTC' });
    await notifier.waitFor(mine.bookingRequestId, 'request.options');
    const [theirOffer] = await notifier.waitFor(theirs.bookingRequestId, 'request.options');
    await bookings.decide(theirs.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: theirOffer!.options![0]!.slotId });
    await bookings.decide(mine.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[1]!.id });

    const moved = await bookings.reschedule(mine.bookingRequestId, { actor: { role: 'CLIENT', userId: client.id }, newStartTime: slots[3]!.startTime.toISOString() });
    expect(moved).toMatchObject({ result: 'done', booking: { slotIds: [slots[3]!.id], startTime: slots[3]!.startTime.toISOString() } });
    expect(notifier.of(mine.bookingRequestId, 'booking.rescheduled')).toHaveLength(1);

    const clash = await bookings.reschedule(mine.bookingRequestId, { actor: { role: 'TRAINER', trainerId: trainer.id }, newStartTime: slots[5]!.startTime.toISOString() });
    expect(clash).toMatchObject({ result: 'conflict', booking: { slotIds: [slots[3]!.id] } });
    const stillThere = await db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: mine.bookingRequestId });
    expect(stillThere.startTime.toISOString()).toBe(slots[3]!.startTime.toISOString());

    const stranger = await createClient(db.orm.em.fork());
    expect(await bookings.cancel(mine.bookingRequestId, { actor: { role: 'CLIENT', userId: stranger.id } })).toMatchObject({ result: 'refused' });
    const cancelled = await bookings.cancel(mine.bookingRequestId, { actor: { role: 'CLIENT', userId: client.id }, reason: 'Travelling' });
    expect(cancelled).toMatchObject({ result: 'done', booking: { status: 'CANCELLED' } });
    expect((await bookings.result(mine.bookingRequestId)).status).toBe('CANCELLED');
    expect(await bookings.cancel(mine.bookingRequestId, { actor: { role: 'CLIENT', userId: client.id } })).toMatchObject({ result: 'done', duplicate: true });
    const freed = await db.orm.em.fork().findOneOrFail(TimeSlot, slots[3]!.id);
    expect(freed.isBooked).toBe(false);
    expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).violations).toEqual([]);
    await saveHistoryIfRecording(running.client, mine.workflowId, 'cancel-and-reschedule');
  });

  it('a failing notification is retried until it goes through, and the booking goes on', async () => {
    const flaky = new RecordingNotifier(2);
    const worker = await startBookingWorker({ db, notifier: flaky });
    try {
      const { trainer, client } = await setup();
      const { bookingRequestId } = await worker.bookings.startRequest(flexible(trainer.id, client.id));
      const [received] = await flaky.waitFor(bookingRequestId, 'request.received', 1, 30_000);
      expect(received!.text).toContain('24 hours');
      expect(flaky.attempts).toBeGreaterThanOrEqual(3);
      await flaky.waitFor(bookingRequestId, 'request.options', 1, 30_000);
    } finally {
      await worker.stop();
    }
  });

  it('refuses an invalid request before any workflow starts, naming the field', async () => {
    const { trainer, client } = await setup(1);
    await expect(bookings.startRequest({ ...flexible(trainer.id, client.id), durationMinutes: 0 })).rejects.toMatchObject({ field: 'durationMinutes' });
    await expect(bookings.startRequest({ ...flexible(trainer.id, 999_999), clientId: 999_999 })).rejects.toMatchObject({ field: 'clientId' });
    const badBlock = flexible(trainer.id, client.id);
    badBlock.preferences.preferredTimes = ['25:00-26:00'];
    await expect(bookings.startRequest(badBlock)).rejects.toBeInstanceOf(RequestValidationError);
    await expect(bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'x', durationMinutes: 60, timeZone: 'UTC' })).rejects.toMatchObject({ field: 'startTime' });
  });

  describe('under the trainer policy', () => {
    /** Waits until the visibility store lists the workflow under `query`. */
    async function listed(query: string): Promise<string[]> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const found: string[] = [];
        for await (const wf of running.client.workflow.list({ query })) found.push(wf.workflowId);
        if (found.length > 0 || Date.now() > deadline) return found;
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    it('a client withdraws a direct request: WITHDRAWN in the database, its hold released, the trainer told', async () => {
      const { trainer, client, slots } = await setup(2);
      const { bookingRequestId } = await bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'Mobility', durationMinutes: 60, startTime: slots[0]!.startTime.toISOString(), timeZone: 'UTC' });
      await notifier.waitFor(bookingRequestId, 'request.options');
      expect((await db.orm.em.fork().findOneOrFail(TimeSlot, slots[0]!.id)).lockOwner).toBe(workflowIdFor(bookingRequestId));

      expect(await bookings.withdraw(bookingRequestId, { actor: { role: 'CLIENT', userId: client.id + 1000 } })).toMatchObject({ result: 'refused' });
      expect(await bookings.withdraw(bookingRequestId, { actor: { role: 'CLIENT', userId: client.id } })).toEqual({ result: 'withdrawn', duplicate: false });

      expect((await bookings.result(bookingRequestId)).status).toBe('WITHDRAWN');
      const em = db.orm.em.fork();
      expect((await em.findOneOrFail(BookingRequest, bookingRequestId)).status).toBe('WITHDRAWN');
      expect((await em.find(TimeSlot, { id: { $in: slots.map((s) => s.id) } })).every((s) => s.lockOwner === null && !s.isBooked)).toBe(true);
      expect((await notifier.waitFor(bookingRequestId, 'request.withdrawn'))[0]!.audience).toEqual(['trainer']);
      // Asked again once closed: answered from the final state.
      expect(await bookings.withdraw(bookingRequestId, { actor: { role: 'CLIENT', userId: client.id } })).toEqual({ result: 'withdrawn', duplicate: true });
    });

    it('a client cancel inside the 24 h cutoff is a late cancellation: row, workflow status and search attribute LATE_CANCELLED, slots freed', async () => {
      const em = db.orm.em.fork();
      const trainer = await createTrainer(em);
      const client = await createClient(em);
      // Two to three hours ahead: past the default 60 min notice, well inside the 24 h cutoff.
      const soon = new Date(Math.ceil((Date.now() + 2 * HOUR_MS) / HOUR_MS) * HOUR_MS);
      const slots = await createSlots(em, trainer, soon, 1);
      const { bookingRequestId, workflowId } = await bookings.startRequest({ clientId: client.id, trainerId: trainer.id, sessionType: 'Mobility', durationMinutes: 60, startTime: soon.toISOString(), timeZone: 'UTC' });
      await notifier.waitFor(bookingRequestId, 'request.options');
      expect(await bookings.decide(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id })).toMatchObject({ result: 'approved' });

      expect(await bookings.cancel(bookingRequestId, { actor: { role: 'CLIENT', userId: client.id } })).toMatchObject({ result: 'done', late: true, booking: { status: 'LATE_CANCELLED' } });

      expect((await bookings.result(bookingRequestId)).status).toBe('LATE_CANCELLED');
      const check = db.orm.em.fork();
      expect((await check.findOneOrFail(Booking, { bookingRequest: bookingRequestId })).status).toBe('LATE_CANCELLED');
      expect((await check.findOneOrFail(TimeSlot, slots[0]!.id)).isBooked).toBe(false);
      expect(await listed(`TrainerId = '${trainer.id}' AND BookingStatus = 'LATE_CANCELLED'`)).toEqual([workflowId]);
      expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).violations).toEqual([]);
    });

    it('a pending flexible request picks up slots the trainer publishes later', async () => {
      const { trainer, client, slots } = await setup(1); // only 09:00, which the request avoids
      const { bookingRequestId } = await bookings.startRequest(flexible(trainer.id, client.id));
      const [first] = await notifier.waitFor(bookingRequestId, 'request.options');
      expect(first!.options!.map((o) => o.slotId)).toEqual([slots[0]!.id]);
      await listed(`TrainerId = '${trainer.id}' AND BookingStatus = 'PENDING'`);

      const [tenOClock] = await createSlots(db.orm.em.fork(), trainer, atDate(DAY, 10), 1);
      expect(await bookings.availabilityChanged({ trainerId: trainer.id, reason: 'published' })).toBe(1);

      const [, second] = await notifier.waitFor(bookingRequestId, 'request.options', 2);
      expect(second!.options![0]!.slotId).toBe(tenOClock!.id);
      expect((await bookings.state(bookingRequestId)).options.map((o) => o.slotId)).toEqual([tenOClock!.id, slots[0]!.id]);
      await bookings.decide(bookingRequestId, { kind: 'reject', trainerId: trainer.id, reason: 'test done' });
    });

    it('a cancel frees time: another client’s pending flexible request that had no options is offered the freed slot', async () => {
      const { trainer, client, slots } = await setup(1);
      const first = await bookings.startRequest(flexible(trainer.id, client.id));
      await notifier.waitFor(first.bookingRequestId, 'request.options');
      expect(await bookings.decide(first.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id })).toMatchObject({ result: 'approved' });

      const other = await createClient(db.orm.em.fork());
      const second = await bookings.startRequest(flexible(trainer.id, other.id));
      const [none] = await notifier.waitFor(second.bookingRequestId, 'request.options');
      expect(none!.options).toEqual([]);
      expect(await listed(`TrainerId = '${trainer.id}' AND BookingStatus = 'PENDING'`)).toEqual([second.workflowId]);

      expect(await bookings.cancel(first.bookingRequestId, { actor: { role: 'CLIENT', userId: client.id } })).toMatchObject({ result: 'done', booking: { status: 'CANCELLED' } });

      const [, offered] = await notifier.waitFor(second.bookingRequestId, 'request.options', 2);
      expect(offered!.options!.map((o) => o.slotId)).toEqual([slots[0]!.id]);
      expect((await bookings.state(second.bookingRequestId)).options.map((o) => o.slotId)).toEqual([slots[0]!.id]);
      expect(await bookings.decide(second.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id })).toMatchObject({ result: 'approved' });
      expect((await checkBookingInvariants(db.orm.em.fork(), trainer.id)).violations).toEqual([]);
    });
  });
});
