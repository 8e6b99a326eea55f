// The worker process is SIGKILLed while a session's outcome is using its credit (the
// recordSessionOutcome transaction stopped inside, waiting for the credit's lot), then a new
// worker starts: the activity runs again and the booking's credit is used exactly once.
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCreditLedger } from '../../src/credits';
import { Booking } from '../../src/db/entities';
import { savePolicy } from '../../src/policy';
import { createBookingClient } from '../../src/temporal/booking-client';
import { sessionOutcomeUpdate, stateQuery, workflowIdFor, type BookingSummary } from '../../workflows/contract';
import { checkCreditInvariants } from '../support/credit-invariants';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { startWorkerChild, type WorkerChild } from './support/worker-child';

let db: TestDatabase;
let dir: string;
let client: Client;
const workers: WorkerChild[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'credit-consume-kill-'));
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await client?.connection.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds the lot's row lock in a transaction of its own, so a settlement stops inside its transaction until released. */
async function blockLot(lotId: number) {
  const holder = new pg.Client({ connectionString: db.url });
  const observer = new pg.Client({ connectionString: db.url });
  await Promise.all([holder.connect(), observer.connect()]);
  await holder.query('begin');
  await holder.query('select id from credit_lot where id = $1 for update', [lotId]);
  let released = false;
  return {
    async waitForBlocked(timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await observer.query(
          `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
              and wait_event_type = 'Lock' and query ilike '%credit_lot%for update%'`,
        );
        if (rows.length > 0) return;
        if (Date.now() > deadline) throw new Error(`no settlement reached the locked lot within ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    async release() {
      if (released) return;
      released = true;
      await holder.query('rollback');
      await Promise.all([holder.end(), observer.end()]);
    },
  };
}

/** How many times recordSessionOutcome ran, per the workflow's history (its last attempt number). */
async function outcomeAttempts(workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Set<string>();
  let attempts = 0;
  for (const event of history.events ?? []) {
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'recordSessionOutcome') scheduled.add(String(event.eventId));
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.has(String(started.scheduledEventId))) attempts = Math.max(attempts, started.attempt ?? 1);
  }
  return attempts;
}

describe('fault: the worker is killed while a session’s outcome uses its credit', () => {
  it('SIGKILL inside the consuming transaction; the retry on a new worker consumes exactly once', async () => {
    const taskQueue = `credit-kill-${randomBytes(4).toString('hex')}`;
    const startWorker = async () => {
      const worker = await startWorkerChild({ databaseUrl: db.url, temporalAddress: inject('temporalAddress'), taskQueue, workflowBundlePath: inject('workflowBundlePath'), notificationsFile: join(dir, 'notifications.jsonl') });
      workers.push(worker);
      return worker;
    };
    const bookings = createBookingClient({ client, orm: db.orm, taskQueue });
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    await em.populate(trainer, ['user']);
    // A session a few seconds from now (no notice needed), so its outcome can be recorded.
    await savePolicy(em, trainer.id, { minNoticeMinutes: 0, creditToApprove: true });
    const person = await createClient(em);
    const ledger = createCreditLedger(db.orm);
    const pack = await ledger.packageTypes.create({ trainerId: trainer.id, name: 'Ten', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'EUR', validityDays: 90 });
    const paid = await ledger.recordPayment({ trainerId: trainer.id, clientId: person.id, recordedBy: trainer.user.id, amountMinor: pack.priceMinor, currency: 'EUR', method: 'CASH', packageTypeId: pack.id });
    const lotId = paid.lot!.lotId;
    const start = new Date(Math.ceil((Date.now() + 10_000) / 1_000) * 1_000);
    const [slot] = await createSlots(em, trainer, start, 1);

    const first = await startWorker();
    const { bookingRequestId } = await bookings.startRequest({ clientId: person.id, trainerId: trainer.id, sessionType: 'Fault drill', durationMinutes: 60, startTime: start.toISOString(), timeZone: 'UTC' });
    for (let state = await bookings.state(bookingRequestId); !state.optionsReady; state = await bookings.state(bookingRequestId)) await sleep(50);
    const approval = await bookings.decide(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: slot!.id });
    expect(approval).toMatchObject({ result: 'approved', booking: { credit: { lotId, left: 9 } } });
    const bookingId = (approval as { booking: BookingSummary }).booking.bookingId;
    await sleep(Math.max(0, start.getTime() - Date.now() + 500));

    // The outcome's transaction stops at the lot's lock; the worker dies there; a new one takes over.
    const blocker = await blockLot(lotId);
    const handle = client.workflow.getHandle(workflowIdFor(bookingRequestId));
    const command = { trainerId: trainer.id, outcome: 'COMPLETED' as const };
    // The same update id until answered: a call cut off while the worker is dead is the same Update.
    const recorded = (async (): Promise<BookingSummary> => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        try {
          return await handle.executeUpdate(sessionOutcomeUpdate, { args: [command], updateId: `outcome-${bookingId}` });
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await sleep(500);
        }
      }
    })();
    try {
      await blocker.waitForBlocked();
      await first.kill();
    } finally {
      await blocker.release();
    }
    await startWorker();

    const summary = await recorded;
    expect(summary).toMatchObject({ bookingId, status: 'COMPLETED' });
    expect(summary.ledger!.map((entry) => entry.kind)).toEqual(['RESERVE', 'CONSUME']);
    expect(await outcomeAttempts(workflowIdFor(bookingRequestId))).toBeGreaterThanOrEqual(2);

    const after = db.orm.em.fork();
    const entries = await after.execute<{ kind: string }[]>('select kind from credit_entry where booking_id = ? order by id', [bookingId]);
    expect(entries.map((entry) => entry.kind)).toEqual(['RESERVE', 'CONSUME']);
    const [lot] = await after.execute<{ available: number }[]>('select available from credit_lot where id = ?', [lotId]);
    expect(lot!.available).toBe(9);
    expect((await after.findOneOrFail(Booking, bookingId)).status).toBe('COMPLETED');
    expect((await handle.query(stateQuery)).booking!.ledger!.map((entry) => entry.kind)).toEqual(['RESERVE', 'CONSUME']);
    expect(await checkCreditInvariants(after)).toEqual([]);
    expect((await checkBookingInvariants(after, trainer.id)).violations).toEqual([]);
  }, 180_000);
});
