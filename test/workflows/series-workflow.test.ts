import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, BookingSeries, Session, TimeSlot, type Trainer, type User } from '../../src/db/entities';
import { REFUSALS } from '../../src/domain/wording';
import { seriesWording } from '../../src/domain/series/wording';
import type { SeriesRecurrence } from '../../src/domain/series/series';
import { savePolicy } from '../../src/policy';
import { admitBookingRequest } from '../../src/requests/admit-request';
import { prepareBookingRequest, type NewBookingRequest } from '../../src/requests/new-request';
import { createReservationService } from '../../src/reservation/reservation-service';
import type { BookingTarget } from '../../src/temporal/booking-client';
import type { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';
import {
  BOOKING_WORKFLOW_TYPE,
  occurrenceWorkflowIdFor,
  SEARCH_ATTRIBUTES,
  workflowIdFor,
  type BookingRequestInput,
  type BookingSummary,
  type DecisionOutcome,
  type SlotOption,
} from '../../workflows/contract';
import { startBookingStack, type BookingStack } from '../support/booking-stack';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { saveHistoryIfRecording } from '../support/histories';
import { checkBookingInvariants } from '../support/invariants';
import { at, atDate, daysBetween, nextWeekday, plusDays, today, weekdayOf } from '../support/time';
import { DAY_MS } from '../../src/domain/time';

// Weekly series (issue 12) end to end: the real workflow, activities and reservation on the
// run's Temporal dev server and PostgreSQL. A series request is started as the booking
// client starts one (validated, admitted, then its workflow), with its recurrence.

let stack: BookingStack;
beforeAll(async () => {
  stack = await startBookingStack();
});
afterAll(async () => stack?.stop());

/** A Tuesday 3 to 9 days ahead: the first session of most series below. */
const TUESDAY = nextWeekday('tuesday', { after: 3 });
const weekly = (count: number, conflictMode: SeriesRecurrence['conflictMode'] = 'ALL_OR_NOTHING', weekdays: SeriesRecurrence['weekdays'] = []): SeriesRecurrence => ({ interval: 1, weekdays, count, conflictMode });
const tuesdays = (from: string, count: number, hour = 18, zone = 'UTC'): Date[] => Array.from({ length: count }, (_, week) => atDate(plusDays(from, 7 * week), hour, 0, zone));

async function trainerWithSlotsAt(starts: Date[], options: { zone?: string } = {}): Promise<Trainer> {
  const em = stack.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 60, ...(options.zone ? { timeZone: options.zone } : {}) });
  // Several requests per client in some tests; a series counts toward the upcoming limit by its sessions.
  await savePolicy(em, trainer.id, { maxPendingPerClient: 10, maxPendingPerPair: 10, maxUpcomingBookings: 60 });
  for (const start of starts) await createSlots(em, trainer, start, 1);
  return trainer;
}

/** Starts a series request the way the booking client starts any request: validated, admitted under the client's limits, then its workflow. */
async function startSeries(input: Omit<NewBookingRequest, 'recurrence'>, recurrence: SeriesRecurrence): Promise<number> {
  const { orm, running } = stack;
  const prepared = await prepareBookingRequest(orm.em.fork(), { ...input, recurrence });
  const request: BookingRequestInput = { ...prepared, recurrence: prepared.recurrence ?? recurrence };
  const workflowId = workflowIdFor(request.bookingRequestId);
  await admitBookingRequest(orm.em, request, { workflowId, expiresAt: new Date(Date.now() + DAY_MS) });
  await running.client.workflow.start<typeof bookingRequestWorkflow>(BOOKING_WORKFLOW_TYPE, {
    taskQueue: running.taskQueue,
    workflowId,
    args: [{ request }],
    typedSearchAttributes: [
      { key: SEARCH_ATTRIBUTES.bookingRequestId, value: String(request.bookingRequestId) },
      { key: SEARCH_ATTRIBUTES.trainerId, value: String(request.trainerId) },
      { key: SEARCH_ATTRIBUTES.clientId, value: String(request.clientId) },
      { key: SEARCH_ATTRIBUTES.bookingStatus, value: 'PENDING' },
    ],
  });
  return request.bookingRequestId;
}

const direct = (trainer: Trainer, client: User, start: Date, zone = 'UTC') => ({
  clientId: client.id,
  trainerId: trainer.id,
  sessionType: 'Strength Training',
  durationMinutes: 60,
  timeZone: zone,
  startTime: start.toISOString(),
});

async function offered(bookingRequestId: number): Promise<SlotOption[]> {
  const [offer] = await stack.notifier.waitFor(bookingRequestId, 'request.options');
  return offer!.options!;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A workflow's execution status; NOT_FOUND before it has started. */
const statusOf = async (workflowId: string): Promise<string> =>
  stack.running.client.workflow
    .getHandle(workflowId)
    .describe()
    .then(
      (description) => description.status.name,
      (error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return 'NOT_FOUND';
        throw error;
      },
    );
const childIds = (bookingRequestId: number, booked: BookingSummary[]): string[] => booked.map((b) => occurrenceWorkflowIdFor(bookingRequestId, b.bookingId));

/** Workflow ids the visibility store lists for a query, once it has caught up with `expected` of them. */
async function listed(query: string, expected: number): Promise<string[]> {
  return until(
    async () => {
      const ids: string[] = [];
      for await (const execution of stack.running.client.workflow.list({ query })) ids.push(execution.workflowId);
      return ids.sort();
    },
    (ids) => ids.length >= expected,
    `${expected} workflows for ${query}`,
  );
}

async function expectClean(trainerId: number): Promise<void> {
  expect((await checkBookingInvariants(stack.orm.em.fork(), trainerId)).violations).toEqual([]);
}

const approved = (outcome: DecisionOutcome | { result: 'refused' }): Extract<DecisionOutcome, { result: 'approved' }> => {
  expect(outcome.result).toBe('approved');
  return outcome as Extract<DecisionOutcome, { result: 'approved' }>;
};

describe('a direct weekly series', () => {
  it('all or nothing: one approval books 10 Tuesdays in one transaction; one child workflow per session, all found by SeriesId', async () => {
    const starts = tuesdays(TUESDAY, 10);
    const trainer = await trainerWithSlotsAt(starts);
    const client = await createClient(stack.orm.em.fork());
    const id = await startSeries(direct(trainer, client, starts[0]!), weekly(10));

    const [option] = await offered(id);
    expect(option!.series).toMatchObject({ weekdays: ['TU'], localTime: '18:00', timeZone: 'UTC', total: 10, free: 10, conflictMode: 'ALL_OR_NOTHING' });
    expect(option!.series!.occurrences.map((o) => o.start)).toEqual(starts.map((s) => s.toISOString()));
    expect(option!.series!.rrule).toContain('RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=10');
    expect(option).toMatchObject({ slotStart: starts[0]!.toISOString() });
    // Never approved by itself: the trainer decides a series.
    expect((await stack.bookings.state(id)).status).toBe('PENDING');

    const outcome = approved(await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: option!.slotId }));
    const series = outcome.series!;
    expect(series).toMatchObject({ status: 'CONFIRMED', conflictMode: 'ALL_OR_NOTHING', skipped: [] });
    expect(series.booked).toHaveLength(10);
    expect(series.booked.every((b) => b.status === 'CONFIRMED' && b.totalCost === 60)).toBe(true);
    expect(outcome.booking).toEqual(series.booked[0]);

    const em = stack.orm.em.fork();
    const rows = await em.find(Booking, { bookingRequest: id }, { orderBy: { startTime: 'asc' } });
    expect(rows.map((b) => [b.startTime.toISOString(), b.status, b.isRecurring])).toEqual(starts.map((s) => [s.toISOString(), 'CONFIRMED', true]));
    expect(await em.count(Session, { booking: { $in: rows.map((b) => b.id) } })).toBe(10);
    const stored = await em.find(BookingSeries, { bookingRequest: id });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: series.seriesId, status: 'CONFIRMED', occurrenceCount: 10, rrule: option!.series!.rrule });
    expect(rows.every((b) => b.recurringPattern === option!.series!.rrule)).toBe(true);
    expect((await em.findOneOrFail(BookingRequest, id)).status).toBe('APPROVED');
    const [told] = await stack.notifier.waitFor(id, 'request.approved');
    expect(told).toMatchObject({ audience: ['client', 'trainer'], series: { seriesId: series.seriesId }, text: seriesWording.approved(10, 0) });

    // Each session is owned by a child workflow of its own, running until its outcome is recorded.
    const children = childIds(id, series.booked);
    for (const child of children) expect(await until(() => statusOf(child), (s) => s === 'RUNNING', child)).toBe('RUNNING');
    expect((await stack.bookings.state({ bookingRequestId: id, bookingId: series.booked[3]!.bookingId, seriesId: series.seriesId })).booking).toMatchObject({
      bookingId: series.booked[3]!.bookingId,
      startTime: starts[3]!.toISOString(),
    });
    // The operator finds the request and its ten sessions by SeriesId (visibility catches up eventually).
    const found = await listed(`${SEARCH_ATTRIBUTES.seriesId.name} = '${series.seriesId}'`, 11);
    expect(found).toEqual([workflowIdFor(id), ...children].sort());
    expect(await listed(`${SEARCH_ATTRIBUTES.seriesId.name} = '${series.seriesId}' AND ${SEARCH_ATTRIBUTES.bookingStatus.name} = 'APPROVED' AND ${SEARCH_ATTRIBUTES.clientId.name} = '${client.id}'`, 11)).toHaveLength(11);
    // A single-booking change sent to the series' request points to the session instead.
    expect(await stack.bookings.cancel(id, { actor: { role: 'CLIENT', userId: client.id } })).toEqual({ result: 'refused', message: seriesWording.useOccurrence() });
    await expectClean(trainer.id);
    await saveHistoryIfRecording(stack.running.client, workflowIdFor(id), 'series-approved');
  });

  it('all or nothing with one session taken: the option shows 9 of 10 free and why; approving it is a SeriesConflict, nothing written, the trainer re-offered', async () => {
    const starts = tuesdays(TUESDAY, 10);
    const trainer = await trainerWithSlotsAt(starts);
    const client = await createClient(stack.orm.em.fork());
    // Another client has the fifth Tuesday already.
    const rival = await createRequest(stack.orm.em.fork(), trainer, await createClient(stack.orm.em.fork()));
    await createReservationService(stack.orm).confirm({ bookingRequestId: rival.id, startTime: starts[4]! });
    const id = await startSeries(direct(trainer, client, starts[0]!), weekly(10));

    const [option] = await offered(id);
    expect(option!.series).toMatchObject({ total: 10, free: 9 });
    expect(option!.series!.occurrences[4]).toEqual({ start: starts[4]!.toISOString(), localDate: plusDays(TUESDAY, 28), state: 'taken', reason: expect.stringContaining('not free') as string });

    const outcome = await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: option!.slotId });
    expect(outcome).toMatchObject({ result: 'conflict', code: 'SeriesConflict' });
    const conflict = outcome as Extract<DecisionOutcome, { result: 'conflict' }>;
    expect(conflict.message).toContain(starts[4]!.toISOString());
    expect(conflict.options[0]!.series).toMatchObject({ free: 9 });

    const em = stack.orm.em.fork();
    expect(await em.count(Booking, { bookingRequest: id })).toBe(0);
    expect(await em.count(BookingSeries, { bookingRequest: id })).toBe(0);
    expect(await em.count(TimeSlot, { trainer: trainer.id, isBooked: true })).toBe(1);
    expect((await em.findOneOrFail(BookingRequest, id)).status).toBe('PENDING');
    expect((await stack.bookings.state(id)).status).toBe('PENDING');
    const taken = await stack.notifier.waitFor(id, 'request.slot-taken', 2);
    expect(taken.find((n) => n.audience[0] === 'trainer')).toMatchObject({ text: seriesWording.conflictTrainer(), options: conflict.options });
    expect(taken.find((n) => n.audience[0] === 'client')).toMatchObject({ text: seriesWording.conflictClient() });
    await expectClean(trainer.id);
    await saveHistoryIfRecording(stack.running.client, workflowIdFor(id), 'series-conflict');
  });

  it('re-checks its weekly time when the trainer’s availability changes, and shows the trainer the new free count', async () => {
    const starts = tuesdays(TUESDAY, 10);
    const trainer = await trainerWithSlotsAt(starts);
    const client = await createClient(stack.orm.em.fork());
    await stack.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id, startTime: starts[2]! }, { isAvailable: false });
    const id = await startSeries(direct(trainer, client, starts[0]!), weekly(10));
    expect((await offered(id))[0]!.series).toMatchObject({ free: 9 });

    // The trainer publishes the missing Tuesday again; pending requests are found through visibility, which catches up eventually.
    await stack.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id, startTime: starts[2]! }, { isAvailable: true });
    const offers = await until(
      async () => {
        await stack.bookings.availabilityChanged({ trainerId: trainer.id, reason: 'published' });
        return stack.notifier.of(id, 'request.options');
      },
      (sent) => sent.length >= 2,
      'a second offer',
    );
    expect(offers[1]!.options![0]!.series).toMatchObject({ free: 10, total: 10 });
    expect((await stack.bookings.state(id)).options[0]!.series!.free).toBe(10);
  });

  it('available dates only: books the 9 free Tuesdays and lists the taken one with its reason (PARTIAL)', async () => {
    const starts = tuesdays(TUESDAY, 10);
    const trainer = await trainerWithSlotsAt(starts);
    const client = await createClient(stack.orm.em.fork());
    await stack.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id, startTime: starts[7]! }, { isAvailable: false });
    const id = await startSeries(direct(trainer, client, starts[0]!), weekly(10, 'AVAILABLE_ONLY'));

    const [option] = await offered(id);
    expect(option!.series).toMatchObject({ total: 10, free: 9, conflictMode: 'AVAILABLE_ONLY' });
    const series = approved(await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: option!.slotId })).series!;
    expect(series.status).toBe('PARTIAL');
    expect(series.booked.map((b) => b.startTime)).toEqual(starts.filter((_, i) => i !== 7).map((s) => s.toISOString()));
    expect(series.skipped).toEqual([{ start: starts[7]!.toISOString(), code: 'SlotConflict', reason: expect.stringContaining('not free') as string }]);
    expect((await stack.orm.em.fork().findOneOrFail(BookingSeries, series.seriesId)).status).toBe('PARTIAL');
    expect((await stack.notifier.waitFor(id, 'request.approved'))[0]!.text).toBe(seriesWording.approved(9, 1));
    await expectClean(trainer.id);
  });

  it('in Berlin across the last Sunday of March every session stays at 18:00 local; the stored instants move by an hour', async () => {
    // The next last Sunday of March at least 16 days ahead; the series starts on the Tuesday 12 days before it.
    const lastSundayOfMarch = (year: number): string => {
      let day = `${year}-03-31`;
      while (weekdayOf(day) !== 'sunday') day = plusDays(day, -1);
      return day;
    };
    const year = Number(today().slice(0, 4));
    let change = lastSundayOfMarch(year);
    if (daysBetween(today(), change) < 16) change = lastSundayOfMarch(year + 1);
    const first = plusDays(change, -12);
    const starts = tuesdays(first, 4, 18, 'Europe/Berlin');
    const trainer = await trainerWithSlotsAt(starts, { zone: 'Europe/Berlin' });
    await savePolicy(stack.orm.em.fork(), trainer.id, { horizonDays: 400 });
    const client = await createClient(stack.orm.em.fork());
    const id = await startSeries(direct(trainer, client, starts[0]!, 'Europe/Berlin'), weekly(4));

    const [option] = await offered(id);
    expect(option!.series).toMatchObject({ localTime: '18:00', timeZone: 'Europe/Berlin', free: 4, total: 4 });
    expect(option!.series!.rrule).toContain(`DTSTART;TZID=Europe/Berlin:${first.replaceAll('-', '')}T180000`);
    const series = approved(await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: option!.slotId })).series!;

    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    const rows = await stack.orm.em.fork().find(Booking, { series: series.seriesId }, { orderBy: { startTime: 'asc' } });
    expect(rows.map((b) => berlin.format(b.startTime))).toEqual(['Tue 18:00', 'Tue 18:00', 'Tue 18:00', 'Tue 18:00']);
    expect(rows.map((b) => b.startTime.getUTCHours())).toEqual([17, 17, 16, 16]);
    expect(rows.map((b) => b.startTime.toISOString())).toEqual([at(first, 18, 0, 'Europe/Berlin'), at(plusDays(first, 7), 18, 0, 'Europe/Berlin'), at(plusDays(first, 14), 18, 0, 'Europe/Berlin'), at(plusDays(first, 21), 18, 0, 'Europe/Berlin')]);
    await expectClean(trainer.id);
  });
});

describe('a flexible weekly series', () => {
  /** Mondays and Tuesdays 10:00 and 11:00 UTC for four weeks; the preferences ask for the first Monday and Tuesday, 10–11. */
  async function setup() {
    const monday = nextWeekday('monday', { after: 3 });
    const starts = [0, 1, 2, 3].flatMap((week) => [0, 1].flatMap((day) => [10, 11].map((hour) => atDate(plusDays(monday, 7 * week + day), hour))));
    const trainer = await trainerWithSlotsAt(starts);
    const client = await createClient(stack.orm.em.fork());
    // The third Monday at 10:00 is taken: the best weekly time has only 3 of 4 sessions free.
    await stack.orm.em.fork().nativeUpdate(TimeSlot, { trainer: trainer.id, startTime: atDate(plusDays(monday, 14), 10) }, { isAvailable: false });
    const request = {
      clientId: client.id,
      trainerId: trainer.id,
      sessionType: 'Strength Training',
      durationMinutes: 60,
      timeZone: 'UTC',
      preferences: { preferredStartDate: monday, preferredEndDate: plusDays(monday, 1), preferredTimes: ['10:00-11:00'], avoidTimes: [], allowWeekends: false, allowEvenings: false },
    };
    return { monday, trainer, client, request };
  }

  const describeOption = (o: SlotOption): string => `${o.series!.weekdays.join(',')} ${o.series!.localTime} ${o.series!.free}/${o.series!.total}`;

  it('offers weekly times best first with how many sessions are free; all or nothing puts the times that can be booked whole first', async () => {
    const { monday, trainer, request } = await setup();
    const id = await startSeries(request, weekly(4));
    const options = await offered(id);
    expect(options.map(describeOption)).toEqual(expect.arrayContaining(['MO 10:00 3/4', 'TU 10:00 4/4', 'MO 11:00 4/4', 'TU 11:00 4/4']));
    // Whole ones first, by score; the better-scored time with a taken session after them.
    expect(describeOption(options.at(-1)!)).toBe('MO 10:00 3/4');
    const whole = options.slice(0, -1);
    expect(whole.every((o) => o.series!.free === o.series!.total)).toBe(true);
    for (let i = 1; i < whole.length; i++) expect(whole[i - 1]!.totalScore).toBeGreaterThanOrEqual(whole[i]!.totalScore);
    expect(options.at(-1)!.totalScore).toBeGreaterThan(whole[0]!.totalScore);
    expect(options.at(-1)!.series!.occurrences[2]).toMatchObject({ localDate: plusDays(monday, 14), state: 'taken' });
    expect(new Set(options.map((o) => o.slotId)).size).toBe(options.length);

    // The trainer approves the best whole one: its four sessions are booked.
    const series = approved(await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: whole[0]!.slotId })).series!;
    expect(series.booked.map((b) => b.startTime)).toEqual(whole[0]!.series!.occurrences.map((o) => o.start));
    await expectClean(trainer.id);
  });

  it('available dates only: ordered by score, the free count beside each (and breaking ties)', async () => {
    const { trainer, request } = await setup();
    const id = await startSeries(request, weekly(4, 'AVAILABLE_ONLY'));
    const options = await offered(id);
    expect(describeOption(options[0]!)).toBe('MO 10:00 3/4');
    for (let i = 1; i < options.length; i++) {
      const [a, b] = [options[i - 1]!, options[i]!];
      expect(a.totalScore > b.totalScore || (a.totalScore === b.totalScore && a.series!.free >= b.series!.free)).toBe(true);
    }
    const series = approved(await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: options[0]!.slotId })).series!;
    expect(series).toMatchObject({ status: 'PARTIAL' });
    expect(series.booked).toHaveLength(3);
    expect(series.skipped).toHaveLength(1);
    await expectClean(trainer.id);
  });
});

describe('after approval', () => {
  async function confirmedSeries(count = 10) {
    const starts = tuesdays(TUESDAY, count);
    const trainer = await trainerWithSlotsAt(starts);
    // A free hour after the fourth session, for a reschedule.
    const spare = (await createSlots(stack.orm.em.fork(), trainer, atDate(plusDays(TUESDAY, 21), 19), 1))[0]!;
    const client = await createClient(stack.orm.em.fork());
    const id = await startSeries(direct(trainer, client, starts[0]!), weekly(count));
    const [option] = await offered(id);
    const series = approved(await stack.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: option!.slotId })).series!;
    for (const child of childIds(id, series.booked)) await until(() => statusOf(child), (s) => s === 'RUNNING', child);
    const target = (booking: BookingSummary): BookingTarget => ({ bookingRequestId: id, bookingId: booking.bookingId, seriesId: series.seriesId });
    return { id, trainer, client, series, starts, spare, target };
  }

  it('one session is changed through its own workflow: rescheduled, then cancelled; the others keep running', async () => {
    const { id, trainer, client, series, spare, target } = await confirmedSeries();
    const fourth = series.booked[3]!;

    const moved = await stack.bookings.reschedule(target(fourth), { actor: { role: 'TRAINER', trainerId: trainer.id }, newStartTime: spare.startTime.toISOString() });
    expect(moved).toMatchObject({ result: 'done', booking: { bookingId: fourth.bookingId, startTime: spare.startTime.toISOString(), slotIds: [spare.id] } });
    expect((await stack.orm.em.fork().findOneOrFail(Booking, fourth.bookingId)).startTime).toEqual(spare.startTime);
    await expectClean(trainer.id);

    const second = series.booked[1]!;
    const cancelled = await stack.bookings.cancel(target(second), { actor: { role: 'CLIENT', userId: client.id }, reason: 'Travelling' });
    expect(cancelled).toMatchObject({ result: 'done', booking: { bookingId: second.bookingId, status: 'CANCELLED' } });
    const child = occurrenceWorkflowIdFor(id, second.bookingId);
    expect(await until(() => statusOf(child), (s) => s === 'COMPLETED', child)).toBe('COMPLETED');
    expect((await stack.bookings.state(target(second))).status).toBe('CANCELLED');
    expect(await statusOf(occurrenceWorkflowIdFor(id, series.booked[2]!.bookingId))).toBe('RUNNING');
    const em = stack.orm.em.fork();
    expect((await em.findOneOrFail(Booking, second.bookingId)).status).toBe('CANCELLED');
    expect((await em.findOneOrFail(BookingSeries, series.seriesId)).status).toBe('CONFIRMED');
    expect((await stack.notifier.waitFor(id, 'booking.cancelled'))[0]).toMatchObject({ booking: { bookingId: second.bookingId } });
    await expectClean(trainer.id);
    await saveHistoryIfRecording(stack.running.client, child, 'occurrence-cancelled');
    await saveHistoryIfRecording(stack.running.client, occurrenceWorkflowIdFor(id, fourth.bookingId), 'occurrence-rescheduled');
  });

  it('cancels this and all following through the series: one transaction, their workflows end, both sides told once; cancelling the rest ends the series and its workflow', async () => {
    const { id, trainer, client, series } = await confirmedSeries();
    const from = series.booked[6]!;
    const stranger = await createClient(stack.orm.em.fork());
    expect(await stack.bookings.cancelSeries(id, { actor: { role: 'CLIENT', userId: stranger.id }, fromBookingId: from.bookingId })).toEqual({ result: 'refused', message: REFUSALS.notParty });

    const outcome = await stack.bookings.cancelSeries(id, { actor: { role: 'TRAINER', trainerId: trainer.id }, fromBookingId: from.bookingId, reason: 'Moving gyms' });
    expect(outcome).toMatchObject({ result: 'done', duplicate: false, series: { seriesId: series.seriesId, status: 'CONFIRMED' } });
    const done = outcome as Extract<typeof outcome, { result: 'done' }>;
    expect(done.cancelled.map((b) => [b.bookingId, b.status])).toEqual(series.booked.slice(6).map((b) => [b.bookingId, 'CANCELLED']));

    const em = stack.orm.em.fork();
    const rows = await em.find(Booking, { series: series.seriesId }, { orderBy: { startTime: 'asc' } });
    expect(rows.map((b) => b.status)).toEqual([...Array<string>(6).fill('CONFIRMED'), ...Array<string>(4).fill('CANCELLED')]);
    expect(rows.slice(6).every((b) => b.cancellationReason === 'Moving gyms')).toBe(true);
    expect(await em.count(TimeSlot, { trainer: trainer.id, isBooked: true })).toBe(6);
    for (const booking of series.booked.slice(6)) {
      const child = occurrenceWorkflowIdFor(id, booking.bookingId);
      expect(await until(() => statusOf(child), (s) => s === 'COMPLETED', child)).toBe('COMPLETED');
      expect((await stack.bookings.state({ bookingRequestId: id, bookingId: booking.bookingId, seriesId: series.seriesId })).status).toBe('CANCELLED');
    }
    for (const booking of series.booked.slice(0, 6)) expect(await statusOf(occurrenceWorkflowIdFor(id, booking.bookingId))).toBe('RUNNING');
    const told = await stack.notifier.waitFor(id, 'series.cancelled');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ audience: ['client', 'trainer'], text: seriesWording.cancelled(4, 0, 'trainer'), reason: 'Moving gyms' });
    expect(told[0]!.cancelled).toHaveLength(4);
    // The sessions' own workflows told nobody: the series did, once.
    expect(stack.notifier.of(id, 'booking.cancelled')).toHaveLength(0);
    // A cancelled session is no longer a place to cancel from.
    expect(await stack.bookings.cancelSeries(id, { actor: { role: 'CLIENT', userId: client.id }, fromBookingId: from.bookingId })).toEqual({ result: 'refused', message: seriesWording.notActiveOccurrence() });
    await expectClean(trainer.id);

    // The client cancels the rest: the series is CANCELLED and its request's workflow ends with its sessions'.
    const rest = await stack.bookings.cancelSeries(id, { actor: { role: 'CLIENT', userId: client.id }, fromBookingId: series.booked[0]!.bookingId });
    expect(rest).toMatchObject({ result: 'done', series: { status: 'CANCELLED' } });
    expect((await em.fork().findOneOrFail(BookingSeries, series.seriesId)).status).toBe('CANCELLED');
    const final = await stack.bookings.result(id);
    expect(final.series!.booked.every((b) => b.status === 'CANCELLED')).toBe(true);
    expect(await stack.notifier.waitFor(id, 'series.cancelled', 2)).toHaveLength(2);
    await expectClean(trainer.id);
    await saveHistoryIfRecording(stack.running.client, workflowIdFor(id), 'series-cancelled');
    await saveHistoryIfRecording(stack.running.client, occurrenceWorkflowIdFor(id, from.bookingId), 'occurrence-cancelled-with-series');
  });
});

describe('race: two series sharing one session, approved at the same moment', () => {
  it.each([1, 2, 3])('round %i: one is booked whole, the other is a SeriesConflict with nothing partial', async () => {
    // A: four Tuesdays from TUESDAY; B: four Tuesdays from the fourth of A's (another client). They share that one.
    const starts = tuesdays(TUESDAY, 7);
    const trainer = await trainerWithSlotsAt(starts);
    const [clientA, clientB] = [await createClient(stack.orm.em.fork()), await createClient(stack.orm.em.fork())];
    const a = await startSeries(direct(trainer, clientA, starts[0]!), weekly(4));
    const b = await startSeries(direct(trainer, clientB, starts[3]!), weekly(4));
    const [optionA] = await offered(a);
    const [optionB] = await offered(b);
    expect([optionA!.series!.free, optionB!.series!.free]).toEqual([4, 4]);

    const outcomes = await Promise.all([
      stack.bookings.decide(a, { kind: 'approve', trainerId: trainer.id, slotId: optionA!.slotId }),
      stack.bookings.decide(b, { kind: 'approve', trainerId: trainer.id, slotId: optionB!.slotId }),
    ]);
    expect(outcomes.map((o) => o.result).sort()).toEqual(['approved', 'conflict']);
    const [winner, loser] = outcomes[0].result === 'approved' ? [a, b] : [b, a];
    const won = outcomes.find((o) => o.result === 'approved') as Extract<DecisionOutcome, { result: 'approved' }>;
    const lost = outcomes.find((o) => o.result === 'conflict') as Extract<DecisionOutcome, { result: 'conflict' }>;
    expect(won.series).toMatchObject({ status: 'CONFIRMED' });
    expect(won.series!.booked).toHaveLength(4);
    expect(lost).toMatchObject({ code: 'SeriesConflict' });
    expect(lost.message).toContain(starts[3]!.toISOString());

    const em = stack.orm.em.fork();
    expect(await em.count(Booking, { bookingRequest: winner, status: 'CONFIRMED' })).toBe(4);
    expect(await em.count(Booking, { bookingRequest: loser })).toBe(0);
    expect(await em.count(BookingSeries, { bookingRequest: loser })).toBe(0);
    expect((await em.findOneOrFail(BookingRequest, loser)).status).toBe('PENDING');
    expect((await stack.bookings.state(loser)).status).toBe('PENDING');
    expect(await em.count(TimeSlot, { trainer: trainer.id, isBooked: true })).toBe(4);
    const report = await checkBookingInvariants(em, trainer.id);
    expect(report.violations).toEqual([]);
    expect(report.activeBookings).toBe(4);
  });
});
