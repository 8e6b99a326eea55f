import { ApplicationFailure } from '@temporalio/activity';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BookingActivities } from '../../activities/booking-activities';
import { ERROR_CODES } from '../../src/domain/errors';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { REFUSALS } from '../../src/domain/wording';
import { DEFAULT_POLICY, policyWording, type TrainerPolicy } from '../../src/domain/policy';
import type { Notification } from '../../src/notifications/notification';
import { installTemporalLogging } from '../../src/temporal/runtime-logging';
import type { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';
import {
  availabilityChangedSignal,
  BOOKING_WORKFLOW_TYPE,
  cancelUpdate,
  decideUpdate,
  rescheduleUpdate,
  sessionOutcomeUpdate,
  stateQuery,
  withdrawUpdate,
  workflowIdFor, type BookingRequestInput, type BookingSummary, type SlotOption, type WorkflowTimings } from '../../workflows/contract';

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
  /** announceFreedTime fails (non-retryable). */
  announceFails?: boolean;
  /** confirmReservation fails once with this policy refusal (the reservation transaction's own check). */
  confirmRefused?: { type: string; message: string };
  /** rescheduleBooking fails with this policy refusal. */
  rescheduleRefused?: { type: string; message: string };
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
    if (script.confirmRefused) {
      const { type, message } = script.confirmRefused;
      delete script.confirmRefused;
      return Promise.reject(failure(type, message));
    }
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
  rescheduleBooking: (args) => {
    const refused = scripts.get(idFromOwner(args.holdOwner))?.rescheduleRefused;
    if (refused) return Promise.reject(failure(refused.type, refused.message));
    return Promise.resolve({ ...summary(args.newStartTime), bookingId: args.bookingId });
  },
  recordSessionOutcome: (args) => Promise.resolve({ ...summary(new Date().toISOString()), bookingId: args.bookingId, status: args.outcome }),
  // Series requests run against the real activities (test/workflows/series-workflow.test.ts).
  seriesOptions: () => Promise.reject(failure('NotScripted', 'series are not scripted here')),
  confirmSeries: () => Promise.reject(failure('NotScripted', 'series are not scripted here')),
  cancelSeriesFrom: () => Promise.reject(failure('NotScripted', 'series are not scripted here')),
  notify: (notification) => {
    if (scripts.get(notification.bookingRequestId)?.notifyFails) return Promise.reject(failure('ChatDown', 'chat platform unavailable'));
    sent.push(notification);
    return Promise.resolve();
  },
  announceFreedTime: (args) => {
    const script = log(args.bookingRequestId, 'announceFreedTime', args);
    if (script.announceFails) return Promise.reject(failure('TemporalDown', 'visibility unavailable'));
    return Promise.resolve(2);
  },
  // Packs (issue 13) run against the real activities (test/workflows/booking-credits.test.ts, credit-lot-workflow.test.ts).
  notifyCredits: () => Promise.reject(failure('NotScripted', 'credits are not scripted here')),
  creditLotStatus: () => Promise.reject(failure('NotScripted', 'credits are not scripted here')),
  expireCreditLot: () => Promise.reject(failure('NotScripted', 'credits are not scripted here')),
  settleUnrecordedOutcome: () => Promise.resolve({}),
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

  it('a cancel frees time: the trainer’s other pending requests are told after the cancel, and a failure to tell them leaves the cancel standing', async () => {
    const { bookingRequestId, handle } = await start({ rankings: [[option(451, 72)]] });
    await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 451 }] });
    expect(callNames(bookingRequestId)).not.toContain('announceFreedTime');
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER } }] });
    expect(calls.get(bookingRequestId)!.filter((c) => c.name === 'announceFreedTime').map((c) => c.args)).toEqual([{ trainerId: TRAINER, bookingRequestId }]);

    const failing = await start({ rankings: [[option(452, 72)]], announceFails: true });
    await failing.handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 452 }] });
    expect(await failing.handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT } }] })).toMatchObject({ result: 'done', duplicate: false, booking: { status: 'CANCELLED' } });
    const final = await failing.handle.result();
    expect(final.status).toBe('CANCELLED');
    expect(final.history.find((h) => h.event === 'announce failed')?.detail).toContain('visibility unavailable');
    expect(kinds(failing.bookingRequestId)).toContain('booking.cancelled>client+trainer');
  });

  it('a reschedule frees the old time too: the trainer’s other pending requests are told after the move', async () => {
    const { bookingRequestId, handle } = await start({ rankings: [[option(461, 72)]] });
    await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 461 }] });
    const later = option(462, 96).slotStart;
    expect(await handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER }, newStartTime: later }] })).toMatchObject({ result: 'done', booking: { startTime: later } });
    const names = callNames(bookingRequestId);
    expect(names.indexOf('announceFreedTime')).toBeGreaterThan(names.indexOf('rescheduleBooking'));
    expect(calls.get(bookingRequestId)!.filter((c) => c.name === 'announceFreedTime').map((c) => c.args)).toEqual([{ trainerId: TRAINER, bookingRequestId }]);
    await handle.terminate('test done');
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

  describe('under the trainer policy', () => {
    /** A validator's refusal as the booking client sees it: the sentence and the failure type (the policy code). */
    async function refusedWith(run: () => Promise<unknown>): Promise<{ message: string; type: string | null | undefined } | null> {
      try {
        await run();
        return null;
      } catch (error) {
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
        return { message: error.cause?.message ?? error.message, type: error.cause instanceof ApplicationFailure ? error.cause.type : undefined };
      }
    }
    const policy = (fields: Partial<TrainerPolicy>): TrainerPolicy => ({ ...DEFAULT_POLICY, ...fields });

    it('withdraw: only the client (or an admin); WITHDRAWN, the hold released, the trainer told', async () => {
      const held = option(1101, 48);
      const { bookingRequestId, handle } = await start({ held, rankings: [] }, { startTime: held.slotStart });

      expect(await refusalOf(() => handle.executeUpdate(withdrawUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT + 1 } }] }))).toBe(REFUSALS.notRequestClient);
      expect(await refusalOf(() => handle.executeUpdate(withdrawUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER } }] }))).toBe(REFUSALS.notRequestClient);
      expect(await handle.executeUpdate(withdrawUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT }, reason: 'Found another time' }] })).toEqual({ result: 'withdrawn', duplicate: false });

      const final = await handle.result();
      expect(final.status).toBe('WITHDRAWN');
      expect(callNames(bookingRequestId).slice(-2)).toEqual(['closeRequest', 'releaseHolds']);
      expect(calls.get(bookingRequestId)!.find((c) => c.name === 'closeRequest')!.args).toEqual({ bookingRequestId, status: 'WITHDRAWN', reason: 'Found another time' });
      expect(kinds(bookingRequestId).at(-1)).toBe('request.withdrawn>trainer');
    });

    it('a client cancel inside the cutoff is a late cancellation: LATE_CANCELLED booking and status, the late flag, both told', async () => {
      const offered = option(1201, 5); // 5 h ahead, cutoff 24 h
      const { bookingRequestId, handle } = await start({ rankings: [[offered]] }, { policy: policy({}) });
      await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1201 }] });

      const outcome = await handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT } }] });

      expect(outcome).toMatchObject({ result: 'done', late: true, duplicate: false, booking: { status: 'LATE_CANCELLED' } });
      expect((await handle.result()).status).toBe('LATE_CANCELLED');
      const cancelled = sent.filter((n) => n.bookingRequestId === bookingRequestId && n.kind === 'booking.cancelled');
      expect(cancelled[0]!.text).toContain('late cancellation');
    });

    it('the trainer cancels inside the cutoff without it counting as late', async () => {
      const { handle } = await start({ rankings: [[option(1301, 5)]] });
      await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1301 }] });
      const outcome = await handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER } }] });
      expect(outcome).toMatchObject({ result: 'done', booking: { status: 'CANCELLED' } });
      expect(outcome).not.toHaveProperty('late');
      expect((await handle.result()).status).toBe('CANCELLED');
    });

    it('after the start nobody reschedules and the client may not cancel (policy_started); inside the cutoff the client may not move it', async () => {
      // A session starting 3 s after approval (no notice asked).
      const soon = option(1401, 3 / 3600);
      const { handle } = await start({ rankings: [[soon]] }, { policy: policy({ minNoticeMinutes: 0 }) });
      await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1401 }] });
      const later = new Date(Date.now() + 2 * DAY_MS).toISOString();
      // Inside the cutoff, before the start.
      expect(await refusedWith(() => handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT }, newStartTime: later }] }))).toEqual({
        message: policyWording.cutoffReschedule(DEFAULT_POLICY),
        type: 'policy_cutoff_reschedule',
      });
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(soon.slotStart) - Date.now()) + 200));

      expect(await refusedWith(() => handle.executeUpdate(cancelUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT } }] }))).toEqual({ message: policyWording.started(), type: 'policy_started' });
      expect(await refusedWith(() => handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER }, newStartTime: later }] }))).toMatchObject({ type: 'policy_started' });
      expect(await refusedWith(() => handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT }, newStartTime: later }] }))).toMatchObject({ type: 'policy_started' });
      expect((await handle.query(stateQuery)).status).toBe('APPROVED');
      await handle.terminate('test done');
    });

    it('the trainer may move a session inside the cutoff; the new start must respect the notice', async () => {
      const { handle } = await start({ rankings: [[option(1501, 5)]] }, { policy: policy({ minNoticeMinutes: 120 }) });
      await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1501 }] });
      const tooSoon = new Date(Date.now() + HOUR_MS).toISOString();
      expect(await refusedWith(() => handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER }, newStartTime: tooSoon }] }))).toMatchObject({ type: 'policy_min_notice' });
      const fine = new Date(Date.now() + 6 * HOUR_MS).toISOString();
      expect(await handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'TRAINER', trainerId: TRAINER }, newStartTime: fine }] })).toMatchObject({ result: 'done', booking: { startTime: fine } });
      await handle.terminate('test done');
    });

    it('approving an option that has become too close is refused with the sentence and fresh options; the trainer is told', async () => {
      const close = option(1601, 0.5); // 30 min ahead, the notice is 60 min
      const fresh = option(1602, 30, 70);
      const { bookingRequestId, handle } = await start({ rankings: [[close], [fresh]] }, { policy: policy({}), trainerName: 'Alex' });

      const outcome = await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1601 }] });

      expect(outcome).toEqual({ result: 'conflict', message: policyWording.minNotice(DEFAULT_POLICY, 'Alex'), options: [fresh], code: 'policy_min_notice' });
      expect(callNames(bookingRequestId)).not.toContain('confirmReservation');
      const told = sent.filter((n) => n.bookingRequestId === bookingRequestId && n.kind === 'request.options').at(-1)!;
      expect([told.audience, told.options, told.text.startsWith(policyWording.minNotice(DEFAULT_POLICY, 'Alex'))]).toEqual([['trainer'], [fresh], true]);
      expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1602 }] })).toMatchObject({ result: 'approved' });
      await handle.terminate('test done');
    });

    it("the reservation's own policy refusal at approval (the buffers, the client's calendar, the upcoming limit) gives back holds and offers fresh options with its sentence", async () => {
      const offered = option(1901, 30);
      const fresh = option(1902, 33, 70);
      const sentence = policyWording.buffer({ ...DEFAULT_POLICY, bufferAfterMinutes: 15 }, 'Alex');
      const { bookingRequestId, handle } = await start({ rankings: [[offered], [fresh]], confirmRefused: { type: 'policy_buffer', message: sentence } });

      expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1901 }] })).toEqual({ result: 'conflict', message: sentence, options: [fresh], code: 'policy_buffer' });
      expect((await handle.query(stateQuery)).status).toBe('PENDING');
      const told = sent.filter((n) => n.bookingRequestId === bookingRequestId && n.kind === 'request.options').at(-1)!;
      expect([told.audience, told.text.startsWith(sentence)]).toEqual([['trainer'], true]);
      expect(await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 1902 }] })).toMatchObject({ result: 'approved' });
      await handle.terminate('test done');
    });

    it("a move the reservation refuses by policy (policy_client_overlap) is a conflict carrying the code; the booking stays", async () => {
      const offered = option(2001, 72);
      const { handle } = await start({ rankings: [[offered]], rescheduleRefused: { type: 'policy_client_overlap', message: policyWording.clientOverlap() } });
      await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 2001 }] });
      const elsewhere = new Date(Date.now() + 4 * DAY_MS).toISOString();

      const outcome = await handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT }, newStartTime: elsewhere }] });

      expect(outcome).toMatchObject({ result: 'conflict', code: 'policy_client_overlap', message: policyWording.clientOverlap(), booking: { startTime: offered.slotStart } });
      const state = await handle.query(stateQuery);
      expect([state.status, state.booking!.startTime]).toEqual(['APPROVED', offered.slotStart]);
      await handle.terminate('test done');
    });

    it("a client's move beyond the horizon or inside the notice is refused by the validator (policy_horizon, policy_min_notice)", async () => {
      const { handle } = await start({ rankings: [[option(2101, 72)]] }, { policy: policy({ horizonDays: 10 }), trainerName: 'Alex' });
      await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', trainerId: TRAINER, slotId: 2101 }] });
      const move = (at: number) => refusedWith(() => handle.executeUpdate(rescheduleUpdate, { args: [{ actor: { role: 'CLIENT', userId: CLIENT }, newStartTime: new Date(at).toISOString() }] }));
      expect(await move(Date.now() + 11 * DAY_MS)).toEqual({ type: 'policy_horizon', message: policyWording.horizon(policy({ horizonDays: 10 }), 'Alex') });
      expect(await move(Date.now() + 30 * 60_000)).toEqual({ type: 'policy_min_notice', message: policyWording.minNotice(DEFAULT_POLICY, 'Alex') });
      expect((await handle.query(stateQuery)).history.map((h) => h.event)).not.toContain('rescheduled');
      await handle.terminate('test done');
    });

    it('auto-approve: a direct request that follows the policy is confirmed at once, without the trainer', async () => {
      const held = option(1701, 48);
      const { bookingRequestId, handle } = await start({ held, rankings: [] }, { startTime: held.slotStart, policy: policy({ approvalMode: 'AUTO_DIRECT' }) });
      const state = await until(() => handle.query(stateQuery), (s) => s.status === 'APPROVED');
      expect(state.history.map((h) => h.event)).toContain('auto-approved');
      expect(callNames(bookingRequestId)).toEqual(['persistRequest', 'holdRequestedSlot', 'confirmReservation']);
      expect(kinds(bookingRequestId)).toEqual(['request.approved>client+trainer']);
      await handle.terminate('test done');
    });

    it('re-ranks a pending flexible request when availability changes, and tells the trainer only when the options changed', async () => {
      const first = option(1801, 72, 60);
      const better = option(1802, 74, 90);
      const { bookingRequestId, handle } = await start({ rankings: [[first], [better, first]] });

      await handle.signal(availabilityChangedSignal, { trainerId: TRAINER, reason: 'published' });
      await until(() => handle.query(stateQuery), (s) => s.options.length === 2);
      await handle.signal(availabilityChangedSignal, { trainerId: TRAINER, reason: 'published' });
      // The third ranking is applied (recorded) in the same workflow task that would have told the trainer.
      await until(() => handle.query(stateQuery), (s) => s.history.filter((h) => h.event === 'ranked options').length === 3);
      await new Promise((r) => setTimeout(r, 300));

      expect(kinds(bookingRequestId)).toEqual(['request.received>client', 'request.options>trainer', 'request.options>trainer']);
      expect(sent.filter((n) => n.bookingRequestId === bookingRequestId && n.kind === 'request.options').at(-1)!.options).toEqual([better, first]);
      await handle.terminate('test done');
    });
  });
});
