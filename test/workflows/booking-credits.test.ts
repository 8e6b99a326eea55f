// Session-pack credits (issue 13) through the real booking workflow, activities, reservation
// and ledger on the run's Temporal dev server and PostgreSQL: every transition's arithmetic
// (approve → RESERVE, completed / no-show → CONSUME, late cancel per the policy, on-time and
// trainer cancel → RELEASE), the approval refused for want of a credit with nothing written,
// the race of two approvals for the last credit, a series with too few credits in both
// conflict modes, a reschedule past the pack's end, and a pack's payment starting its workflow.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PackageTypeRecord } from '../../src/credits';
import { Booking, BookingRequest, BookingSeries, TimeSlot, type Trainer, type User } from '../../src/db/entities';
import { creditWording } from '../../src/domain/credits/wording';
import { ERROR_CODES } from '../../src/domain/errors';
import type { SeriesRecurrence } from '../../src/domain/series/series';
import { HOUR_MS, MINUTE_MS, DAY_MS } from '../../src/domain/time';
import { savePolicy, type PolicyPatch } from '../../src/policy';
import { creditLotState } from '../../src/temporal/credit-lots';
import type { BookingClient } from '../../src/temporal/booking-client';
import { creditLotWorkflowIdFor, workflowIdFor, type BookingSummary, type DecisionOutcome } from '../../workflows/contract';
import { startBookingStack, type BookingStack } from '../support/booking-stack';
import { checkCreditInvariants } from '../support/credit-invariants';
import { createClient, createSlots, createTrainer } from '../support/fixtures';
import { saveHistoryIfRecording } from '../support/histories';
import { checkBookingInvariants } from '../support/invariants';
import { atDate, dayAhead, nextWeekday, plusDays } from '../support/time';

let stack: BookingStack;
beforeAll(async () => {
  stack = await startBookingStack();
});
afterAll(async () => stack?.stop());
afterEach(async () => {
  expect(await checkCreditInvariants(stack.orm.em.fork())).toEqual([]);
});

interface World {
  trainer: Trainer;
  client: User;
  trainerName: string;
  clientName: string;
  pack: PackageTypeRecord;
  /** The client buys the pack (its price, cash); resolves to the lot's id. */
  buy(client?: User): Promise<number>;
}

/** A trainer with a pack "10 × 60 min for €700.00" (or `sessions`) and the policy patch, and a client. */
async function world(policy: PolicyPatch = {}, pack: { sessions?: number; validityDays?: number } = {}): Promise<World> {
  const em = stack.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 60 });
  await em.populate(trainer, ['user']);
  // Several requests per client with one trainer in some tests; the limits are tested elsewhere.
  await savePolicy(em, trainer.id, { maxPendingPerClient: 10, maxPendingPerPair: 10, ...policy });
  const client = await createClient(em);
  const created = await stack.ledger.packageTypes.create({
    trainerId: trainer.id,
    name: `Pack ${randomBytes(3).toString('hex')}`,
    sessions: pack.sessions ?? 10,
    sessionMinutes: 60,
    priceMinor: 70_000n,
    currency: 'EUR',
    validityDays: pack.validityDays ?? 90,
  });
  return {
    trainer,
    client,
    trainerName: trainer.user.fullName,
    clientName: client.fullName,
    pack: created,
    async buy(buyer = client) {
      const paid = await stack.ledger.recordPayment({ trainerId: trainer.id, clientId: buyer.id, recordedBy: trainer.user.id, amountMinor: created.priceMinor, currency: 'EUR', method: 'CASH', packageTypeId: created.id });
      return paid.lot!.lotId;
    },
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not there within ${timeoutMs} ms (${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A direct request of the client for the one slot at `start` (created here); resolves once its option is ready. */
async function directRequest(w: World, start: Date, client = w.client): Promise<{ id: number; slotId: number }> {
  const [slot] = await createSlots(stack.orm.em.fork(), w.trainer, start, 1);
  const { bookingRequestId } = await stack.bookings.startRequest({ clientId: client.id, trainerId: w.trainer.id, sessionType: 'Strength Training', durationMinutes: 60, startTime: start.toISOString(), timeZone: 'UTC' });
  await until(() => stack.bookings.state(bookingRequestId), (s) => s.optionsReady, `options of request ${bookingRequestId}`);
  return { id: bookingRequestId, slotId: slot!.id };
}

const approve = (w: World, request: { id: number; slotId: number }): ReturnType<BookingClient['decide']> =>
  stack.bookings.decide(request.id, { kind: 'approve', trainerId: w.trainer.id, slotId: request.slotId });

function approved(outcome: unknown): Extract<DecisionOutcome, { result: 'approved' }> {
  expect(outcome).toMatchObject({ result: 'approved' });
  return outcome as Extract<DecisionOutcome, { result: 'approved' }>;
}

/** The booking's ledger entries as stored, oldest first ("RESERVE -1"). */
async function entriesOf(bookingId: number): Promise<string[]> {
  const rows = await stack.orm.em.fork().execute<{ kind: string; delta: number }[]>('select kind, delta from credit_entry where booking_id = ? order by id', [bookingId]);
  return rows.map((row) => `${row.kind} ${row.delta}`);
}

const ledgerKinds = (booking: BookingSummary | null | undefined): string[] => (booking?.ledger ?? []).map((entry) => `${entry.kind} ${entry.delta}`);

async function available(lotId: number): Promise<number> {
  const [row] = await stack.orm.em.fork().execute<{ available: number }[]>('select available from credit_lot where id = ?', [lotId]);
  return row!.available;
}

/** A whole minute `ms` from now. */
const inAbout = (ms: number): Date => new Date(Math.ceil((Date.now() + ms) / MINUTE_MS) * MINUTE_MS);

describe('a booking paid with a credit, transition by transition', () => {
  it('approval reserves one credit (summary, notification and state show it); an on-time client cancel gives it back', async () => {
    const w = await world();
    const lotId = await w.buy();
    const request = await directRequest(w, atDate(dayAhead(3), 10));

    const booking = approved(await approve(w, request)).booking;
    expect(booking.credit).toMatchObject({ lotId, packName: w.pack.name, left: 9 });
    expect(ledgerKinds(booking)).toEqual(['RESERVE -1']);
    expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1']);
    expect(await available(lotId)).toBe(9);
    const [told] = await stack.notifier.waitFor(request.id, 'request.approved');
    expect(told!.booking!.credit).toMatchObject({ lotId, left: 9 });
    // The state query shows the booking's entries.
    const state = await stack.bookings.state(request.id);
    expect(state.booking!.ledger).toEqual([expect.objectContaining({ kind: 'RESERVE', delta: -1, lotId })]);
    // 9 left is not low: nobody is told about the pack.
    expect(stack.notifier.creditsOf(w.client.id, 'credits.low')).toEqual([]);

    const cancelled = await stack.bookings.cancel(request.id, { actor: { role: 'CLIENT', userId: w.client.id }, reason: 'Travelling' });
    expect(cancelled).toMatchObject({ result: 'done', booking: { status: 'CANCELLED', credit: null } });
    expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1', 'RELEASE 1']);
    expect(await available(lotId)).toBe(10);
    const after = await stack.bookings.state(request.id);
    expect(ledgerKinds(after.booking)).toEqual(['RESERVE -1', 'RELEASE 1']);
  });

  it('a trainer cancel gives the credit back, even inside the cutoff', async () => {
    const w = await world();
    const lotId = await w.buy();
    const request = await directRequest(w, inAbout(3 * HOUR_MS));
    const booking = approved(await approve(w, request)).booking;
    const cancelled = await stack.bookings.cancel(request.id, { actor: { role: 'TRAINER', trainerId: w.trainer.id }, reason: 'Ill' });
    expect(cancelled).toMatchObject({ result: 'done', booking: { status: 'CANCELLED' } });
    expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1', 'RELEASE 1']);
    expect(await available(lotId)).toBe(10);
  });

  it('a late client cancel uses the credit by default, and gives it back when the trainer says so (the policy the client agreed to)', async () => {
    const consuming = await world();
    const releasing = await world({ lateCancelConsumes: false });
    const lots = [await consuming.buy(), await releasing.buy()];
    const requests = [await directRequest(consuming, inAbout(3 * HOUR_MS)), await directRequest(releasing, inAbout(3 * HOUR_MS))];
    const bookings = [approved(await approve(consuming, requests[0]!)).booking, approved(await approve(releasing, requests[1]!)).booking];
    // The consuming trainer changes the rule after the request: the rule the client agreed to holds.
    await savePolicy(stack.orm.em.fork(), consuming.trainer.id, { lateCancelConsumes: false });

    for (const [i, w] of [consuming, releasing].entries()) {
      const outcome = await stack.bookings.cancel(requests[i]!.id, { actor: { role: 'CLIENT', userId: w.client.id } });
      expect(outcome).toMatchObject({ result: 'done', late: true, booking: { status: 'LATE_CANCELLED' } });
    }
    expect(await entriesOf(bookings[0]!.bookingId)).toEqual(['RESERVE -1', 'CONSUME 0']);
    expect(await available(lots[0]!)).toBe(9);
    expect(await entriesOf(bookings[1]!.bookingId)).toEqual(['RESERVE -1', 'RELEASE 1']);
    expect(await available(lots[1]!)).toBe(10);
    expect(ledgerKinds((await stack.bookings.state(requests[0]!.id)).booking)).toEqual(['RESERVE -1', 'CONSUME 0']);
  });

  it('completed and no-show sessions use their credits; the outcome summary and the state show the entries', async () => {
    // Sessions that start a few seconds from now (no notice needed), so their outcomes can be recorded.
    const completed = await world({ minNoticeMinutes: 0 });
    const missed = await world({ minNoticeMinutes: 0 });
    const lots = [await completed.buy(), await missed.buy()];
    const start = new Date(Math.ceil((Date.now() + 8_000) / 1_000) * 1_000);
    const requests = [await directRequest(completed, start), await directRequest(missed, start)];
    const bookings = [approved(await approve(completed, requests[0]!)).booking, approved(await approve(missed, requests[1]!)).booking];
    await new Promise((r) => setTimeout(r, Math.max(0, start.getTime() - Date.now() + 500)));

    const done = await stack.bookings.recordOutcome(requests[0]!.id, { trainerId: completed.trainer.id, outcome: 'COMPLETED', clientRating: 5 });
    const noShow = await stack.bookings.recordOutcome(requests[1]!.id, { trainerId: missed.trainer.id, outcome: 'NO_SHOW' });
    expect(ledgerKinds(done as BookingSummary)).toEqual(['RESERVE -1', 'CONSUME 0']);
    expect(ledgerKinds(noShow as BookingSummary)).toEqual(['RESERVE -1', 'CONSUME 0']);
    expect((done as BookingSummary).credit).toMatchObject({ lotId: lots[0], left: 9 });
    for (const [i, booking] of bookings.entries()) {
      expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1', 'CONSUME 0']);
      expect(await available(lots[i]!)).toBe(9);
    }
    const final = await stack.bookings.result(requests[0]!.id);
    expect([final.status, ...ledgerKinds(final.booking)]).toEqual(['COMPLETED', 'RESERVE -1', 'CONSUME 0']);
    await saveHistoryIfRecording(stack.running.client, workflowIdFor(requests[0]!.id), 'credit-consumed');
  }, 60_000);
});

describe('the trainer requires a credit to approve', () => {
  it('no credit: the approval is a credit_none conflict with nothing written, both sides told; a pack bought meanwhile makes the next approval succeed', async () => {
    const w = await world({ creditToApprove: true });
    const request = await directRequest(w, atDate(dayAhead(4), 11));

    const refused = await approve(w, request);
    const trainerSentence = creditWording.noCredit({ clientName: w.clientName, trainerName: w.trainerName, durationMinutes: 60, offers: [w.pack] });
    const clientSentence = creditWording.noCredit({ trainerName: w.trainerName, durationMinutes: 60, offers: [w.pack] });
    expect(refused).toMatchObject({ result: 'conflict', code: ERROR_CODES.creditNone, message: trainerSentence });
    const em = stack.orm.em.fork();
    expect(await em.count(Booking, { bookingRequest: request.id })).toBe(0);
    expect((await em.findOneOrFail(BookingRequest, request.id)).status).toBe('PENDING');
    expect((await em.findOneOrFail(TimeSlot, request.slotId)).isBooked).toBe(false);
    expect(await em.execute('select id from credit_entry where client_id = ?', [w.client.id])).toEqual([]);
    const told = await stack.notifier.waitFor(request.id, 'request.credit-needed', 2);
    expect(told.map((n) => [n.audience, n.text])).toEqual([
      [['client'], clientSentence],
      [['trainer'], trainerSentence],
    ]);
    expect((await stack.bookings.state(request.id)).status).toBe('PENDING');

    const lotId = await w.buy();
    const booking = approved(await approve(w, request)).booking;
    expect(booking.credit).toMatchObject({ lotId, left: 9 });
    expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1']);
    expect((await checkBookingInvariants(em, w.trainer.id)).violations).toEqual([]);
    await saveHistoryIfRecording(stack.running.client, workflowIdFor(request.id), 'credit-needed-then-approved');
  });

  it.each([1, 2, 3])('race %i: two requests of one client with one credit left, approved at the same moment: exactly one is approved, the other a credit_none conflict with nothing partial', async () => {
    const w = await world({ creditToApprove: true }, { sessions: 1 });
    const lotId = await w.buy();
    const day = dayAhead(3);
    const requests = [await directRequest(w, atDate(day, 10)), await directRequest(w, atDate(day, 13))];

    const outcomes = await Promise.all(requests.map((request) => approve(w, request)));
    expect(outcomes.map((o) => o.result).sort()).toEqual(['approved', 'conflict']);
    const winner = outcomes.findIndex((o) => o.result === 'approved');
    const loser = requests[1 - winner]!;
    expect(outcomes[1 - winner]).toMatchObject({ result: 'conflict', code: ERROR_CODES.creditNone });
    expect((outcomes[winner] as Extract<DecisionOutcome, { result: 'approved' }>).booking.credit).toMatchObject({ lotId, left: 0 });

    const em = stack.orm.em.fork();
    expect(await em.count(Booking, { bookingRequest: loser.id })).toBe(0);
    expect((await em.findOneOrFail(BookingRequest, loser.id)).status).toBe('PENDING');
    const slot = await em.findOneOrFail(TimeSlot, loser.slotId);
    expect([slot.isBooked, slot.booking]).toEqual([false, null]);
    const entries = await em.execute<{ kind: string }[]>('select kind from credit_entry where client_id = ? order by id', [w.client.id]);
    expect(entries.map((e) => e.kind)).toEqual(['PURCHASE', 'RESERVE']);
    expect(await available(lotId)).toBe(0);
    const report = await checkBookingInvariants(em, w.trainer.id);
    expect(report.violations).toEqual([]);
    expect(report.activeBookings).toBe(1);
    // The last credit taken: both sides hear the pack is used up.
    const low = await stack.notifier.waitForCredits(w.client.id, 'credits.low', 2);
    expect(low.map((n) => [n.audience, n.text])).toEqual([
      [['client'], creditWording.reminder({ trainerName: w.trainerName, available: 0, expiring: 0, expiresAt: null })],
      [['trainer'], creditWording.lowOrExpiring({ clientName: w.clientName, available: 0, expiring: 0, expiresAt: null })],
    ]);
  });
});

describe('without a credit requirement', () => {
  it('a client without a credit is approved unpaid (the summary as before); one with a credit pays with it', async () => {
    const w = await world();
    const other = await createClient(stack.orm.em.fork());
    await w.buy(other);
    const unpaid = approved(await approve(w, await directRequest(w, atDate(dayAhead(3), 9)))).booking;
    expect(unpaid).not.toHaveProperty('credit');
    expect(unpaid).not.toHaveProperty('ledger');
    expect(await entriesOf(unpaid.bookingId)).toEqual([]);
    const paid = approved(await approve(w, await directRequest(w, atDate(dayAhead(3), 15), other))).booking;
    expect(paid.credit).toMatchObject({ left: 9 });
  });
});

describe('a weekly series with fewer credits than sessions', () => {
  const TUESDAY = nextWeekday('tuesday', { after: 3 });
  const tuesdays = (count: number): Date[] => Array.from({ length: count }, (_, week) => atDate(plusDays(TUESDAY, 7 * week), 18));

  async function seriesRequest(w: World, conflictMode: SeriesRecurrence['conflictMode']): Promise<{ id: number; slotId: number }> {
    const starts = tuesdays(4);
    for (const start of starts) await createSlots(stack.orm.em.fork(), w.trainer, start, 1);
    const { bookingRequestId } = await stack.bookings.startRequest({
      clientId: w.client.id,
      trainerId: w.trainer.id,
      sessionType: 'Strength Training',
      durationMinutes: 60,
      startTime: starts[0]!.toISOString(),
      timeZone: 'UTC',
      recurrence: { interval: 1, weekdays: [], count: 4, conflictMode },
    });
    const state = await until(() => stack.bookings.state(bookingRequestId), (s) => s.optionsReady, `series options of ${bookingRequestId}`);
    return { id: bookingRequestId, slotId: state.options[0]!.slotId };
  }

  it('ALL_OR_NOTHING: a credit_none conflict naming the shortfall, nothing written', async () => {
    const w = await world({ creditToApprove: true }, { sessions: 3 });
    const lotId = await w.buy();
    const request = await seriesRequest(w, 'ALL_OR_NOTHING');
    const outcome = await approve(w, request);
    expect(outcome).toMatchObject({
      result: 'conflict',
      code: ERROR_CODES.creditNone,
      message: creditWording.notEnoughForSeries({ clientName: w.clientName, trainerName: w.trainerName, durationMinutes: 60, needed: 4, available: 3, offers: [w.pack] }),
    });
    const em = stack.orm.em.fork();
    expect(await em.count(BookingSeries, { bookingRequest: request.id })).toBe(0);
    expect(await em.count(Booking, { bookingRequest: request.id })).toBe(0);
    expect(await available(lotId)).toBe(3);
    expect((await stack.bookings.state(request.id)).status).toBe('PENDING');
    expect((await checkBookingInvariants(em, w.trainer.id)).violations).toEqual([]);
  });

  it('AVAILABLE_ONLY: the sessions the credits cover are booked, the last date skipped with the credit sentence; cancelling them all gives every credit back', async () => {
    const w = await world({ creditToApprove: true }, { sessions: 3 });
    const lotId = await w.buy();
    const request = await seriesRequest(w, 'AVAILABLE_ONLY');
    const series = approved(await approve(w, request)).series!;
    expect(series.status).toBe('PARTIAL');
    expect(series.booked.map((b) => b.credit?.lotId)).toEqual([lotId, lotId, lotId]);
    expect(series.skipped).toEqual([{ start: tuesdays(4)[3]!.toISOString(), code: ERROR_CODES.creditNone, reason: creditWording.noCredit({ trainerName: w.trainerName, durationMinutes: 60, offers: [w.pack] }) }]);
    expect(await available(lotId)).toBe(0);

    const outcome = await stack.bookings.cancelSeries(request.id, { actor: { role: 'CLIENT', userId: w.client.id }, fromBookingId: series.booked[0]!.bookingId });
    expect(outcome).toMatchObject({ result: 'done', series: { status: 'CANCELLED' } });
    for (const booking of series.booked) expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1', 'RELEASE 1']);
    expect(await available(lotId)).toBe(3);
    const done = outcome as Extract<typeof outcome, { result: 'done' }>;
    expect(done.cancelled.map(ledgerKinds)).toEqual(series.booked.map(() => ['RESERVE -1', 'RELEASE 1']));
  });
});

describe('a booking keeps its credit when it moves', () => {
  it('within the pack: same credit; past the pack’s end: a credit_expires conflict and the booking stays as it was', async () => {
    const w = await world({}, { validityDays: 30 });
    const lotId = await w.buy();
    const [lot] = await stack.orm.em.fork().execute<{ expires_at: Date }[]>('select expires_at from credit_lot where id = ?', [lotId]);
    const end = new Date(lot!.expires_at).getTime();
    const hour = (ms: number): Date => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
    const request = await directRequest(w, hour(end - 3 * DAY_MS));
    const [inside] = await createSlots(stack.orm.em.fork(), w.trainer, hour(end - DAY_MS), 1);
    const [outside] = await createSlots(stack.orm.em.fork(), w.trainer, hour(end + DAY_MS), 1);
    const booking = approved(await approve(w, request)).booking;
    const trainer = { role: 'TRAINER' as const, trainerId: w.trainer.id };

    const refused = await stack.bookings.reschedule(request.id, { actor: trainer, newStartTime: outside!.startTime.toISOString() });
    expect(refused).toMatchObject({ result: 'conflict', code: ERROR_CODES.creditExpires, booking: { startTime: booking.startTime } });
    expect((refused as { message: string }).message).toContain(w.pack.name);
    expect((await stack.orm.em.fork().findOneOrFail(Booking, booking.bookingId)).startTime).toEqual(new Date(booking.startTime));

    const moved = await stack.bookings.reschedule(request.id, { actor: trainer, newStartTime: inside!.startTime.toISOString() });
    expect(moved).toMatchObject({ result: 'done', booking: { startTime: inside!.startTime.toISOString(), credit: { lotId } } });
    expect(await entriesOf(booking.bookingId)).toEqual(['RESERVE -1']);
  });
});

describe('a pack payment through the booking client', () => {
  it('records once per key and starts the pack’s workflow once (credit-lot-<id>, ready notice to the client)', async () => {
    const w = await world();
    const input = { trainerId: w.trainer.id, clientId: w.client.id, recordedBy: w.trainer.user.id, amountMinor: w.pack.priceMinor, currency: 'EUR', method: 'CASH' as const, packageTypeId: w.pack.id, idempotencyKey: `form-${randomBytes(4).toString('hex')}` };
    const first = await stack.bookings.recordPayment(input);
    const again = await stack.bookings.recordPayment(input);
    const lotId = first.lot!.lotId;
    expect(first).toMatchObject({ alreadyRecorded: false, workflowId: creditLotWorkflowIdFor(lotId) });
    expect(again).toMatchObject({ alreadyRecorded: true, paymentId: first.paymentId, workflowId: creditLotWorkflowIdFor(lotId) });
    const [ready] = await stack.notifier.waitForCredits(w.client.id, 'credits.purchased');
    expect(ready).toMatchObject({ audience: ['client'], lotId, packName: w.pack.name, available: 10, totalLeft: 10 });
    expect(ready!.text).toContain(`Your pack "${w.pack.name}" with ${w.trainerName} is ready: 10 × 60 min until`);
    const handle = stack.running.client.workflow.getHandle(creditLotWorkflowIdFor(lotId));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(await creditLotState(stack.running.client, lotId)).toMatchObject({ lotId, phase: 'waiting', expired: null });
    await handle.terminate('test done');
  });
});
