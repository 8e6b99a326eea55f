// A new series request is checked completely before anything is stored: every bad
// recurrence is a RequestValidationError naming the field with one sentence.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRequest, type Trainer, type User } from '../../src/db/entities';
import { prepareBookingRequest, RequestValidationError, type NewBookingRequest } from '../../src/requests/new-request';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';

// A Wednesday; the trainer's horizon (90 days) ends on 2031-04-01.
const NOW = new Date('2031-01-01T08:00:00Z');
const ZONE = 'Europe/Berlin';
const berlin = (date: string, time: string): Date => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();

let db: TestDatabase;
let trainer: Trainer;
let client: User;

beforeAll(async () => {
  db = await createTestDatabase();
  const em = db.orm.em.fork();
  trainer = await createTrainer(em, { timeZone: ZONE });
  client = await createClient(em);
  // Tuesdays 17:00–20:00 Berlin time (three hourly slots) for 14 weeks, across the change to summer time.
  for (let week = 0; week < 14; week++) {
    const day = DateTime.fromISO('2031-01-07', { zone: ZONE }).plus({ weeks: week }).toISODate()!;
    await createSlots(em, trainer, berlin(day, '17:00'), 3);
  }
});
afterAll(async () => db?.drop());

const direct = (recurrence: NewBookingRequest['recurrence'], overrides: Partial<NewBookingRequest> = {}): NewBookingRequest => ({
  clientId: client.id,
  trainerId: trainer.id,
  sessionType: 'Strength',
  durationMinutes: 60,
  startTime: berlin('2031-01-07', '18:00').toISOString(),
  timeZone: ZONE,
  recurrence,
  ...overrides,
});

async function refusal(body: NewBookingRequest): Promise<RequestValidationError> {
  const error = await prepareBookingRequest(db.orm.em.fork(), body, NOW).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as RequestValidationError;
}

describe('preparing a series request', () => {
  it('keeps a direct weekly series with the first session’s weekday and the conflict mode', async () => {
    const prepared = await prepareBookingRequest(db.orm.em.fork(), direct({ count: 10 }), NOW);
    expect(prepared.recurrence).toEqual({ interval: 1, weekdays: ['TU'], count: 10, conflictMode: 'ALL_OR_NOTHING' });
    const available = await prepareBookingRequest(db.orm.em.fork(), direct({ interval: 2, until: '2031-03-25', conflictMode: 'AVAILABLE_ONLY' }), NOW);
    expect(available.recurrence).toEqual({ interval: 2, weekdays: ['TU'], until: '2031-03-25', conflictMode: 'AVAILABLE_ONLY' });
  });

  it('keeps a flexible series; its days stay open for the candidates', async () => {
    const prepared = await prepareBookingRequest(
      db.orm.em.fork(),
      { clientId: client.id, trainerId: trainer.id, sessionType: 'Strength', durationMinutes: 60, timeZone: ZONE, preferences: { preferredStartDate: '2031-01-05', preferredEndDate: '2031-01-12' }, recurrence: { count: 8 } },
      NOW,
    );
    expect(prepared.recurrence).toEqual({ interval: 1, weekdays: [], count: 8, conflictMode: 'ALL_OR_NOTHING' });
  });

  it.each([
    ['zero sessions', { count: 0 }, 'recurrence.count', 'A series needs at least one session.'],
    ['more than 52', { count: 53 }, 'recurrence.count', 'A series can have at most 52 sessions.'],
    ['both a count and an end', { count: 4, until: '2031-02-01' }, 'recurrence.count', 'Give either a number of sessions or an end date, not both.'],
    ['neither a count nor an end', {}, 'recurrence.count', 'Say how many sessions (up to 52) or until which date the series runs.'],
    ['an end before the start', { until: '2031-01-06' }, 'recurrence.until', 'The end date is before the first date: choose an end date on or after it.'],
    ['a date that does not exist', { until: '2031-02-30' }, 'recurrence.until', 'The end date must be a calendar date written YYYY-MM-DD.'],
    ['every 5 weeks', { interval: 5, count: 4 }, 'recurrence.interval', 'The interval must be a whole number of weeks from 1 to 4.'],
    ['an unknown weekday', { weekdays: ['TU', 'XX'], count: 4 }, 'recurrence.weekdays', 'XX is not a weekday: use MO, TU, WE, TH, FR, SA or SU.'],
    ['a first session off the chosen days', { weekdays: ['MO', 'WE'], count: 4 }, 'recurrence.weekdays', 'The first session falls on a Tuesday, which is not among the chosen days (Mondays and Wednesdays): add it or choose another first session.'],
    ['an end beyond the horizon', { until: '2031-05-01' }, 'recurrence.until', 'Trainer'],
    ['a last session beyond the horizon', { count: 20 }, 'recurrence.count', 'The last of the 20 sessions would be on 2031-05-20'],
    ['a weekday without published times', { weekdays: ['TU', 'SU'], count: 6 }, 'recurrence.weekdays', 'has no published times on Sundays between 2031-01-07 and'],
  ])('refuses %s, naming the field', async (_name, recurrence, field, sentence) => {
    const error = await refusal(direct(recurrence));
    expect(error.field).toBe(field);
    expect(error.message).toContain(sentence);
  });

  it('refuses a time the trainer never publishes, and a length their times never cover', async () => {
    const unpublished = await refusal(direct({ count: 4 }, { startTime: berlin('2031-01-07', '21:00').toISOString() }));
    expect(unpublished.field).toBe('startTime');
    expect(unpublished.message).toMatch(/has no published time at 21:00 on Tuesdays in that period/);
    const tooLong = await refusal(direct({ count: 4 }, { durationMinutes: 180 }));
    expect(tooLong.field).toBe('durationMinutes');
    expect(tooLong.message).toMatch(/published times from 18:00 never run 180 minutes/);
    // 18:30 for an hour runs over two back-to-back slots: fine.
    const straddling = await prepareBookingRequest(db.orm.em.fork(), direct({ count: 4 }, { startTime: berlin('2031-01-07', '18:30').toISOString() }), NOW);
    expect(straddling.recurrence?.weekdays).toEqual(['TU']);
  });

  it('stores nothing while preparing', async () => {
    expect(await db.orm.em.fork().count(BookingRequest, {})).toBe(0);
  });
});
