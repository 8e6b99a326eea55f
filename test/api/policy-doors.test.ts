import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, TimeSlot, Trainer } from '../../src/db/entities';
import { DEFAULT_POLICY, policyWording } from '../../src/domain/policy';
import { HOUR_MS } from '../../src/domain/time';
import { savePolicy } from '../../src/policy';
import { createSlots } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { at } from '../support/time';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness, type Person, type TrainerPerson } from './support/api-harness';
import type { Answer, Approval, BookingChange, ErrorBody, RequestView } from './support/api-types';

// The trainer's policy at the HTTP door: each refusal is 422 naming the rule with the
// sentence from src/domain/policy/wording.ts, and leaves nothing written. SLOT_DAY is 4 to 10
// days ahead, so the policies below put it inside or outside a rule whatever day the suite runs.

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

const trainerName = async (trainerId: number): Promise<string> => (await h.db.orm.em.fork().findOneOrFail(Trainer, trainerId, { populate: ['user'] })).user.fullName;

/** A confirmed booking at `hour` on SLOT_DAY between `client` and `trainer`, made through the API. */
async function confirmedBooking(trainer: TrainerPerson, client: Person, hour = 10): Promise<number> {
  const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
  expect(created.status).toBe(201);
  const approved = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, hour) } });
  expect(approved.status).toBe(200);
  return approved.body.booking_id as number;
}

describe('a direct request outside the notice or the horizon (POST /booking-requests/)', () => {
  it.each([
    ['policy_min_notice', { minNoticeMinutes: 30 * 24 * 60 }, (name: string) => policyWording.minNotice({ ...DEFAULT_POLICY, minNoticeMinutes: 30 * 24 * 60 }, name)],
    ['policy_horizon', { horizonDays: 1 }, (name: string) => policyWording.horizon({ ...DEFAULT_POLICY, horizonDays: 1 }, name)],
  ] as const)('is 422 %s with the sentence; no request row, no hold', async (code, patch, sentence) => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 3);
    await savePolicy(em, trainer.trainerId, patch);
    const client = await createPerson(em, 'CLIENT');

    const refused = await h.call<ErrorBody>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, 10), end_time: at(SLOT_DAY, 11) } });

    expect(refused).toEqual({ status: 422, body: { statusCode: 422, error: code, message: sentence(await trainerName(trainer.trainerId)), field: 'start_time' } });
    const check = h.db.orm.em.fork();
    expect(await check.count(BookingRequest, { client: client.userId })).toBe(0);
    expect(await check.count(TimeSlot, { id: { $in: trainer.slotIds }, $or: [{ isBooked: true }, { lockOwner: { $ne: null } }] })).toBe(0);
  });
});

describe('an approval the policy no longer allows (PUT /booking-requests/{id}/approve)', () => {
  it('is 422 naming the rule with the fresh options, and books nothing', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const client = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    // The trainer asks 30 days' notice after the request came in: the reservation transaction applies it at its own clock.
    await savePolicy(em, trainer.trainerId, { minNoticeMinutes: 30 * 24 * 60 });

    const refused = await h.call<ErrorBody & { options: unknown[] }>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) } });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'policy_min_notice', message: policyWording.minNotice({ ...DEFAULT_POLICY, minNoticeMinutes: 30 * 24 * 60 }, await trainerName(trainer.trainerId)), options: [] });
    const check = h.db.orm.em.fork();
    expect(await check.count(Booking, { bookingRequest: created.body.id })).toBe(0);
    expect((await check.findOneOrFail(BookingRequest, created.body.id)).status).toBe('PENDING');
  });
});

describe("a direct request too close to another session for the trainer's buffers", () => {
  it('is 422 policy_buffer with the sentence and leaves nothing behind; far enough away it is created', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    await savePolicy(em, trainer.trainerId, { bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
    const [robin, sam] = [await createPerson(em, 'CLIENT'), await createPerson(em, 'CLIENT')];
    await confirmedBooking(trainer, robin, 10);

    const direct = (hour: number) => h.call<ErrorBody>('POST', '/booking-requests/', { token: sam.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, hour), end_time: at(SLOT_DAY, hour + 1) } });
    const refused = await direct(11);
    expect(refused).toEqual({
      status: 422,
      body: { statusCode: 422, error: 'policy_buffer', message: policyWording.buffer({ ...DEFAULT_POLICY, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }, await trainerName(trainer.trainerId)), field: 'start_time' },
    });
    expect(await h.db.orm.em.fork().count(BookingRequest, { client: sam.userId })).toBe(0);
    expect((await direct(12)).status).toBe(201);
  });
});

describe('cancel and reschedule inside the cutoff (POST /bookings/{id}/...)', () => {
  it("a client's cancel is LATE_CANCELLED and frees the slot; a client's move is 422 policy_cutoff_reschedule and changes nothing; the trainer may move it", async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    // A 14-day cutoff: SLOT_DAY is inside it. Set before the request: the workflow keeps the policy the client agreed to.
    await savePolicy(em, trainer.trainerId, { cancelCutoffMinutes: 14 * 24 * 60 });
    const policy = { ...DEFAULT_POLICY, cancelCutoffMinutes: 14 * 24 * 60 };
    const client = await createPerson(em, 'CLIENT');
    const bookingId = await confirmedBooking(trainer, client);

    const move = await h.call<ErrorBody>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: at(SLOT_DAY, 13) } });
    expect(move.status).toBe(422);
    expect(move.body).toMatchObject({ error: 'policy_cutoff_reschedule', message: policyWording.cutoffReschedule(policy) });
    expect((await h.db.orm.em.fork().findOneOrFail(Booking, bookingId)).startTime.toISOString()).toBe(at(SLOT_DAY, 10));

    const byTrainer = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: trainer.token, body: { new_start_time: at(SLOT_DAY, 13) } });
    expect(byTrainer).toMatchObject({ status: 200, body: { booking: { start_time: at(SLOT_DAY, 13), status: 'CONFIRMED' } } });

    const cancelled = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/cancel`, { token: client.token, body: { reason: 'Too busy' } });
    expect(cancelled).toMatchObject({ status: 200, body: { booking: { id: bookingId, status: 'LATE_CANCELLED', slot_ids: [] } } });
    expect(await h.db.orm.em.fork().count(TimeSlot, { id: { $in: trainer.slotIds }, isBooked: true })).toBe(0);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });
});

describe('cancel and reschedule after the session has started (POST /bookings/{id}/...)', () => {
  it("a client's cancel and move are 422 policy_started with the sentence, and the booking stays as it was", async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 2);
    // No notice asked, so a session can be booked a few seconds ahead and then be under way.
    await savePolicy(em, trainer.trainerId, { minNoticeMinutes: 0 });
    const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + 4000);
    const [slot] = await createSlots(em, await em.findOneOrFail(Trainer, trainer.trainerId), start, 1);
    const client = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', {
      token: client.token,
      body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: start.toISOString(), end_time: new Date(start.getTime() + HOUR_MS).toISOString() },
    });
    expect(created.status).toBe(201);
    const approved = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: start.toISOString() } });
    expect(approved.status).toBe(200);
    const bookingId = approved.body.booking_id as number;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start.getTime() - Date.now()) + 250));

    const cancel = await h.call<ErrorBody>('POST', `/bookings/${bookingId}/cancel`, { token: client.token, body: { reason: 'Running late' } });
    expect(cancel).toMatchObject({ status: 422, body: { error: 'policy_started', message: policyWording.started() } });
    // To a free slot that follows every other rule: still refused, the session has begun.
    const move = await h.call<ErrorBody>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: at(SLOT_DAY, 10) } });
    expect(move).toMatchObject({ status: 422, body: { error: 'policy_started', message: policyWording.started() } });

    const row = await h.db.orm.em.fork().findOneOrFail(Booking, bookingId, { populate: ['timeSlots'] });
    expect([row.status, row.startTime.toISOString(), row.cancellationReason, row.timeSlots.getItems().map((s) => s.id)]).toEqual(['CONFIRMED', start.toISOString(), null, [slot!.id]]);
    expect(await h.db.orm.em.fork().count(TimeSlot, { id: { $in: trainer.slotIds }, isBooked: true })).toBe(0);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });
});

describe("a reschedule the reservation refuses by the policy (the client's own calendar)", () => {
  it('is 422 policy_client_overlap naming new_start_time, with the booking unchanged', async () => {
    const em = h.db.orm.em.fork();
    const [alex, sam] = [await createTrainerPerson(em), await createTrainerPerson(em)];
    const client = await createPerson(em, 'CLIENT');
    const withAlex = await confirmedBooking(alex, client, 10);
    await confirmedBooking(sam, client, 13);

    // Alex is free at 13:00, the client is not: the validator lets it through, the reservation transaction refuses.
    const move = await h.call<ErrorBody & { booking: { id: number; start_time: string } }>('POST', `/bookings/${withAlex}/reschedule`, { token: client.token, body: { new_start_time: at(SLOT_DAY, 13) } });

    expect(move.status).toBe(422);
    expect(move.body).toMatchObject({ error: 'policy_client_overlap', message: policyWording.clientOverlap(), field: 'new_start_time', booking: { id: withAlex, start_time: at(SLOT_DAY, 10) } });
    const row = await h.db.orm.em.fork().findOneOrFail(Booking, withAlex, { populate: ['timeSlots'] });
    expect([row.startTime.toISOString(), row.status, row.timeSlots.getItems().map((s) => s.id)]).toEqual([at(SLOT_DAY, 10), 'CONFIRMED', [alex.slotIds[1]]]);
    expect((await checkBookingInvariants(h.db.orm.em.fork())).violations).toEqual([]);
  });
});
