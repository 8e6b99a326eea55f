import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, TimeSlot } from '../../src/db/entities';
import { SLOTS_UNAVAILABLE_MESSAGE } from '../../src/reservation/errors';
import { checkBookingInvariants } from '../support/invariants';
import { at } from '../support/time';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness, type Person, type TrainerPerson } from './support/api-harness';
import type { Answer, Approval, BookingChange, BookingView, RequestView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A confirmed 60-minute booking at 10:00 on day 3, made through the API. */
async function confirmedBooking(): Promise<{ trainer: TrainerPerson & { slotIds: number[] }; client: Person; bookingId: number; requestId: number }> {
  const em = h.db.orm.em.fork();
  const trainer = await createTrainerPerson(em);
  const client = await createPerson(em, 'CLIENT');
  const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
  const approved = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) } });
  expect(approved.status).toBe(200);
  return { trainer, client, bookingId: approved.body.booking_id as number, requestId: created.body.id };
}

describe('GET /bookings/ and /{id}', () => {
  it('shows each caller their own bookings, 403 for anyone else', async () => {
    const { trainer, client, bookingId, requestId } = await confirmedBooking();
    const list = await h.call<BookingView[]>('GET', '/bookings/', { token: client.token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({
      id: bookingId,
      booking_request_id: requestId,
      client_id: client.userId,
      trainer_id: trainer.trainerId,
      start_time: at(SLOT_DAY, 10),
      end_time: at(SLOT_DAY, 11),
      status: 'CONFIRMED',
      total_cost: 90,
      price_per_hour: 90,
      slot_ids: [trainer.slotIds[1]],
    });
    expect((await h.call<BookingView[]>('GET', '/bookings/?status=CONFIRMED', { token: trainer.token })).body.map((b) => b.id)).toEqual([bookingId]);
    expect((await h.call<BookingView[]>('GET', '/bookings/?status=CANCELLED', { token: trainer.token })).body).toEqual([]);
    expect((await h.call<Answer<BookingView>>('GET', `/bookings/${bookingId}`, { token: trainer.token })).body).toMatchObject({ id: bookingId });

    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    expect((await h.call<BookingView[]>('GET', '/bookings/', { token: stranger.token })).body).toEqual([]);
    expect((await h.call('GET', `/bookings/${bookingId}`, { token: stranger.token })).status).toBe(403);
    expect((await h.call('GET', '/bookings/99999999', { token: client.token })).status).toBe(404);
  });
});

describe('POST /bookings/{id}/cancel', () => {
  it('cancels through the workflow: CANCELLED, slots free again; a stranger is refused and nothing changes', async () => {
    const { trainer, client, bookingId } = await confirmedBooking();
    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const refused = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/cancel`, { token: stranger.token, body: { reason: 'not mine' } });
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await h.db.orm.em.fork().findOneOrFail(Booking, bookingId)).status).toBe('CONFIRMED');

    const res = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/cancel`, { token: client.token, body: { reason: 'Sick' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ message: 'Booking cancelled', booking: { id: bookingId, status: 'CANCELLED', cancellation_reason: 'Sick', slot_ids: [] } });
    const slot = await h.db.orm.em.fork().findOneOrFail(TimeSlot, trainer.slotIds[1]!);
    expect([slot.isBooked, slot.booking]).toEqual([false, null]);
    // A second cancel is answered, not applied again.
    const again = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/cancel`, { token: trainer.token });
    expect(again).toMatchObject({ status: 200, body: { booking: { status: 'CANCELLED' } } });
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
    // Cancelled bookings cannot be moved.
    expect((await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: at(SLOT_DAY, 13) } })).body).toMatchObject({ statusCode: 409, error: 'booking_not_active' });
  });
});

describe('POST /bookings/{id}/reschedule', () => {
  it('moves a booking to a free start; onto a taken one is 409 with the original untouched; bad times are 422', async () => {
    const { trainer, client, bookingId } = await confirmedBooking();
    const moved = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: at(SLOT_DAY, 13) } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ message: 'Booking rescheduled', booking: { start_time: at(SLOT_DAY, 13), end_time: at(SLOT_DAY, 14), status: 'CONFIRMED', slot_ids: [trainer.slotIds[4]] } });

    // Another client books 11:00; moving ours there conflicts.
    const other = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const direct = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: other.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(SLOT_DAY, 11) } });
    expect((await h.call('PUT', `/booking-requests/${direct.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED' } })).status).toBe(200);
    const clash = await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: trainer.token, body: { new_start_time: at(SLOT_DAY, 11) } });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ error: 'slots_unavailable', booking: { id: bookingId, start_time: at(SLOT_DAY, 13) } });
    expect(clash.body.message).toBe(SLOTS_UNAVAILABLE_MESSAGE);
    const row = await h.db.orm.em.fork().findOneOrFail(Booking, bookingId);
    expect([row.startTime.toISOString(), row.status]).toEqual([at(SLOT_DAY, 13), 'CONFIRMED']);

    expect((await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: '2020-01-01T10:00:00Z' } })).body).toMatchObject({ statusCode: 422, field: 'new_start_time' });
    expect((await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: 'soon' } })).body).toMatchObject({ statusCode: 422, field: 'new_start_time' });
    expect((await h.call<Answer<BookingChange>>('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: {} })).body).toMatchObject({ statusCode: 422, field: 'new_start_time' });
    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    expect((await h.call('POST', `/bookings/${bookingId}/reschedule`, { token: stranger.token, body: { new_start_time: at(SLOT_DAY, 14) } })).status).toBe(403);
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });
});
