// Bad input to a new booking request, as the API and the bots pass it on: whatever JSON
// arrives, the schema answers without throwing, and preparing the request either succeeds
// with a coherent result or fails with a RequestValidationError naming the field at fault.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRequest } from '../../src/db/entities';
import { newBookingRequestSchema, prepareBookingRequest, RequestValidationError } from '../../src/requests/new-request';
import { assertTimeZone } from '../../src/scoring/wc';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createTrainer } from '../support/fixtures';
import { isoDateTime, mostly, preferences, timeZoneName } from '../support/arbitraries';
import { PolicyRefusalError } from '../../src/domain/policy/errors';

let db: TestDatabase;
let trainerId: number;
let clientId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  const em = db.orm.em.fork();
  trainerId = (await createTrainer(em, { timeZone: 'Europe/Berlin' })).id;
  clientId = (await createClient(em)).id;
});
afterAll(async () => db?.drop());

const NOW = new Date('2031-01-01T00:00:00Z');

/** Weekly recurrences near the valid shape: counts and intervals around their bounds, real and bad weekdays and dates. */
const recurrence = fc.record(
  {
    frequency: fc.constantFrom('WEEKLY', 'DAILY', ''),
    interval: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.double()),
    weekdays: fc.array(fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU', 'XX', 'mo', ''), { maxLength: 8 }),
    count: fc.option(fc.oneof(fc.integer({ min: -2, max: 60 }), fc.double())),
    until: fc.option(fc.oneof(fc.constantFrom('2031-01-20', '2031-03-01', '2030-12-01', '2031-02-30', '2032-06-01', 'March'), fc.string({ maxLength: 12 }))),
    conflictMode: fc.constantFrom('ALL_OR_NOTHING', 'AVAILABLE_ONLY', 'SOME'),
  },
  { requiredKeys: [] },
);

/** Request bodies near the valid shape: each field usually plausible, sometimes anything, sometimes absent. */
function requestBody(): fc.Arbitrary<Record<string, unknown>> {
  const text = (max: number) => fc.oneof(fc.string({ maxLength: max + 10 }), fc.constantFrom('', '   ', 'Strength', 'x'.repeat(max + 1)));
  return fc.record(
    {
      clientId: mostly(fc.oneof(fc.constant(clientId), fc.integer({ min: -5, max: 2_000_000_000 }), fc.double())),
      trainerId: mostly(fc.oneof(fc.constant(trainerId), fc.integer({ min: -5, max: 2_000_000_000 }), fc.double())),
      sessionType: mostly(text(100)),
      durationMinutes: mostly(fc.oneof(fc.integer({ min: -10, max: 600 }), fc.double())),
      location: mostly(fc.option(text(200))),
      locationType: mostly(fc.constantFrom('GYM', 'HOME', 'ONLINE', 'gym', 'POOL', '')),
      specialRequests: mostly(fc.option(text(1000))),
      startTime: mostly(fc.option(isoDateTime)),
      preferences: mostly(fc.option(preferences)),
      timeZone: mostly(fc.option(timeZoneName)),
      recurrence: fc.option(recurrence, { freq: 3 }),
    },
    { requiredKeys: [] },
  );
}

/** Bodies that pass the schema's shape checks, so the work reaches the database and the calendar checks. */
function wellShapedBody(): fc.Arbitrary<Record<string, unknown>> {
  const mostlyExisting = (id: number) => fc.oneof({ arbitrary: fc.constant(id), weight: 5 }, { arbitrary: fc.constant(id + 100_000), weight: 1 });
  return fc
    .record({
      clientId: mostlyExisting(clientId),
      trainerId: mostlyExisting(trainerId),
      sessionType: fc.constantFrom('Strength', 'Yoga'),
      durationMinutes: fc.integer({ min: 15, max: 480 }),
      timeZone: fc.option(timeZoneName),
    })
    .chain((base) =>
      fc.oneof(
        isoDateTime.map((startTime) => ({ ...base, startTime })),
        // A start inside the default policy's notice and horizon (2 h to 80 days after NOW).
        fc.integer({ min: 2 * 60, max: 80 * 24 * 60 }).map((minutes) => ({ ...base, startTime: new Date(NOW.getTime() + minutes * 60_000).toISOString() })),
        preferences.map((prefs) => ({ ...base, preferences: prefs })),
      ).chain((body) => fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: recurrence, weight: 1 }).map((rec) => (rec === null ? body : { ...body, recurrence: rec }))),
    );
}

type Prepared = Awaited<ReturnType<typeof prepareBookingRequest>>;

describe('new booking requests under arbitrary input', () => {
  it('the schema answers any JSON value without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), requestBody(), wellShapedBody()), (body) => {
        const result = newBookingRequestSchema.safeParse(body);
        if (!result.success) expect(result.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('prepareBookingRequest resolves coherently or throws RequestValidationError with the field at fault', async () => {
    let prepared = 0;
    const em = db.orm.em.fork();
    const wellFormed = { clientId, trainerId, sessionType: 'Strength', durationMinutes: 60, startTime: '2031-01-10T10:00:00Z' };
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: fc.jsonValue(), weight: 1 }, { arbitrary: requestBody(), weight: 2 }, { arbitrary: wellShapedBody(), weight: 4 }), async (body) => {
        let outcome: { input: Prepared } | { error: unknown };
        try {
          outcome = { input: await prepareBookingRequest(em, body, NOW) };
        } catch (error) {
          outcome = { error };
        }
        if ('error' in outcome && outcome.error instanceof PolicyRefusalError) {
          // A direct start outside the trainer's notice or horizon: refused by the policy, with its sentence.
          expect(['policy_min_notice', 'policy_horizon']).toContain(outcome.error.code);
          expect(outcome.error.message.length).toBeGreaterThan(10);
          return;
        }
        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(RequestValidationError);
          const { field, message } = outcome.error as RequestValidationError;
          expect(field.length).toBeGreaterThan(0);
          // A bare sentence: no field prefix to strip, ending like a sentence.
          expect(message.startsWith(`${field}:`)).toBe(false);
          expect(message.trim()).toMatch(/[.!?)]$/);
          return;
        }
        prepared++;
        const { input } = outcome;
        expect(input.bookingRequestId).toBeGreaterThan(0);
        expect(input.startTime === null).not.toBe(input.preferences === null);
        if (input.startTime) expect(Date.parse(input.startTime)).toBeGreaterThan(NOW.getTime());
        // A series request keeps a recurrence that names 1 to 52 sessions the validation accepted.
        if (input.recurrence) {
          expect(input.recurrence.interval).toBeGreaterThanOrEqual(1);
          expect(input.recurrence.interval).toBeLessThanOrEqual(4);
          expect((input.recurrence.count === undefined) !== (input.recurrence.until === undefined)).toBe(true);
          if (input.recurrence.count !== undefined) expect(input.recurrence.count).toBeLessThanOrEqual(52);
        }
        // A range is never in the past where it is meant: it ends today or later, and starts no earlier than today.
        if (input.preferences) {
          const today = new Intl.DateTimeFormat('en-CA', { timeZone: input.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(NOW);
          expect(input.preferences.preferredStartDate >= today, `${input.preferences.preferredStartDate} in ${input.timeZone}`).toBe(true);
          expect(input.preferences.preferredEndDate >= input.preferences.preferredStartDate).toBe(true);
        }
        // The zone the workflow will score in must be one the scorer accepts, or ranking fails
        // on every retry and the request never reaches the trainer.
        expect(() => assertTimeZone(input.timeZone), `resolved time zone ${JSON.stringify(input.timeZone)}`).not.toThrow();
      }),
      // Found by this property once; kept as a fixed example.
      { numRuns: 400, examples: [[{ ...wellFormed, timeZone: '' }]] },
    );
    // The run reached the end often enough to mean something, and wrote nothing.
    expect(prepared).toBeGreaterThan(40);
    expect(await em.count(BookingRequest, {})).toBe(0);
  }, 60_000);
});
