import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { TimeSlot } from '../../src/db/entities';
import { createTrainer } from '../support/fixtures';
import { issueToken } from '../../src/api/auth/api-tokens';
import { at, dayAhead, plusDays } from '../support/time';
import { createPerson, createTrainerPerson, SLOT_DAY, startApiHarness, type ApiHarness } from './support/api-harness';
import type { Answer, BulkCreated, RequestView, SlotView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function newTrainer(timeZone = 'UTC') {
  const em = h.db.orm.em.fork();
  const trainer = await createTrainer(em, { timeZone });
  return { trainerId: trainer.id, token: (await issueToken(em, trainer.user.id, 'test')).token };
}

const slotCount = (trainerId: number) => h.db.orm.em.fork().count(TimeSlot, { trainer: trainerId });

describe('POST /time-slots/bulk-create', () => {
  it('publishes a list of slots for the calling trainer, in one go', async () => {
    const trainer = await newTrainer();
    const res = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', {
      token: trainer.token,
      body: { slots: [{ start_time: at(dayAhead(4), 10), end_time: at(dayAhead(4), 11) }, { start_time: at(dayAhead(4), 9), end_time: at(dayAhead(4), 10) }, { start_time: at(dayAhead(4), 11), end_time: at(dayAhead(4), 12) }] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ trainer_id: trainer.trainerId, created: 3 });
    expect(res.body.slots.map((s) => s.start_time)).toEqual([at(dayAhead(4), 9), at(dayAhead(4), 10), at(dayAhead(4), 11)]);
    expect(res.body.slots[0]).toMatchObject({ duration_minutes: 60, end_time: at(dayAhead(4), 10), trainer_id: trainer.trainerId });
    expect(await slotCount(trainer.trainerId)).toBe(3);
  });

  it("expands a weekly pattern in the trainer's time zone, keeping wall-clock times", async () => {
    const trainer = await newTrainer('Europe/Berlin');
    // Any 14 days hold two of each weekday, whichever day they start on.
    const from = dayAhead(1, { zone: 'Europe/Berlin' });
    const res = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', {
      token: trainer.token,
      body: { weekly: { from_date: from, to_date: plusDays(from, 13), weekdays: [1, 3, 5], day_start: '07:00', day_end: '10:00', slot_minutes: 60 } },
    });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(6 * 3); // two weeks, three weekdays, three hours
    for (const slot of res.body.slots ) {
      const local = DateTime.fromISO(slot.start_time, { zone: 'Europe/Berlin' });
      expect([1, 3, 5]).toContain(local.weekday);
      expect([7, 8, 9]).toContain(local.hour);
      expect(local.minute).toBe(0);
    }
  });

  it('refuses overlaps within the list (422) and with published slots (409), naming the times and creating nothing', async () => {
    const trainer = await newTrainer();
    const inList = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', {
      token: trainer.token,
      body: { slots: [{ start_time: at(dayAhead(5), 10), end_time: at(dayAhead(5), 11) }, { start_time: '2099-01-01T00:00:00Z', end_time: '2099-01-01T01:00:00Z' }, { start_time: at(dayAhead(5), 10).replace(':00:00', ':30:00'), end_time: at(dayAhead(5), 12) }] },
    });
    expect(inList.status).toBe(422);
    expect(inList.body).toMatchObject({ error: 'slots_overlap', field: 'slots', overlaps: [{ start_time: at(dayAhead(5), 10).replace(':00:00', ':30:00'), conflicts_with: { start_time: at(dayAhead(5), 10) } }] });
    expect(inList.body.message).toContain(at(dayAhead(5), 10));
    expect(await slotCount(trainer.trainerId)).toBe(0);

    expect((await h.call('POST', '/time-slots/bulk-create', { token: trainer.token, body: { slots: [{ start_time: at(dayAhead(5), 10), end_time: at(dayAhead(5), 11) }] } })).status).toBe(201);
    const withPublished = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', {
      token: trainer.token,
      body: { slots: [{ start_time: at(dayAhead(5), 8), end_time: at(dayAhead(5), 9) }, { start_time: at(dayAhead(5), 9), end_time: at(dayAhead(5), 10).replace(':00:00', ':30:00') }] },
    });
    expect(withPublished.status).toBe(409);
    expect(withPublished.body).toMatchObject({ error: 'slots_overlap', overlaps: [{ start_time: at(dayAhead(5), 9), conflicts_with: { start_time: at(dayAhead(5), 10), end_time: at(dayAhead(5), 11) } }] });
    expect(await slotCount(trainer.trainerId)).toBe(1); // the 08:00 slot was not created either
  });

  it('validates the body, naming the field', async () => {
    const trainer = await newTrainer();
    const cases: [unknown, string][] = [
      [{}, 'slots'],
      [{ slots: [] }, 'slots'],
      [{ slots: [{ start_time: at(dayAhead(5), 10), end_time: at(dayAhead(5), 10) }] }, 'slots.0.end_time'],
      [{ slots: [{ start_time: 'ten', end_time: at(dayAhead(5), 10) }] }, 'slots.0.start_time'],
      [{ slots: [{ start_time: '2020-01-01T10:00:00Z', end_time: '2020-01-01T11:00:00Z' }] }, 'slots.0.start_time'],
      [{ weekly: { from_date: dayAhead(2), to_date: dayAhead(1), weekdays: [1], day_start: '07:00', day_end: '09:00' } }, 'weekly.to_date'],
      [{ weekly: { from_date: dayAhead(1), to_date: dayAhead(9), weekdays: [8], day_start: '07:00', day_end: '09:00' } }, 'weekly.weekdays.0'],
      [{ weekly: { from_date: dayAhead(1), to_date: dayAhead(9), weekdays: [1], day_start: '9am', day_end: '09:00' } }, 'weekly.day_start'],
      [{ weekly: { from_date: dayAhead(1), to_date: dayAhead(9), weekdays: [1], day_start: '07:00', day_end: '09:00', time_zone: 'Nowhere/Else' } }, 'weekly.time_zone'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', { token: trainer.token, body });
      expect({ field, status: res.status, got: res.body.field }).toEqual({ field, status: 422, got: field });
    }
    expect(await slotCount(trainer.trainerId)).toBe(0);
  });

  it('lets a trainer publish only their own availability; a client never; an admin for any trainer', async () => {
    const trainer = await newTrainer();
    const other = await newTrainer();
    const client = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const body = { slots: [{ start_time: at(dayAhead(6), 10), end_time: at(dayAhead(6), 11) }] };
    expect((await h.call('POST', '/time-slots/bulk-create', { token: trainer.token, body: { ...body, trainer_id: other.trainerId } })).status).toBe(403);
    expect((await h.call('POST', '/time-slots/bulk-create', { token: client.token, body })).status).toBe(403);
    expect((await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', { token: h.adminToken, body })).body).toMatchObject({ statusCode: 422, field: 'trainer_id' });
    expect((await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', { token: h.adminToken, body: { ...body, trainer_id: 99_999_999 } })).body).toMatchObject({ statusCode: 422, field: 'trainer_id' });
    expect(await slotCount(other.trainerId)).toBe(0);
    const asAdmin = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', { token: h.adminToken, body: { ...body, trainer_id: other.trainerId } });
    expect(asAdmin).toMatchObject({ status: 201, body: { trainer_id: other.trainerId, created: 1 } });
  });
});

describe('GET /time-slots/trainer/{id}/available', () => {
  it('lists bookable slots in a range, leaving out booked and held ones', async () => {
    const trainer = await createTrainerPerson(h.db.orm.em.fork(), 4);
    const client = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const all = await h.call<SlotView[]>('GET', `/time-slots/trainer/${trainer.trainerId}/available`, { token: client.token });
    expect(all.status).toBe(200);
    expect(all.body.map((s) => s.start_time)).toEqual([at(SLOT_DAY, 9), at(SLOT_DAY, 10), at(SLOT_DAY, 11), at(SLOT_DAY, 12)]);

    // A direct booking holds 10:00 for the request's workflow.
    const direct = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', duration_minutes: 60, start_time: at(SLOT_DAY, 10) } });
    expect(direct.status).toBe(201);
    const ranged = await h.call<SlotView[]>('GET', `/time-slots/trainer/${trainer.trainerId}/available?from=${encodeURIComponent(at(SLOT_DAY, 10))}&to=${encodeURIComponent(at(SLOT_DAY, 12))}`, { token: client.token });
    expect(ranged.body.map((s) => s.start_time)).toEqual([at(SLOT_DAY, 11)]);

    expect((await h.call<Answer<SlotView[]>>('GET', `/time-slots/trainer/${trainer.trainerId}/available?from=${encodeURIComponent(at(SLOT_DAY, 12))}&to=${encodeURIComponent(at(SLOT_DAY, 10))}`, { token: client.token })).body).toMatchObject({ statusCode: 422, field: 'to' });
    expect((await h.call<Answer<SlotView[]>>('GET', `/time-slots/trainer/${trainer.trainerId}/available?from=yesterday`, { token: client.token })).body).toMatchObject({ statusCode: 422, field: 'from' });
    expect((await h.call('GET', '/time-slots/trainer/99999999/available', { token: client.token })).status).toBe(404);
  });
});
