import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BookingRequest, Session, TimeSlot } from '../../src/db/entities';
import { createBookingClient, type BookingClient } from '../../src/temporal/booking-client';
import { createActivities } from '../../activities/booking-activities';
import { createReservationService } from '../../src/reservation/reservation-service';
import { createCreditLedger, type CreditLedger } from '../../src/credits/ledger';
import { temporalTestServerPath } from '../../src/temporal/tools';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { installTemporalLogging } from '../../src/temporal/runtime-logging';
import { Trainer } from '../../src/db/entities';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';
import { RecordingNotifier } from '../support/recording-notifier';
import { saveHistoryIfRecording } from '../support/histories';
import { atDate, dayAhead } from '../support/time';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';

// The 24-hour window, the reminder and the session's end, on Temporal's time-skipping test
// server: a day passes in milliseconds. Decisions go in as signals here, since Updates are
// not dependable on this server (they are covered on the dev server).
const TASK_QUEUE = 'timers';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let notifier: RecordingNotifier;
let bookings: BookingClient;
let ledger: CreditLedger;

beforeAll(async () => {
  installTemporalLogging();
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

// A fresh server per test: skipped time is global to a server, and a finished test must
// not leave the next one's clock days (or years) ahead.
beforeEach(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await registerSearchAttributes(env.connection);
  notifier = new RecordingNotifier();
  ledger = createCreditLedger(db.orm);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ orm: db.orm, reservations: createReservationService(db.orm, undefined, ledger), notifier, ledger }),
  });
  running = worker.run();
  bookings = createBookingClient({ client: env.client, orm: db.orm, taskQueue: TASK_QUEUE });
});
afterEach(async () => {
  worker.shutdown();
  await running;
  await env.teardown();
});

async function scenario(daysAhead: number, slotCount = 3) {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em);
  const client = await createClient(em);
  // Scores are not asserted here, so any weekday will do; 10:00 UTC lies ahead on any day at least one day out.
  const day = dayAhead(daysAhead);
  const slots = await createSlots(em, trainer, atDate(day, 10), slotCount);
  return { trainer, client, slots, day };
}

/** A flexible request for one day (UTC), preferring `preferredTimes`. */
function oneDayRequest(trainerId: number, clientId: number, day: string, durationMinutes: number, preferredTimes: string[], allowEvenings: boolean) {
  return {
    clientId,
    trainerId,
    sessionType: 'Strength',
    durationMinutes,
    timeZone: 'UTC',
    preferences: { preferredStartDate: day, preferredEndDate: day, preferredTimes, avoidTimes: [], allowWeekends: true, allowEvenings },
  };
}

async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('booking workflow timers (time-skipping server)', () => {
  it('expires a flexible request after 24 hours: EXPIRED in the database, client and trainer told', async () => {
    const { trainer, client, day } = await scenario(5);
    const { bookingRequestId } = await bookings.startRequest(oneDayRequest(trainer.id, client.id, day, 60, ['10:00-12:00'], false));
    const startedAt = await env.currentTimeMs();

    const final = await bookings.result(bookingRequestId);

    expect(final.status).toBe('EXPIRED');
    const [expired] = notifier.of(bookingRequestId, 'request.expired');
    expect(expired!.audience).toEqual(['client', 'trainer']);
    // It fired at the end of the window, on the server's clock, not a moment before.
    // startedAt is read just after the start, so allow the second it took to read it.
    expect(expired!.scheduledAtMs - startedAt).toBeGreaterThanOrEqual(DAY_MS - 1000);
    expect(expired!.scheduledAtMs - startedAt).toBeLessThan(DAY_MS + 60_000);
    const row = await db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId);
    expect(row.status).toBe('EXPIRED');
    await saveHistoryIfRecording(env.client, `booking-request-${bookingRequestId}`, 'expired');
  });

  it('a direct booking that expires releases its hold', async () => {
    const { trainer, client, slots } = await scenario(5, 2);
    const { bookingRequestId, workflowId } = await bookings.startRequest({
      clientId: client.id,
      trainerId: trainer.id,
      sessionType: 'Mobility',
      durationMinutes: 120,
      startTime: slots[0]!.startTime.toISOString(),
      timeZone: 'UTC',
    });
    await notifier.waitFor(bookingRequestId, 'request.options');
    const held = await db.orm.em.fork().find(TimeSlot, { lockOwner: workflowId });
    expect(held.map((s) => s.id).sort()).toEqual(slots.map((s) => s.id).sort());

    expect((await bookings.result(bookingRequestId)).status).toBe('EXPIRED');

    expect(await db.orm.em.fork().count(TimeSlot, { lockOwner: workflowId })).toBe(0);
    expect(notifier.of(bookingRequestId, 'request.expired')).toHaveLength(1);
  });

  it('reminds both sides 24 hours before, prompts the trainer after the session, and records the outcome', async () => {
    const { trainer, client, slots, day } = await scenario(3, 2);
    const { bookingRequestId } = await bookings.startRequest(oneDayRequest(trainer.id, client.id, day, 90, ['10:00-12:00'], false));
    const [offer] = await notifier.waitFor(bookingRequestId, 'request.options');
    expect(offer!.options![0]!.consecutiveSlotIds).toEqual([slots[0]!.id, slots[1]!.id]);
    await bookings.signalDecision(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id });
    await waitUntil(() => bookings.state(bookingRequestId), (s) => s.status === 'APPROVED', 'approval');
    const start = slots[0]!.startTime.getTime();
    const end = start + 90 * 60_000;

    // Let the server run up to just after the session's end.
    await env.sleep(end - (await env.currentTimeMs()) + 60_000);
    const [reminder] = await notifier.waitFor(bookingRequestId, 'booking.reminder');
    expect(reminder!.audience).toEqual(['client', 'trainer']);
    expect(Math.abs(reminder!.scheduledAtMs - (start - DAY_MS))).toBeLessThan(60_000);
    const [prompt] = await notifier.waitFor(bookingRequestId, 'booking.outcome-prompt');
    expect(prompt!.audience).toEqual(['trainer']);
    expect(prompt!.scheduledAtMs).toBeGreaterThanOrEqual(end);

    await env.client.workflow.getHandle(`booking-request-${bookingRequestId}`).signal('sessionOutcome', { trainerId: trainer.id, outcome: 'COMPLETED', clientRating: 5, trainerRating: 4, notes: 'Great squat depth' });
    const final = await bookings.result(bookingRequestId);

    expect(final.status).toBe('COMPLETED');
    const session = await db.orm.em.fork().findOneOrFail(Session, { booking: final.booking!.bookingId });
    expect([session.status, session.clientRating, session.trainerRating, session.trainerNotes]).toEqual(['COMPLETED', 5, 4, 'Great squat depth']);
    await saveHistoryIfRecording(env.client, `booking-request-${bookingRequestId}`, 'reminder-and-outcome');
  });

  it('moves the reminder with a reschedule', async () => {
    const { trainer, client, slots, day } = await scenario(3, 1);
    const em = db.orm.em.fork();
    const later = await createSlots(em, await em.findOneOrFail(Trainer, trainer.id), new Date(slots[0]!.startTime.getTime() + 2 * DAY_MS), 1);
    const { bookingRequestId } = await bookings.startRequest(oneDayRequest(trainer.id, client.id, day, 60, [], true));
    await notifier.waitFor(bookingRequestId, 'request.options');
    await bookings.signalDecision(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id });
    await waitUntil(() => bookings.state(bookingRequestId), (s) => s.status === 'APPROVED', 'approval');
    await env.client.workflow.getHandle(`booking-request-${bookingRequestId}`).signal('reschedule', { actor: { role: 'CLIENT', userId: client.id }, newStartTime: later[0]!.startTime.toISOString() });
    await waitUntil(() => bookings.state(bookingRequestId), (s) => s.booking?.startTime === later[0]!.startTime.toISOString(), 'reschedule');

    await env.sleep(later[0]!.startTime.getTime() - (await env.currentTimeMs()) - HOUR_MS);
    const reminders = await notifier.waitFor(bookingRequestId, 'booking.reminder');
    expect(reminders).toHaveLength(1);
    expect(Math.abs(reminders[0]!.scheduledAtMs - (later[0]!.startTime.getTime() - DAY_MS))).toBeLessThan(60_000);
    await saveHistoryIfRecording(env.client, `booking-request-${bookingRequestId}`, 'reschedule');
  });

  it('records a no-show after the session: NO_SHOW on the booking and its session, the client told', async () => {
    const { trainer, client, slots, day } = await scenario(3, 1);
    const { bookingRequestId } = await bookings.startRequest(oneDayRequest(trainer.id, client.id, day, 60, ['10:00-12:00'], false));
    await notifier.waitFor(bookingRequestId, 'request.options');
    await bookings.signalDecision(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id });
    await waitUntil(() => bookings.state(bookingRequestId), (s) => s.status === 'APPROVED', 'approval');

    await env.sleep(slots[0]!.startTime.getTime() + HOUR_MS - (await env.currentTimeMs()) + 60_000);
    await notifier.waitFor(bookingRequestId, 'booking.outcome-prompt');
    await env.client.workflow.getHandle(`booking-request-${bookingRequestId}`).signal('sessionOutcome', { trainerId: trainer.id, outcome: 'NO_SHOW' });
    const final = await bookings.result(bookingRequestId);

    expect(final.status).toBe('NO_SHOW');
    expect(final.booking!.status).toBe('NO_SHOW');
    const session = await db.orm.em.fork().findOneOrFail(Session, { booking: final.booking!.bookingId });
    expect(session.status).toBe('NO_SHOW');
    expect((await notifier.waitFor(bookingRequestId, 'booking.outcome-recorded'))[0]!.text).toContain('no-show');
    await saveHistoryIfRecording(env.client, `booking-request-${bookingRequestId}`, 'no-show');
  });

  it('closes the outcome window a week after the session when nothing was recorded; the booking stays confirmed', async () => {
    const { trainer, client, slots, day } = await scenario(3, 1);
    const { bookingRequestId } = await bookings.startRequest(oneDayRequest(trainer.id, client.id, day, 60, ['10:00-12:00'], false));
    await notifier.waitFor(bookingRequestId, 'request.options');
    await bookings.signalDecision(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id });
    await waitUntil(() => bookings.state(bookingRequestId), (s) => s.status === 'APPROVED', 'approval');

    const final = await bookings.result(bookingRequestId);

    expect(final.status).toBe('APPROVED');
    expect(final.history.at(-1)).toMatchObject({ event: 'outcome window closed' });
    const closedAt = Date.parse(final.history.at(-1)!.at);
    expect(closedAt - (slots[0]!.startTime.getTime() + HOUR_MS)).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(notifier.of(bookingRequestId, 'booking.outcome-prompt')).toHaveLength(1);
    const session = await db.orm.em.fork().findOneOrFail(Session, { booking: final.booking!.bookingId });
    expect(session.status).toBe('CONFIRMED');
    await saveHistoryIfRecording(env.client, `booking-request-${bookingRequestId}`, 'outcome-window-closed');
  });

  it('uses the credit of a paid booking when the outcome window closes with nothing recorded', async () => {
    const { trainer, client, slots, day } = await scenario(3, 1);
    const em = db.orm.em.fork();
    const trainerRow = await em.findOneOrFail(Trainer, trainer.id, { populate: ['user'] });
    const pack = await ledger.packageTypes.create({ trainerId: trainer.id, name: '5 x 60 min', sessions: 5, sessionMinutes: 60, priceMinor: 30_000n, currency: 'EUR', validityDays: 90 });
    await ledger.recordPayment({ trainerId: trainer.id, clientId: client.id, recordedBy: trainerRow.user.id, amountMinor: pack.priceMinor, currency: 'EUR', method: 'CASH', packageTypeId: pack.id });
    const { bookingRequestId } = await bookings.startRequest(oneDayRequest(trainer.id, client.id, day, 60, ['10:00-12:00'], false));
    await notifier.waitFor(bookingRequestId, 'request.options');
    await bookings.signalDecision(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slots[0]!.id });
    const approved = await waitUntil(() => bookings.state(bookingRequestId), (s) => s.status === 'APPROVED', 'approval');
    expect(approved.booking!.ledger?.map((e) => e.kind)).toEqual(['RESERVE']);

    const final = await bookings.result(bookingRequestId);

    expect(final.history.map((h) => h.event)).toContain('outcome window closed');
    // The session's time was kept for the client: its credit is used, once, and the state shows it.
    expect(final.booking!.ledger?.map((e) => [e.kind, e.note ?? null])).toEqual([
      ['RESERVE', null],
      ['CONSUME', 'outcome not recorded'],
    ]);
    const entries = await ledger.entries({ bookingId: final.booking!.bookingId });
    expect(entries.map((e) => e.kind).sort()).toEqual(['CONSUME', 'RESERVE']);
    expect((await ledger.balances({ clientId: client.id, trainerId: trainer.id }))[0]).toMatchObject({ available: 4 });
  });
});
