// Whatever JSON a program sends, the API answers over real HTTP with a 2xx or a 4xx that says
// what is wrong — never a 5xx — and nothing half-written is left behind.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness, type Person, type TrainerPerson } from '../api/support/api-harness';
import { at, dayAhead, plusDays } from '../support/time';
import { checkBookingInvariants } from '../support/invariants';
import { savePolicy } from '../../src/policy';

let h: ApiHarness;
let trainer: TrainerPerson & { slotIds: number[] };
let client: Person;
let pendingId: number;
let bookingId: number;

beforeAll(async () => {
  h = await startApiHarness();
  const em = h.db.orm.em.fork();
  trainer = await createTrainerPerson(em, 8);
  client = await createPerson(em, 'CLIENT');
  // The bodies below open many requests of one client: its limits are raised (tested in test/api/client-limits.test.ts).
  await savePolicy(em, trainer.trainerId, { maxPendingPerClient: 50, maxPendingPerPair: 20, maxUpcomingBookings: 200 });
  const pending = await h.call<{ id: number; status: string }>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
  expect(pending).toMatchObject({ status: 201, body: { status: 'PENDING' } });
  pendingId = pending.body.id;
  const toBook = await h.call<{ id: number }>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
  expect(toBook.status).toBe(201);
  const approved = await h.call<{ booking_id: number; status: string }>('PUT', `/booking-requests/${toBook.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) } });
  expect(approved).toMatchObject({ status: 200, body: { status: 'confirmed', booking_id: expect.any(Number) as unknown } });
  bookingId = approved.body.booking_id;
  // The bodies below mutate this booking and this pending request: both must exist as set up.
  const booking = await h.call<{ id: number; status: string; start_time: string }>('GET', `/bookings/${bookingId}`, { token: client.token });
  expect(booking).toMatchObject({ status: 200, body: { id: bookingId, status: 'CONFIRMED', start_time: at(SLOT_DAY, 10) } });
  expect((await h.call<{ status: string }>('GET', `/booking-requests/${pendingId}`, { token: trainer.token })).body).toMatchObject({ status: 'PENDING' });
});
afterAll(async () => h?.stop());

/** A valid body with each field kept, dropped, or replaced by arbitrary JSON. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(
    Object.entries(valid).map(([key, value]) => [key, fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constant(undefined) })]),
  );
  const extra = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });
  return fc.oneof({ weight: 4, arbitrary: fc.tuple(fc.record(fields), extra).map(([body, more]) => ({ ...more, ...body })) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

async function expectClearAnswer(method: string, path: string, token: string, body: unknown): Promise<void> {
  const response = await h.call<{ message?: unknown; field?: unknown }>(method, path, { token, body: body ?? null });
  expect(response.status, JSON.stringify({ path, body, answer: response.body })).toBeLessThan(500);
  if (response.status >= 400) {
    expect(typeof response.body?.message).toBe('string');
    expect(String(response.body?.message).length).toBeGreaterThan(0);
  }
}

describe('API bodies, arbitrary and near-valid', () => {
  it('POST /booking-requests/', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(flexibleBody(trainer.trainerId, plusDays(SLOT_DAY, 1))), (body) => expectClearAnswer('POST', '/booking-requests/', client.token, body)),
      { numRuns: 60 },
    );
  });

  it('PUT /booking-requests/{id}/approve', async () => {
    const valid = { status: 'REJECTED', rejection_reason: 'Fully booked', confirmed_date: at(SLOT_DAY, 11), notes: 'x' };
    await fc.assert(
      fc.asyncProperty(mutated(valid), (body) => expectClearAnswer('PUT', `/booking-requests/${pendingId}/approve`, trainer.token, body)),
      { numRuns: 60 },
    );
  });

  it('POST /time-slots/bulk-create', async () => {
    const valid = { slots: [{ start_time: at(dayAhead(9), 7), end_time: at(dayAhead(9), 8) }], weekly: { from_date: '2031-01-05', to_date: '2031-01-06', weekdays: [1, 2], day_start: '07:00', day_end: '09:00', slot_minutes: 60 } };
    await fc.assert(
      fc.asyncProperty(mutated(valid), (body) => expectClearAnswer('POST', '/time-slots/bulk-create', trainer.token, body)),
      { numRuns: 60 },
    );
  });

  it('POST /bookings/{id}/reschedule and /cancel', async () => {
    await fc.assert(
      fc.asyncProperty(mutated({ new_start_time: at(SLOT_DAY, 13) }), (body) => expectClearAnswer('POST', `/bookings/${bookingId}/reschedule`, client.token, body)),
      { numRuns: 40 },
    );
    await fc.assert(
      // The first acceptable body cancels the booking; the rest are answered as repeats.
      fc.asyncProperty(mutated({ reason: 'Travelling' }), (body) => expectClearAnswer('POST', `/bookings/${bookingId}/cancel`, client.token, body)),
      { numRuns: 30 },
    );
  });

  it('left nothing half-written', async () => {
    expect((await checkBookingInvariants(h.db.orm.em.fork(), trainer.trainerId)).violations).toEqual([]);
  });
});
