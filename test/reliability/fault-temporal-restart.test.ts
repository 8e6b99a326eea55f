// The Temporal dev server, with a file-backed store, is stopped while reservations are in
// flight and started again on the same file: workflows resume where they were and finish,
// every booking made once. The worker and the clients just reconnect.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../src/net/free-port';
import { createBookingClient, type BookingClient } from '../../src/temporal/booking-client';
import { createBookingWorker } from '../../src/app/booking-worker';
import { startTemporalDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { workflowIdFor } from '../../workflows/contract';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { checkBookingInvariants } from '../support/invariants';
import { RecordingNotifier } from '../support/recording-notifier';
import { auditBookings, holdsOfClosedWorkflows } from './support/booking-audit';
import { cancelAndFinish } from './support/finish';
import { createScenario, storedFor } from './support/scenario';
import { blockSlots } from './support/slot-blocker';
import { confirmAttempts, press } from './support/trainer';
import type { NewBookingRequest } from '../../src/requests/new-request';

let db: TestDatabase;
let dir: string;
let port: number;
let server: RunningDevServer | undefined;
let native: NativeConnection;
let client: Client;
let worker: Worker;
let workerRun: Promise<void>;
let workerFailure: unknown;
const notifier = new RecordingNotifier();

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'booking-temporal-restart-'));
  await chmod(dir, 0o755);
  port = await findFreePort();
  server = await startTemporalDevServer({ port, dbFile: join(dir, 'temporal.db') });
  native = await NativeConnection.connect({ address: server.address });
  client = new Client({ connection: await Connection.connect({ address: server.address }) });
  worker = await createBookingWorker({ connection: native, taskQueue: 'restart-drill', orm: db.orm, notifier, workflowBundlePath: inject('workflowBundlePath') });
  workerRun = worker.run().catch((error: unknown) => {
    workerFailure = error;
  });
});
afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
  await native?.close();
  await client?.connection.close();
  await server?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function offered(bookings: BookingClient, requests: NewBookingRequest[]) {
  const started = await Promise.all(requests.map((body) => bookings.startRequest(body)));
  return Promise.all(started.map(async (r) => ({ ...r, best: (await notifier.waitFor(r.bookingRequestId, 'request.options', 1, 60_000))[0]!.options![0]! })));
}

describe('fault: the Temporal server restarts mid-run', () => {
  it('stops while confirms are inside their transactions and comes back on the same file: every workflow finishes once', async () => {
    const bookings = createBookingClient({ client, orm: db.orm, taskQueue: 'restart-drill' });
    const scenario = await createScenario(db.orm.em.fork(), 12);
    const approve = (bookingRequestId: number, slotId: number) => press(bookings, bookingRequestId, { kind: 'approve', trainerId: scenario.trainer.id, slotId }, `press-${bookingRequestId}`);

    const inFlight = await offered(bookings, [0, 2, 4, 6].map((i) => scenario.requestFor(i)));
    const waiting = await offered(bookings, [8].map((i) => scenario.requestFor(i)));
    const blocker = await blockSlots(db.url, inFlight.map((r) => r.best.slotId));
    const presses = inFlight.map((r) => approve(r.bookingRequestId, r.best.slotId));
    try {
      await blocker.waitForBlocked(inFlight.length);
      await server!.stop();
      server = undefined;
    } finally {
      // The confirms commit while the server is down: their results cannot be reported yet.
      await blocker.release();
    }
    server = await startTemporalDevServer({ port, dbFile: join(dir, 'temporal.db') });

    const outcomes = await Promise.all(presses);
    // A request that was waiting for the trainer across the restart, and one that comes after it.
    const after = await offered(bookings, [10].map((i) => scenario.requestFor(i)));
    const laterOutcomes = await Promise.all([...waiting, ...after].map((r) => approve(r.bookingRequestId, r.best.slotId)));

    const all = [...inFlight, ...waiting, ...after];
    const em = db.orm.em.fork();
    for (const [i, r] of all.entries()) {
      expect([...outcomes, ...laterOutcomes][i]).toMatchObject({ result: 'approved', booking: { slotIds: [r.best.slotId] } });
      const stored = await storedFor(em, r.bookingRequestId);
      expect([stored.status, stored.bookings.length, stored.sessions]).toEqual(['APPROVED', 1, 1]);
      expect(notifier.of(r.bookingRequestId, 'request.approved')).toHaveLength(1);
    }
    // However the restart fell, each confirm ended in one recorded activity completion.
    for (const r of inFlight) expect(await confirmAttempts(client, workflowIdFor(r.bookingRequestId))).toHaveLength(1);
    expect((await checkBookingInvariants(em, scenario.trainer.id)).violations).toEqual([]);
    expect(await auditBookings(em)).toEqual([]);

    const finals = await cancelAndFinish(bookings, all.map((r) => r.bookingRequestId), scenario.client.id);
    expect(finals.map((state) => state.status)).toEqual(all.map(() => 'CANCELLED'));
    expect(await holdsOfClosedWorkflows(db.orm.em.fork(), client)).toEqual([]);
    expect(workerFailure).toBeUndefined();
    expect(worker.getState()).toBe('RUNNING');
  }, 180_000);
});
