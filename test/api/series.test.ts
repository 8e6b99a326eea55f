import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/api/auth/api-tokens';
import { Booking, BookingRequest, BookingSeries, TimeSlot } from '../../src/db/entities';
import { savePolicy } from '../../src/policy';
import { checkBookingInvariants } from '../support/invariants';
import { createSlots, createTrainer } from '../support/fixtures';
import { at, atDate, plusDays } from '../support/time';
import { createPerson, SLOT_DAY, startApiHarness, type ApiHarness, type Person, type TrainerPerson } from './support/api-harness';
import type { Answer, Approval, BookingChange, BookingView, RequestDetail, RequestView, SeriesView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** The Monday `week` weeks after SLOT_DAY (a Monday 3 to 9 days ahead). */
const monday = (week: number): string => plusDays(SLOT_DAY, 7 * week);

/** A trainer with `perDay` hourly slots from 10:00 UTC on `weeks` Mondays from SLOT_DAY, and a client. */
async function setup(weeks = 4, perDay = 1): Promise<{ trainer: TrainerPerson; client: Person }> {
  const em = h.db.orm.em.fork();
  const row = await createTrainer(em, { pricePerHour: 90 });
  const trainer = { userId: row.user.id, trainerId: row.id, token: (await issueToken(em, row.user.id, 'test')).token };
  for (let week = 0; week < weeks; week++) await createSlots(em, row, atDate(monday(week), 10), perDay);
  // A series counts toward the client's upcoming limit by its sessions; these tests are not about the limits.
  await savePolicy(em, trainer.trainerId, { maxPendingPerClient: 10, maxPendingPerPair: 10, maxUpcomingBookings: 100 });
  const client = await createPerson(em, 'CLIENT');
  return { trainer, client };
}

/** A direct series: every Monday 10:00 UTC from SLOT_DAY. */
function directSeries(trainerId: number, recurrence: Record<string, unknown> = {}, week = 0): Record<string, unknown> {
  return {
    trainer_id: trainerId,
    session_type: 'Strength Training',
    duration_minutes: 60,
    start_time: at(monday(week), 10),
    time_zone: 'UTC',
    recurrence: { frequency: 'WEEKLY', weekdays: ['MO'], count: 3, ...recurrence },
  };
}

/** A flexible series: begins in the week of `monday(week)`, preferably 10:00-11:00. */
function flexibleSeries(trainerId: number, recurrence: Record<string, unknown> = {}, week = 0): Record<string, unknown> {
  return {
    trainer_id: trainerId,
    session_type: 'Strength Training',
    duration_minutes: 60,
    preferred_start_date: monday(week),
    preferred_end_date: plusDays(monday(week), 2),
    preferred_times: ['10:00-11:00'],
    time_zone: 'UTC',
    recurrence: { frequency: 'WEEKLY', count: 3, ...recurrence },
  };
}

async function create(token: string, body: Record<string, unknown>) {
  return h.call<Answer<RequestView>>('POST', '/booking-requests/', { token, body });
}

async function detail(token: string, id: number) {
  const res = await h.call<Answer<RequestDetail>>('GET', `/booking-requests/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

/** The offered weekly time whose first session starts at `start`. */
async function optionAt(token: string, id: number, start: string) {
  const options = (await detail(token, id)).workflow?.options ?? [];
  const option = options.find((o) => o.slot_start === start);
  expect(option, `an option at ${start} among ${options.map((o) => o.slot_start).join(', ')}`).toBeDefined();
  return option!;
}

async function approve(trainer: TrainerPerson, id: number, slotId: number) {
  return h.call<Answer<Approval & { series?: SeriesView }> & { skipped?: { start_time: string; code: string; reason: string }[] }>('PUT', `/booking-requests/${id}/approve`, {
    token: trainer.token,
    body: { status: 'APPROVED', slot_id: slotId },
  });
}

const requestRows = () => h.db.orm.em.fork().count(BookingRequest);

describe('POST /booking-requests/ with a recurrence: 422 naming the field, nothing stored', () => {
  it.each([
    ['zero sessions', directSeries(0, { count: 0 }), 'recurrence.count'],
    ['more than 52 sessions', directSeries(0, { count: 53 }), 'recurrence.count'],
    ['both count and until', directSeries(0, { count: 3, until: monday(3) }), 'recurrence.until'],
    ['neither count nor until', directSeries(0, { count: undefined }), 'recurrence.count'],
    ['an until that is not a date', directSeries(0, { count: undefined, until: '2027-02-30' }), 'recurrence.until'],
    ['an until before a flexible series may begin', flexibleSeries(0, { count: undefined, until: plusDays(SLOT_DAY, -1) }), 'recurrence.until'],
    ['a weekday that is none', directSeries(0, { weekdays: ['MO', 'XX'] }), 'recurrence.weekdays.1'],
    ['a weekday named twice', directSeries(0, { weekdays: ['MO', 'MO'] }), 'recurrence.weekdays'],
    ['no weekday', directSeries(0, { weekdays: [] }), 'recurrence.weekdays'],
    ['an interval of 5 weeks', directSeries(0, { interval: 5 }), 'recurrence.interval'],
    ['an interval of 0', directSeries(0, { interval: 0 }), 'recurrence.interval'],
    ['a daily frequency', directSeries(0, { frequency: 'DAILY' }), 'recurrence.frequency'],
    ['an unknown conflict mode', directSeries(0, { conflict_mode: 'sometimes' }), 'recurrence.conflict_mode'],
    ['a field the API does not know (camelCase)', directSeries(0, { conflictMode: 'AVAILABLE_ONLY' }), 'recurrence'],
  ])('%s', async (_name, body, field) => {
    const { trainer, client } = await setup(1);
    const before = await requestRows();
    const res = await create(client.token, { ...body, trainer_id: trainer.trainerId });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: 'validation_error', field });
    expect(res.body.message).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: `));
    expect(await requestRows()).toBe(before);
  });

  it.each([
    ['an until before the first session', () => directSeries(0, { count: undefined, until: plusDays(SLOT_DAY, -1) }, 0), 'recurrence.until'],
    ['an until that gives more than 52 sessions', () => directSeries(0, { count: undefined, weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], until: plusDays(SLOT_DAY, 7 * 11) }), 'recurrence.until'],
    ['a first session not on the chosen weekdays', () => directSeries(0, { weekdays: ['TU'] }), 'recurrence.weekdays'],
    ['a weekday the trainer publishes no times on', () => directSeries(0, { weekdays: ['MO', 'TU'] }), 'recurrence.weekdays'],
    ['a last session beyond the trainer\'s horizon', () => directSeries(0, { count: 20 }), 'recurrence.count'],
    ['a length the published times cannot cover', () => ({ ...directSeries(0), duration_minutes: 120 }), 'duration_minutes'],
  ])('%s (checked when the request is prepared)', async (_name, body, field) => {
    const { trainer, client } = await setup(1);
    const before = await requestRows();
    const res = await create(client.token, { ...body(), trainer_id: trainer.trainerId });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, field });
    expect(await requestRows()).toBe(before);
  });
});

describe('a direct weekly series over HTTP', () => {
  it('create -> the trainer sees one weekly time with 3 of 3 free -> approve by slot_id -> 3 bookings of one series', async () => {
    const { trainer, client } = await setup(3);
    const created = await create(client.token, directSeries(trainer.trainerId));
    expect(created.status).toBe(201);
    const rrule = `DTSTART;TZID=UTC:${monday(0).replaceAll('-', '')}T100000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO;COUNT=3`;
    expect(created.body.recurrence).toEqual({ frequency: 'WEEKLY', interval: 1, weekdays: ['MO'], count: 3, until: null, conflict_mode: 'all_or_nothing', rrule });

    const seen = await detail(trainer.token, created.body.id);
    expect(seen.workflow?.options).toHaveLength(1);
    const option = seen.workflow!.options[0]!;
    expect(option.series).toMatchObject({ rrule, weekdays: ['MO'], local_time: '10:00', time_zone: 'UTC', interval: 1, conflict_mode: 'all_or_nothing', free: 3, total: 3 });
    expect(option.series!.sessions.map((s) => [s.start_time, s.local_date, s.state])).toEqual([0, 1, 2].map((w) => [at(monday(w), 10), monday(w), 'free']));

    const approved = await approve(trainer, created.body.id, option.slot_id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'confirmed', confirmed_time: at(monday(0), 10), slots_booked: 3 });
    const series = approved.body.series!;
    expect(series).toMatchObject({ status: 'CONFIRMED', conflict_mode: 'all_or_nothing', rrule, time_zone: 'UTC', occurrence_count: 3, skipped: [] });
    expect(series.occurrences.map((o) => [o.start_time, o.status])).toEqual([0, 1, 2].map((w) => [at(monday(w), 10), 'CONFIRMED']));
    // A repeated approval is answered from what was done.
    const again = await approve(trainer, created.body.id, option.slot_id);
    expect(again).toMatchObject({ status: 200, body: { booking_id: approved.body.booking_id, series: { id: series.id, occurrences: series.occurrences } } });

    // Each session is an ordinary booking that names its series.
    const mine = await h.call<BookingView[]>('GET', '/bookings/', { token: client.token });
    expect(mine.body.map((b) => [b.start_time, b.series_id, b.is_recurring, b.recurring_pattern, b.booking_request_id])).toEqual(
      [0, 1, 2].map((w) => [at(monday(w), 10), series.id, true, rrule, created.body.id]),
    );
    // The request shows its series; GET /booking-series/{id} lists it for its parties only.
    const after = await detail(client.token, created.body.id);
    expect(after).toMatchObject({ status: 'APPROVED', recurrence: { rrule }, series: { id: series.id, status: 'CONFIRMED' } });
    const listed = await h.call<RequestView[]>('GET', '/booking-requests/', { token: client.token });
    expect(listed.body.find((r) => r.id === created.body.id)?.recurrence?.rrule).toBe(rrule);
    expect(await h.call<SeriesView>('GET', `/booking-series/${series.id}`, { token: trainer.token })).toMatchObject({ status: 200, body: { id: series.id, occurrences: series.occurrences } });
    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    expect((await h.call('GET', `/booking-series/${series.id}`, { token: stranger.token })).status).toBe(403);
    expect((await h.call('GET', '/booking-series/999999', { token: h.adminToken })).status).toBe(404);

    const report = await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId);
    expect(report.violations).toEqual([]);
    expect(report.activeBookings).toBe(3);
  });

  it('available_only with one date taken: the option shows 2 of 3 free and why, approval books 2 and lists the skipped date', async () => {
    const { trainer, client } = await setup(3);
    // Someone else has the second Monday.
    const other = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const single = await create(other.token, { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(monday(1), 10) });
    expect(single.status).toBe(201);
    const singleOption = (await detail(trainer.token, single.body.id)).workflow!.options[0]!;
    expect((await approve(trainer, single.body.id, singleOption.slot_id)).status).toBe(200);

    const created = await create(client.token, directSeries(trainer.trainerId, { conflict_mode: 'available_only' }));
    expect(created.status).toBe(201);
    expect(created.body.recurrence?.conflict_mode).toBe('available_only');
    const option = await optionAt(trainer.token, created.body.id, at(monday(0), 10));
    expect(option.series).toMatchObject({ free: 2, total: 3, conflict_mode: 'available_only' });
    expect(option.series!.sessions.map((s) => s.state)).toEqual(['free', 'taken', 'free']);
    expect(option.series!.sessions[1]!.reason?.length).toBeGreaterThan(10);

    const approved = await approve(trainer, created.body.id, option.slot_id);
    expect(approved.status).toBe(200);
    const series = approved.body.series!;
    expect(series.status).toBe('PARTIAL');
    expect(series.occurrences.map((o) => o.start_time)).toEqual([at(monday(0), 10), at(monday(2), 10)]);
    expect(series.skipped?.map((s) => s.start_time)).toEqual([at(monday(1), 10)]);
    expect(series.skipped?.[0]).toMatchObject({ code: 'slots_unavailable' });
    expect(series.skipped?.[0]?.reason.length).toBeGreaterThan(10);
    expect((await h.call<SeriesView>('GET', `/booking-series/${series.id}`, { token: client.token })).body.skipped).toEqual(series.skipped);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });

  it('all_or_nothing with a date taken after the options were made: 409 series_conflict listing the date, nothing booked', async () => {
    const { trainer, client } = await setup(3);
    const created = await create(client.token, flexibleSeries(trainer.trainerId));
    expect(created.status).toBe(201);
    const option = await optionAt(trainer.token, created.body.id, at(monday(0), 10));
    expect(option.series).toMatchObject({ free: 3, total: 3 });
    // The third Monday is booked by someone else before the trainer approves.
    const other = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const single = await create(other.token, { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(monday(2), 10) });
    expect(single.status).toBe(201);
    expect((await approve(trainer, single.body.id, (await detail(trainer.token, single.body.id)).workflow!.options[0]!.slot_id)).status).toBe(200);

    const refused = await approve(trainer, created.body.id, option.slot_id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'series_conflict' });
    expect(refused.body.skipped?.map((s) => s.start_time)).toEqual([at(monday(2), 10)]);
    expect(await h.db.orm.em.fork().count(BookingSeries, { bookingRequest: created.body.id })).toBe(0);
    expect(await h.db.orm.em.fork().count(Booking, { bookingRequest: created.body.id })).toBe(0);
    expect((await detail(client.token, created.body.id)).status).toBe('PENDING');
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });
});

describe('a series conflict the slots alone do not show', () => {
  it("all_or_nothing where the client's own calendar is taken: 409 series_conflict naming that date and the rule, nothing booked", async () => {
    const { trainer, client } = await setup(3);
    const created = await create(client.token, directSeries(trainer.trainerId));
    expect(created.status).toBe(201);
    const option = (await detail(trainer.token, created.body.id)).workflow!.options[0]!;
    expect(option.series).toMatchObject({ free: 3, total: 3 });
    // The client books the second Monday's 10:00 with another trainer before the series is approved.
    const em = h.db.orm.em.fork();
    const otherRow = await createTrainer(em, { pricePerHour: 70 });
    await createSlots(em, otherRow, atDate(monday(1), 10), 1);
    const other = { userId: otherRow.user.id, trainerId: otherRow.id, token: (await issueToken(em, otherRow.user.id, 'test')).token };
    const single = await create(client.token, { trainer_id: other.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(monday(1), 10) });
    expect(single.status).toBe(201);
    expect((await approve(other, single.body.id, (await detail(other.token, single.body.id)).workflow!.options[0]!.slot_id)).status).toBe(200);

    const refused = await approve(trainer, created.body.id, option.slot_id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'series_conflict' });
    // The reservation's own verdict travels with the conflict: a re-check of the trainer's slots would find that date free.
    expect(refused.body.skipped?.map((s) => [s.start_time, s.code])).toEqual([[at(monday(1), 10), 'policy_client_overlap']]);
    expect(refused.body.skipped?.[0]?.reason).toContain('You already have a session at that time');
    expect(await h.db.orm.em.fork().count(Booking, { bookingRequest: created.body.id })).toBe(0);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });
});

describe('cancel (with a scope) and reschedule a session of a series', () => {
  async function confirmedSeries(count: number) {
    const { trainer, client } = await setup(count);
    const created = await create(client.token, directSeries(trainer.trainerId, { count }));
    expect(created.status).toBe(201);
    const option = (await detail(trainer.token, created.body.id)).workflow!.options[0]!;
    const approved = await approve(trainer, created.body.id, option.slot_id);
    expect(approved.status).toBe(200);
    return { trainer, client, requestId: created.body.id, series: approved.body.series! };
  }

  it('"this" cancels one session; "this_and_following" cancels it and every later one, freeing their slots', async () => {
    const { trainer, client, series } = await confirmedSeries(4);
    const [first, second, third, fourth] = series.occurrences.map((o) => o.booking_id) as [number, number, number, number];

    const one = await h.call<Answer<BookingChange>>('POST', `/bookings/${first}/cancel`, { token: trainer.token, body: { reason: 'Away', scope: 'this' } });
    expect(one.status).toBe(200);
    expect(one.body.booking).toMatchObject({ id: first, status: 'CANCELLED', series_id: series.id });
    expect(one.body.cancelled).toBeUndefined();

    const rest = await h.call<Answer<BookingChange>>('POST', `/bookings/${third}/cancel`, { token: trainer.token, body: { reason: 'Moving away', scope: 'this_and_following' } });
    expect(rest.status).toBe(200);
    expect(rest.body.cancelled?.map((b) => [b.id, b.status])).toEqual([
      [third, 'CANCELLED'],
      [fourth, 'CANCELLED'],
    ]);
    const em = h.db.orm.em.fork();
    expect((await em.findOneOrFail(Booking, second)).status).toBe('CONFIRMED');
    expect(await em.count(TimeSlot, { booking: { $in: [first, third, fourth] } })).toBe(0);
    const after = await h.call<SeriesView>('GET', `/booking-series/${series.id}`, { token: client.token });
    expect(after.body.occurrences.map((o) => o.status)).toEqual(['CANCELLED', 'CONFIRMED', 'CANCELLED', 'CANCELLED']);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });

  it('reschedules one session through its own workflow; the others stay', async () => {
    const { trainer, client } = await setup(3, 2);
    const created = await create(client.token, directSeries(trainer.trainerId));
    expect(created.status).toBe(201);
    const approved = await approve(trainer, created.body.id, (await detail(trainer.token, created.body.id)).workflow!.options[0]!.slot_id);
    expect(approved.status).toBe(200);
    const series = approved.body.series!;
    const second = series.occurrences[1]!.booking_id;
    const moved = await h.call<Answer<BookingChange>>('POST', `/bookings/${second}/reschedule`, { token: client.token, body: { new_start_time: at(monday(1), 11) } });
    expect(moved.status).toBe(200);
    expect(moved.body.booking).toMatchObject({ id: second, start_time: at(monday(1), 11), status: 'CONFIRMED', series_id: series.id, is_recurring: true });
    const after = await h.call<SeriesView>('GET', `/booking-series/${series.id}`, { token: client.token });
    expect(after.body.occurrences.map((o) => o.start_time)).toEqual([at(monday(0), 10), at(monday(1), 11), at(monday(2), 10)]);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });

  it('changes a session the moment its series is approved (its own workflow may still be starting)', async () => {
    // Series after series (the worker busier with each one's occurrences), every session cancelled as soon as the approval answers.
    for (let round = 0; round < 4; round++) {
      const { trainer, client } = await setup(8);
      const created = await create(client.token, directSeries(trainer.trainerId, { count: 8 }));
      expect(created.status).toBe(201);
      const approved = await approve(trainer, created.body.id, (await detail(trainer.token, created.body.id)).workflow!.options[0]!.slot_id);
      expect(approved.status).toBe(200);
      // Each goes to its occurrence's workflow, which the series' workflow starts just after answering the approval.
      const cancels = await Promise.all(approved.body.series!.occurrences.map((o) => h.call<Answer<BookingChange>>('POST', `/bookings/${o.booking_id}/cancel`, { token: trainer.token, body: {} })));
      expect(cancels.map((c) => [c.status, c.body.booking?.status ?? c.body.message])).toEqual(Array.from({ length: 8 }, () => [200, 'CANCELLED']));
      expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).activeBookings).toBe(0);
    }
  });

  it('refuses this_and_following for a booking outside a series (422 naming scope), changing nothing', async () => {
    const { trainer, client } = await setup(1);
    const single = await create(client.token, { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(monday(0), 10) });
    expect(single.status).toBe(201);
    const approved = await approve(trainer, single.body.id, (await detail(trainer.token, single.body.id)).workflow!.options[0]!.slot_id);
    expect(approved.status).toBe(200);
    const bookingId = approved.body.booking_id!;
    const refused = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/cancel`, { token: client.token, body: { scope: 'this_and_following' } });
    expect(refused).toMatchObject({ status: 422, body: { error: 'validation_error', field: 'scope' } });
    const unknown = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/cancel`, { token: client.token, body: { scope: 'everything' } });
    expect(unknown).toMatchObject({ status: 422, body: { field: 'scope' } });
    const booking = await h.call<BookingView>('GET', `/bookings/${bookingId}`, { token: client.token });
    expect(booking.body).toMatchObject({ status: 'CONFIRMED', series_id: null, is_recurring: false, recurring_pattern: null });
  });
});

describe('two series sharing a session, approved at the same moment', () => {
  const PAIRS = 3;

  it('one wins entirely (200), the other gets 409 series_conflict and nothing partial', async () => {
    const pairs = [];
    for (let p = 0; p < PAIRS; p++) {
      // A: Mondays of weeks 0-2; B: weeks 2-4. They share week 2.
      const { trainer, client } = await setup(5);
      const otherClient = await createPerson(h.db.orm.em.fork(), 'CLIENT');
      const a = await create(client.token, flexibleSeries(trainer.trainerId, {}, 0));
      const b = await create(otherClient.token, flexibleSeries(trainer.trainerId, {}, 2));
      expect([a.status, b.status]).toEqual([201, 201]);
      const optionA = await optionAt(trainer.token, a.body.id, at(monday(0), 10));
      const optionB = await optionAt(trainer.token, b.body.id, at(monday(2), 10));
      expect([optionA.series?.free, optionB.series?.free]).toEqual([3, 3]);
      pairs.push({ trainer, a: { id: a.body.id, slotId: optionA.slot_id }, b: { id: b.body.id, slotId: optionB.slot_id } });
    }

    const answers = await Promise.all(
      pairs.map(async (pair) => {
        const [a, b] = await Promise.all([approve(pair.trainer, pair.a.id, pair.a.slotId), approve(pair.trainer, pair.b.id, pair.b.slotId)]);
        return { pair, a, b };
      }),
    );

    for (const { pair, a, b } of answers) {
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const [winner, loser, loserId] = a.status === 200 ? [a, b, pair.b.id] : [b, a, pair.a.id];
      expect(winner.body.series).toMatchObject({ status: 'CONFIRMED', occurrence_count: 3 });
      expect(winner.body.series!.occurrences).toHaveLength(3);
      expect(loser.body).toMatchObject({ statusCode: 409, error: 'series_conflict' });
      expect(loser.body.skipped?.map((s) => s.start_time)).toEqual([at(monday(2), 10)]);

      const em = h.db.orm.em.fork();
      expect(await em.count(Booking, { bookingRequest: loserId })).toBe(0);
      expect(await em.count(BookingSeries, { trainer: pair.trainer.trainerId })).toBe(1);
      const report = await checkBookingInvariants(em, pair.trainer.trainerId);
      expect(report.violations).toEqual([]);
      expect(report.activeBookings).toBe(3);
      expect(report.approvedRequests).toBe(1);
      expect(report.pendingRequests).toBe(1);
    }
  });
});
