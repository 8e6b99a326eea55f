// The worker process is SIGKILLed while reservations are in flight (each stopped inside its
// transaction), then a new worker starts: every workflow finishes, each booking made once.
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBookingClient } from '../../src/temporal/booking-client';
import { workflowIdFor } from '../../workflows/contract';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { checkBookingInvariants } from '../support/invariants';
import { auditBookings, holdsOfClosedWorkflows } from './support/booking-audit';
import { readDeliveries } from './support/file-notifier';
import { cancelAndFinish } from './support/finish';
import { createScenario, storedFor } from './support/scenario';
import { blockSlots } from './support/slot-blocker';
import { confirmAttempts, hasOptions, press, waitForState } from './support/trainer';
import { startWorkerChild, type WorkerChild } from './support/worker-child';

let db: TestDatabase;
let dir: string;
let client: Client;
const workers: WorkerChild[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'booking-worker-kill-'));
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await client?.connection.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fault: the worker is killed in the middle of reservations', () => {
  it('SIGKILL while confirms hold their transactions open; a new worker finishes every workflow exactly once', async () => {
    const taskQueue = `worker-kill-${randomBytes(4).toString('hex')}`;
    const notificationsFile = join(dir, 'notifications.jsonl');
    const startWorker = async () => {
      const worker = await startWorkerChild({ databaseUrl: db.url, temporalAddress: inject('temporalAddress'), taskQueue, workflowBundlePath: inject('workflowBundlePath'), notificationsFile });
      workers.push(worker);
      return worker;
    };
    const bookings = createBookingClient({ client, orm: db.orm, taskQueue });
    const scenario = await createScenario(db.orm.em.fork(), 12);
    const approve = (bookingRequestId: number, slotId: number) => press(bookings, bookingRequestId, { kind: 'approve', trainerId: scenario.trainer.id, slotId }, `press-${bookingRequestId}`);

    const first = await startWorker();
    const inFlight = await Promise.all([0, 2, 4, 6].map((i) => bookings.startRequest(scenario.requestFor(i))));
    const offered = await Promise.all(inFlight.map((r) => waitForState(bookings, r.bookingRequestId, hasOptions)));
    const targets = offered.map((state) => state.options[0]!.slotId);
    expect(targets).toEqual([0, 2, 4, 6].map((i) => scenario.slots[i]!.id));

    // Every confirm stops inside its transaction; two more requests arrive; then the kill.
    const blocker = await blockSlots(db.url, targets);
    const presses = inFlight.map((r, i) => approve(r.bookingRequestId, targets[i]!));
    let late: { bookingRequestId: number }[];
    try {
      await blocker.waitForBlocked(inFlight.length);
      late = await Promise.all([8, 10].map((i) => bookings.startRequest(scenario.requestFor(i))));
      await first.kill();
    } finally {
      await blocker.release();
    }
    await startWorker();

    // The confirms time out on the dead worker (30 s) and run again on the new one.
    const outcomes = await Promise.all(presses);
    const lateOffers = await Promise.all(late.map((r) => waitForState(bookings, r.bookingRequestId, hasOptions, 90_000)));
    const lateOutcomes = await Promise.all(late.map((r, i) => approve(r.bookingRequestId, lateOffers[i]!.options[0]!.slotId)));

    const all = [...inFlight, ...late];
    const em = db.orm.em.fork();
    const deliveries = readDeliveries(notificationsFile);
    for (const [i, r] of all.entries()) {
      expect([...outcomes, ...lateOutcomes][i]).toMatchObject({ result: 'approved' });
      const stored = await storedFor(em, r.bookingRequestId);
      expect([stored.status, stored.bookings.length, stored.sessions]).toEqual(['APPROVED', 1, 1]);
      // A delivery may repeat after the crash, but under one key: the person hears it once.
      const approvals = new Set(deliveries.filter((n) => n.bookingRequestId === r.bookingRequestId && n.kind === 'request.approved').map((n) => n.key));
      expect(approvals.size).toBe(1);
    }
    for (const r of inFlight) expect((await confirmAttempts(client, workflowIdFor(r.bookingRequestId)))[0]).toBeGreaterThanOrEqual(2);
    expect((await checkBookingInvariants(em, scenario.trainer.id)).violations).toEqual([]);
    expect(await auditBookings(em)).toEqual([]);

    const finals = await cancelAndFinish(bookings, all.map((r) => r.bookingRequestId), scenario.client.id);
    expect(finals.map((state) => state.status)).toEqual(all.map(() => 'CANCELLED'));
    const after = db.orm.em.fork();
    expect(await auditBookings(after)).toEqual([]);
    expect(await holdsOfClosedWorkflows(after, client)).toEqual([]);
  }, 180_000);
});
