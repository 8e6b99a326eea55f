// The database connection dies inside a reservation's transaction (pg_terminate_backend):
// the transaction rolls back, Temporal retries the activity, and the booking is made once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, quoteIdent } from '../../src/db/databases';
import type { BookingClient } from '../../src/temporal/booking-client';
import { workflowIdFor } from '../../workflows/contract';
import { startBookingStack } from '../support/booking-stack';
import type { TestDatabase } from '../support/database';
import { checkBookingInvariants } from '../support/invariants';
import type { RecordingNotifier } from '../support/recording-notifier';
import type { RunningBookingWorker } from '../support/temporal';
import { auditBookings } from './support/booking-audit';
import { checkedOutConnections } from './support/pool';
import { createScenario, storedFor } from './support/scenario';
import { blockSlots, terminateBackends } from './support/slot-blocker';
import { confirmAttempts, press } from './support/trainer';
import type { NewBookingRequest } from '../../src/requests/new-request';

let db: TestDatabase;
let notifier: RecordingNotifier;
let running: RunningBookingWorker;
let bookings: BookingClient;

beforeAll(async () => {
  ({ db, notifier, running, bookings } = await startBookingStack());
});
afterAll(async () => {
  await running?.stop();
  // Closing the ORM waits for every pooled connection: one leaked by a fault (reported by the
  // last test) would hold the suite here for good.
  const dropped = await Promise.race([db?.drop().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000))]);
  if (!dropped && db) await adminQuery(inject('pgAdminUrl'), `drop database if exists ${quoteIdent(db.name)} with (force)`);
});

async function startAndOffer(requests: NewBookingRequest[]) {
  const started = await Promise.all(requests.map((body) => bookings.startRequest(body)));
  const offers = await Promise.all(started.map(async (r) => (await notifier.waitFor(r.bookingRequestId, 'request.options', 1, 30_000))[0]!.options![0]!));
  return started.map((r, i) => ({ ...r, best: offers[i]! }));
}

describe('fault: the database connection is terminated inside the transaction', () => {
  it('confirms stopped mid-transaction lose their connection; each retries and books exactly once', async () => {
    const scenario = await createScenario(db.orm.em.fork(), 8);
    const requests = await startAndOffer([0, 2, 4, 6].map((i) => scenario.requestFor(i)));
    expect(requests.map((r) => r.best.slotId)).toEqual([0, 2, 4, 6].map((i) => scenario.slots[i]!.id));

    // Each confirm has locked its request row and now waits for its slot: kill it there.
    const blocker = await blockSlots(db.url, requests.map((r) => r.best.slotId));
    const presses = requests.map((r) => press(bookings, r.bookingRequestId, { kind: 'approve', trainerId: scenario.trainer.id, slotId: r.best.slotId }, `press-${r.bookingRequestId}`));
    try {
      const pids = await blocker.waitForBlocked(requests.length);
      expect(await terminateBackends(db.url, pids)).toBe(requests.length);
    } finally {
      await blocker.release();
    }
    const outcomes = await Promise.all(presses);

    const em = db.orm.em.fork();
    for (const [i, r] of requests.entries()) {
      expect(outcomes[i]).toMatchObject({ result: 'approved', duplicate: false, booking: { slotIds: [r.best.slotId] } });
      const stored = await storedFor(em, r.bookingRequestId);
      expect(stored.status).toBe('APPROVED');
      expect(stored.bookings).toHaveLength(1);
      expect(stored.sessions).toBe(1);
      // The fault really struck: the first attempt failed and a retry made the booking.
      expect((await confirmAttempts(running.client, workflowIdFor(r.bookingRequestId)))[0]).toBeGreaterThanOrEqual(2);
      expect(notifier.of(r.bookingRequestId, 'request.approved')).toHaveLength(1);
    }
    expect((await checkBookingInvariants(em, scenario.trainer.id)).violations).toEqual([]);
    expect(await auditBookings(em)).toEqual([]);
  }, 120_000);

  it('every connection of the database is cut again and again while trainers approve: all settle exactly once, later requests are served', async () => {
    const scenario = await createScenario(db.orm.em.fork(), 12);
    const early = await startAndOffer([0, 1, 2, 3, 4, 5].map((i) => scenario.requestFor(i)));

    // For three seconds, every backend of the app's database is terminated every 100 ms.
    const chaos = (async () => {
      const until = Date.now() + 3_000;
      let terminated = 0;
      while (Date.now() < until) {
        terminated += await terminateBackends(db.url, await otherBackends(db.url));
        await new Promise((r) => setTimeout(r, 100));
      }
      return terminated;
    })();
    const presses = early.map((r) => press(bookings, r.bookingRequestId, { kind: 'approve', trainerId: scenario.trainer.id, slotId: r.best.slotId }, `press-${r.bookingRequestId}`));
    const terminated = await chaos;
    expect(terminated).toBeGreaterThan(0);
    const outcomes = await Promise.all(presses);
    // Requests that arrive after the outage are served normally by the same worker.
    const late = await startAndOffer([8, 10].map((i) => scenario.requestFor(i)));
    const lateOutcomes = await Promise.all(late.map((r) => press(bookings, r.bookingRequestId, { kind: 'approve', trainerId: scenario.trainer.id, slotId: r.best.slotId }, `press-${r.bookingRequestId}`)));

    const em = db.orm.em.fork();
    for (const [i, r] of [...early, ...late].entries()) {
      expect([...outcomes, ...lateOutcomes][i]).toMatchObject({ result: 'approved', booking: { slotIds: [r.best.slotId] } });
      const stored = await storedFor(em, r.bookingRequestId);
      expect([stored.status, stored.bookings.length, stored.sessions]).toEqual(['APPROVED', 1, 1]);
      expect(notifier.of(r.bookingRequestId, 'request.approved')).toHaveLength(1);
    }
    expect((await checkBookingInvariants(em, scenario.trainer.id)).violations).toEqual([]);
    expect(await auditBookings(em)).toEqual([]);
  }, 120_000);

  it('a connection killed inside a transaction is discarded, not kept checked out of the pool forever', async () => {
    const scenario = await createScenario(db.orm.em.fork(), 4);
    const requests = await startAndOffer([0, 2].map((i) => scenario.requestFor(i)));
    const checkedOutBefore = await checkedOutConnections(db.orm);
    const blocker = await blockSlots(db.url, requests.map((r) => r.best.slotId));
    const presses = requests.map((r) => press(bookings, r.bookingRequestId, { kind: 'approve', trainerId: scenario.trainer.id, slotId: r.best.slotId }, `press-${r.bookingRequestId}`));
    try {
      expect(await terminateBackends(db.url, await blocker.waitForBlocked(requests.length))).toBe(requests.length);
    } finally {
      await blocker.release();
    }
    expect((await Promise.all(presses)).map((o) => o.result)).toEqual(['approved', 'approved']);

    // Each pool has a fixed size (20 by default): a connection kept checked out after its
    // transaction died is gone for good, and once all are gone every activity hangs.
    expect(await checkedOutConnections(db.orm), 'connections still checked out after their transactions died').toBe(checkedOutBefore);
  }, 120_000);
});

/** Backends of the test's database other than the caller's own connection. */
async function otherBackends(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}
