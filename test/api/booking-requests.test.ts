import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePolicy } from '../../src/policy';
import { Booking, BookingRequest } from '../../src/db/entities';
import { SLOTS_UNAVAILABLE_MESSAGE } from '../../src/reservation/errors';
import { checkBookingInvariants } from '../support/invariants';
import { classifyStart } from '../../src/slots/availability';
import { workflowIdFor } from '../../workflows/contract';
import { at, dayAhead, plusDays, today } from '../support/time';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness } from './support/api-harness';
import type { Answer, Approval, ErrorBody, RequestDetail, RequestView, ScoredSlots, ScoredSlotView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** "Today" as the server reads it: the real clock, even when TEST_NOW moves the fixtures. */
const serverClock = () => ({ now: Date.now() });

async function setup() {
  const em = h.db.orm.em.fork();
  const trainer = await createTrainerPerson(em);
  // Some tests open several requests of one client with one trainer; the limits are tested in client-limits.test.ts.
  await savePolicy(em, trainer.trainerId, { maxPendingPerClient: 10, maxPendingPerPair: 10 });
  const client = await createPerson(em, 'CLIENT');
  return { trainer, client };
}

async function createFlexible(clientToken: string, trainerId: number, durationMinutes = 60): Promise<RequestView> {
  const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: clientToken, body: flexibleBody(trainerId, SLOT_DAY, durationMinutes) });
  expect(created.status).toBe(201);
  return created.body;
}

describe('POST /booking-requests/', () => {
  it('creates a flexible request as in the seed: 201, PENDING for 24 hours, its workflow named after it', async () => {
    const { trainer, client } = await setup();
    const created = await createFlexible(client.token, trainer.trainerId);
    expect(created).toMatchObject({
      client_id: client.userId,
      trainer_id: trainer.trainerId,
      status: 'PENDING',
      session_type: 'Strength Training',
      preferred_times: ['10:00-12:00', '14:00-16:00'],
      avoid_times: ['09:00-09:30'],
      workflow_id: `booking-request-${created.id}`,
      start_time: null,
    });
    expect(Date.parse(created.expires_at ?? '') - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, created.id)).status).toBe('PENDING');
  });

  it('creates a direct booking on a free slot (start_time + end_time), holding it for the trainer', async () => {
    const { trainer, client } = await setup();
    const res = await h.call<Answer<RequestView>>('POST', '/booking-requests/', {
      token: client.token,
      body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, 10), end_time: at(SLOT_DAY, 12) },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ duration_minutes: 120, start_time: at(SLOT_DAY, 10), end_time: at(SLOT_DAY, 12), status: 'PENDING' });
    const detail = await h.call<Answer<RequestDetail>>('GET', `/booking-requests/${res.body.id}`, { token: trainer.token });
    expect(detail.body.workflow?.options).toHaveLength(1);
    expect(detail.body.workflow?.options[0]).toMatchObject({ slot_start: at(SLOT_DAY, 10), consecutive_slot_ids: [trainer.slotIds[1], trainer.slotIds[2]] });

    // The held slots are not free for anyone else: a second direct booking there is a conflict.
    const other = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const second = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: other.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(SLOT_DAY, 11) } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'slots_unavailable', message: SLOTS_UNAVAILABLE_MESSAGE, field: 'start_time' });
  });

  it('refuses a direct booking where the trainer publishes nothing (422 start_time)', async () => {
    const { trainer, client } = await setup();
    const res = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(SLOT_DAY, 20) } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'validation_error', field: 'start_time' });
  });

  it.each([
    ['a missing session_type', (b: Record<string, unknown>) => ({ ...b, session_type: undefined }), 'session_type'],
    ['a trainer_id that is text', (b: Record<string, unknown>) => ({ ...b, trainer_id: 'abc' }), 'trainer_id'],
    ['an impossible date', (b: Record<string, unknown>) => ({ ...b, preferred_start_date: '2026-02-30' }), 'preferred_start_date'],
    ['an end before the start', (b: Record<string, unknown>) => ({ ...b, preferred_end_date: '2020-01-01' }), 'preferred_end_date'],
    ['a malformed time block', (b: Record<string, unknown>) => ({ ...b, preferred_times: ['10-12'] }), 'preferred_times.0'],
    ['an unknown time zone', (b: Record<string, unknown>) => ({ ...b, time_zone: 'Mars/Olympus' }), 'time_zone'],
    ['both a start_time and preferences', (b: Record<string, unknown>) => ({ ...b, start_time: at(SLOT_DAY, 10) }), 'start_time'],
    ['a duration too long', (b: Record<string, unknown>) => ({ ...b, duration_minutes: 1000 }), 'duration_minutes'],
    ['an unknown trainer', (b: Record<string, unknown>) => ({ ...b, trainer_id: 999_999 }), 'trainer_id'],
    ['a date range in the past', (b: Record<string, unknown>) => ({ ...b, preferred_start_date: '2020-01-01', preferred_end_date: '2020-01-02' }), 'preferred_end_date'],
    ['a date range that ended yesterday', (b: Record<string, unknown>) => ({ ...b, preferred_start_date: dayAhead(-3, serverClock()), preferred_end_date: dayAhead(-1, serverClock()) }), 'preferred_end_date'],
  ])('answers 422 naming the field for %s, creating nothing', async (_name, change, field) => {
    const { trainer, client } = await setup();
    const before = await h.db.orm.em.fork().count(BookingRequest);
    const res = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: change(flexibleBody(trainer.trainerId)) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: 'validation_error', field });
    expect(res.body.message).toContain(field);
    expect(await h.db.orm.em.fork().count(BookingRequest)).toBe(before);
  });

  it('refuses a range that has passed as "in the past", and starts one that began before today from today', async () => {
    const { trainer, client } = await setup();
    const past = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { ...flexibleBody(trainer.trainerId), preferred_start_date: '2020-01-01', preferred_end_date: '2020-01-02' } });
    expect(past.body.message).toMatch(/^preferred_end_date: The preferred dates have already passed \(2020-01-02 was the last one; today is \d{4}-\d{2}-\d{2} in UTC\)\.$/);

    const todayBefore = today(serverClock());
    const begun = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { ...flexibleBody(trainer.trainerId), preferred_start_date: dayAhead(-2, serverClock()) } });
    const todayAfter = today(serverClock());
    expect(begun.status).toBe(201);
    // Clipped to the day the server read as today (the same as the test's, unless midnight passed in between).
    expect([todayBefore, todayAfter]).toContain(begun.body.preferred_start_date);
    expect(begun.body.preferred_end_date).toBe(plusDays(SLOT_DAY, 2));
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, begun.body.id)).preferredStartDate).toBe(begun.body.preferred_start_date);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { client } = await setup();
    const raw = await fetch(`${h.api.url}/booking-requests/`, { method: 'POST', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' }, body: '{"trainer_id": ' });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ statusCode: 400, error: 'bad_request' });
  });

  it('lets only clients create for themselves; an admin names client_id; a trainer is refused', async () => {
    const { trainer, client } = await setup();
    const other = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const asOther = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { ...flexibleBody(trainer.trainerId), client_id: other.userId } });
    expect(asOther.status).toBe(403);
    const asTrainer = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: trainer.token, body: flexibleBody(trainer.trainerId) });
    expect(asTrainer.status).toBe(403);
    const adminWithout = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: h.adminToken, body: flexibleBody(trainer.trainerId) });
    expect(adminWithout).toMatchObject({ status: 422, body: { field: 'client_id' } });
    const admin = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: h.adminToken, body: { ...flexibleBody(trainer.trainerId), client_id: other.userId } });
    expect(admin).toMatchObject({ status: 201, body: { client_id: other.userId } });
  });
});

describe('GET /booking-requests/ and /{id}', () => {
  it("lists a client's own, a trainer's incoming, all for an admin, filtered by status", async () => {
    const { trainer, client } = await setup();
    const otherClient = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const mine = await createFlexible(client.token, trainer.trainerId);
    const theirs = await createFlexible(otherClient.token, trainer.trainerId);
    const rejected = await createFlexible(client.token, trainer.trainerId);
    const reject = await h.call('PUT', `/booking-requests/${rejected.id}/approve`, { token: trainer.token, body: { status: 'REJECTED', rejection_reason: 'Away that week' } });
    expect(reject.status).toBe(200);

    const ids = (list: RequestView[]) => list.map((r) => r.id).sort((a, b) => a - b);
    const asClient = await h.call<RequestView[]>('GET', '/booking-requests/', { token: client.token });
    expect(ids(asClient.body)).toEqual([mine.id, rejected.id].sort((a, b) => a - b));
    const pendingOnly = await h.call<RequestView[]>('GET', '/booking-requests/?status=PENDING', { token: client.token });
    expect(ids(pendingOnly.body)).toEqual([mine.id]);
    const asTrainer = await h.call<RequestView[]>('GET', '/booking-requests/', { token: trainer.token });
    expect(ids(asTrainer.body)).toEqual([mine.id, theirs.id, rejected.id].sort((a, b) => a - b));
    const asAdmin = await h.call<RequestView[]>('GET', '/booking-requests/?status=REJECTED&limit=200', { token: h.adminToken });
    expect(ids(asAdmin.body)).toContain(rejected.id);
    expect(asAdmin.body.every((r) => r.status === 'REJECTED')).toBe(true);
    const badStatus = await h.call<ErrorBody>('GET', '/booking-requests/?status=MAYBE', { token: client.token });
    expect(badStatus).toMatchObject({ status: 422, body: { field: 'status' } });
  });

  it('shows a request with its workflow state to its client and trainer only (403 for others, 404 unknown)', async () => {
    const { trainer, client } = await setup();
    const created = await createFlexible(client.token, trainer.trainerId);
    const detail = await h.call<Answer<RequestDetail>>('GET', `/booking-requests/${created.id}`, { token: client.token });
    expect(detail.status).toBe(200);
    expect(detail.body.workflow).toMatchObject({ status: 'PENDING', mode: 'flexible' });
    expect(detail.body.workflow?.options[0]).toMatchObject({ total_score: 90, slot_start: at(SLOT_DAY, 10) });

    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const otherTrainer = await createTrainerPerson(h.db.orm.em.fork(), 1);
    expect((await h.call('GET', `/booking-requests/${created.id}`, { token: stranger.token })).status).toBe(403);
    expect((await h.call('GET', `/booking-requests/${created.id}`, { token: otherTrainer.token })).status).toBe(403);
    expect((await h.call('GET', '/booking-requests/99999999', { token: client.token })).status).toBe(404);
    expect((await h.call<ErrorBody>('GET', '/booking-requests/abc', { token: client.token })).body).toMatchObject({ statusCode: 422, field: 'id' });
  });
});

describe('GET /booking-requests/{id}/scored-slots', () => {
  it("answers the seed's shape, best first, with max_results", async () => {
    const { trainer, client } = await setup();
    const created = await createFlexible(client.token, trainer.trainerId, 120);
    const res = await h.call<Answer<ScoredSlots>>('GET', `/booking-requests/${created.id}/scored-slots?max_results=2`, { token: trainer.token });
    expect(res.status).toBe(200);
    expect(res.body.scored_slots).toHaveLength(2);
    expect(res.body.scored_slots[0]).toEqual({
      total_score: 90,
      breakdown: { date_match: 50, time_of_day_match: 40, avoid_time_penalty: 0, weekend_evening_bonus: 0 },
      slot_id: trainer.slotIds[1],
      slot_start: at(SLOT_DAY, 10),
      slot_end: at(SLOT_DAY, 12),
      consecutive_slot_ids: [trainer.slotIds[1], trainer.slotIds[2]],
      requires_manual_review: false,
    });
    // 09:00-11:00 overlaps the avoided 09:00-09:30 and the preferred 10:00-12:00: 50 + 40 - 50.
    const all = await h.call<Answer<ScoredSlots>>('GET', `/booking-requests/${created.id}/scored-slots?max_results=10`, { token: trainer.token });
    const nine = all.body.scored_slots.find((s: ScoredSlotView) => s.slot_start === at(SLOT_DAY, 9));
    expect(nine).toMatchObject({ total_score: 40, requires_manual_review: false, breakdown: { avoid_time_penalty: -50 } });
    expect((await h.call<Answer<ScoredSlots>>('GET', `/booking-requests/${created.id}/scored-slots?max_results=0`, { token: trainer.token })).body).toMatchObject({ statusCode: 422, field: 'max_results' });
    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    expect((await h.call('GET', `/booking-requests/${created.id}/scored-slots`, { token: stranger.token })).status).toBe(403);
  });
});

describe('PUT /booking-requests/{id}/approve', () => {
  it("approves on an offered slot and answers the seed's confirmation; a repeat with the same Idempotency-Key is the same answer", async () => {
    const { trainer, client } = await setup();
    const created = await createFlexible(client.token, trainer.trainerId, 120);
    // The seed's format, without milliseconds: compared as instants, not as text.
    const body = { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10).replace('.000Z', 'Z'), notes: 'Looking forward to working with you!' };
    const res = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body, headers: { 'idempotency-key': `approve-${created.id}` } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      booking_id: expect.any(Number) as unknown,
      booking_request_id: created.id,
      status: 'confirmed',
      message: 'Booking approved and confirmed',
      confirmed_time: at(SLOT_DAY, 10),
      slots_booked: 2,
      // The client holds no pack with this trainer: approved unpaid.
      credit: null,
    });
    const again = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body, headers: { 'idempotency-key': `approve-${created.id}` } });
    expect(again).toEqual(res);

    const em = h.db.orm.em.fork();
    expect(await em.count(Booking, { bookingRequest: created.id })).toBe(1);
    const booking = await em.findOneOrFail(Booking, res.body.booking_id!);
    expect(booking.notes).toBe('Looking forward to working with you!');
    expect((await checkBookingInvariants(em, trainer.trainerId)).violations).toEqual([]);

    // Now closed: rejecting it is a conflict with its state, and changes nothing.
    const late = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'REJECTED', rejection_reason: 'Changed my mind' } });
    expect(late).toMatchObject({ status: 409, body: { error: 'request_not_pending' } });
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, created.id)).status).toBe('APPROVED');
  });

  it('approves a direct booking without confirmed_date (its one offered slot)', async () => {
    const { trainer, client } = await setup();
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 90, start_time: at(SLOT_DAY, 12) } });
    expect(created.status).toBe(201);
    const res = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED' } });
    expect(res).toMatchObject({ status: 200, body: { status: 'confirmed', confirmed_time: at(SLOT_DAY, 12), slots_booked: 2 } });
  });

  it('rejects with a reason; the request is REJECTED and the client sees why', async () => {
    const { trainer, client } = await setup();
    const created = await createFlexible(client.token, trainer.trainerId);
    const res = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'REJECTED', rejection_reason: 'Fully booked that week' } });
    expect(res).toMatchObject({ status: 200, body: { status: 'rejected', rejection_reason: 'Fully booked that week', booking_request_id: created.id } });
    const detail = await h.call<Answer<RequestDetail>>('GET', `/booking-requests/${created.id}`, { token: client.token });
    expect(detail.body).toMatchObject({ status: 'REJECTED', rejection_reason: 'Fully booked that week' });
    const noReason = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'REJECTED', rejection_reason: '  ' } });
    expect(noReason).toMatchObject({ status: 422, body: { field: 'rejection_reason' } });
  });

  it('refuses the client, another trainer and bad bodies, changing nothing', async () => {
    const { trainer, client } = await setup();
    const otherTrainer = await createTrainerPerson(h.db.orm.em.fork(), 1);
    const created = await createFlexible(client.token, trainer.trainerId);
    const approve = { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) };
    expect((await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: client.token, body: approve })).status).toBe(403);
    expect((await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: otherTrainer.token, body: approve })).status).toBe(403);
    expect((await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'MAYBE' } })).body).toMatchObject({ statusCode: 422, field: 'status' });
    expect((await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: 'tomorrow' } })).body).toMatchObject({ statusCode: 422, field: 'confirmed_date' });
    // A free, published start that was not offered: 09:00 overlaps the avoided 09:00-09:30
    // (50 + 0 - 50 = 0), below the five offered (10:00, 11:00, 14:00 at 90; 12:00, 13:00 at 70).
    await h.notifier.waitFor(created.id, 'request.options');
    const { options } = await h.worker.bookings.state(created.id);
    const offered = options.map((o) => o.slotStart);
    expect(offered).toHaveLength(5);
    const classify = (start: string) => classifyStart(h.db.orm.em.fork(), { trainerId: trainer.trainerId, start: new Date(start), durationMinutes: 60, holdOwner: workflowIdFor(created.id) });
    const freeButNotOffered = at(SLOT_DAY, 9);
    expect(offered).not.toContain(freeButNotOffered);
    expect(await classify(freeButNotOffered)).toBe('free');
    const notOffered = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: freeButNotOffered } });
    expect(notOffered).toMatchObject({ status: 422, body: { field: 'confirmed_date', error: 'validation_error' } });
    expect(notOffered.body.options?.map((o) => o.slot_start)).toEqual(offered);
    expect(notOffered.body.message).toBe(`confirmed_date: only an offered slot can be approved; offered starts: ${offered.join(', ')}`);
    // A start where the trainer publishes nothing gets the same answer.
    const unpublished = at(plusDays(SLOT_DAY, 2), 9);
    expect(await classify(unpublished)).toBe('unpublished');
    expect(await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: unpublished } })).toMatchObject({
      status: 422,
      body: { field: 'confirmed_date', message: notOffered.body.message },
    });

    const em = h.db.orm.em.fork();
    expect((await em.findOneOrFail(BookingRequest, created.id)).status).toBe('PENDING');
    expect(await em.count(Booking, { bookingRequest: created.id })).toBe(0);
  });
});
