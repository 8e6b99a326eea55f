// A pack's workflow (issue 13) on Temporal's time-skipping test server: the ready notice when
// its payment is recorded, the reminder `reminderLead` before its end when credits are left,
// and the expiry at its end (one EXPIRE of what is left, both sides told). A fresh server per
// test, as the booking timers do: skipped time is global to a server.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities/booking-activities';
import { createCreditLedger } from '../../src/credits';
import { creditNoticeWording, creditWording } from '../../src/domain/credits/wording';
import { DAY_MS } from '../../src/domain/time';
import { createReservationService } from '../../src/reservation/reservation-service';
import { recordPackPayment, startCreditLotWorkflow } from '../../src/temporal/credit-lots';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { installTemporalLogging } from '../../src/temporal/runtime-logging';
import { temporalTestServerPath } from '../../src/temporal/tools';
import { creditLotWorkflowIdFor, type CreditLotState } from '../../workflows/contract';
import { createCreditWorld, type CreditWorld } from '../credits/support/credit-world';
import { checkCreditInvariants } from '../support/credit-invariants';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { saveHistoryIfRecording } from '../support/histories';
import { RecordingNotifier } from '../support/recording-notifier';

const TASK_QUEUE = 'credit-lots';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let notifier: RecordingNotifier;

beforeAll(async () => {
  installTemporalLogging();
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

beforeEach(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await registerSearchAttributes(env.connection);
  notifier = new RecordingNotifier();
  const ledger = createCreditLedger(db.orm);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ orm: db.orm, reservations: createReservationService(db.orm, undefined, ledger), ledger, notifier }),
  });
  running = worker.run();
});
afterEach(async () => {
  worker.shutdown();
  await running;
  await env.teardown();
});

/** A trainer and a client on the real clock (the lot's end is the ledger's now + validity). */
const realWorld = (): Promise<CreditWorld> => createCreditWorld(db, { clock: () => new Date() });

/** The client buys the pack through recordPackPayment; resolves to the lot and its end. */
async function buy(w: CreditWorld, pack: Awaited<ReturnType<CreditWorld['pack']>>, reminderLeadMs?: number) {
  const ledger = createCreditLedger(db.orm);
  const paid = await recordPackPayment(
    { client: env.client, taskQueue: TASK_QUEUE, ledger, ...(reminderLeadMs !== undefined ? { reminderLeadMs } : {}) },
    { trainerId: w.trainer.id, clientId: w.client.id, recordedBy: w.trainer.user.id, amountMinor: pack.priceMinor, currency: pack.currency, method: 'CASH', packageTypeId: pack.id },
  );
  return { lotId: paid.lot!.lotId, expiresAt: paid.lot!.expiresAt, workflowId: paid.workflowId! };
}

/** One booking of the client holds a credit of the pack (reserved, not ended). */
async function holdOne(w: CreditWorld, start: Date): Promise<void> {
  const booking = await w.booking(start);
  await db.orm.em.fork().transactional((tx) => w.ledger.reserveForBooking(tx, { bookingId: booking.id, clientId: w.client.id, trainerId: w.trainer.id, durationMinutes: 60, start }));
}

async function entries(lotId: number): Promise<string[]> {
  const rows = await db.orm.em.fork().execute<{ kind: string; delta: number }[]>('select kind, delta from credit_entry where lot_id = ? order by id', [lotId]);
  return rows.map((row) => `${row.kind} ${row.delta}`);
}

describe('a pack’s workflow (time-skipping server)', () => {
  it('ready at once, reminded 7 days before its end with the credits left, and at its end the rest expires: both sides told', async () => {
    const w = await realWorld();
    const pack = await w.pack({ sessions: 3, validityDays: 30 });
    const startedAt = await env.currentTimeMs();
    const { lotId, expiresAt, workflowId } = await buy(w, pack);
    expect(workflowId).toBe(creditLotWorkflowIdFor(lotId));
    await holdOne(w, new Date(Date.now() + 5 * DAY_MS));

    const final = await env.client.workflow.getHandle(workflowId).result() as CreditLotState;

    expect(final).toMatchObject({ lotId, phase: 'expired', remindedWith: 2, expired: 2, failedNotices: [] });
    expect(await entries(lotId)).toEqual(['PURCHASE 3', 'RESERVE -1', 'EXPIRE -2']);
    expect(await w.available(lotId)).toBe(0);
    const ready = notifier.creditsOf(w.client.id, 'credits.purchased');
    expect(ready.map((n) => n.audience)).toEqual([['client']]);
    expect(ready[0]!.scheduledAtMs - startedAt).toBeLessThan(DAY_MS);

    const reminders = notifier.creditsOf(w.client.id, 'credits.expiring');
    expect(reminders.map((n) => [n.audience, n.text])).toEqual([
      [['client'], creditWording.reminder({ trainerName: w.trainerName, available: 2, expiring: 2, expiresAt })],
      [['trainer'], creditWording.lowOrExpiring({ clientName: w.clientName, available: 2, expiring: 2, expiresAt })],
    ]);
    // On the server's clock: 7 days before the end, not a moment before.
    expect(reminders[0]!.scheduledAtMs).toBeGreaterThanOrEqual(expiresAt.getTime() - 7 * DAY_MS);
    expect(reminders[0]!.scheduledAtMs).toBeLessThan(expiresAt.getTime() - 7 * DAY_MS + 60_000);

    const expired = notifier.creditsOf(w.client.id, 'credits.expired');
    expect(expired.map((n) => [n.audience, n.text, n.available])).toEqual([
      [['client'], creditNoticeWording.expired({ trainerName: w.trainerName, packName: pack.name, expired: 2, expiresAt }), 0],
      [['trainer'], creditNoticeWording.expired({ clientName: w.clientName, trainerName: w.trainerName, packName: pack.name, expired: 2, expiresAt }), 0],
    ]);
    expect(expired[0]!.scheduledAtMs).toBeGreaterThanOrEqual(expiresAt.getTime());
    // Past its end no lot has credits to book with; the held one stays held for its booking.
    expect(await checkCreditInvariants(db.orm.em.fork(), { trainerId: w.trainer.id, now: new Date(expiresAt.getTime() + 1) })).toEqual([]);

    // Starting the lot's workflow again (a retried recording) starts nothing: a finished pack's id is refused, quietly.
    const notices = notifier.credits.length;
    const { runId } = await env.client.workflow.getHandle(workflowId).describe();
    expect(await startCreditLotWorkflow({ client: env.client, taskQueue: TASK_QUEUE }, { lotId, clientId: w.client.id, trainerId: w.trainer.id, expiresAt })).toBe(workflowId);
    const latest = await env.client.workflow.getHandle(workflowId).describe();
    expect([latest.runId, latest.status.name]).toEqual([runId, 'COMPLETED']);
    expect(notifier.credits.length).toBe(notices);
    await saveHistoryIfRecording(env.client, workflowId, 'credit-lot-expired');
  });

  it('a pack whose credits are all held gets no reminder, and nothing expires', async () => {
    const w = await realWorld();
    const spent = await w.pack({ sessions: 1, validityDays: 30 });
    const { lotId, workflowId } = await buy(w, spent);
    await holdOne(w, new Date(Date.now() + 2 * DAY_MS));

    const final = (await env.client.workflow.getHandle(workflowId).result()) as CreditLotState;

    expect(final).toMatchObject({ lotId, phase: 'expired', remindedWith: null, expired: 0 });
    expect(await entries(lotId)).toEqual(['PURCHASE 1', 'RESERVE -1']);
    expect(notifier.creditsOf(w.client.id).map((n) => n.kind)).toEqual(['credits.purchased']);
  });

  it('a pack shorter than the reminder lead gets no reminder; what is left expires at its end', async () => {
    const w = await realWorld();
    const short = await w.pack({ sessions: 2, validityDays: 3 });
    const { lotId, workflowId } = await buy(w, short);

    const final = (await env.client.workflow.getHandle(workflowId).result()) as CreditLotState;

    expect(final).toMatchObject({ lotId, phase: 'expired', remindedWith: null, expired: 2 });
    expect(await entries(lotId)).toEqual(['PURCHASE 2', 'EXPIRE -2']);
    expect(notifier.creditsOf(w.client.id).map((n) => `${n.kind}>${n.audience.join()}`)).toEqual(['credits.purchased>client', 'credits.expired>client', 'credits.expired>trainer']);
  });
});
