import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRequest, TimeSlot } from '../../src/db/entities';
import { at, plusDays } from '../support/time';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness } from './support/api-harness';
import type { Answer, ErrorBody, RequestDetail, RequestView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

const direct = (trainerId: number, hour: number, day = SLOT_DAY) => ({ trainer_id: trainerId, session_type: 'HIIT', start_time: at(day, hour), end_time: at(day, hour + 1) });

async function freeStarts(trainerId: number, token: string, day = SLOT_DAY): Promise<string[]> {
  const res = await h.call<{ start_time: string }[]>('GET', `/time-slots/trainer/${trainerId}/available?from=${at(day, 0)}&to=${at(day, 23)}`, { token });
  expect(res.status).toBe(200);
  return res.body.map((slot) => slot.start_time);
}

/** The request's live options, once they satisfy `until` (the workflow re-ranks on its own after a signal). */
async function optionsUntil(id: number, token: string, until: (starts: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const detail = await h.call<RequestDetail>('GET', `/booking-requests/${id}`, { token });
    const starts = (detail.body.workflow?.options ?? []).map((option) => option.slot_start);
    if (until(starts) || Date.now() > deadline) return starts;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('POST /booking-requests/{id}/withdraw', () => {
  it("the client withdraws a pending direct request: WITHDRAWN, the held slot free again, the limit free for a new request; trainers and strangers 403", async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 4);
    const client = await createPerson(em, 'CLIENT');
    const stranger = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: direct(trainer.trainerId, 10) });
    expect(created.status).toBe(201);
    expect(await freeStarts(trainer.trainerId, client.token)).not.toContain(at(SLOT_DAY, 10));

    for (const token of [trainer.token, stranger.token]) {
      const refused = await h.call<ErrorBody>('POST', `/booking-requests/${created.body.id}/withdraw`, { token, body: {} });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('forbidden');
    }
    const withdrawn = await h.call<RequestView>('POST', `/booking-requests/${created.body.id}/withdraw`, { token: client.token, body: { reason: 'Plans changed' } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id: created.body.id, status: 'WITHDRAWN' });
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, created.body.id)).status).toBe('WITHDRAWN');
    expect(await freeStarts(trainer.trainerId, client.token)).toContain(at(SLOT_DAY, 10));

    const again = await h.call<RequestView>('POST', `/booking-requests/${created.body.id}/withdraw`, { token: client.token });
    expect(again).toMatchObject({ status: 200, body: { status: 'WITHDRAWN' } });
    // The default pair limit is 1: the withdrawn request no longer counts.
    expect((await h.call('POST', '/booking-requests/', { token: client.token, body: direct(trainer.trainerId, 11) })).status).toBe(201);
  });

  it('a request that has closed otherwise is 409 naming its status', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 4);
    const client = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    expect(created.status).toBe(201);
    const rejected = await h.call('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'REJECTED', rejection_reason: 'Away' } });
    expect(rejected.status).toBe(200);
    const late = await h.call<ErrorBody>('POST', `/booking-requests/${created.body.id}/withdraw`, { token: h.adminToken });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'request_not_pending', message: `Booking request ${created.body.id} is already rejected, so it can no longer be withdrawn.` });
  });
});

describe('POST /time-slots/trainer/{id}/time-off', () => {
  it('removes the free slots in the range; the booked and the held ones stay and are named; a pending request re-ranks', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 6); // 09:00 to 15:00
    const holder = await createPerson(em, 'CLIENT');
    const booker = await createPerson(em, 'CLIENT');
    const shopper = await createPerson(em, 'CLIENT');
    const held = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: holder.token, body: direct(trainer.trainerId, 10) });
    const toBook = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: booker.token, body: direct(trainer.trainerId, 12) });
    expect([held.status, toBook.status]).toEqual([201, 201]);
    const approved = await h.call<{ booking_id: number }>('PUT', `/booking-requests/${toBook.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED' } });
    expect(approved.status).toBe(200);
    const flexible = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: shopper.token, body: { ...flexibleBody(trainer.trainerId, SLOT_DAY), preferred_end_date: SLOT_DAY } });
    expect(flexible.status).toBe(201);
    expect(await optionsUntil(flexible.body.id, shopper.token, (starts) => starts.length > 0)).toContain(at(SLOT_DAY, 11));

    const stranger = await createTrainerPerson(em, 0);
    const path = `/time-slots/trainer/${trainer.trainerId}/time-off`;
    const range = { from: at(SLOT_DAY, 9), to: at(SLOT_DAY, 14) };
    expect((await h.call<ErrorBody>('POST', path, { token: stranger.token, body: range })).status).toBe(403);
    expect((await h.call<ErrorBody>('POST', path, { token: shopper.token, body: range })).status).toBe(403);
    const backwards = await h.call<ErrorBody>('POST', path, { token: trainer.token, body: { from: range.to, to: range.from } });
    expect(backwards).toMatchObject({ status: 422, body: { error: 'validation_error', field: 'to' } });

    const blocked = await h.call<{ removed_slots: number; in_the_way: unknown[]; message: string }>('POST', path, { token: trainer.token, body: range });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({
      removed_slots: 3, // 09:00, 11:00, 13:00
      in_the_way: [
        { kind: 'hold', id: held.body.id, start_time: at(SLOT_DAY, 10), end_time: at(SLOT_DAY, 11) },
        { kind: 'booking', id: approved.body.booking_id, start_time: at(SLOT_DAY, 12), end_time: at(SLOT_DAY, 13) },
      ],
    });
    expect(blocked.body.message).toMatch(/^Removed 3 free slots\. Still there, because time off never removes them: the hold of pending request \d+/);
    const left = await h.db.orm.em.fork().find(TimeSlot, { trainer: trainer.trainerId }, { orderBy: { startTime: 'asc' } });
    expect(left.map((slot) => slot.startTime.toISOString())).toEqual([at(SLOT_DAY, 10), at(SLOT_DAY, 12), at(SLOT_DAY, 14)]);
    // The shopper's request no longer offers the removed 11:00: only 14:00 is left.
    expect(await optionsUntil(flexible.body.id, shopper.token, (starts) => !starts.includes(at(SLOT_DAY, 11)))).toEqual([at(SLOT_DAY, 14)]);

    const repeated = await h.call<{ removed_slots: number; in_the_way: unknown[] }>('POST', path, { token: h.adminToken, body: range });
    expect(repeated.body).toMatchObject({ removed_slots: 0 });
    expect(repeated.body.in_the_way).toHaveLength(2);
  });

  it('a request made before the trainer published a day gets that day once it is published', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 0);
    const client = await createPerson(em, 'CLIENT');
    const day = plusDays(SLOT_DAY, 1);
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId, SLOT_DAY) });
    expect(created.status).toBe(201);
    expect(await optionsUntil(created.body.id, client.token, () => true)).toEqual([]);
    const published = await h.call('POST', '/time-slots/bulk-create', { token: trainer.token, body: { slots: [{ start_time: at(day, 10), end_time: at(day, 11) }] } });
    expect(published.status).toBe(201);
    expect(await optionsUntil(created.body.id, client.token, (starts) => starts.length > 0)).toEqual([at(day, 10)]);
  });
});
