// The request door with the trainer's "a credit is needed to request" (issue 13): a client
// without a usable credit gets the NoCreditError sentence naming the trainer's packs and
// prices, and nothing is stored; a series needs a credit per session (ALL_OR_NOTHING) or one
// (AVAILABLE_ONLY). Fixed clocks: the ledger's and the door's.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreditLedger, type CreditLedger, type PackageTypeRecord } from '../../src/credits';
import { BookingRequest, type Trainer, type User } from '../../src/db/entities';
import { NoCreditError } from '../../src/domain/credits/errors';
import { creditWording } from '../../src/domain/credits/wording';
import { ERROR_CODES } from '../../src/domain/errors';
import { savePolicy } from '../../src/policy';
import { prepareBookingRequest, type NewBookingRequest } from '../../src/requests/new-request';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';

// A Wednesday; the Tuesdays below are 6 days and more ahead.
const NOW = new Date('2031-01-01T08:00:00Z');
const FIRST_TUESDAY = '2031-01-07';
const tuesdayAt18 = (week: number): Date => DateTime.fromISO(`${FIRST_TUESDAY}T18:00`, { zone: 'UTC' }).plus({ weeks: week }).toJSDate();

let db: TestDatabase;
let ledger: CreditLedger;
let trainer: Trainer;
let trainerName: string;
let pack: PackageTypeRecord;

beforeAll(async () => {
  db = await createTestDatabase();
  ledger = createCreditLedger(db.orm, () => NOW);
  const em = db.orm.em.fork();
  trainer = await createTrainer(em);
  await em.populate(trainer, ['user']);
  trainerName = trainer.user.fullName;
  await savePolicy(em, trainer.id, { creditToRequest: true });
  for (let week = 0; week < 10; week++) await createSlots(em, trainer, tuesdayAt18(week), 1);
  // Valid 30 days from NOW: the first four Tuesdays, not the fifth.
  pack = await ledger.packageTypes.create({ trainerId: trainer.id, name: 'Four × 60', sessions: 4, sessionMinutes: 60, priceMinor: 28_000n, currency: 'EUR', validityDays: 30 });
});
afterAll(async () => db?.drop());

async function clientWith(packs: number): Promise<User> {
  const client = await createClient(db.orm.em.fork());
  for (let i = 0; i < packs; i++) {
    await ledger.recordPayment({ trainerId: trainer.id, clientId: client.id, recordedBy: trainer.user.id, amountMinor: pack.priceMinor, currency: 'EUR', method: 'BANK_TRANSFER', packageTypeId: pack.id });
  }
  return client;
}

const direct = (client: User, overrides: Partial<NewBookingRequest> = {}): NewBookingRequest => ({
  clientId: client.id,
  trainerId: trainer.id,
  sessionType: 'Strength',
  durationMinutes: 60,
  startTime: tuesdayAt18(0).toISOString(),
  timeZone: 'UTC',
  ...overrides,
});

async function refusal(body: NewBookingRequest): Promise<NoCreditError> {
  const error = await prepareBookingRequest(db.orm.em.fork(), body, NOW).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NoCreditError);
  const refused = error as NoCreditError;
  expect(refused.code).toBe(ERROR_CODES.creditNone);
  // Nothing stored: no request row of this client.
  expect(await db.orm.em.fork().count(BookingRequest, { client: body.clientId })).toBe(0);
  return refused;
}

describe('a credit needed to request', () => {
  it('refuses a client without a pack with the trainer’s packs and prices, nothing stored; a client with one is let in', async () => {
    const without = await clientWith(0);
    const refused = await refusal(direct(without));
    expect(refused.message).toBe(creditWording.noCredit({ trainerName, durationMinutes: 60, offers: [pack] }));
    expect(refused.message).toContain('4 × 60 min for €280.00');
    expect(refused.trainerSentence).toBe(creditWording.noCredit({ clientName: without.fullName, trainerName, durationMinutes: 60, offers: [pack] }));

    const withPack = await clientWith(1);
    const prepared = await prepareBookingRequest(db.orm.em.fork(), direct(withPack), NOW);
    expect(prepared).toMatchObject({ clientId: withPack.id, policy: { creditToRequest: true } });
  });

  it('a pack that ends before the session, or covers shorter sessions, does not count', async () => {
    const client = await clientWith(1);
    // The fifth Tuesday is after the pack's 30 days.
    await refusal(direct(client, { startTime: tuesdayAt18(4).toISOString() }));
    const longer = await refusal(direct(client, { durationMinutes: 90 }));
    expect(longer.message).toBe(creditWording.noCredit({ trainerName, durationMinutes: 90, offers: [] }));
  });

  it('a flexible request needs a credit valid at its first preferred day', async () => {
    const client = await clientWith(1);
    const preferences = { preferredStartDate: FIRST_TUESDAY, preferredEndDate: '2031-01-09', preferredTimes: [], avoidTimes: [], allowWeekends: false, allowEvenings: true };
    await expect(prepareBookingRequest(db.orm.em.fork(), direct(client, { startTime: null, preferences }), NOW)).resolves.toMatchObject({ clientId: client.id });
    await refusal(direct(await clientWith(0), { startTime: null, preferences }));
  });

  it('a series: ALL_OR_NOTHING needs one credit per session, AVAILABLE_ONLY at least one', async () => {
    const client = await clientWith(1);
    const four = await prepareBookingRequest(db.orm.em.fork(), direct(client, { recurrence: { count: 4 } }), NOW);
    expect(four.recurrence).toMatchObject({ count: 4, conflictMode: 'ALL_OR_NOTHING' });

    const six = await refusal(direct(client, { recurrence: { count: 6 } }));
    expect(six.message).toBe(creditWording.notEnoughForSeries({ trainerName, durationMinutes: 60, needed: 6, available: 4, offers: [pack] }));
    expect(six.shortfall).toEqual({ needed: 6, available: 4 });

    const someDates = await prepareBookingRequest(db.orm.em.fork(), direct(client, { recurrence: { count: 6, conflictMode: 'AVAILABLE_ONLY' } }), NOW);
    expect(someDates.recurrence).toMatchObject({ count: 6, conflictMode: 'AVAILABLE_ONLY' });
    await refusal(direct(await clientWith(0), { recurrence: { count: 6, conflictMode: 'AVAILABLE_ONLY' } }));
  });

  it('without the requirement nobody is asked for a credit', async () => {
    const em = db.orm.em.fork();
    const other = await createTrainer(em);
    await createSlots(em, other, tuesdayAt18(0), 1);
    const client = await clientWith(0);
    await expect(prepareBookingRequest(em, direct(client, { trainerId: other.id }), NOW)).resolves.toMatchObject({ clientId: client.id, trainerId: other.id });
  });
});
