import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRequest, TimeSlot } from '../../src/db/entities';
import { DEFAULT_POLICY, policyWording } from '../../src/domain/policy';
import { PolicyRefusalError } from '../../src/domain/policy/errors';
import { savePolicy } from '../../src/policy';
import { createBookingClient } from '../../src/temporal/booking-client';
import { at } from '../support/time';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness } from './support/api-harness';
import type { ErrorBody } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

const pendingOf = async (clientId: number): Promise<number> => h.db.orm.em.fork().count(BookingRequest, { client: clientId, status: 'PENDING' });

describe('client limits at the door (POST /booking-requests/)', () => {
  it('the flood: one client asking for every free start gets only its limit; the calendar stays open to others', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 6);
    await savePolicy(em, trainer.trainerId, { maxPendingPerClient: 3, maxPendingPerPair: 3 });
    const flooder = await createPerson(em, 'CLIENT');
    const other = await createPerson(em, 'CLIENT');

    const answers: { status: number; body: ErrorBody }[] = [];
    for (let hour = 9; hour < 15; hour++) {
      answers.push(
        await h.call<ErrorBody>('POST', '/booking-requests/', { token: flooder.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, hour), end_time: at(SLOT_DAY, hour + 1) } }),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 422, 422, 422]);
    for (const refused of answers.slice(3)) {
      expect(refused.body).toEqual({ statusCode: 422, error: 'policy_limit_pair', message: expect.stringMatching(/^You already have 3 pending requests with .+, the most allowed/) as string });
    }
    expect(await pendingOf(flooder.userId)).toBe(3);

    const available = await h.call<{ start_time: string }[]>('GET', `/time-slots/trainer/${trainer.trainerId}/available?from=${at(SLOT_DAY, 0)}&to=${at(SLOT_DAY, 23)}`, { token: other.token });
    expect(available.body.map((slot) => slot.start_time)).toEqual([at(SLOT_DAY, 12), at(SLOT_DAY, 13), at(SLOT_DAY, 14)]);
    const booked = await h.call('POST', '/booking-requests/', { token: other.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, 12), end_time: at(SLOT_DAY, 13) } });
    expect(booked.status).toBe(201);
  });

  it('the per-client limit counts requests with every trainer', async () => {
    const em = h.db.orm.em.fork();
    const trainers = [await createTrainerPerson(em, 2), await createTrainerPerson(em, 2), await createTrainerPerson(em, 2)];
    const client = await createPerson(em, 'CLIENT');
    await savePolicy(em, trainers[2]!.trainerId, { maxPendingPerClient: 2 });
    expect((await h.call('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainers[0]!.trainerId) })).status).toBe(201);
    expect((await h.call('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainers[1]!.trainerId) })).status).toBe(201);
    const third = await h.call<ErrorBody>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainers[2]!.trainerId) });
    expect(third.status).toBe(422);
    expect(third.body.error).toBe('policy_limit_pending');
    expect(third.body.message).toBe('You already have 2 pending requests, the most you can have at once: wait for an answer or withdraw one first.');
  });

  it('a client holding the most upcoming bookings gets 422 policy_limit_upcoming; no row is written', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 3);
    await savePolicy(em, trainer.trainerId, { maxUpcomingBookings: 1 });
    const client = await createPerson(em, 'CLIENT');
    const first = await h.call<{ id: number }>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    expect(first.status).toBe(201);
    const approved = await h.call('PUT', `/booking-requests/${first.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) } });
    expect(approved.status).toBe(200);
    // The first request is answered, so neither pending limit stands in the way: only the upcoming booking does.
    expect(await pendingOf(client.userId)).toBe(0);

    const refused = await h.call<ErrorBody>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, 11), end_time: at(SLOT_DAY, 12) } });

    expect(refused).toEqual({ status: 422, body: { statusCode: 422, error: 'policy_limit_upcoming', message: policyWording.limitUpcoming({ ...DEFAULT_POLICY, maxUpcomingBookings: 1 }) } });
    expect(await h.db.orm.em.fork().count(BookingRequest, { client: client.userId })).toBe(1);
    expect(await h.db.orm.em.fork().count(TimeSlot, { id: { $in: trainer.slotIds }, $or: [{ isBooked: true }, { lockOwner: { $ne: null } }] })).toBe(1);
  });

  it('ten requests of one client at once, limit 3: exactly 3 get in', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 6);
    await savePolicy(em, trainer.trainerId, { maxPendingPerClient: 3, maxPendingPerPair: 3 });
    const client = await createPerson(em, 'CLIENT');
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.call<ErrorBody>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 201, 422, 422, 422, 422, 422, 422, 422]);
    expect(new Set(answers.filter((a) => a.status === 422).map((a) => a.body.error))).toEqual(new Set(['policy_limit_pair']));
    expect(await pendingOf(client.userId)).toBe(3);
    // Nothing half-written: every refused request left no row at all.
    expect(await h.db.orm.em.fork().count(BookingRequest, { client: client.userId })).toBe(3);
  });

  it('a workflow that cannot start leaves no PENDING row to count against the client', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 2);
    const client = await createPerson(em, 'CLIENT');
    const broken = createBookingClient({ client: new Client({ connection: h.worker.client.connection, namespace: 'no-such-namespace' }), orm: h.db.orm, taskQueue: 'nowhere' });
    const request = { clientId: client.userId, trainerId: trainer.trainerId, sessionType: 'HIIT', durationMinutes: 60, startTime: at(SLOT_DAY, 9) };
    await expect(broken.startRequest(request)).rejects.toThrow();
    const rows = await h.db.orm.em.fork().find(BookingRequest, { client: client.userId });
    expect(rows.map((row) => row.status)).toEqual(['EXPIRED']);
    // The client's one allowed request with this trainer is still free to use.
    const started = await h.worker.bookings.startRequest(request);
    expect(started.bookingRequestId).toBeGreaterThan(rows[0]!.id);
    await expect(h.worker.bookings.startRequest({ ...request, startTime: at(SLOT_DAY, 10) })).rejects.toBeInstanceOf(PolicyRefusalError);
  });
});
