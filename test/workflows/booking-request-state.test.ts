import { ApplicationFailure } from '@temporalio/activity';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BookingActivities } from '../../activities/booking-activities';
import { ERROR_CODES } from '../../src/domain/errors';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { REFUSALS } from '../../src/domain/wording';
import type { Notification } from '../../src/notifications/notification';
import { installTemporalLogging } from '../../src/temporal/runtime-logging';
import type { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';
import { BOOKING_WORKFLOW_TYPE, cancelUpdate, decideUpdate, sessionOutcomeUpdate, stateQuery, workflowIdFor, type BookingRequestInput, type BookingSummary, type SlotOption, type WorkflowTimings } from '../../workflows/contract';

// The workflow's decisions, saga and validators against STUBBED activities: no database,
// just the real workflow code on the run's Temporal dev server. Each request id has its own
// script (what ranking offers, whether confirming conflicts), so the tests run side by side.

interface Script {
  /** What rankOptions returns, call by call (the last one repeats). */
  rankings: SlotOption[][];
  /** confirmReservation fails with SlotConflict this many times first. */
  conflicts?: number;
  /** What holdRequestedSlot holds (a direct booking). */
  held?: SlotOption;
  /** holdRequestedSlot fails with SlotConflict. */
  holdTaken?: boolean;
  /** confirmReservation fails with RequestNotPending. */
  notPending?: boolean;
  /** Every notification fails (non-retryable). */
  notifyFails?: boolean;
}

interface Call {
  name: keyof BookingActivities;
  args: unknown;
}

const scripts = new Map<number, Script>();
const calls = new Map<number, Call[]>();
const sent: Notification[] = [];

const log = (id: number, name: keyof BookingActivities, args: unknown): Script => {
  calls.set(id, [...(calls.get(id) ?? []), { name, args }]);
  return scripts.get(id)!;
};
const idFromOwner = (owner: string): number => Number(owner.replace('booking-request-', ''));
const failure = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

function option(slotId: number, hoursAhead: number, score = 50): SlotOption {
  const start = Date.now() + hoursAhead * HOUR_MS;
  return {
    slotId,
    slotStart: new Date(start).toISOString(),
    slotEnd: new Date(start + HOUR_MS).toISOString(),
    consecutiveSlotIds: [slotId],
    totalScore: score,
    breakdown: { dateMatch: score, timeOfDayMatch: 0, avoidTimePenalty: 0, weekendEveningBonus: 0 },
    requiresManualReview: false,
  };
}

const summary = (slotStart: string, status = 'CONFIRMED'): BookingSummary => ({
  bookingId: 1,
  startTime: slotStart,
  endTime: new Date(Date.parse(slotStart) + HOUR_MS).toISOString(),
  durationMinutes: 60,
  slotIds: [1],
  totalCost: 60,
  status,
});

const stubs: BookingActivities = {
  persistRequest: (args) => {
    log(args.request.bookingRequestId, 'persistRequest', args);
    return Promise.resolve({ expiresAt: args.expiresAt });
  },
  rankOptions: (args) => {
    const script = log(args.bookingRequestId, 'rankOptions', args);
    const ranked = (calls.get(args.bookingRequestId) ?? []).filter((c) => c.name === 'rankOptions').length;
    return Promise.resolve(script.rankings[Math.min(ranked, script.rankings.length) - 1]!);
  },
  holdRequestedSlot: (args) => {
    const script = log(args.bookingRequestId, 'holdRequestedSlot', args);
    if (script.holdTaken) return Promise.reject(failure(ERROR_CODES.slotConflict, 'Time slots are no longer available'));
    return Promise.resolve(script.held!);
  },
  releaseHolds: (args) => {
    log(idFromOwner(args.owner), 'releaseHolds', args);
    return Promise.resolve(1);
  },
  confirmReservation: (args) => {
    const script = log(args.bookingRequestId, 'confirmReservation', args);
    if (script.notPending) return Promise.reject(failure(ERROR_CODES.requestNotPending, 'Booking request is expired'));
    if ((script.conflicts ?? 0) > 0) {
      script.conflicts!--;
      return Promise.reject(failure(ERROR_CODES.slotConflict, 'Time slots are no longer available'));
    }
    return Promise.resolve(summary(args.slotStart));
  },
  closeRequest: (args) => {
    log(args.bookingRequestId, 'closeRequest', args);
    return Promise.resolve();
  },
  cancelBooking: (args) => Promise.resolve({ ...summary(new Date(Date.now() + DAY_MS).toISOString()), bookingId: args.bookingId, status: args.late ? 'LATE_CANCELLED' : 'CANCELLED' }),
  rescheduleBooking: (args) => Promise.resolve({ ...summary(args.newStartTime), bookingId: args.bookingId }),
  recordSessionOutcome: (args) => Promise.resolve({ ...summary(new Date().toISOString()), bookingId: args.bookingId, status: args.outcome }),
  notify: (notification) => {
    if (scripts.get(notification.bookingRequestId)?.notifyFails) return Promise.reject(failure('ChatDown', 'chat platform unavailable'));
    sent.push(notification);
    return Promise.resolve();
  },
};

let native: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `stubbed-${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  installTemporalLogging();
  native = await NativeConnection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
  worker = await Worker.create({ connection: native, taskQueue, workflowBundle: { codePath: inject('workflowBundlePath') }, activities: stubs });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await client?.connection.close();
});

const TRAINER = 7;
const CLIENT = 11;

async function start(script: Script, extra: Partial<BookingRequestInput> = {}, timings: Partial<WorkflowTimings> = {}) {
  const bookingRequestId = randomInt(1_000_000, 2_000_000_000);
  scripts.set(bookingRequestId, script);
  const request: BookingRequestInput = { bookingRequestId, clientId: CLIENT, trainerId: TRAINER, sessionType: 'Strength', durationMinutes: 60, timeZone: 'UTC', ...extra };
  const handle = await client.workflow.start<typeof bookingRequestWorkflow>(BOOKING_WORKFLOW_TYPE, { taskQueue, workflowId: workflowIdFor(bookingRequestId), args: [{ request, timings }] });
  await until(() => handle.query(stateQuery), (s) => s.optionsReady || s.status !== 'PENDING');
  return { bookingRequestId, handle };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const callNames = (id: number): string[] => (calls.get(id) ?? []).map((c) => c.name);
const kinds = (id: number): string[] => sent.filter((n) => n.bookingRequestId === id).map((n) => `${n.kind}>${n.audience.join('+')}`);

/** The message of a validator's refusal, or null when the Update was accepted. */
async function refusalOf(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return error.cause?.message ?? error.message;
    throw error;
  }
}

describe('booking workflow logic with stubbed activities', () => {
  it('approves a ranked option: confirms it, APPROVED, both sides told', async () => {
    const offered = [option(101, 72, 90), option(102, 75, 60)];
    const { bookingRequestId, handle } = await start({ rankings: [offered] });

    const outcome = await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 102 }] });

    expect(outcome).toMatchObject({ result: 'approved', duplicate: false, booking: { startTime: offered[1]!.slotStart } });
    expect(callNames(bookingRequestId)).toEqual(['persistRequest', 'rankOptions', 'confirmReservation']);
    expect(calls.get(bookingRequestId)![2]!.args).toMatchObject({ slotStart: offered[1]!.slotStart, holdOwner: workflowIdFor(bookingRequestId) });
    expect(kinds(bookingRequestId)).toEqual(['request.received>client', 'request.options>trainer', 'request.approved>client+trainer']);
    const state = await handle.query(stateQuery);
    expect(state).toMatchObject({ status: 'APPROVED', chosenSlot: { slotId: 102 } });
    // A second press is answered from the state, not applied again.
    expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 102 }] })).toMatchObject({ result: 'approved', duplicate: true });
    expect(callNames(bookingRequestId).filter((n) => n === 'confirmReservation')).toHaveLength(1);
    await handle.terminate('test done');
  });

  it('compensates a conflict on a direct booking: releases the hold, re-ranks, tells both, keeps waiting; the fresh option is then booked', async () => {
    const held = option(201, 48);
    const fresh = option(202, 50, 70);
    const { bookingRequestId, handle } = await start({ held, rankings: [[fresh]], conflicts: 1 }, { startTime: held.slotStart });
    expect(callNames(bookingRequestId)).toEqual(['persistRequest', 'holdRequestedSlot']);

    const conflict = await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 201 }] });

    expect(conflict).toEqual({ result: 'conflict', message: 'Time slots are no longer available', options: [fresh] });
    expect(callNames(bookingRequestId)).toEqual(['persistRequest', 'holdRequestedSlot', 'confirmReservation', 'releaseHolds', 'rankOptions']);
    expect(kinds(bookingRequestId).slice(-2)).toEqual(['request.slot-taken>trainer', 'request.slot-taken>client']);
    const pending = await handle.query(stateQuery);
    expect(pending.status).toBe('PENDING');
    expect(pending.history.map((h) => h.event)).toEqual(expect.arrayContaining(['slot conflict', 'compensated']));

    expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 202 }] })).toMatchObject({ result: 'approved' });
    // The hold was given back once; nothing is left to compensate after the booking.
    expect(callNames(bookingRequestId).filter((n) => n === 'releaseHolds')).toHaveLength(1);
    await handle.terminate('test done');
  });

  it('validators refuse another trainer (in the one shared wording), an unknown slot and an empty reason, before anything runs', async () => {
    const { bookingRequestId, handle } = await start({ rankings: [[option(301, 72)]] });
    const before = (await handle.query(stateQuery)).history.length;

    expect(await refusalOf(() => handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER + 1, slotId: 301 }] }))).toBe(REFUSALS.notAddressedTrainer);
    expect(await refusalOf(() => handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 999 }] }))).toContain('not among the current options');
    expect(await refusalOf(() => handle.executeUpdate(decideUpdate, { args: [{ kind: 'reject', trainerId: TRAINER, reason: '  ' }] }))).toContain('give a reason');
    expect(await refusalOf(() => handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT } }] }))).toBe('There is no confirmed booking to cancel.');
    expect(await refusalOf(() => handle.executeUpdate(sessionOutcomeUpdate, { args: [{ trainerId: TRAINER + 1, outcome: 'COMPLETED' }] }))).toBe(REFUSALS.notBookingTrainer);

    const state = await handle.query(stateQuery);
    expect([state.status, state.history.length]).toEqual(['PENDING', before]);
    expect(callNames(bookingRequestId)).toEqual(['persistRequest', 'rankOptions']);
    await handle.terminate('test done');
  });

  it('a stranger may not cancel; the client may, before the session', async () => {
    const offered = option(401, 72);
    const { handle } = await start({ rankings: [[offered]] });
    await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 401 }] });

    expect(await refusalOf(() => handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT + 1 } }] }))).toBe(REFUSALS.notParty);
    expect(await handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT }, reason: 'Travelling' }] })).toMatchObject({ result: 'done', duplicate: false, booking: { status: 'CANCELLED' } });
    expect((await handle.result()).status).toBe('CANCELLED');
  });

  it('a request closed under the workflow (RequestNotPending) is answered as closed, nothing booked', async () => {
    const { handle } = await start({ rankings: [[option(501, 72)]], notPending: true });
    expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 501 }] })).toEqual({ result: 'closed', status: 'PENDING' });
    expect((await handle.query(stateQuery)).history.map((h) => h.event)).toContain('approval refused');
    await handle.terminate('test done');
  });

  it('a direct booking whose slot is already taken is REJECTED at once, and the client is told', async () => {
    const { bookingRequestId, handle } = await start({ rankings: [], holdTaken: true }, { startTime: option(601, 48).slotStart });
    const final = await handle.result();
    expect([final.status, final.rejectionReason]).toEqual(['REJECTED', 'The chosen time is no longer available.']);
    expect(calls.get(bookingRequestId)!.at(-1)).toEqual({ name: 'closeRequest', args: { bookingRequestId, status: 'REJECTED', reason: 'The chosen time is no longer available.' } });
    expect(kinds(bookingRequestId)).toEqual(['request.rejected>client']);
  });

  it('expiry closes the request and releases a direct booking’s hold', async () => {
    const held = option(701, 48);
    const { bookingRequestId, handle } = await start({ held, rankings: [] }, { startTime: held.slotStart }, { approvalWindowMs: 1500 });
    const final = await handle.result();
    expect(final.status).toBe('EXPIRED');
    expect(callNames(bookingRequestId).slice(-2)).toEqual(['closeRequest', 'releaseHolds']);
    expect(kinds(bookingRequestId).at(-1)).toBe('request.expired>client+trainer');
  });

  it('notifications that cannot be delivered are noted, and the booking goes on', async () => {
    const { handle } = await start({ rankings: [[option(801, 72)]], notifyFails: true });
    expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 801 }] })).toMatchObject({ result: 'approved' });
    const failed = (await handle.query(stateQuery)).history.filter((h) => h.event === 'notification failed').map((h) => h.detail?.split(':')[0]);
    expect(failed).toEqual(['request.received', 'request.options', 'request.approved']);
    await handle.terminate('test done');
  });
});
